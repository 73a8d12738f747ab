"""Scheduled digests with a controllable clock: once per slot, DST, restarts, job wiring."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import Newsdesk
from bot.config import Settings, StorageSettings
from bot.delivery.digest import run_due
from bot.delivery.outbox import Sender
from bot.delivery.scheduler import Scheduler
from bot.models import ArticleDraft

BERLIN = ZoneInfo("Europe/Berlin")
NEWS = (
    "The tram line to Fennick Park reopened on {day} after a month of track repairs, the "
    "transport office said. Operations chief Lior Vantongeren said trams would run every "
    "eight minutes at peak times. Riders had taken replacement buses since the start of the "
    "month. The office said the works came in under budget."
)


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


class Chat:
    platform = "slack"

    def __init__(self) -> None:
        self.titles: list[str] = []

    async def post(self, channel: str, reply, *, nonce: str) -> str | None:  # type: ignore[no-untyped-def]
        self.titles.append(reply.title)
        return str(len(self.titles))

    async def edit(self, channel: str, message_id: str, reply) -> None:  # type: ignore[no-untyped-def]
        raise AssertionError("digests are never edited")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "news.db"


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2024, 3, 28, 12, tzinfo=UTC))


def open_bot(db_path: Path, clock: Clock) -> Newsdesk:
    desk = Newsdesk(Settings(storage=StorageSettings(path=str(db_path))))
    desk.outbox.clock = clock
    return desk


@pytest.fixture
def bot(db_path: Path, clock: Clock) -> Iterator[Newsdesk]:
    desk = open_bot(db_path, clock)
    yield desk
    desk.close()


def digest_times(bot: Newsdesk) -> list[datetime]:
    return [datetime.fromisoformat(p["created_at"]) for p in bot.outbox.store.posts("digest")]


async def test_a_daily_digest_comes_once_a_day_at_local_time_across_the_dst_change(
    bot: Newsdesk, clock: Clock,
) -> None:
    await bot.ask("/schedule digest daily 08:00 Europe/Berlin always", platform="slack",
                  channel="C1")
    # Look every 20 minutes for five days, as a running bot's checks would.
    while clock.at < datetime(2024, 4, 2, 12, tzinfo=UTC):
        clock.at += timedelta(minutes=20)
        run_due(bot.store, bot.outbox)
    local = [t.astimezone(BERLIN) for t in digest_times(bot)]
    assert [t.strftime("%m-%d %H:%M") for t in local] == [
        "03-29 08:00", "03-30 08:00", "03-31 08:00", "04-01 08:00", "04-02 08:00"]
    assert [t.astimezone(UTC).hour for t in local] == [7, 7, 6, 6, 6]


async def test_a_slot_missed_while_down_is_posted_once_at_restart(
    db_path: Path, clock: Clock,
) -> None:
    bot = open_bot(db_path, clock)
    await bot.ask("/schedule digest daily 08:00 UTC", platform="slack", channel="C1")
    bot.ingestor.store_drafts([ArticleDraft("Trams back to Fennick Park",
                                            NEWS.format(day="Thursday"), source="Metro Desk",
                                            url="https://metro.example/trams")])
    bot.close()

    clock.at = datetime(2024, 3, 31, 19, tzinfo=UTC)  # three slots went by while down
    bot = open_bot(db_path, clock)
    chat = Chat()
    scheduler = Scheduler(bot.store, bot.outbox)
    assert len(scheduler.catch_up()) == 1
    assert scheduler.catch_up() == []
    await Sender(bot.outbox, {"slack": chat}).deliver_pending()
    assert chat.titles == ["Digest: 1 new story"]
    bot.close()

    bot = open_bot(db_path, clock)  # and another restart the same evening: nothing again
    assert Scheduler(bot.store, bot.outbox).catch_up() == []
    bot.close()


async def test_after_a_late_digest_the_next_one_keeps_its_own_slot(
    bot: Newsdesk, clock: Clock,
) -> None:
    await bot.ask("/schedule digest every 6h UTC always", platform="slack", channel="C1")
    clock.at = datetime(2024, 3, 29, 13, tzinfo=UTC)
    run_due(bot.store, bot.outbox)
    clock.at = datetime(2024, 3, 29, 17, 59, tzinfo=UTC)
    run_due(bot.store, bot.outbox)
    clock.at = datetime(2024, 3, 29, 18, 0, 1, tzinfo=UTC)
    run_due(bot.store, bot.outbox)
    # The 12:00 digest went out late (13:00); the next is still at 18:00, not 19:00.
    assert [t.hour for t in digest_times(bot)] == [13, 18]


async def test_jobs_are_built_from_the_store_at_start_and_on_every_change(
    bot: Newsdesk, clock: Clock,
) -> None:
    await bot.ask("/schedule digest daily 08:00 Europe/Berlin", platform="slack", channel="C1")
    scheduler = Scheduler(bot.store, bot.outbox)
    scheduler.start()
    try:
        jobs = scheduler.digest_jobs()
        assert list(jobs) == [("slack", "C1")]
        next_run = jobs[("slack", "C1")]
        assert next_run is not None
        assert next_run.astimezone(BERLIN).strftime("%H:%M") == "08:00"

        await bot.ask("/schedule digest weekdays 07:30 Europe/Berlin", platform="slack",
                      channel="C1")
        await bot.ask("/schedule digest every 6h", platform="discord", channel="D1")
        jobs = scheduler.digest_jobs()
        assert set(jobs) == {("slack", "C1"), ("discord", "D1")}
        assert jobs[("slack", "C1")].astimezone(BERLIN).strftime("%H:%M") == "07:30"  # type: ignore[union-attr]

        await bot.ask("/schedule off", platform="slack", channel="C1")
        assert set(scheduler.digest_jobs()) == {("discord", "D1")}
    finally:
        scheduler.shutdown()


async def test_a_schedule_set_by_another_process_is_picked_up(
    db_path: Path, bot: Newsdesk, clock: Clock,
) -> None:
    scheduler = Scheduler(bot.store, bot.outbox)
    scheduler.start()
    try:
        other = open_bot(db_path, clock)  # e.g. `newsdesk ask "/schedule digest ..."`
        await other.ask("/schedule digest daily 06:00", platform="slack", channel="C9")
        other.close()
        assert scheduler.digest_jobs() == {}
        await scheduler._watch()
        assert list(scheduler.digest_jobs()) == [("slack", "C9")]
    finally:
        scheduler.shutdown()


async def test_interval_jobs_such_as_polling_run_on_the_same_scheduler(bot: Newsdesk) -> None:
    ran = asyncio.Event()

    async def poll() -> None:
        ran.set()

    scheduler = Scheduler(bot.store, bot.outbox)
    scheduler.start()
    try:
        scheduler.add_interval_job("poll", 900, poll, run_now=True)
        await asyncio.wait_for(ran.wait(), timeout=10)
        job = scheduler.aps.get_job("poll")
        assert job is not None and job.trigger.interval == timedelta(seconds=900)
    finally:
        scheduler.shutdown()
