"""Shared bench helpers: corpus, timers, percentiles, interleaved rounds, peak memory, JSON."""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.ingest.files import read_file
from bot.models import ArticleDraft

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


def dev_dir() -> Path:
    """The dev sets: $NEWSDESK_DEV_DATA, else ../shared/dev beside the checkout (a user's clone
    has none, and the benchmarks fall back to the bundled demo)."""
    return Path(os.environ.get("NEWSDESK_DEV_DATA") or ROOT.parent / "shared" / "dev")


DEV = dev_dir()
DEMO = ROOT / "bot" / "demo_data"
MODEL = "en_core_web_sm"  # the config default; pipeline.load_model falls back to the packaged copy


def base_articles() -> tuple[list[ArticleDraft], str]:
    """The real news articles the corpus cycles: the dev sets, else the bundled demo."""
    sets = [sorted(DEV.glob("timex/*/articles/*.md")), sorted(DEV.glob("quotes/*/DOC.md"))]
    # Interleave the sets evenly, so any prefix (a small store) has some of each kind of news.
    paths = [path for _, path in sorted(
        ((i + 0.5) / len(group), path) for group in sets for i, path in enumerate(group))]
    label = f"{len(paths)} real articles of {DEV}"
    if not paths:
        paths = sorted(DEMO.glob("*.md"))
        label = f"{len(paths)} demo articles of bot/demo_data (no ../shared/dev here)"
    drafts = [d for p in paths for d in read_file(p)]
    return drafts, label


def corpus(n: int, *, round_offset: int = 0) -> tuple[list[ArticleDraft], str]:
    """n articles cycled from the real ones, each with its own title, date and URL.

    Every cycle after the first moves the date a week on, so dedup and dates see new articles;
    the text itself is unchanged (the NLP work per article is the real work).
    """
    base, label = base_articles()
    drafts = []
    for i in range(n):
        cycle, item = divmod(i, len(base))
        cycle += round_offset
        draft = base[item]
        published = draft.published + timedelta(days=7 * cycle) if draft.published else None
        drafts.append(replace(
            draft,
            title=f"{draft.title} [bench {cycle}.{item}]",
            url=f"https://bench.example/{cycle}/{item}",
            published=published,
        ))
    return drafts, label


def words_in(drafts: Sequence[ArticleDraft]) -> int:
    return sum(len(d.text.split()) for d in drafts)


@contextmanager
def timed() -> Iterator[dict[str, float]]:
    """`with timed() as t: ...` then t["s"] holds the wall-clock seconds."""
    box = {"s": 0.0}
    start = time.perf_counter()
    try:
        yield box
    finally:
        box["s"] = time.perf_counter() - start


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (p99 of 100 samples is the 99th smallest)."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0


def load_average() -> list[float]:
    """The 1, 5 and 15 minute load averages (as `uptime` shows), kept with every round."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def interleave(rounds: int, reference: Callable[[int], Any],
               measurement: Callable[[int], Any], *,
               alternate: bool = False) -> list[dict[str, Any]]:
    """reference, measurement, reference, measurement, ... `rounds` times.

    One figure is not a figure on a shared machine: a burst of load hits one round, and running
    the reference right before each measurement makes the burst hit both alike, so the ratio
    holds even where the absolute times do not. Each round keeps the load average at its end.
    With alternate, odd rounds run the measurement first (A B, B A, A B, ...), so neither side
    always runs second (in a warmer cache, or after the other's garbage).
    """
    done = []
    for number in range(max(1, rounds)):
        first = "measurement" if alternate and number % 2 else "reference"
        if first == "reference":
            ref = reference(number)
            ours = measurement(number)
        else:
            ours = measurement(number)
            ref = reference(number)
        done.append({"round": number + 1, "reference": ref, "measurement": ours,
                     "order": first, "load_average": load_average()})
    return done


def spread(values: Sequence[float]) -> dict[str, float]:
    """min / median / max of one figure over the rounds."""
    values = list(values)
    if not values:
        return {"min": 0.0, "median": 0.0, "max": 0.0}
    return {"min": min(values), "median": median(values), "max": max(values)}


def summarise(rounds: list[dict[str, Any]], figures: dict[str, Callable[[dict[str, Any]], float]],
              meets: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    """Each figure's spread over the rounds, and "met" only if EVERY round meets the target.

    `figures` maps a name to how a round gives it; `meets` judges one round. Each round gets its
    own `meets_target`, so the JSON shows which round missed; the whole is met only when the
    worst round is.
    """
    for entry in rounds:
        entry["meets_target"] = bool(meets(entry))
    return {
        "rounds": len(rounds),
        **{name: spread([figure(entry) for entry in rounds]) for name, figure in figures.items()},
        "meets_target": bool(rounds) and all(entry["meets_target"] for entry in rounds),
    }


def shown(figure: dict[str, float], fmt: str = ".1f") -> str:
    """'12.3 [11.0-14.2]': the median and, in brackets, the min and max over the rounds."""
    return (f"{figure['median']:{fmt}} [{figure['min']:{fmt}}-{figure['max']:{fmt}}]")


def add_rounds(p: argparse.ArgumentParser, *aliases: str) -> None:
    """The shared --rounds flag (at least 3 for a figure worth quoting; 1 for a smoke test)."""
    p.add_argument("--rounds", *aliases, dest="rounds", type=_positive, default=3,
                   help="rounds, each the reference then the measurement (default 3)")


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def rss_mb() -> float:
    """This process's resident memory now, from /proc (no psutil needed)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def run_child(argv: Sequence[str], *, stdin: str = "", timeout_s: float = 900,
              env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run a command to its end: wall time, exit code, output and its own peak RSS.

    The peak comes from wait4's rusage of this very child, so it counts the whole life of the
    process, including spaCy's load, and no sampling can miss a spike.
    """
    with tempfile.TemporaryFile("w+") as inp, tempfile.TemporaryFile("w+") as out, \
            tempfile.TemporaryFile("w+") as err:
        inp.write(stdin)
        inp.seek(0)
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), stdin=inp, stdout=out, stderr=err, text=True,
                                env=env, cwd=ROOT)
        killer = threading.Timer(timeout_s, proc.kill)
        killer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
        wall_s = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {"wall_s": wall_s, "returncode": proc.returncode, "stdout": out.read(),
                "stderr": err.read(), "peak_rss_mb": usage.ru_maxrss / 1024}


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    model_name = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model_name = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import spacy

    return {"nproc": os.cpu_count(), "cpu": model_name or platform.processor(),
            "load_average_at_end": load_average(),
            "python": platform.python_version(), "spacy": spacy.__version__,
            "platform": platform.platform()}


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--results-dir", type=Path, default=RESULTS,
                   help="where the JSON (and cached stores) go (default: bench/results)")
    p.add_argument("--dev-data", type=_use_dev_data, metavar="DIR",
                   help="the dev sets (default: $NEWSDESK_DEV_DATA, else ../shared/dev)")
    return p


def _use_dev_data(value: str) -> Path:
    """--dev-data: every later read of DEV (and child processes) uses this folder."""
    global DEV
    DEV = Path(value)
    os.environ["NEWSDESK_DEV_DATA"] = value
    return DEV


def write_result(name: str, data: dict[str, Any], results_dir: Path = RESULTS) -> Path:
    """Write bench/results/<name>.json with the machine attached; return its path."""
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"{name}.json"
    payload = {"benchmark": name, "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
               "machine": machine(), **data}
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def say(line: str = "") -> None:
    print(line, flush=True)


def python() -> str:
    return sys.executable
