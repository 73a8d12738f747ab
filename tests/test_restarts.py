"""kill -9 at random points during ingest and delivery: nothing lost, nothing posted twice.

The process under test (`python -m tests.test_restarts DB POSTS`) is the real core: the
ingestor with the NLP pass, alerts, scheduled digests, the outbox and `bot.runner.Service`
(the start-up catch-up of `newsdesk run`). Its Chat appends each post with its nonce to a
file, as a platform would keep it, and can look a nonce up (as the Slack adapter can).
Time is a function of the store (each stored article moves the clock 25 minutes), so a run
that was killed many times must end with exactly the posts of a run that never was.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sqlite3
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.models import ArticleDraft, Reply

ROOT = Path(__file__).resolve().parent.parent
BASE_AT = datetime(2031, 3, 2, 6, 0, tzinfo=UTC)
STEP = timedelta(minutes=25)
KILLS = 15

_STORIES = {
    "ferry": ("Harbor City votes for Gull Island ferry",
              "Harbor City council voted on Tuesday to open a ferry line to Gull Island. Mayor "
              "Mara Quinlan said the first boats would sail in June. \"This line brings the "
              "island back into the city,\" Quinlan said after the vote. Critics said the "
              "timetable was too thin for commuters who cross twice a day."),
    "drought": ("Eastvale rations water",
                "Eastvale began rationing water on Monday after the driest spring in forty "
                "years. Governor Tobias Renn said the reservoir at Callow Dam was a third full. "
                "\"Every household will have to save a fifth of its water,\" Renn said. Farmers "
                "warned that orchards would not survive a second dry summer."),
    "museum": ("Northgate Museum reopens",
               "The Northgate Museum reopened on Saturday after a three-year renovation. "
               "Director Ines Halvorsen said the maritime collection had doubled in size. "
               "\"We built the museum the city deserved,\" Halvorsen said at the opening, "
               "where several hundred people queued in the rain."),
    "budget": ("Harbor City budget passes",
               "The Harbor City budget passed on Thursday by nine votes to four. Mayor Mara "
               "Quinlan said the money for schools would rise by a tenth. \"Nobody got all "
               "they wanted,\" Quinlan said, and the opposition called the plan timid."),
    "bridge": ("Old Mill bridge closes",
               "Engineers closed the Old Mill bridge in Larkford on Wednesday after divers "
               "found cracks in two piers. Minister Odile Farrant said repairs would take "
               "months. \"Nobody crosses until it is safe,\" Farrant said at the riverbank."),
    "dam": ("Callow Dam inspection ordered",
            "Inspectors will examine Callow Dam next week after a leak was found below the "
            "spillway. Engineer Priya Castellano said the reservoir posed no danger. "
            "\"We inspect because we are careful, not because we are worried,\" she said."),
    "festival": ("Lantern festival breaks record",
                 "Larkford's lantern festival drew a record crowd on Saturday night. Director "
                 "Paulo Brandt said forty thousand visitors walked the river route. \"The "
                 "town has never been this bright,\" Brandt said as the last lanterns lit."),
    "strike": ("Port workers strike",
               "Dock workers at the Harbor City port walked out on Friday over night shifts. "
               "Union leader Aldo Marchetti said the strike would last three days. \"We "
               "keep this port running and we want to sleep,\" Marchetti told the crowd."),
}
# Outlets carry the same stories, some later than others: copies must not be new alerts.
_ORDER = ["ferry", "drought", "museum", "ferry", "budget", "drought", "bridge", "museum",
          "dam", "ferry", "festival", "bridge", "strike", "dam", "budget", "festival"]
_OUTLETS = ["Harbor Herald", "Coast Wire", "Valley Times"]


def news() -> list[ArticleDraft]:
    """The made-up coverage, in the order it arrives."""
    drafts, seen = [], Counter[str]()
    for n, key in enumerate(_ORDER):
        title, text = _STORIES[key]
        copy = seen[key]
        seen[key] += 1
        outlet = _OUTLETS[copy % len(_OUTLETS)]
        drafts.append(ArticleDraft(
            title=title if copy == 0 else f"{title} ({outlet})", text=text,
            published=BASE_AT + n * STEP, source=outlet,
            url=f"https://{outlet.split()[0].lower()}.example/{key}-{copy}"))
    return drafts


# ------------------------------------------------------------- the process under test


class FileChat:
    """A platform in a file: each post is one appended line (one write: all or nothing)."""

    platform = "test"

    def __init__(self, path: Path) -> None:
        self.path = path

    def _append(self, record: dict[str, Any]) -> None:
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, (json.dumps(record) + "\n").encode())
        finally:
            os.close(fd)

    async def post(self, channel: str, reply: Reply, *, nonce: str) -> str | None:
        await asyncio.sleep(0.005)  # the request on its way
        self._append({"op": "post", "channel": channel, "nonce": nonce, "title": reply.title,
                      "items": [i.text for i in reply.items]})
        print("posted", flush=True)
        # The answer on its way back: a kill now is the at-least-once gap (accepted, unmarked).
        await asyncio.sleep(0.01)
        return f"msg-{nonce}"

    async def edit(self, channel: str, message_id: str, reply: Reply) -> None:
        self._append({"op": "edit", "channel": channel, "message_id": message_id,
                      "items": [i.text for i in reply.items]})

    async def find_posted(self, channel: str, nonce: str) -> str | None:
        for record in read_records(self.path):
            if record["op"] == "post" and (record["channel"], record["nonce"]) == (channel, nonce):
                print(f"in doubt, found: {nonce}", file=sys.stderr, flush=True)
                return f"msg-{nonce}"
        print(f"in doubt, not found: {nonce}", file=sys.stderr, flush=True)
        return None


async def _work(db: str, posts: Path) -> None:
    from bot.app import Newsdesk
    from bot.config import Settings, StorageSettings
    from bot.delivery.digest import run_due
    from bot.nlp.pipeline import load_model
    from bot.runner import Service

    bot = Newsdesk(Settings(storage=StorageSettings(path=db)))
    bot.outbox.clock = lambda: BASE_AT + STEP * bot.store.count_articles()
    load_model(bot.settings.nlp.model)
    if bot.outbox.store.schedule("test", "news") is None:
        await bot.ask("/schedule digest every 1h UTC", platform="test", channel="news")
    await bot.ask("/alert add Mara Quinlan", platform="test", channel="news")
    await bot.ask("/alert add reservoir", platform="test", channel="alerts")
    service = Service(bot, {"test": FileChat(posts)}, poll=False)
    print("ready", flush=True)
    await service.start()
    for draft in news():
        report = bot.ingestor.store_drafts([draft])
        if report.added:
            print("stored", flush=True)
            bot.after_ingest(report.added)
            run_due(bot.store, bot.outbox)
            await service.sender.deliver_pending()
    await service.sender.deliver_pending()
    await service.stop()
    bot.close()
    print("done", flush=True)


# ---------------------------------------------------------------------- the test


def read_records(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line]


@dataclass
class Outcome:
    articles: int
    pending: int
    posts: Counter[str]  # nonce -> times delivered
    messages: dict[str, tuple[str, tuple[str, ...]]]  # message id -> (title, final items)


def outcome(db: Path, posts: Path) -> Outcome:
    conn = sqlite3.connect(db)
    articles = conn.execute("select count(*) from articles").fetchone()[0]
    pending = conn.execute("select count(*) from outbox where sent_at is null").fetchone()[0]
    conn.close()
    messages: dict[str, tuple[str, tuple[str, ...]]] = {}
    delivered: Counter[str] = Counter()
    for record in read_records(posts):
        if record["op"] == "post":
            delivered[record["nonce"]] += 1
            messages[f"msg-{record['nonce']}"] = (record["title"], tuple(record["items"]))
        else:
            title, _ = messages[record["message_id"]]
            messages[record["message_id"]] = (title, tuple(record["items"]))
    return Outcome(articles, pending, delivered, messages)


def _start(db: Path, posts: Path, log: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # The child gets its own copy of the descriptor; ours is closed at once.
    with log.open("a") as errors:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.test_restarts", str(db), str(posts)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, stderr=errors)


def _run_to_the_end(db: Path, posts: Path, log: Path) -> None:
    proc = _start(db, posts, log)
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0 and out.rstrip().endswith("done"), log.read_text()[-2000:]


def test_killed_at_random_points_it_loses_nothing_and_posts_nothing_twice(
    tmp_path: Path,
) -> None:
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    log = tmp_path / "worker.log"
    ref_db, ref_posts = tmp_path / "ref.db", tmp_path / "ref-posts.jsonl"
    reference = _start(ref_db, ref_posts, log)  # runs alongside: the same news, never killed

    db, posts = tmp_path / "bot.db", tmp_path / "posts.jsonl"
    kills = 0
    while kills < KILLS:
        proc = _start(db, posts, log)
        assert proc.stdout is not None
        events = rng.randint(0, 3)  # "ready", then how many stores or posts before the kill
        line = proc.stdout.readline()
        finished = False
        while line and events:
            line = proc.stdout.readline()
            finished = line.strip() == "done"
            events -= line.strip() in ("stored", "posted")
        if finished or not line:
            proc.communicate(timeout=60)  # waits, and closes our end of its stdout
            break
        # Let it run on for up to 40 ms: into the NLP pass, a transaction or a post.
        asyncio.run(asyncio.sleep(rng.uniform(0, 0.04)))
        proc.kill()
        proc.communicate(timeout=30)
        kills += 1
    _run_to_the_end(db, posts, log)
    reference.communicate(timeout=120)
    assert reference.returncode == 0, log.read_text()[-2000:]

    got, want = outcome(db, posts), outcome(ref_db, ref_posts)
    context = f"seed {seed}, {kills} kills"
    assert got.articles == want.articles == len(news()), context
    assert got.pending == 0, context
    assert [n for n, times in got.posts.items() if times > 1] == [], context
    assert got.messages == want.messages, context
    found = log.read_text().count("in doubt, found")
    print(f"{context}: {len(got.posts)} posts, {found} in-doubt posts found and not re-sent")
    kinds = Counter(title.split(":")[0] for title, _ in want.messages.values())
    assert kinds["Digest"] >= 5 and kinds["Alert"] >= 4, kinds
    assert any(items[-1].startswith("Also covered by") for _, items in want.messages.values())



# ------------------------------------------------------------- `newsdesk run` itself


def _newsdesk_run(config: Path) -> tuple[subprocess.Popen[str], str]:
    """Start `newsdesk run`; return it and its stdout up to the moment it says it runs
    (by then the start-up catch-up has queued and delivered what was due)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "--config", str(config), "run"],
                            cwd=config.parent, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    for line in proc.stderr:
        if "running (console)" in line:
            return proc, ""
    proc.wait(timeout=30)
    raise AssertionError(f"newsdesk run exited with {proc.returncode}")


def _stop(proc: subprocess.Popen[str]) -> str:
    proc.send_signal(15)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0
    return out


def test_newsdesk_run_with_the_console_shows_a_missed_digest_and_alert_once(
    tmp_path: Path,
) -> None:
    from bot.app import Newsdesk
    from bot.config import Settings, StorageSettings

    db = tmp_path / "news.db"
    config = tmp_path / "config.toml"
    config.write_text(f'[storage]\npath = "{db}"\n\n[console]\nenabled = true\n')
    bot = Newsdesk(Settings(storage=StorageSettings(path=str(db))))
    bot.outbox.clock = lambda: datetime.now(UTC) - timedelta(days=2)  # set up two days ago
    asyncio.run(bot.ask("/schedule digest daily 08:00 UTC"))
    asyncio.run(bot.ask("/alert add Aldo Marchetti"))
    bot.ingestor.store_drafts(news()[-4:])  # stored while the bot was not running
    bot.close()

    proc, _ = _newsdesk_run(config)
    shown = _stop(proc)
    assert shown.count("── post to #console ──") == 2
    assert shown.count("Alert: Aldo Marchetti") == 1
    assert shown.count("Digest: 4 new stories") == 1

    proc, _ = _newsdesk_run(config)  # restarted: all of that was shown already
    assert "post to" not in _stop(proc)


def test_newsdesk_run_with_no_adapter_says_so_and_exits_1(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[storage]\npath = "{tmp_path / "news.db"}"\n')
    done = subprocess.run([sys.executable, "-m", "bot.cli", "--config", str(config), "run"],
                          cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "newsdesk: no adapter is enabled; set enabled = true under [console], [discord] or "
        "[slack] in the config."]


if __name__ == "__main__":
    asyncio.run(_work(sys.argv[1], Path(sys.argv[2])))
