"""PER/ORG mention spans of find_people against hand-made CoNLL-style gold, with bare spaCy beside.

`python -m bench.people_eval [--gold bench/people_gold.jsonl] [--show]` runs the product's spaCy
pipeline on each gold article's body (text after the front matter), keeps predictions that end
inside the annotated window (the first `limit` characters), and prints precision, recall and F1
per label and overall, for exact spans and for relaxed (same label, overlapping) spans.
`--show` lists every miss and false alarm of find_people.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bench import common
from bench.common import MODEL
from bot.nlp.people import find_people
from bot.nlp.pipeline import load_model

GOLD = Path(__file__).resolve().parent / "people_gold.jsonl"
LABELS = ("PER", "ORG")
_OURS = {"person": "PER", "org": "ORG"}
_SPACY = {"PERSON": "PER", "ORG": "ORG"}

Span = tuple[int, int, str]


@dataclass
class Tally:
    """True positives, system spans and gold spans of one label (or all)."""

    tp: int = 0  # gold spans found
    system: int = 0
    gold: int = 0
    right: int = 0  # system spans that are right (equals tp for exact matching)

    def line(self) -> str:
        p = self.right / self.system if self.system else 0.0
        r = self.tp / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        counts = f"(tp {self.tp}, sys {self.system}, gold {self.gold})"
        return f"P {p:.3f}  R {r:.3f}  F1 {f:.3f}  {counts}"


def body_of(path: Path) -> str:
    """The text after the front matter's closing '---' line (the whole file when there is none)."""
    text = path.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            return text[end + 5 :]
    return text


def ours(body: str) -> list[Span]:
    doc = load_model(MODEL)(body)
    return [(s, e, _OURS[p.kind]) for p in find_people(doc) for s, e in p.mentions]


def bare_spacy(body: str) -> list[Span]:
    doc = load_model(MODEL)(body)
    return [(e.start_char, e.end_char, _SPACY[e.label_]) for e in doc.ents if e.label_ in _SPACY]


def _overlaps(a: Span, b: Span) -> bool:
    return a[2] == b[2] and a[0] < b[1] and b[0] < a[1]


def score(gold: list[Span], system: list[Span], tallies: dict[str, dict[str, Tally]]) -> None:
    """Add one article to the exact and relaxed tallies (per label and 'ALL')."""
    gold_set, sys_set = set(gold), set(system)
    for label in (*LABELS, "ALL"):
        g = [s for s in gold_set if label in ("ALL", s[2])]
        p = [s for s in sys_set if label in ("ALL", s[2])]
        exact = tallies["exact"][label]
        exact.tp += len(set(g) & set(p))
        exact.right += len(set(g) & set(p))
        exact.system += len(p)
        exact.gold += len(g)
        relaxed = tallies["relaxed"][label]
        # Relaxed: a system span is right when it overlaps a gold span of its label; a gold
        # span is found when some system span of its label overlaps it.
        relaxed.tp += sum(1 for s in g if any(_overlaps(s, q) for q in p))
        relaxed.right += sum(1 for q in p if any(_overlaps(s, q) for s in g))
        relaxed.gold += len(g)
        relaxed.system += len(p)


def _rows(path: Path) -> Iterable[dict]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--show", action="store_true", help="list our misses and false alarms")
    args = parser.parse_args()
    systems = {"find_people": ours, "bare spaCy": bare_spacy}
    results: dict[str, dict[str, dict[str, Tally]]] = {}
    rows = list(_rows(args.gold))
    for name, system in systems.items():
        tallies = {
            kind: {label: Tally() for label in (*LABELS, "ALL")} for kind in ("exact", "relaxed")
        }
        by_set: dict[str, dict[str, dict[str, Tally]]] = {}
        for row in rows:
            body = body_of(_article(row))
            limit = row["limit"]
            gold = [(s, e, label) for s, e, label, *_ in row["mentions"]]
            predicted = [span for span in system(body) if span[1] <= limit]
            score(gold, predicted, tallies)
            part = by_set.setdefault(_set_of(row), {
                kind: {label: Tally() for label in (*LABELS, "ALL")}
                for kind in ("exact", "relaxed")})
            score(gold, predicted, part)
            if args.show and name == "find_people":
                _show(row.get("doc") or row["path"], body, set(gold), set(predicted))
        results[name] = tallies
        for part_name, part in sorted(by_set.items()):
            results[f"{name} on {part_name}"] = part
    print(f"{len(rows)} articles, {sum(len(r['mentions']) for r in rows)} gold mentions")
    for name, tallies in results.items():
        print(f"\n{name}")
        for label in (*LABELS, "ALL"):
            print(f"  exact   {label:<3} {tallies['exact'][label].line()}")
        for label in (*LABELS, "ALL"):
            print(f"  overlap {label:<3} {tallies['relaxed'][label].line()}")


def _article(row: dict) -> Path:
    """A gold row names a PolNeAR article ("doc") or any dev article by its path ("path")."""
    if "path" in row:
        return common.DEV / row["path"]
    return common.DEV / "quotes" / row["doc"] / "DOC.md"


def _set_of(row: dict) -> str:
    return "PolNeAR" if "doc" in row else row["path"].split("/")[1]


def _show(doc: str, body: str, gold: set[Span], predicted: set[Span]) -> None:
    print(f"-- {doc}")
    for s, e, label in sorted(gold - predicted):
        print(f"   miss  {label} {body[s:e]!r} @{s}")
    for s, e, label in sorted(predicted - gold):
        print(f"   false {label} {body[s:e]!r} @{s}")


if __name__ == "__main__":
    main()
