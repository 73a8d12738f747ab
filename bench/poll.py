"""Poll cycle: 2,000 feeds on local servers, most answering 304, some changed; a few cycles.

    python -m bench.poll [--feeds 2000] [--rounds 3] [--changed 0.02] [--feeds-per-host 10]

The feeds are served by a separate process on 127.0.0.1-127.0.0.N (one address per site, so
per-host politeness behaves as with real sites). Each feed carries --items items with real
article text; before each cycle a --changed share of feeds gains one new item (a new ETag), the
rest answer 304 to the poller's If-None-Match. The bot starts primed, as after earlier polls:
each source has its ETag and its current items are already stored. A cycle is one
`Sources.poll_due` (fetch, parse, analyse and store the new items, record health); where the
poller is missing it is the safe fetcher plus the feed parser, with the same concurrency. The
reference is the same GETs (same validators, same concurrency) with bare aiohttp, run right
before each cycle; a round is one cycle (--cycles is the old name of --rounds).
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import socket
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bench.common import (
    MODEL,
    add_rounds,
    base_articles,
    interleave,
    parser,
    rss_mb,
    say,
    shown,
    summarise,
    timed,
    write_result,
)
from bot.config import FetchSettings
from bot.ingest.urls import canonical_url

TARGET_S = 20.0
CONCURRENCY = 32  # the poller's POLL_CONCURRENCY; the fallback and the reference use it too


class FeedFarm:
    """The feeds' state: a version per feed; a feed's items are its latest `items` versions."""

    def __init__(self, feeds: int, hosts: int, items: int, changed: float, port: int) -> None:
        self.feeds, self.hosts, self.items, self.changed, self.port = (
            feeds, hosts, items, changed, port)
        self.versions = [items] * feeds
        self.cycle = 0
        self.texts = [d.text for d in base_articles()[0]]

    def host(self, feed: int) -> str:
        return f"127.0.0.{1 + feed % self.hosts}"

    def url(self, feed: int) -> str:
        return f"http://{self.host(feed)}:{self.port}/feeds/{feed}.xml"

    def etag(self, feed: int) -> str:
        return f'"{feed}-{self.versions[feed]}"'

    def item_url(self, feed: int, version: int) -> str:
        return f"http://{self.host(feed)}:{self.port}/feeds/{feed}/items/{version}"

    def next_cycle(self) -> int:
        """Give a share of the feeds, a different one each cycle, one new item each."""
        self.cycle += 1
        step = max(1, round(1 / self.changed)) if self.changed > 0 else 0
        bumped = 0
        if step:
            for feed in range(self.cycle % step, self.feeds, step):
                self.versions[feed] += 1
                bumped += 1
        return bumped

    def body(self, feed: int) -> bytes:
        latest = self.versions[feed]
        published = datetime(2024, 1, 1, tzinfo=UTC)
        items = []
        for version in range(latest, max(0, latest - self.items), -1):
            text = self.texts[(feed * 7 + version) % len(self.texts)]
            paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n") if p.strip())
            items.append(
                f"<item><title>Feed {feed} story {version}</title>"
                f"<link>{self.item_url(feed, version)}</link>"
                f"<guid>{self.item_url(feed, version)}</guid>"
                f"<pubDate>{format_datetime(published + timedelta(hours=version))}</pubDate>"
                f"<content:encoded><![CDATA[{paragraphs}]]></content:encoded></item>")
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            f"<title>Bench feed {feed}</title><link>http://{self.host(feed)}/</link>"
            f"<description>bench</description>{''.join(items)}</channel></rss>").encode()


def _serve(farm: FeedFarm, ready: Any) -> None:
    """The feed server process: GET a feed (304 on a matching ETag), POST /next-cycle."""

    async def feed(request: web.Request) -> web.Response:
        number = int(request.match_info["n"])
        if not 0 <= number < farm.feeds:
            raise web.HTTPNotFound()
        tag = farm.etag(number)
        if request.headers.get("If-None-Match") == tag:
            return web.Response(status=304, headers={"ETag": tag})
        return web.Response(body=farm.body(number), content_type="application/rss+xml",
                            headers={"ETag": tag})

    async def next_cycle(request: web.Request) -> web.Response:
        return web.json_response({"changed": farm.next_cycle()})

    async def main() -> None:
        app = web.Application()
        app.router.add_get("/feeds/{n}.xml", feed)
        app.router.add_post("/next-cycle", next_cycle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        for host in range(farm.hosts):
            await web.TCPSite(runner, f"127.0.0.{1 + host}", farm.port, backlog=1024).start()
        ready.set()
        await asyncio.Event().wait()

    asyncio.run(main())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _next_cycle(farm: FeedFarm) -> int:
    async with aiohttp.ClientSession() as session, session.post(
            f"http://127.0.0.1:{farm.port}/next-cycle") as resp:
        return int((await resp.json())["changed"])


async def bare_gets(urls: Sequence[str], etags: dict[str, str]) -> tuple[float, dict[int, int]]:
    """The reference: the same conditional GETs with plain aiohttp and the same concurrency."""
    gate = asyncio.Semaphore(CONCURRENCY)
    statuses: dict[int, int] = {}
    async with aiohttp.ClientSession() as session:
        async def one(url: str) -> None:
            async with gate, session.get(url, headers={"If-None-Match": etags[url]}) as resp:
                await resp.read()
                statuses[resp.status] = statuses.get(resp.status, 0) + 1

        with timed() as t:
            await asyncio.gather(*(one(u) for u in urls))
    return t["s"], statuses


class _Bot:
    """The poller under test: bot.sources.Sources, else the safe fetcher and feed parser."""

    def __init__(self, farm: FeedFarm, workdir: Path) -> None:
        from bot.ingest.service import Ingestor
        from storage.sqlite_store import SqliteStore

        self.farm = farm
        self.settings = FetchSettings(allow_networks=("127.0.0.0/24",))
        self.store = SqliteStore(workdir / "poll.db")
        self.ingestor = Ingestor(self.store, MODEL)
        self.etags: dict[str, str] = {}
        try:
            import inspect

            from bot.sources import Sources
            from storage.sqlite_store import SourceTable

            # The poller's constructor has taken the source registry since it was split out.
            if "registry" in inspect.signature(Sources).parameters:
                self.sources: Any = Sources(self.store, SourceTable(self.store), self.ingestor,
                                            self.settings)
            else:
                self.sources = Sources(self.store, self.ingestor, self.settings)
            self.mode = "bot.sources.Sources.poll_due"
        except ImportError:
            self.sources = None
            self.mode = "bot.ingest.fetch.fetch + parse_feed (no poller yet)"
        self.now = datetime.now(UTC)

    def prime(self) -> None:
        """The state after earlier polls: ETags known, current items stored (no NLP needed)."""
        farm, db = self.farm, self.store.db
        rows = []
        for feed in range(farm.feeds):
            for version in range(farm.versions[feed], farm.versions[feed] - farm.items, -1):
                url = canonical_url(farm.item_url(feed, version))
                rows.append({"url": url, "canonical_url": url, "title": f"primed {url}",
                             "content_hash": f"primed-{feed}-{version}", "text": "primed",
                             "summary_only": 0})
        with self.store.transaction():
            db["articles"].insert_all(rows, batch_size=500)
        if self.sources is not None:
            table = self.sources.table
            for feed in range(farm.feeds):
                source_id = table.add(farm.url(feed), f"Bench feed {feed}", "feed")
                table.update(source_id, etag=farm.etag(feed))
        self.etags = {farm.url(f): farm.etag(f) for f in range(farm.feeds)}

    async def poll(self) -> dict[str, Any]:
        if self.sources is not None:
            # Each cycle is a poll interval later, so every source is due again.
            self.now += timedelta(seconds=self.settings.poll_interval_s + 60)
            before = self.store.count_articles()
            report = await self.sources.poll_due(self.now)
            return {"polled": report.polled, "unchanged": report.unchanged,
                    "failed": report.failed,
                    "new_articles": self.store.count_articles() - before}
        return await self._fetch_and_parse()

    async def _fetch_and_parse(self) -> dict[str, Any]:
        from bot.ingest.feeds import parse_feed
        from bot.ingest.fetch import fetch, make_session

        gate = asyncio.Semaphore(CONCURRENCY)
        counts = {"polled": 0, "unchanged": 0, "failed": 0, "new_items": 0}
        session = make_session(self.settings)
        try:
            async def one(url: str) -> None:
                async with gate:
                    try:
                        got = await fetch(url, self.settings, etag=self.etags[url],
                                          session=session)
                    except Exception:
                        counts["failed"] += 1
                        return
                    counts["polled"] += 1
                    if got.not_modified:
                        counts["unchanged"] += 1
                        return
                    self.etags[url] = got.etag or ""
                    feed = parse_feed(got.body, got.url)
                    for entry in feed.entries if feed else ():
                        if self.store.find_article(canonical_url(entry.url), "") is None:
                            counts["new_items"] += 1

            await asyncio.gather(*(one(u) for u in list(self.etags)))
        finally:
            await session.close()
        return counts


async def _started(farm: FeedFarm, workdir: Path) -> _Bot:
    """The bot under test, built inside the loop it polls from, primed, the model loaded."""
    from bot.nlp.pipeline import load_model

    load_model(MODEL)  # loaded before cycle 1, as in a running bot, so RSS compares like for like
    bot = _Bot(farm, workdir)
    bot.prime()
    return bot


def _run(args: Any, farm: FeedFarm, workdir: Path) -> dict[str, Any]:
    """Rounds of one poll cycle each: the bare GETs (reference), then the bot's poll."""
    loop = asyncio.new_event_loop()
    try:
        bot = loop.run_until_complete(_started(farm, workdir))
        gc.collect()
        rss_start = rss_mb()
        say(f"Poller: {bot.mode}; {farm.feeds} feeds on {farm.hosts} local hosts, "
            f"{farm.items} items each; RSS after priming {rss_start:.0f} MB")

        def reference(number: int) -> dict[str, Any]:
            changed = loop.run_until_complete(_next_cycle(farm))
            # With the bot's validators, so both see the same 304s and 200s.
            etags = dict(bot.etags) if bot.sources is None else {
                r["url"]: r["etag"] or ""
                for r in bot.store._rows("select url, etag from sources")}
            bare_s, statuses = loop.run_until_complete(bare_gets(list(etags), etags))
            return {"changed_feeds": changed, "bare_aiohttp_seconds": bare_s,
                    "bare_statuses": statuses}

        def measurement(number: int) -> dict[str, Any]:
            with timed() as t:
                outcome = loop.run_until_complete(bot.poll())
            return {"seconds": t["s"], "rss_mb": rss_mb(), **outcome}

        done = interleave(args.rounds, reference, measurement)
        bot.store.close()
    finally:
        loop.close()
    cycles = []
    for entry in done:
        ref, ours = entry["reference"], entry["measurement"]
        bare_s = ref["bare_aiohttp_seconds"]
        cycles.append({"cycle": entry["round"], **ref, **ours,
                       "ratio_to_bare": ours["seconds"] / bare_s if bare_s else 0.0,
                       "load_average": entry["load_average"]})
        say(f"  cycle {entry['round']}: {ours['seconds']:.2f} s ({ref['changed_feeds']} feeds "
            f"changed; polled {ours.get('polled')}, failed {ours.get('failed')}); bare aiohttp "
            f"{bare_s:.2f} s; ratio {cycles[-1]['ratio_to_bare']:.1f}; RSS {ours['rss_mb']:.0f} "
            f"MB; load {'/'.join(f'{x:.1f}' for x in entry['load_average'])}")
    # Politeness: starts to one host are min_delay_s apart, so a host's last feed cannot start
    # before (feeds per host - 1) pauses: a floor no poller that keeps the pause can beat.
    delay_s = bot.sources.limiter.min_delay_s if bot.sources is not None else 0.0
    per_host = -(-farm.feeds // farm.hosts)
    return {"mode": bot.mode, "rss_after_priming_mb": rss_start, "cycles": cycles,
            "politeness_floor_seconds": (per_host - 1) * delay_s}


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--feeds", type=int, default=2000, help="feeds (default 2000)")
    add_rounds(p, "--cycles")  # a round is one poll cycle (--cycles is the old name)
    p.add_argument("--changed", type=float, default=0.02,
                   help="share of feeds with a new item each cycle (default 0.02)")
    p.add_argument("--items", type=int, default=10, help="items per feed (default 10)")
    p.add_argument("--feeds-per-host", type=int, default=10,
                   help="feeds served from one local address (default 10)")
    args = p.parse_args(argv)

    hosts = max(1, min(250, -(-args.feeds // args.feeds_per_host)))
    farm = FeedFarm(args.feeds, hosts, args.items, args.changed, _free_port())
    context = multiprocessing.get_context("spawn")  # a clean server process, no inherited loop
    ready = context.Event()
    server = context.Process(target=_serve, args=(farm, ready), daemon=True)
    server.start()
    try:
        if not ready.wait(60):
            raise SystemExit("The local feed server did not start.")
        with tempfile.TemporaryDirectory(prefix="bench-poll-") as tmp:
            run = _run(args, farm, Path(tmp))
    finally:
        server.terminate()
        server.join(10)
    cycles = run["cycles"]
    summary = summarise(
        cycles, {"seconds": lambda c: c["seconds"],
                 "bare_aiohttp_seconds": lambda c: c["bare_aiohttp_seconds"],
                 "ratio_to_bare": lambda c: c["ratio_to_bare"]},
        lambda c: c["seconds"] < TARGET_S and c["failed"] == 0)
    worst = summary["seconds"]["max"]
    rss = [c["rss_mb"] for c in cycles]
    result = {
        "feeds": args.feeds, "hosts": hosts, "items_per_feed": args.items,
        "changed_share": args.changed, "concurrency": CONCURRENCY, **run, **summary,
        "worst_cycle_seconds": worst, "target_seconds": TARGET_S,
        "rss_growth_mb_after_first_cycle": rss[-1] - rss[0],
    }
    say(f"politeness floor (pauses between starts to one host): "
        f"{run['politeness_floor_seconds']:.1f} s")
    say(f"cycle seconds {shown(summary['seconds'], '.2f')}, ratio to bare aiohttp "
        f"{shown(summary['ratio_to_bare'])} (median [min-max] over {len(cycles)} cycles)")
    say(f"worst cycle {worst:.2f} s (target < {TARGET_S:.0f} s in every cycle: "
        f"{'met' if result['meets_target'] else 'MISSED'}); RSS per cycle "
        f"{', '.join(f'{r:.0f}' for r in rss)} MB")
    path = write_result("poll", result, args.results_dir)
    say(f"wrote {path}")
    return result


if __name__ == "__main__":
    main()
