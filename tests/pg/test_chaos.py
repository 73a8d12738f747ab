"""Three processes over one PostgreSQL store, SIGKILLed at random: every article stored once,
every post delivered once, the alerts of a run that was never killed.

Each process is the real core of tests/test_restarts.py (ingest with the NLP pass, alerts,
scheduled digests, the outbox, `Service`'s start-up catch-up), all three working through the
same news at once, so they race on every article, decision and post.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psycopg

from tests.test_restarts import ROOT, news, outcome, read_records

WORKERS = 3
KILLS = 8


def _start(target: str, posts: Path, log: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with log.open("a") as errors:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.test_restarts", target, str(posts)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, text=True, stderr=errors)


def _alerts(messages: dict[str, tuple[str, tuple[str, ...]]]) -> list[tuple[str, tuple[str, ...]]]:
    return sorted(m for m in messages.values() if m[0].startswith("Alert"))


def test_three_workers_killed_at_random_store_and_post_everything_once(
        pg_url: str, tmp_path: Path) -> None:
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    log = tmp_path / "workers.log"
    ref_db, ref_posts = tmp_path / "ref.db", tmp_path / "ref-posts.jsonl"
    reference = _start(str(ref_db), ref_posts, log)  # one process on SQLite, never killed

    posts = tmp_path / "posts.jsonl"
    workers = [_start(pg_url, posts, log) for _ in range(WORKERS)]
    kills, at = 0, []
    deadline = time.monotonic() + 240
    with psycopg.connect(pg_url, autocommit=True) as watch:
        def stored() -> int:
            try:
                return int(watch.execute("select count(*) from articles").fetchone()[0])
            except psycopg.errors.UndefinedTable:
                return 0  # not migrated yet

        last = stored()
        while kills < KILLS and last < len(news()) and time.monotonic() < deadline:
            # Kill in the middle of the work: just after an article was stored, into the
            # next one's NLP pass, its transaction, or the alerts and posts it set off.
            while stored() == last and time.monotonic() < deadline:
                time.sleep(0.02)
            time.sleep(rng.uniform(0, 0.3))
            victim = rng.randrange(WORKERS)
            if workers[victim].poll() is None:
                workers[victim].kill()
                kills += 1
                at.append(stored())
            workers[victim].communicate(timeout=30)
            workers[victim] = _start(pg_url, posts, log)
            last = stored()
    for worker in workers:  # the survivors and replacements run to the end
        worker.communicate(timeout=240)
        assert worker.returncode == 0, log.read_text()[-2000:]
    reference.communicate(timeout=240)
    assert reference.returncode == 0, log.read_text()[-2000:]

    with psycopg.connect(pg_url) as conn:
        articles = conn.execute("select count(*) from articles").fetchone()[0]
        pending = conn.execute("select count(*) from outbox where sent_at is null "
                               "and gave_up_at is null").fetchone()[0]
        items = conn.execute("select d.article_id, count(*) from digest_items d join outbox o "
                             "on o.id = d.outbox_id group by d.article_id").fetchall()
    got = outcome_of(posts)
    want = outcome(ref_db, ref_posts)
    context = f"seed {seed}, {kills} kills (articles stored at each: {at})"
    assert articles == want.articles == len(news()), context
    assert pending == 0, context
    assert [n for n, times in got.items() if times > 1] == [], context
    assert all(n == 1 for _, n in items), f"an article in two digests ({context})"
    assert _alerts(messages_of(posts)) == _alerts(want.messages), context
    kinds = Counter(title.split(":")[0] for title, _ in messages_of(posts).values())
    assert kinds["Digest"] >= 1 and kinds["Alert"] >= 4, (kinds, context)
    print(f"{context}: {sum(got.values())} posts, each once")


def outcome_of(posts: Path) -> Counter[str]:
    """How many times each nonce was posted."""
    return Counter(r["nonce"] for r in read_records(posts) if r["op"] == "post")


def messages_of(posts: Path) -> dict[str, tuple[str, tuple[str, ...]]]:
    messages: dict[str, tuple[str, tuple[str, ...]]] = {}
    for record in read_records(posts):
        if record["op"] == "post":
            messages[f"msg-{record['nonce']}"] = (record["title"], tuple(record["items"]))
        else:
            title, _ = messages[record["message_id"]]
            messages[record["message_id"]] = (title, tuple(record["items"]))
    return messages
