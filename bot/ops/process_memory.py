"""Resident memory of this process and its descendants (the NLP workers), read from /proc."""

from __future__ import annotations

from pathlib import Path

PROC = Path("/proc")


def children_by_parent() -> dict[int, list[int]]:
    """Every process's children, by parent pid (empty where there is no /proc)."""
    tree: dict[int, list[int]] = {}
    try:
        entries = list(PROC.iterdir())
    except OSError:
        return tree
    for entry in entries:
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_bytes()
            except OSError:
                continue  # it ended while we looked
            # "pid (name) state ppid ...": a name may hold spaces and ")": split after the last.
            ppid = int(stat.rpartition(b")")[2].split()[1])
            tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def tree_rss_bytes(root: int) -> int | None:
    """RSS of a process and all its descendants in bytes; None where /proc cannot tell."""
    tree, total, todo, seen = children_by_parent(), 0, [root], False
    while todo:
        pid = todo.pop()
        todo.extend(tree.get(pid, []))
        try:
            for line in (PROC / str(pid) / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
                    seen = True
        except OSError:
            continue
    return total if seen else None
