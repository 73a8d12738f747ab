"""The channel commands: /digest [why|post], /schedule digest|off|show, /alert add|list|remove."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.delivery import alerts, digest
from bot.delivery.outbox import Outbox, iso
from bot.delivery.schedules import NO_NEWS_FLAG, DigestSchedule, next_slot, parse_schedule
from bot.errors import UserError
from bot.models import Reply, ReplyItem, Request
from bot.ports import Store


class Desk(Protocol):
    """What the channel commands use of the bot (a Newsdesk): its store, outbox and settings."""

    @property
    def store(self) -> Store: ...

    @property
    def outbox(self) -> Outbox: ...

    @property
    def settings(self) -> Settings: ...


Handler = Callable[[Request], Reply | Awaitable[Reply]]


def _local(at: datetime, zone: str) -> str:
    return at.astimezone(ZoneInfo(zone)).strftime("%a %Y-%m-%d %H:%M %Z")


def channel_handlers(bot: Desk) -> dict[str, Handler]:
    """Handlers for the digest, schedule and alert commands of the command table."""
    store, outbox = bot.store, bot.outbox
    channels = outbox.store
    default_zone = bot.settings.scheduler.timezone

    def zone(r: Request) -> str:
        return digest.zone_of(outbox, r.platform, r.channel, default_zone)

    # ---------------------------------------------------------------- digest

    def preview(r: Request) -> Reply:
        plan = digest.plan_digest(store, outbox, r.platform, r.channel, zone(r), r.tenant)
        if plan.reply is None:
            return digest.no_news_reply(plan, zone(r))
        return plan.reply

    def why(r: Request) -> Reply:
        plan = digest.plan_digest(store, outbox, r.platform, r.channel, zone(r), r.tenant)
        return digest.why_reply(store, outbox, plan, zone(r))

    def post_now(r: Request) -> Reply:
        outbox_id, plan = digest.queue_digest(store, outbox, r.platform, r.channel,
                                              timezone=zone(r), tenant=r.tenant)
        if outbox_id is None:
            return digest.no_news_reply(plan, zone(r))
        n = len(plan.stories)
        return Reply.text(f"Digest of {n} new stor{'y' if n == 1 else 'ies'} queued; "
                          f"it is posted here by the running bot.",
                          data={"outbox_id": outbox_id, "stories": n})

    # -------------------------------------------------------------- schedule

    def schedule_digest(r: Request) -> Reply:
        schedule = parse_schedule(r.args, default_zone)
        cap = bot.settings.tenants.max_schedules
        if channels.schedule(r.platform, r.channel) is None \
                and channels.count_schedules(r.tenant) >= cap:
            raise UserError(f"This community has {cap:,} digest schedules, the most one may "
                            f"(config key tenants.max_schedules): /schedule off one first.")
        now = outbox.now()
        channels.set_schedule(r.platform, r.channel, schedule.spec, schedule.timezone,
                              iso(now), r.user, r.tenant)
        channels.set_say_no_news(r.platform, r.channel, schedule.say_no_news)
        outbox.schedules_changed()
        upcoming = next_slot(schedule.trigger(), now)
        quiet = ("; on a day without news it says so in one line" if schedule.say_no_news
                 else f"; nothing is posted when there is no news (add '{NO_NEWS_FLAG}' "
                      f"to say so instead)")
        return Reply.text(
            f"Digest here {schedule.describe()}"
            + (f", next on {_local(upcoming, schedule.timezone)}" if upcoming else "") + quiet
            + ".", data={"spec": schedule.spec, "timezone": schedule.timezone,
                         "next": iso(upcoming) if upcoming else None})

    def schedule_off(r: Request) -> Reply:
        if not channels.remove_schedule(r.platform, r.channel):
            return Reply.text("This channel has no digest schedule.")
        outbox.schedules_changed()
        return Reply.text("Digest schedule removed; /digest still shows what is new.")

    def schedule_show(r: Request) -> Reply:
        row = channels.schedule(r.platform, r.channel)
        if row is None:
            return Reply.text("No digest schedule here; set one with "
                              "/schedule digest daily 08:00.", data=None)
        schedule = DigestSchedule(row["spec"], row["timezone"])
        upcoming = next_slot(schedule.trigger(), outbox.now())
        state = channels.channel(r.platform, r.channel)
        items = [ReplyItem(f"When: {schedule.describe()}")]
        if upcoming:
            items.append(ReplyItem(f"Next: {_local(upcoming, row['timezone'])}"))
        if state["last_digest_at"]:
            last = datetime.fromisoformat(state["last_digest_at"])
            items.append(ReplyItem(f"Last digest: {_local(last, row['timezone'])}"))
        items.append(ReplyItem("No news: " + ("one line" if state["say_no_news"]
                                             else "nothing is posted")))
        return Reply("Digest schedule", tuple(items), footer="/schedule off stops it.",
                     data={"spec": row["spec"], "timezone": row["timezone"],
                           "next": iso(upcoming) if upcoming else None,
                           "last_digest_at": state["last_digest_at"]})

    # ----------------------------------------------------------------- alerts

    def alert_add(r: Request) -> Reply:
        words = alerts.check_words(r.args)
        for existing in channels.alerts_in(r.platform, r.channel):
            if existing["words"].casefold() == words.casefold():
                return Reply.text(f"Already watching {words!r} here (alert {existing['id']}).")
        cap = bot.settings.tenants.max_alerts
        if channels.count_alerts(r.tenant) >= cap:
            raise UserError(f"This community has {cap:,} alerts, the most one may "
                            f"(config key tenants.max_alerts): /alert remove one first.")
        person = alerts.resolve_person(store, words)
        alert_id = channels.add_alert(r.platform, r.channel, words, person.id if person else None,
                                      iso(outbox.now()), r.user, r.tenant)
        what = (f"mention {person.name} (however spelled)" if person
                else f"mention {words!r}")
        return Reply.text(f"Alert {alert_id}: new articles that {what} are posted here, "
                          f"once per story.", data={"id": alert_id, "words": words,
                                                    "person": person.name if person else None})

    def alert_list(r: Request) -> Reply:
        rows = channels.alerts_in(r.platform, r.channel)
        if not rows:
            return Reply.text("No alerts here; add one with /alert add NAME.", data=[])
        items = tuple(
            ReplyItem(f"{row['id']}: {row['words']}",
                      f"person: {row['person_name']}" if row["person_name"] else "phrase")
            for row in rows)
        return Reply("Alerts in this channel", items, footer="/alert remove ID stops one.",
                     data=[{"id": row["id"], "words": row["words"], "person": row["person_name"]}
                           for row in rows])

    def alert_remove(r: Request) -> Reply:
        alert_id = alerts.parse_alert_id(r.args)
        if alert_id is None:
            raise UserError("/alert remove needs the alert number from /alert list, "
                            "for example /alert remove 2.")
        if alert_id < 0 or not channels.remove_alert(r.platform, r.channel, alert_id):
            shown = r.args.strip().lstrip("#")
            raise UserError(f"There is no alert {shown[:20]}{'…' * (len(shown) > 20)} "
                            f"in this channel; see /alert list.")
        return Reply.text(f"Alert {alert_id} removed.")

    return {
        "digest": preview, "digest why": why, "digest post": post_now,
        "schedule digest": schedule_digest, "schedule off": schedule_off,
        "schedule show": schedule_show,
        "alert add": alert_add, "alert list": alert_list, "alert remove": alert_remove,
    }
