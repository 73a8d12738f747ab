"""Print an analysis bench.extraction computed earlier: `python -m bench.cached_output DIR FILE`."""

import sys
from pathlib import Path

if __name__ == "__main__":
    cache, doc = Path(sys.argv[1]), Path(sys.argv[2])
    sys.stdout.write((cache / f"{doc.stem}.json").read_text(encoding="utf-8"))
