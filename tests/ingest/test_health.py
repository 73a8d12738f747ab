"""Source health: failing sources back off, hopeless ones are disabled, and both say why."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.errors import FetchError, NotAnArticle
from bot.ingest.health import (
    MAX_INTERVAL_S,
    SourceHealth,
    after_failure,
    after_success,
    describe,
    enabled,
    is_due,
)
from tests.ingest.support import assert_one_sentence

START = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
BASE = 900
FORBIDDEN = FetchError("news.example answered with HTTP 403.", "http_error")


def fail_repeatedly(times: int, every: timedelta, error=FORBIDDEN) -> SourceHealth:  # type: ignore[no-untyped-def]
    state = SourceHealth()
    for n in range(times):
        state = after_failure(state, error, START + n * every, base_interval_s=BASE)
    return state


def test_each_failure_doubles_the_wait_up_to_a_day() -> None:
    intervals = []
    state = SourceHealth()
    for n in range(9):
        state = after_failure(state, FORBIDDEN, START + timedelta(minutes=n), base_interval_s=BASE)
        intervals.append(state.interval_s)
    assert intervals[:4] == [1800, 3600, 7200, 14400]
    assert intervals[-1] == MAX_INTERVAL_S
    assert state.status == "failing"
    assert state.next_poll_at == START + timedelta(minutes=8, seconds=MAX_INTERVAL_S)


def test_ten_quick_failures_do_not_disable_a_source() -> None:
    # Ten failures within an hour can be one bad hour at the site.
    state = fail_repeatedly(12, timedelta(minutes=5))
    assert state.status == "failing"


def test_failures_over_a_week_disable_the_source_with_a_reason() -> None:
    state = fail_repeatedly(11, timedelta(hours=16, minutes=48))
    assert state.status == "disabled" and state.reason == "http_error"
    assert state.next_poll_at is None and not is_due(state, START + timedelta(days=30))
    line = describe(state, 4, START + timedelta(days=8))
    assert line == (
        "news.example answered with HTTP 403; disabled after 11 failures over "
        "7 days; /source enable 4 to retry."
    )
    assert_one_sentence(line)


def test_a_refused_address_is_disabled_after_three_tries() -> None:
    refused = FetchError(
        "newsdesk does not fetch from 10.0.0.1 because it is private.", "not_allowed"
    )
    assert fail_repeatedly(2, timedelta(minutes=15), refused).status == "failing"
    state = fail_repeatedly(3, timedelta(minutes=15), refused)
    assert state.status == "disabled" and state.reason == "not_allowed"


def test_a_page_that_stopped_being_an_article_counts_as_bad_format() -> None:
    gone = NotAnArticle("The page at news.example is not an article (no main text was found).")
    state = fail_repeatedly(3, timedelta(hours=1), gone)
    assert state.status == "disabled" and state.reason == "bad_format"


def test_one_success_clears_the_failures() -> None:
    state = fail_repeatedly(5, timedelta(hours=1))
    now = START + timedelta(hours=6)
    healthy = after_success(state, now, base_interval_s=BASE)
    assert healthy.status == "ok" and healthy.failures == 0 and healthy.reason is None
    assert healthy.next_poll_at == now + timedelta(seconds=BASE)
    assert describe(healthy, 4, now + timedelta(hours=2)) == "OK; last fetched 2 hours ago."


def test_a_failing_source_says_why_and_when_it_is_tried_next() -> None:
    state = fail_repeatedly(3, timedelta(minutes=10))
    line = describe(state, 4, START + timedelta(minutes=30))
    assert line == (
        "news.example answered with HTTP 403; failing for 30 minutes "
        "(3 failures); next try in 1 hour."
    )
    assert_one_sentence(line)


def test_enabling_a_disabled_source_polls_it_at_once() -> None:
    state = fail_repeatedly(3, timedelta(minutes=1), FetchError("x.", "bad_format"))
    now = START + timedelta(days=2)
    again = enabled(state, now, base_interval_s=BASE)
    assert again.status == "ok" and again.failures == 0 and is_due(again, now)


def test_health_survives_a_round_trip_through_json() -> None:
    state = fail_repeatedly(4, timedelta(hours=2))
    assert SourceHealth.from_dict(state.to_dict()) == state


def test_a_reason_code_alone_still_gives_a_message() -> None:
    state = after_failure(SourceHealth(), "timeout", START, base_interval_s=BASE)
    assert state.reason == "timeout" and state.message == "The site did not answer in time."
