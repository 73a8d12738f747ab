"""Reading digest schedules, and the /schedule commands of a channel."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import Newsdesk
from bot.config import SchedulerSettings, Settings, StorageSettings
from bot.delivery.schedules import due_slot, next_slot, parse_schedule
from bot.errors import UserError

BERLIN = ZoneInfo("Europe/Berlin")


def _slots(text: str, after: datetime, n: int, zone: str = "UTC") -> list[datetime]:
    trigger = parse_schedule(text, zone).trigger()
    slots: list[datetime] = []
    for _ in range(n):
        slot = next_slot(trigger, after)
        assert slot is not None
        slots.append(slot)
        after = slot
    return slots


def test_daily_is_the_same_local_time_every_day_in_the_given_zone() -> None:
    slots = _slots("daily 08:00 Europe/Berlin", datetime(2024, 3, 29, 12, tzinfo=UTC), 4)
    assert [s.astimezone(BERLIN).strftime("%m-%d %H:%M") for s in slots] == [
        "03-30 08:00", "03-31 08:00", "04-01 08:00", "04-02 08:00"]
    # Summer time starts on 31 March: the same 08:00 is an hour earlier in UTC.
    assert [s.astimezone(UTC).hour for s in slots] == [7, 6, 6, 6]


def test_weekdays_skip_the_weekend() -> None:
    slots = _slots("weekdays 7:30", datetime(2024, 3, 29, 12, tzinfo=UTC), 3)  # a Friday
    assert [s.strftime("%a %H:%M") for s in slots] == ["Mon 07:30", "Tue 07:30", "Wed 07:30"]


def test_every_six_hours_keeps_to_the_clock_across_a_dst_change() -> None:
    slots = _slots("every 6h Europe/Berlin", datetime(2024, 3, 30, 19, tzinfo=UTC), 6)
    assert [s.astimezone(BERLIN).hour for s in slots] == [0, 6, 12, 18, 0, 6]


def test_cron_weekday_numbers_count_from_sunday_as_cron_does() -> None:
    sunday = _slots("0 8 * * 0", datetime(2024, 3, 27, tzinfo=UTC), 1)[0]
    assert sunday.strftime("%A") == "Sunday"
    workdays = _slots("30 7 * * 1-5", datetime(2024, 3, 29, 12, tzinfo=UTC), 2)
    assert [s.strftime("%a") for s in workdays] == ["Mon", "Tue"]


def test_a_missing_time_zone_is_the_default_one() -> None:
    assert parse_schedule("daily 08:00", "America/New_York").timezone == "America/New_York"
    assert parse_schedule("daily 08:00 Asia/Tokyo", "UTC").timezone == "Asia/Tokyo"


def test_always_asks_for_a_line_on_quiet_days() -> None:
    assert parse_schedule("daily 08:00 Europe/Berlin always", "UTC").say_no_news
    assert not parse_schedule("daily 08:00", "UTC").say_no_news


@pytest.mark.parametrize(("text", "says"), [
    ("fortnightly", "can't read"),
    ("daily 25:00", "HH:MM"),
    ("daily", "HH:MM"),
    ("every 2 fortnights", "every 6h"),
    ("every 1m", "between 5 minutes"),
    ("61 * * * *", "not a valid cron"),
    ("0 8 * * 9", "weekday field"),
    ("* * * * *", "at most every 5 minutes"),
    ("0 0 30 2 *", "never comes round"),
    ("daily 08:00 Mars/Olympus", "Unknown time zone"),
    # Too often somewhere in the period, though four sampled slots look fine.
    ("0,5,10,15,20,21,22,23,24 * * * *", "at most every 5 minutes"),
    ("0,59 0,23 * * *", "at most every 5 minutes"),  # 23:59, then 00:00 the next day
    ("0,58 0,23 * * 1,2", "at most every 5 minutes"),  # Monday 23:58, Tuesday 00:00
    # The time zone is what is wrong, not the time.
    ("daily 08:00 ../../etc", "Unknown time zone '../../etc'"),
    ("0 8 * * 1 ../../etc", "Unknown time zone"),
    ("weekdays 07:30 Europe", "Unknown time zone 'Europe'"),
])
def test_a_bad_schedule_is_refused_in_one_sentence(text: str, says: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_schedule(text, "UTC")
    message = str(caught.value)
    assert says in message
    assert "\n" not in message and "Traceback" not in message


@pytest.mark.parametrize("text", ["0,58 0,23 * * 1,3", "0,30 8 * * *", "*/5 * * * *",
                                  "0 0 29 2 *"])
def test_a_schedule_never_closer_than_five_minutes_is_accepted(text: str) -> None:
    assert parse_schedule(text, "UTC").spec == "cron " + text


def test_day_of_month_and_weekday_together_mean_either_as_in_cron() -> None:
    slots = _slots("0 8 1 * 1", datetime(2024, 4, 30, tzinfo=UTC), 5)  # May 1st is a Wednesday

    assert [s.strftime("%a %d") for s in slots] == [
        "Wed 01", "Mon 06", "Mon 13", "Mon 20", "Mon 27"]


def test_weekday_alone_or_date_alone_keep_their_meaning() -> None:
    mondays = _slots("0 8 * * 1", datetime(2024, 4, 30, tzinfo=UTC), 2)
    firsts = _slots("0 8 1 * *", datetime(2024, 4, 30, tzinfo=UTC), 2)

    assert [s.strftime("%a %d") for s in mondays] == ["Mon 06", "Mon 13"]
    assert [s.strftime("%m-%d") for s in firsts] == ["05-01", "06-01"]


def test_an_impossible_date_with_a_weekday_still_fires_on_that_weekday() -> None:
    [slot] = _slots("0 0 31 2 1", datetime(2024, 4, 1, tzinfo=UTC), 1)

    assert slot.strftime("%Y-%m-%d %a") == "2025-02-03 Mon"


def test_missed_slots_coalesce_into_the_latest_one() -> None:
    trigger = parse_schedule("every 1h", "UTC").trigger()
    last = datetime(2024, 5, 1, 6, tzinfo=UTC)
    assert due_slot(trigger, last, last + timedelta(minutes=59)) is None
    assert due_slot(trigger, last, datetime(2024, 5, 3, 9, 30, tzinfo=UTC)) == \
        datetime(2024, 5, 3, 9, tzinfo=UTC)


# ------------------------------------------------------------------ the commands


@pytest.fixture
def bot(tmp_path: Path) -> Iterator[Newsdesk]:
    settings = Settings(storage=StorageSettings(path=str(tmp_path / "bot.db")),
                        scheduler=SchedulerSettings(timezone="Europe/Berlin"))
    desk = Newsdesk(settings)
    desk.outbox.clock = lambda: datetime(2024, 3, 29, 12, tzinfo=UTC)
    yield desk
    desk.close()


async def test_schedule_digest_says_when_the_next_one_comes(bot: Newsdesk) -> None:
    reply = await bot.ask("/schedule digest daily 08:00", platform="slack", channel="C1")
    assert not reply.error
    assert "daily 08:00 (Europe/Berlin)" in reply.title
    assert "Sat 2024-03-30 08:00 CET" in reply.title
    shown = await bot.ask("/schedule show", platform="slack", channel="C1")
    assert any("daily 08:00" in item.text for item in shown.items)


async def test_each_channel_has_its_own_schedule(bot: Newsdesk) -> None:
    await bot.ask("/schedule digest weekdays 07:30", platform="slack", channel="C1")
    other = await bot.ask("/schedule show", platform="slack", channel="C2")
    assert "No digest schedule" in other.title
    same_id_elsewhere = await bot.ask("/schedule show", platform="discord", channel="C1")
    assert "No digest schedule" in same_id_elsewhere.title


async def test_schedule_off_stops_it(bot: Newsdesk) -> None:
    await bot.ask("/schedule digest every 6h", platform="slack", channel="C1")
    assert "removed" in (await bot.ask("/schedule off", platform="slack", channel="C1")).title
    assert "No digest schedule" in (await bot.ask("/schedule show", platform="slack",
                                                  channel="C1")).title
    again = await bot.ask("/schedule off", platform="slack", channel="C1")
    assert "no digest schedule" in again.title


async def test_a_bad_schedule_command_changes_nothing(bot: Newsdesk) -> None:
    reply = await bot.ask("/schedule digest twice a day", platform="slack", channel="C1")
    assert reply.error and "can't read" in reply.title
    assert bot.outbox.store.schedule("slack", "C1") is None


async def test_only_admins_schedule_digests(bot: Newsdesk) -> None:
    reply = await bot.ask("/schedule digest daily 08:00", is_admin=False, platform="slack",
                          channel="C1")
    assert reply.error and "admins" in reply.title
