"""The bot's memory as /metrics reports it counts its NLP worker processes too."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.ops.process_memory import tree_rss_bytes

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")


def _rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def test_a_child_holding_memory_counts_in_the_tree_and_not_in_its_parent() -> None:
    # A child (and its own child, as the forkserver's workers are grandchildren) each touch
    # 60 MB, then wait for us to read.
    hold = ("import sys; b = bytearray(60 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096]); "
            "sys.stdin.read()")
    script = (f"import subprocess, sys; c = subprocess.Popen([sys.executable, '-c', {hold!r}], "
              f"stdin=subprocess.PIPE); {hold}; c.communicate(b'')")
    child = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        before = _rss(child.pid)
        for _ in range(200):  # until both have touched their memory
            total = tree_rss_bytes(child.pid) or 0
            if total - _rss(child.pid) > 55e6 and _rss(child.pid) > 55e6:
                break
            time.sleep(0.05)
        assert _rss(child.pid) > 55e6, before
        assert total - _rss(child.pid) > 55e6, "the grandchild's memory is not counted"
        assert (tree_rss_bytes(child.pid) or 0) >= total - 10e6
    finally:
        child.communicate("\n")


def test_a_process_that_is_gone_gives_no_figure() -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    assert tree_rss_bytes(int(gone.stdout)) is None
