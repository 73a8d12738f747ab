"""The start-up freeze of the collector: start-up objects frozen, later garbage still collected."""

from __future__ import annotations

import gc
import weakref

from bot.ops.heap import YOUNG_THRESHOLD, freeze_startup_heap


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def test_freeze_keeps_startup_objects_out_of_collections_and_still_collects_later_cycles():
    threshold = gc.get_threshold()
    try:
        startup = _Node()
        frozen = freeze_startup_heap()
        assert frozen > 0 and gc.get_freeze_count() == frozen
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD
        assert all(o is not startup for o in gc.get_objects())  # out of every generation
        # A cycle made after start-up (a reply's rows, say) is still freed by the collector:
        # a long run does not keep its garbage.
        a, b = _Node(), _Node()
        a.other, b.other = b, a
        gone = weakref.ref(a)
        del a, b
        gc.collect()
        assert gone() is None
    finally:
        gc.unfreeze()  # the test process goes on as before
        gc.set_threshold(*threshold)
