"""The person-merge bench scores pairs of labelled mentions the way its README says."""

from __future__ import annotations

from bench.people_merge import score


def test_a_wrong_merge_costs_precision_and_a_missed_spelling_costs_recall() -> None:
    gold = [{"person": "King Hussein", "written": [{"doc": "a", "form": "Hussein"}]},
            {"person": "Saddam Hussein", "written": [{"doc": "b", "form": "Saddam Hussein"},
                                                     {"doc": "c", "form": "Saddam"}]}]
    merged_all = score(gold, {("a", "hussein"): 1, ("b", "saddamhussein"): 1, ("c", "saddam"): 1})
    assert merged_all["precision"] == 1 / 3 and merged_all["recall"] == 1.0
    apart = score(gold, {("a", "hussein"): 1, ("b", "saddamhussein"): 2, ("c", "saddam"): 3})
    assert apart["precision"] == 1.0 and apart["spelling_recall"] == 0.0
    right = score(gold, {("a", "hussein"): 1, ("b", "saddamhussein"): 2, ("c", "saddam"): 2})
    assert right["precision"] == right["recall"] == right["spelling_recall"] == 1.0
    assert right["wrong_merges"] == []
