"""Sources: /source add|list|remove|check|enable|import, OPML export, and the poller."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

from bot import progress
from bot.config import FetchSettings, SourcesSettings, TenantSettings
from bot.errors import FetchError, NotAnArticle, SourceExists, StoreError, UserError
from bot.ingest import health, limits
from bot.ingest.dedup import content_hash
from bot.ingest.fetch import fetch, make_session
from bot.ingest.opml import parse_opml, to_opml
from bot.ingest.pages import parse_page
from bot.ingest.polite import HostLimiter
from bot.ingest.probe import Found, probe
from bot.ingest.service import Ingestor, IngestReport
from bot.ingest.urls import canonical_url, redact_secrets
from bot.models import ArticleDraft, Reply, ReplyItem, Request
from bot.ports import SourceRegistry, Store
from bot.source_checks import check_url as _check_url
from bot.source_checks import import_summary, read_local, refusals, shown_name
from bot.source_routes import RouteCommands
from bot.tenancy import TenantRegistry

log = logging.getLogger(__name__)
# Full texts fetched per source and poll for feeds that carry only summaries: a feed with a
# hundred new items is read over several polls rather than hammering the site at once.
FULL_TEXT_PER_POLL = 20
POLL_CONCURRENCY = 32
# How long a poll may hold its source before another process sharing the store may take it
# (a holder that died); longer than any poll round of one source.
POLL_LEASE_S = 900
# /source import adds feeds for at most this long between two turns of the event loop
# (a slice, not a count: one add costs a commit, whose time depends on the disk).
IMPORT_SLICE_S = 0.05
PROGRESS_EVERY_S = 2.0  # ...and how often the person is told how far it has come
# A disabled source is announced once to each tenant that follows it, in the channel its
# subscription was added from. Sources disabled in one poll round are told together, one
# notice per channel (an import of 40 dead feeds is one post, not 40):
# Notify([(subscription row, message), ...]), all rows of one platform and channel.
Notify = Callable[[list[tuple[dict, str]]], None]


def _now() -> datetime:
    return datetime.now(UTC)


# Source and alert numbers are SQLite integers; a longer number names nothing.
MAX_ID = 2**63 - 1


def _is_file(name: str) -> bool:
    try:
        return Path(name).is_file()
    except (OSError, ValueError):  # a name too long, or with a NUL byte, names no file
        return False


def _source_id(args: str) -> int:
    text = args.strip().lstrip("#")
    if not (text.isascii() and text.isdigit()):
        raise UserError(f"{args.strip()[:20]!r} is not a source number; see /source list.")
    if int(text) > MAX_ID:
        raise UserError(f"There is no source {text[:20]}{'…' * (len(text) > 20)}; "
                        f"see /source list.")
    return int(text)


def _shown(row: dict) -> str:
    """A source's name as shown: an address used as a name keeps its secrets to itself."""
    return shown_name(redact_secrets(str(row.get("name") or "")))


def _item_name(draft: ArticleDraft) -> str:
    title = limits.cap_line(draft.title.strip() or "(untitled)", 80)
    return f"“{title}”" + (f" ({redact_secrets(draft.url)[:120]})" if draft.url else "")


def _newest_first(drafts: list[ArticleDraft]) -> list[ArticleDraft]:
    """Dated items newest first, then undated ones in the feed's order."""
    dated = sorted((d for d in drafts if d.published), key=lambda d: d.published or _now(),
                   reverse=True)
    return dated + [d for d in drafts if not d.published]


def _health(row: dict) -> health.SourceHealth:
    try:
        return health.SourceHealth.from_dict(json.loads(row.get("health") or "{}"))
    except (ValueError, TypeError):
        return health.SourceHealth()


@dataclass
class PollReport:
    """What one poll of the due sources did."""

    polled: int = 0
    unchanged: int = 0
    failed: int = 0
    disabled: list[int] = field(default_factory=list)


class Sources:
    """Source management and polling, on the store and the safe fetcher."""

    def __init__(self, store: Store, registry: SourceRegistry, ingestor: Ingestor,
                 settings: FetchSettings, *, notify: Notify | None = None,
                 on_new_articles: Callable[[list[int]], None] | None = None,
                 import_settings: SourcesSettings | None = None,
                 tenants: TenantRegistry | None = None,
                 tenant_limits: TenantSettings | None = None) -> None:
        self.import_settings = import_settings or SourcesSettings()
        self.tenant_limits = tenant_limits or TenantSettings()
        self.tenants = tenants
        self.routes = RouteCommands(self) if tenants is not None else None
        self.table = registry
        self.store = store
        self.ingestor = ingestor
        self.settings = settings
        self.notify = notify
        # While a poll round runs, its disabled notices wait here to be told per channel.
        self._held_notices: list[tuple[dict, str]] | None = None
        self.on_new_articles = on_new_articles
        self.limiter = HostLimiter()

    @property
    def max_import(self) -> int:
        return self.import_settings.max_import

    @property
    def interval_s(self) -> int:
        return int(self.settings.poll_interval_s)

    @property
    def subs(self) -> TenantRegistry:
        if self.tenants is None:
            raise UserError("Sources cannot be managed in this deployment.")
        return self.tenants

    def _get(self, args: str, tenant: str) -> dict:
        """The tenant's subscription with this number, as a source row; another tenant's
        number is no source here."""
        source_id = _source_id(args.split(None, 1)[0] if args.strip() else args)
        row = self.subs.subscription(tenant, source_id)
        if row is None:
            raise UserError(f"There is no source {source_id} here; see /source list.")
        return row

    def _room(self, tenant: str, adding: int = 1) -> int:
        """How many more sources the tenant may follow; one clear sentence when none."""
        cap = self.tenant_limits.max_sources
        left = cap - self.subs.count(tenant)
        if left <= 0:
            raise UserError(f"This community follows {cap:,} sources, the most one may "
                            f"(config key tenants.max_sources): remove one first.")
        return left

    def _follow(self, request: Request, source: dict, name: str) -> int:
        sub_id = self.subs.subscribe(request.tenant, source["id"], name[:100],
                                     platform=request.platform, channel=request.channel,
                                     added_by=request.user)
        if request.platform not in ("cli", "console") and request.channel:
            # Added in a channel: routed there, so that channel's digest carries it.
            self.subs.route(sub_id, request.platform, request.channel, request.user)
        return sub_id

    # ---------------------------------------------------------------- commands

    async def add(self, request: Request) -> Reply:
        parts = request.args.split(None, 1)
        url = _check_url(parts[0])
        given = parts[1].strip() if len(parts) > 1 else ""
        self._room(request.tenant)
        known = self._known(url, request.tenant)
        if known is not None:
            return self._add_followed(request, known, given)
        found = await probe(url, self.settings)
        name = given or found.title or redact_secrets(url)
        # The address as given is what is polled: credentials and every query key kept.
        try:
            source_id = self.table.add(
                url, name[:100], found.kind, platform=request.platform,
                channel=request.channel, added_by=request.user, tenant=request.tenant,
                health=json.dumps(health.after_success(
                    health.SourceHealth(), _now(), base_interval_s=self.interval_s).to_dict()),
            )
        except SourceExists as exc:  # another community added it meanwhile
            row = self.table.get(exc.source_id)
            if row is None or self.subs.followed(request.tenant, row["id"]) is not None:
                raise
            return self._add_followed(request, row, given)
        sub_id = self._follow(request, {"id": source_id}, name)
        # The source is committed: from here on nothing may turn the reply into an error.
        try:
            # The first fetch fills the store but is not news: no digest or alert floods.
            report, waiting = await self._store_found(found, source_id, backfill=True)
            await self._fetch_full_texts(found, source_id, backfill=True)
        except Exception as exc:  # a bug must not hide that the source was added
            log.error("first fetch of source %s was not stored: %s", source_id,
                      type(exc).__name__)
            report, waiting = IngestReport(), 0
            report.failed.append("Its articles could not be stored now; the next poll "
                                 "tries again.")
        if found.kind == "feed":
            what = f"RSS/Atom feed “{found.title or name}” with {len(found.articles)} items"
        else:
            day = found.articles[0].published
            what = (f"article page “{found.title}”"
                    + (f" of {day.date().isoformat()}" if day else ""))
        notes = [ReplyItem(f"{len(report.added)} new articles stored; polled every "
                           f"{health.span_text(self.interval_s)}.")]
        if waiting:
            notes.append(ReplyItem(f"{waiting} older items are read over the next polls."))
        notes += [ReplyItem(failure) for failure in report.failed[:5]]
        return Reply(f"Added source {sub_id}: {what}.", tuple(notes),
                     data={"id": sub_id, "kind": found.kind, "title": found.title,
                           "items": len(found.articles), "stored": len(report.added)})

    def _add_followed(self, request: Request, source: dict, given: str) -> Reply:
        """A source another community already reads: followed, not fetched a second time."""
        name = given or str(source.get("name") or "") or redact_secrets(source["url"])
        sub_id = self._follow(request, source, name)
        stored = self.table.article_count(source["id"])
        return Reply(f"Added source {sub_id}: {source['kind']} “{_shown({'name': name})}”, "
                     f"already read by the bot.",
                     (ReplyItem(f"{stored} articles stored; polled every "
                                f"{health.span_text(self.interval_s)}."),),
                     data={"id": sub_id, "kind": source["kind"], "title": name,
                           "items": stored, "stored": 0})

    def list_sources(self, request: Request) -> Reply:
        rows = self.subs.subscriptions(request.tenant)
        if not rows:
            return Reply.text("No sources yet: add one with /source add URL.", data=[])
        now = _now()
        items, data = [], []
        for row in rows:
            state = _health(row)
            state_text = health.describe(state, row["id"], now)
            extra = []
            if row.get("last_new_at"):
                extra.append(f"last new article {row['last_new_at'][:16].replace('T', ' ')}")
            if state.next_poll_at and state.status != "disabled":
                extra.append(f"next poll {state.next_poll_at.isoformat()[:16].replace('T', ' ')}")
            items.append(ReplyItem(f"{row['id']}. {_shown(row)} ({row['kind']})",
                                   f"{state.status}: {state_text}"
                                   + (f" ({'; '.join(extra)})" if extra else "")))
            data.append({"id": row["id"], "name": _shown(row), "url": redact_secrets(row["url"]),
                         "kind": row["kind"], "status": state.status, "health": state_text,
                         "last_new_at": row.get("last_new_at"),
                         "articles": self.table.article_count(row["source_id"])})
        return Reply("Sources", tuple(items), footer="/source check ID fetches one now.",
                     data=data)

    def remove(self, request: Request) -> Reply:
        row = self._get(request.args, request.tenant)
        # The feed itself is polled as long as any community follows it.
        self.subs.unsubscribe(row["id"])
        return Reply.text(f"Removed source {row['id']} ({_shown(row)}); its articles stay.")

    def enable(self, request: Request) -> Reply:
        row = self._get(request.args, request.tenant)
        state = health.enabled(_health(row), _now(), base_interval_s=self.interval_s)
        self.table.update(row["source_id"], health=json.dumps(state.to_dict()), enabled=1,
                          disabled_notified=0)
        return Reply.text(f"Source {row['id']} ({_shown(row)}) is enabled and will be polled now.")

    async def check(self, request: Request) -> Reply:
        row = self._get(request.args, request.tenant)
        source = self.table.get(row["source_id"]) or row
        outcome = await self.poll_one(source, _now())
        fresh = self.table.get(row["source_id"]) or row
        state_text = health.describe(_health(fresh), row["id"], _now())
        return Reply(f"Source {row['id']} ({_shown(row)}): {outcome}", (ReplyItem(state_text),),
                     data={"id": row["id"], "outcome": outcome, "health": state_text})

    async def import_opml(self, request: Request) -> Reply:
        """Add the feeds an OPML file lists: at most `max_import`, each address checked first,
        in chunks that leave the event loop free, and one summary at the end."""
        where = request.args.strip()
        if where.startswith(("http://", "https://")):
            data = (await fetch(_check_url(where), self.settings)).body
        elif request.platform in ("cli", "console") and _is_file(where):
            data = read_local(Path(where), self.settings.max_bytes)  # only a local user
        else:
            raise UserError("Give the OPML file's http(s) address.")
        entries = await asyncio.to_thread(parse_opml, data)
        if len(entries) > self.max_import:
            raise UserError(
                f"The OPML file lists {len(entries):,} feeds; one import takes at most "
                f"{self.max_import:,} (config key sources.max_import): split the file or "
                f"raise the limit.")
        await progress.report(f"Checking {len(entries):,} feed addresses…")
        refused_urls = await refusals([url for _, url in entries], self.settings)
        room = self._room(request.tenant)
        added: list[int] = []
        existing, refused = 0, []
        told_at = time.monotonic()
        done = 0
        while done < len(entries):
            # One commit per slice rather than per feed; committed before the loop turns, so
            # no other coroutine ever joins this write transaction.
            until = time.monotonic() + IMPORT_SLICE_S
            with self.store.transaction():
                while done < len(entries):
                    title, url = entries[done]
                    done += 1
                    if url in refused_urls:
                        refused.append({"name": shown_name(title[:100]),
                                        "reason": refused_urls[url]})
                    elif len(added) >= room:
                        refused.append({"name": shown_name(title[:100]),
                                        "reason": f"this community already follows "
                                                  f"{self.tenant_limits.max_sources:,} sources, "
                                                  f"the most one may (tenants.max_sources)"})
                    else:
                        try:
                            known = self._known(url, request.tenant)
                            if known is None:
                                known = {"id": self.table.add(
                                    url, title[:100], "feed",  # polled as given
                                    platform=request.platform, channel=request.channel,
                                    added_by=request.user, tenant=request.tenant,
                                    health=json.dumps(
                                        health.SourceHealth(next_poll_at=_now()).to_dict()))}
                            added.append(self._follow(request, known, title))
                        except SourceExists:
                            existing += 1
                    if time.monotonic() >= until:
                        break
            await asyncio.sleep(0)  # other commands and polls run between slices
            if done < len(entries) and time.monotonic() - told_at >= PROGRESS_EVERY_S:
                told_at = time.monotonic()
                await progress.report(f"Importing: {done:,} of {len(entries):,} done…")
        return import_summary(added, existing, refused)

    def export_opml(self, tenant: str = "default") -> str:
        return to_opml((r["name"], r["url"]) for r in self.subs.subscriptions(tenant))

    # ------------------------------------------------------------------ polling

    def _known(self, url: str, tenant: str) -> dict | None:
        """The source with this address, however it was spelled, if any; SourceExists (with
        the tenant's own number) when the tenant already follows it."""
        key = canonical_url(url)
        for row in self.table.all():
            if canonical_url(row["url"]) == key:
                followed = self.subs.followed(tenant, row["id"])
                if followed is not None:
                    raise SourceExists(followed["id"])
                return row
        return None

    async def _select(self, drafts: tuple[ArticleDraft, ...]) -> tuple[list[ArticleDraft], int]:
        """The newest items not stored yet, at most max_items_per_poll; and how many wait."""
        cap = limits.current().max_items_per_poll
        if len(drafts) <= cap:
            return list(drafts), 0

        def keyed() -> list[tuple[ArticleDraft, str, str]]:  # pure work: off the event loop
            return [(d, canonical_url(d.url) if d.url else "", content_hash(d.title, d.text))
                    for d in _newest_first(list(drafts))]

        fresh = []
        for number, (draft, url, digest) in enumerate(await asyncio.to_thread(keyed)):
            # Not stored yet, or stored only as a summary and now here in full (as _prepare).
            stored = self.store.find_article(url, digest)
            if stored is None or (bool(stored["summary_only"]) and not draft.summary_only):
                fresh.append(draft)
            if number % 500 == 499:
                await asyncio.sleep(0)  # 25,000 lookups: let the bot answer in between
        return fresh[:cap], max(0, len(fresh) - cap)

    async def _store_found(self, found: Found, source_id: int, *,
                           backfill: bool) -> tuple[IngestReport, int]:
        """Store a fetch's newest new items (capped); the rest wait for later polls."""
        selected, waiting = await self._select(found.articles)
        report = await self._store(selected, source_id, backfill=backfill)
        self._remember_fetch(source_id, found, report, complete=not waiting)
        if len(found.articles) > len(report.added):
            await self._link_copies(found.articles, source_id)
        return report, waiting

    async def _link_copies(self, drafts: tuple[ArticleDraft, ...], source_id: int) -> None:
        """Items stored before under another source (another community's feed carried them
        first): linked to this source too, so its followers read them as well."""
        if self.tenants is None:
            return

        def keyed() -> list[tuple[str, str]]:  # pure work: off the event loop
            return [(canonical_url(d.url) if d.url else "", content_hash(d.title, d.text))
                    for d in drafts]

        stored = [self.store.find_article(url, digest) for url, digest in
                  await asyncio.to_thread(keyed)]
        self.tenants.link_articles(source_id, [int(s["id"]) for s in stored if s])

    async def _store_each(self, drafts: list[ArticleDraft], source_id: int, *,
                          backfill: bool) -> IngestReport:
        """Store drafts; an item that cannot be analysed or saved costs only itself."""
        try:
            return await self.ingestor.store_drafts_async(drafts, source_id=source_id,
                                                          backfill=backfill)
        except StoreError:
            raise
        except Exception as exc:
            if not drafts:
                raise
            log.warning("source %s: a batch of %d items failed (%s); storing them one by one",
                        source_id, len(drafts), type(exc).__name__)
        report = IngestReport()
        for draft in drafts:
            try:
                one = await self.ingestor.store_drafts_async([draft], source_id=source_id,
                                                             backfill=backfill)
            except StoreError:
                raise
            except Exception as exc:
                log.warning("source %s: item %s was skipped (%s)", source_id,
                            redact_secrets(draft.url) or "(no address)", type(exc).__name__)
                report.failed.append(f"{_item_name(draft)} could not be read and was skipped.")
                continue
            report.added += one.added
            report.updated += one.updated
            report.duplicates += one.duplicates
            report.failed += one.failed
        return report

    async def _store(self, drafts: tuple[ArticleDraft, ...] | list[ArticleDraft],
                     source_id: int, *, backfill: bool = False) -> IngestReport:
        report = await self._store_each(list(drafts), source_id, backfill=backfill)
        if report.added and not backfill and self.on_new_articles:
            self.on_new_articles(report.added)
        return report

    def _remember_fetch(self, source_id: int, found: Found, report: IngestReport, *,
                        complete: bool = True) -> None:
        # While items wait for a later poll, the next fetch must not be answered "not
        # modified": the validators are kept only once the whole feed has been read.
        values = {"etag": found.fetched.etag if complete else None,
                  "last_modified": found.fetched.last_modified if complete else None}
        if report.added:
            values["last_new_at"] = _now().isoformat(timespec="seconds")
        self.table.update(source_id, **values)

    async def _fetch_full_texts(self, found: Found, source_id: int, *, backfill: bool,
                                session: aiohttp.ClientSession | None = None) -> None:
        """Replace feed summaries by the linked pages' text where the pages can be read."""
        wanted = [a for a in found.articles if a.summary_only and a.url][:FULL_TEXT_PER_POLL]
        pages: list[ArticleDraft] = []
        for entry in wanted:
            stored = self.store.find_article(canonical_url(entry.url), "")
            if stored is None or not stored["summary_only"]:
                continue
            try:
                async with self.limiter.slot(entry.url):
                    fetched = await fetch(entry.url, self.settings, session=session)
                page = await asyncio.to_thread(parse_page, fetched.body, fetched.url)
            except UserError:
                continue  # the feed's own title and summary stay: better than nothing
            pages.append(limits.cap_draft(ArticleDraft(
                title=entry.title or page.title, text=page.text,
                published=entry.published or page.published,
                source=entry.source or page.source, url=entry.url,
                author=page.author or entry.author)))
        if pages:
            await self._store_each(pages, source_id, backfill=backfill)

    async def poll_one(self, row: dict, now: datetime,
                       session: aiohttp.ClientSession | None = None) -> str:
        """Fetch one source once, store what is new, record its health; return what happened."""
        state = _health(row)
        try:
            async with self.limiter.slot(row["url"]):
                found = await probe(row["url"], self.settings, etag=row.get("etag"),
                                    last_modified=row.get("last_modified"), session=session)
            report, waiting = await self._store_found(found, row["id"], backfill=False)
            await self._fetch_full_texts(found, row["id"], backfill=False, session=session)
        except StoreError:
            raise  # a full or read-only store is not the source's fault: it keeps its health
        except (FetchError, NotAnArticle) as exc:
            new_state = health.after_failure(state, exc, now, base_interval_s=self.interval_s)
            self._save_health(row, new_state)
            return str(exc)
        except UserError as exc:
            new_state = health.after_failure(state, exc, now, base_interval_s=self.interval_s)
            self._save_health(row, new_state)
            return str(exc)
        except Exception as exc:  # a bug: the source still backs off and says it is failing
            log.error("poll of source %s failed unexpectedly: %s", row["id"], type(exc).__name__)
            problem = UserError("The source could not be read because of an error on our side.")
            self._save_health(row, health.after_failure(state, problem, now,
                                                        base_interval_s=self.interval_s))
            return str(problem)
        self._save_health(row, health.after_success(state, now, base_interval_s=self.interval_s))
        if found.kind == "unchanged":
            return "not modified since the last poll."
        outcome = f"{len(report.added)} new of {len(found.articles)} articles"
        if waiting:
            outcome += f"; {waiting} more are read at the next polls"
        if report.failed:
            outcome += f"; {len(report.failed)} skipped: " + " ".join(report.failed[:3])
            return outcome
        return outcome + "."

    def _save_health(self, row: dict, state: health.SourceHealth) -> None:
        values: dict = {"health": json.dumps(state.to_dict()),
                        "enabled": int(state.status != "disabled")}
        if state.status == "disabled" and not row.get("disabled_notified"):
            values["disabled_notified"] = 1
            log.warning("source %s disabled: %s", row["id"], state.reason)
            # Each community that follows it is told, with its own number and name.
            followers = self.tenants.followers(row["id"]) if self.tenants is not None \
                else [row]
            for sub in followers:
                message = (f"Source {sub['id']} ({_shown(sub)}) was disabled: "
                           f"{health.describe(state, sub['id'], _now())}")
                if self._held_notices is not None:
                    self._held_notices.append(({**sub, **values}, message))
                elif self.notify:
                    # Told before the flag is stored: a crash in between tells again, and the
                    # notice's nonce (fixed by the disabling) makes that the same post.
                    self.notify([({**sub, **values}, message)])
        self.table.update(row["id"], **values)

    def _tell_held_notices(self) -> None:
        """The round's disabled notices, one call per channel they go to."""
        held, self._held_notices = self._held_notices or [], None
        by_channel: dict[tuple[str, str], list[tuple[dict, str]]] = {}
        for sub, message in held:
            by_channel.setdefault((sub.get("platform") or "", sub.get("channel") or ""),
                                  []).append((sub, message))
        for notices in by_channel.values():
            if self.notify:
                self.notify(notices)

    async def poll_due(self, now: datetime | None = None) -> PollReport:
        """Poll every enabled source that is due, a bounded number at a time, politely per host."""
        now = now or _now()
        dropped = self.tenants.unfollowed_source_ids() if self.tenants is not None else set()
        # A feed followed by several communities is one row: fetched and analysed once.
        due = self._leased([r for r in self.table.all()
                            if r["enabled"] and health.is_due(_health(r), now)
                            and r["id"] not in dropped], now)
        report = PollReport()
        if not due:
            return report
        gate = asyncio.Semaphore(POLL_CONCURRENCY)
        session = make_session(self.settings)
        self._held_notices = []
        try:
            async def one(row: dict) -> None:
                async with gate:
                    outcome = await self.poll_one(row, now, session)
                    report.polled += 1
                    state = _health(self.table.get(row["id"]) or row)
                    if state.status != "ok":
                        report.failed += 1
                        if state.status == "disabled":
                            report.disabled.append(row["id"])
                    elif outcome.startswith("not modified"):
                        report.unchanged += 1

            # A bug in one source's handling must not stop the others from updating.
            results = await asyncio.gather(*(one(r) for r in due), return_exceptions=True)
            for row, result in zip(due, results, strict=True):
                if isinstance(result, Exception):
                    log.error("poll of source %s failed unexpectedly: %s", row["id"],
                              type(result).__name__)
        finally:
            self._tell_held_notices()
            for row in due:
                self.table.release(row["id"])
            await session.close()
        return report

    def _leased(self, rows: list[dict], now: datetime) -> list[dict]:
        """The due sources this process polls: processes sharing a store poll each once."""
        taken = []
        for row in rows:
            if not self.table.lease(row["id"], now.isoformat(timespec="seconds"), POLL_LEASE_S):
                continue
            # Another process may have polled it between our look and the lease.
            fresh = self.table.get(row["id"])
            if fresh and fresh["enabled"] and health.is_due(_health(fresh), now):
                taken.append(fresh)
            else:
                self.table.release(row["id"])
        return taken

    def handlers(self) -> dict[str, Callable[[Request], Reply | Awaitable[Reply]]]:
        routes = self.routes.handlers() if self.routes is not None else {}
        return {
            **routes,
            "source add": self.add,
            "source list": self.list_sources,
            "source remove": self.remove,
            "source check": self.check,
            "source enable": self.enable,
            "source import": self.import_opml,
        }


async def fetch_article(url: str, settings: FetchSettings) -> ArticleDraft:
    """One article from a URL (a page, or a feed's first item) for `newsdesk analyze URL`."""
    found = await probe(_check_url(url), settings)
    if not found.articles:
        raise NotAnArticle(f"{redact_secrets(url)[:80]} holds no article.")
    return found.articles[0]


async def fetch_drafts(urls: list[str], settings: FetchSettings,
                       report: IngestReport) -> list[ArticleDraft]:
    """Every article behind some URLs (feeds or pages), for `newsdesk ingest URL`."""
    drafts: list[ArticleDraft] = []
    for url in urls:
        try:
            found = await probe(_check_url(url), settings)
        except UserError as exc:
            report.failed.append(str(exc))
            continue
        drafts.extend(found.articles)
    return drafts
