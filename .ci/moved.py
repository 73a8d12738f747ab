"""Print the installed packages whose version differs from requirements.lock."""

import re
import sys
from importlib import metadata


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def main(lock_path: str) -> None:
    locked: dict[str, str] = {}
    with open(lock_path, encoding="utf-8") as lock:
        lines = lock.readlines()
    for line in lines:
        m = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^ ;\\]+)", line)
        if m:
            locked.setdefault(_norm(m.group(1)), m.group(2))
    for dist in sorted(metadata.distributions(), key=lambda d: _norm(d.metadata["Name"])):
        name = _norm(dist.metadata["Name"])
        if name in locked and locked[name] != dist.version:
            print(f"  {name} {locked[name]} -> {dist.version}")
        elif name not in locked and name != "newsdesk":
            print(f"  {name} (not in the lock) {dist.version}")


if __name__ == "__main__":
    main(sys.argv[1])
