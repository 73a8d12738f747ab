"""One bad article never stops the rest: in this process, in worker processes, and on the
bot's polling path (store_drafts_async); the pool of workers is replaced every N articles."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.ingest.service import Ingestor
from bot.ingest.workers import NlpPool, Work
from bot.models import ArticleDraft
from storage.sqlite_store import SqliteStore
from tests.ingest.articles import article

pytestmark = pytest.mark.slow


class _ImpossibleOffset(timezone.__base__):  # type: ignore[misc, name-defined]
    """A time zone +25:00, as dateutil builds from "2019-04-25T10:00:00+25:00"."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return timedelta(hours=25)

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return "+25:00"


def _good(i: int) -> ArticleDraft:
    a = article(i)
    return ArticleDraft(title=a["title"], text=a["text"], url=a["url"],
                        published=datetime(2024, 3, 1, tzinfo=UTC), source=a["source"])


def _bad() -> dict[str, ArticleDraft]:
    """Articles that broke a whole ingest before: each must fail alone, named by its URL."""
    return {
        "surrogate": ArticleDraft("Lone surrogate", "The mayor said \ud800 it would rain.",
                                  url="https://bad.example/surrogate"),
        "offset": ArticleDraft("Impossible offset", "The council met on Tuesday and agreed.",
                               url="https://bad.example/offset",
                               published=datetime(2019, 4, 25, 10, tzinfo=_ImpossibleOffset())),
    }


def _mixed() -> tuple[list[ArticleDraft], dict[str, ArticleDraft]]:
    bad = _bad()
    drafts = [_good(i) for i in range(6)]
    drafts[2:2] = [bad["surrogate"]]
    drafts[5:5] = [bad["offset"]]
    return drafts, bad


def _check(report, store: SqliteStore, bad: dict[str, ArticleDraft]) -> None:  # noqa: ANN001
    assert len(report.added) == 6, report.failed
    assert store.count_articles() == 6
    assert len(report.failed) == 2
    for draft in bad.values():
        (line,) = [f for f in report.failed if draft.url in f]
        assert "\n" not in line and line.endswith(".")
    assert any("Unicode" in f for f in report.failed)
    assert any("offset" in f for f in report.failed if "bad.example/offset" in f)


def test_in_this_process_bad_articles_are_named_and_the_rest_stored(tmp_path):
    store = SqliteStore(tmp_path / "news.db")
    drafts, bad = _mixed()
    _check(Ingestor(store, "en_core_web_sm").store_drafts(drafts), store, bad)


def test_in_worker_processes_bad_articles_are_named_and_the_rest_stored(tmp_path):
    store = SqliteStore(tmp_path / "news.db")
    ingestor = Ingestor(store, "en_core_web_sm")
    drafts, bad = _mixed()
    try:
        _check(ingestor.store_drafts(drafts, n_process=2), store, bad)
    finally:
        ingestor.close()


def test_the_polling_path_stores_the_good_articles_of_a_batch_with_bad_ones(tmp_path):
    store = SqliteStore(tmp_path / "news.db")
    drafts, bad = _mixed()
    report = asyncio.run(Ingestor(store, "en_core_web_sm").store_drafts_async(drafts))
    _check(report, store, bad)


def test_a_text_over_spacys_limit_is_skipped_alone(tmp_path):
    store = SqliteStore(tmp_path / "news.db")
    huge = ArticleDraft("Endless", "The mayor said it would rain. " * 40_000,
                        url="https://bad.example/huge")
    report = Ingestor(store, "en_core_web_sm").store_drafts([_good(1), huge, _good(2)])
    assert {store.article(i)["url"] for i in report.added} >= {_good(1).url, _good(2).url}
    assert not any("Traceback" in f for f in report.failed)


def test_the_same_article_twice_in_batches_in_flight_is_stored_once(tmp_path):
    store = SqliteStore(tmp_path / "news.db")
    ingestor = Ingestor(store, "en_core_web_sm")
    # 40 articles then the same 40 again: the copies are in later batches that are analysed
    # while the first ones are not stored yet.
    drafts = [_good(i) for i in range(40)] * 2
    try:
        report = ingestor.store_drafts(drafts, n_process=2)
    finally:
        ingestor.close()
    assert len(report.added) == 40 and report.duplicates == 40
    assert store.count_articles() == 40


def test_the_workers_are_replaced_after_their_share_of_articles():
    pool = NlpPool("en_core_web_sm", 1, recycle_articles=3)
    work = [Work(i, article(i)["text"], None) for i in range(3)]
    try:
        first = pool.run(work)
        second = pool.run(work)
    finally:
        pool.close()
    assert all(o.analysis is not None and o.analysis.people for o in first + second)
    assert {o.worker for o in first}.isdisjoint({o.worker for o in second})


def test_workers_started_ahead_analyse_the_first_articles_and_count_none_towards_recycling():
    pool = NlpPool("en_core_web_sm", 2, recycle_articles=2)
    work = [Work(i, article(i)["text"], None) for i in range(3)]
    try:
        assert pool.start() > 0
        started = set(pool._executor._processes) if pool._executor else set()
        assert len(started) == 2 and not pool.due_for_recycling
        first = pool.run(work)  # 3 of the 4 articles the two workers may analyse
    finally:
        pool.close()
    assert all(o.analysis is not None and o.analysis.people for o in first)
    assert {o.worker for o in first} <= started  # the very workers started ahead, none anew
