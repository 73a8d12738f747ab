"""Several processes over one PostgreSQL store: each post delivered by one, each decision once."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import UTC, datetime

from bot.app import Newsdesk
from bot.config import Settings, StorageSettings
from bot.delivery.digest import run_due
from bot.delivery.outbox import Sender
from bot.ingest.files import read_file
from storage.backend import channel_store, open_configured
from tests.conftest import DEMO_DIR
from tests.delivery.test_alerts import RecordingChat
from tests.sources.test_sources import site  # noqa: F401 - a feed server on 127.0.0.1

NOW = "2031-05-08T09:00:00+00:00"
FILES = ("2019-04-26-kim-concludes-russia-trip.md", "2019-04-27-kim-returns-home.md")


def _enqueue(channels, n: int) -> None:  # type: ignore[no-untyped-def]
    for i in range(n):
        channels.enqueue(platform="slack", channel="C1", kind="notice", payload="{}",
                         nonce=f"n{i}", created_at=NOW)


def test_two_processes_never_claim_the_same_post_while_its_holder_lives(pg_url: str) -> None:
    first, second = open_configured(pg_url), open_configured(pg_url)
    a, b = channel_store(first), channel_store(second)
    try:
        _enqueue(a, 10)
        mine = [r["id"] for r in a.claim_pending(NOW, limit=4)]
        theirs = [r["id"] for r in b.claim_pending(NOW, limit=50)]
        assert len(mine) == 4 and len(theirs) == 6 and not set(mine) & set(theirs)
        assert [r["id"] for r in a.claim_pending(NOW)] == mine, "its own claims stay its own"
        assert len(b.pending(NOW)) == 10, "pending() only reads (for /healthz)"
        a.mark_sent(mine[0], NOW, "m1")
        a.mark_failed(mine[1], "429", retry_at=NOW, gave_up_at=None)
        assert [r["id"] for r in b.claim_pending(NOW)] == sorted([mine[1], *theirs]), \
            "a failed post's retry is anyone's; a sent one is no one's"
        # However long the holder takes, its posts stay its own; once it dies they are free.
        later = "2031-05-09T09:00:00+00:00"
        assert [r["id"] for r in b.claim_pending(later)] == sorted([mine[1], *theirs])
        first.close()
        # The server frees a closed session's locks when its backend process ends, which
        # can be a moment after the client has closed: wait for it as a live process would.
        expected, deadline = sorted([*mine[1:], *theirs]), time.monotonic() + 10
        while (freed := [r["id"] for r in b.claim_pending(later)]) != expected \
                and time.monotonic() < deadline:
            time.sleep(0.05)
        assert freed == expected
    finally:
        first.close()
        second.close()


def test_concurrent_claims_hand_each_post_out_once(pg_url: str) -> None:
    setup = open_configured(pg_url)
    _enqueue(channel_store(setup), 60)
    setup.close()
    taken: list[list[int]] = [[] for _ in range(3)]

    def worker(slot: int) -> None:
        store = open_configured(pg_url)
        channels = channel_store(store)
        try:
            while rows := channels.claim_pending(NOW, limit=3):
                for row in rows:
                    taken[slot].append(row["id"])
                    channels.mark_sent(row["id"], NOW, None)
        finally:
            store.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    everything = [i for ids in taken for i in ids]
    assert sorted(everything) == list(range(1, 61)), "every post once, none twice"


def _desk(pg_url: str) -> Newsdesk:
    desk = Newsdesk(Settings(storage=StorageSettings(url=pg_url)))
    desk.outbox.clock = lambda: datetime(2031, 5, 8, 9, tzinfo=UTC)
    return desk


async def test_two_processes_post_an_alert_and_a_digest_slot_once(pg_url: str) -> None:
    one, two = _desk(pg_url), _desk(pg_url)
    try:
        await one.ask("/alert add Kim Jong-un", platform="slack", channel="C1")
        await one.ask("/schedule digest every 6h", platform="slack", channel="C1")
        one.outbox.clock = two.outbox.clock = lambda: datetime(2031, 5, 9, 9, tzinfo=UTC)
        for name in FILES:
            one.ingestor.store_drafts(read_file(DEMO_DIR / name))
        # Both processes decide: alerts after the ingest, the due digest slot.
        for desk in (one, two, one):
            desk.after_ingest([])
            run_due(desk.store, desk.outbox)
        chat = RecordingChat()
        await asyncio.gather(Sender(one.outbox, {"slack": chat}).deliver_pending(),
                             Sender(two.outbox, {"slack": chat}).deliver_pending())
        titles = sorted(t for _, _, t in chat.posts)
        assert len([t for t in titles if t.startswith("Alert")]) == 1, titles
        assert len([t for t in titles if "igest" in t]) == 1, titles
        assert len({nonce for _, nonce, _ in chat.posts}) == len(chat.posts)
    finally:
        one.close()
        two.close()


async def test_two_processes_poll_each_due_source_once(pg_url: str, site) -> None:  # type: ignore[no-untyped-def]  # noqa: F811, E501
    from datetime import timedelta

    from bot.config import FetchSettings
    from bot.ingest.polite import HostLimiter

    def desk() -> Newsdesk:
        bot = Newsdesk(Settings(storage=StorageSettings(url=pg_url),
                                fetch=FetchSettings(timeout_s=5, allow_private_networks=True)))
        bot.sources.limiter = HostLimiter(min_delay_s=0.01)
        return bot

    one, two = desk(), desk()
    try:
        for feed in ("feed.xml", "shared.xml"):
            one.sources.table.add(f"{site.base}/{feed}", feed, "feed")
        later = datetime.now(UTC) + timedelta(hours=2)
        reports = await asyncio.gather(one.sources.poll_due(later), two.sources.poll_due(later))
        assert sum(r.polled for r in reports) == 2, "each source polled by one process"
        assert one.store.count_articles() == 2
        # A live holder keeps its lease however long its poll takes (no clock lapses it);
        # released, the source is anyone's.
        assert one.sources.table.lease(1, later.isoformat(), 900)
        assert one.sources.table.lease(1, later.isoformat(), 900), "its own lease stays its own"
        much_later = (later + timedelta(hours=5)).isoformat()
        assert not two.sources.table.lease(1, much_later, 900)
        one.sources.table.release(1)
        assert two.sources.table.lease(1, much_later, 900)
        assert not one.sources.table.lease(1, much_later, 900)
    finally:
        one.close()
        two.close()


_HOLDER = """
import sys, time
from storage.backend import open_configured, source_table
table = source_table(open_configured(sys.argv[1]))
assert table.lease(int(sys.argv[2]), "2031-05-08T09:00:00+00:00", 900)
print("leased", flush=True)
time.sleep(600)
"""


def test_a_poll_lease_goes_with_a_killed_holder(pg_url: str) -> None:
    import subprocess
    import sys
    import time

    from storage.backend import source_table
    from tests.test_restarts import ROOT

    store = open_configured(pg_url)
    table = source_table(store)
    try:
        source_id = table.add("https://feeds.example/rss", "Example", "feed")
        holder = subprocess.Popen([sys.executable, "-c", _HOLDER, pg_url, str(source_id)],
                                  cwd=ROOT, stdout=subprocess.PIPE, text=True)
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "leased"
            assert not table.lease(source_id, "2031-05-09T09:00:00+00:00", 900)
        finally:
            holder.kill()  # SIGKILL: no release, no goodbye to the server
            holder.communicate(timeout=30)
        deadline = time.monotonic() + 30  # the server notices the closed socket
        while not table.lease(source_id, NOW, 900):
            assert time.monotonic() < deadline, "a dead holder's lease was never freed"
            time.sleep(0.05)
    finally:
        store.close()
