"""bench.extraction folds the timex scorer's mismatch list into error kinds to study."""

from __future__ import annotations

from bench.extraction import timex_error_kinds

SCORER_LINES = """first 5 mismatches:
  wsj_0001 MATCH    gold['last week' DATE 1989-WXX] sys['last week' DATE 1989-W43]
  wsj_0002 MATCH    gold['last week' DATE 1989-WXX] sys['last week' DATE 1989-W42]
  wsj_0003 MATCH    gold['a month' DURATION P1M] sys['barely a month' DURATION P1M]
  wsj_0004 MISSED   gold['soon' DATE FUTURE_REF]
  wsj_0005 SPURIOUS  sys["52 years" DURATION P52Y]
"""


def test_error_kinds_group_wrong_values_and_skip_extent_only_differences() -> None:
    kinds = timex_error_kinds(SCORER_LINES)
    assert kinds == {
        "wrong     last week  9999-wxx -> 9999-w99": 2,
        "missed    soon  future_ref": 1,
        "spurious  99 years  p99y": 1,
    }
