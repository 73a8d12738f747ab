"""The store's transaction port: one write transaction, savepoints that fail alone."""

from __future__ import annotations

import pytest


def _titles(store) -> list[str]:  # type: ignore[no-untyped-def]
    return [s["title"] for s in store._rows("select title from stories order by id")]


def test_a_failing_savepoint_undoes_its_own_writes_only(store):  # type: ignore[no-untyped-def]
    with store.transaction() as transaction:
        store.new_story("kept before", "2024-01-01")
        with pytest.raises(RuntimeError), transaction.savepoint():
            store.new_story("undone", "2024-01-01")
            raise RuntimeError("this article cannot be stored")
        with transaction.savepoint():
            store.new_story("kept after", "2024-01-01")
    assert _titles(store) == ["kept before", "kept after"]


def test_an_error_outside_any_savepoint_rolls_the_whole_transaction_back(store):  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError), store.transaction() as transaction:
        store.new_story("first", "2024-01-01")
        with transaction.savepoint():
            store.new_story("second", "2024-01-01")
        raise RuntimeError("the batch failed")
    assert _titles(store) == []
