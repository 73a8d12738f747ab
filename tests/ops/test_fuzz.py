"""Bad input, fuzzed: commands, front matter, jsonl, feeds and config never give a traceback,
and an ingest of fuzzed files never leaves a half-stored article.

Deterministic (derandomize, no example database) and small (modest max_examples), so the
suite stays fast and a failure repeats on every run.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import config as config_module
from bot.app import Newsdesk
from bot.commands import COMMANDS
from bot.config import Settings
from bot.errors import ConfigError, UserError
from bot.ingest.feeds import parse_feed
from bot.ingest.files import parse_front_matter, parse_jsonl
from bot.models import ArticleDraft, Reply

FUZZ = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
NAMES = sorted({"/" + c.name for c in COMMANDS} | {"/alert", "/source", "/schedule", "/"})
# Words that mean something somewhere: numbers too big for SQLite, URLs, cron, zones, markup.
NASTY = st.sampled_from([
    "99999999999999999999", "-1", "0", "1e400", "nan", "http://[::1/x", "http://127.0.0.1/",
    "file:///etc/passwd", "daily 25:61", "* * * * *", "../../etc", "@everyone", "<@123>",
    "story:", "story:99999999999999999999", "\x00", "\ud800", "'; drop table articles; --",
    "\"", "*", "%", "putin", "Kim Jong-un", " ", "\n", "ü" * 300, "²", "١٢", "#7", "1.5",
    "http://a:b/", "story:1", "weekdays 07:30 Mars/Olympus", "every 0h", "60 * * * *",
])
ARGS = st.lists(st.one_of(NASTY, st.text(max_size=40)), max_size=4).map(" ".join)


@pytest.fixture
def desk(summit_bot: Newsdesk) -> Newsdesk:
    """The shared summit core (tests/conftest.py), under the name these tests read best with."""
    return summit_bot


def _said(reply: Reply) -> str:
    return " ".join([reply.title, reply.footer, *(i.text + " " + i.detail for i in reply.items)])


def test_every_command_with_every_nasty_argument_gets_one_sentence(desk: Newsdesk) -> None:
    """The whole cross product, not a sample: each pair is cheap and each once was a bug."""
    words = NASTY.wrapped_strategy.elements if hasattr(NASTY, "wrapped_strategy") \
        else NASTY.elements
    for name in NAMES:
        for word in words:
            reply = asyncio.run(desk.ask(f"{name} {word}", is_admin=True))
            assert "went wrong" not in _said(reply), (name, word, _said(reply))


@FUZZ
@given(name=st.sampled_from(NAMES), args=ARGS, admin=st.booleans())
def test_any_command_line_gets_an_answer_never_a_crash(
    desk: Newsdesk, name: str, args: str, admin: bool
) -> None:
    reply = asyncio.run(desk.ask(f"{name} {args}", is_admin=admin))
    assert isinstance(reply, Reply)
    assert "went wrong" not in _said(reply), (name, args, _said(reply))


@FUZZ
@given(raw=st.one_of(
    st.text(max_size=400),
    st.builds(lambda head, body: f"---\n{head}\n---\n{body}",
              st.lists(st.one_of(
                  st.builds(lambda k, v: f"{k}: {v}",
                            st.sampled_from(["title", "published", "date", "source", "url",
                                             "author", "x"]),
                            st.one_of(NASTY, st.text(max_size=40),
                                      st.sampled_from(["2019-04-25T10:00:00+25:00",
                                                       "2019-02-30", "9999-99-99", "0000-01-01",
                                                       "yesterday", "1e10"]))),
                  st.text(max_size=30)), max_size=6).map("\n".join),
              st.text(max_size=200)),
))
def test_front_matter_gives_an_article_or_one_sentence(raw: str) -> None:
    try:
        draft = parse_front_matter(raw, "fuzz.md")
    except UserError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert isinstance(draft, ArticleDraft) and draft.text.strip()


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
              st.text(max_size=30), NASTY),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=8)
RECORDS = st.fixed_dictionaries({}, optional={
    "title": JSON_VALUES, "text": st.one_of(st.text(max_size=200), JSON_VALUES),
    "published": st.one_of(JSON_VALUES, st.sampled_from(["2019-04-25", "2019-13-45",
                                                         "2019-04-25T10:00:00+25:00"])),
    "source": JSON_VALUES, "url": JSON_VALUES,
})


@FUZZ
@given(lines=st.lists(st.one_of(RECORDS.map(json.dumps), st.text(max_size=60),
                                 JSON_VALUES.map(json.dumps)), max_size=5))
def test_jsonl_lines_give_articles_or_one_sentence(lines: list[str]) -> None:
    try:
        drafts = list(parse_jsonl("\n".join(lines), "fuzz.jsonl"))
    except UserError as exc:
        assert str(exc)
        return
    assert all(isinstance(d, ArticleDraft) and d.text.strip() for d in drafts)


def _rss(items: list[tuple[str, str, str, str]]) -> str:
    body = "".join(f"<item><title>{t}</title><link>{link}</link><pubDate>{d}</pubDate>"
                   f"<description>{x}</description></item>" for t, link, d, x in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{body}' \
           "</channel></rss>"


FEED_TEXT = st.one_of(st.text(max_size=60), NASTY,
                      st.sampled_from(["<![CDATA[<b>x</b>]]>", "&amp;", "&bogus;", "<",
                                       "Mon, 99 Foo 2019", "javascript:alert(1)"]))


@FUZZ
@given(doc=st.one_of(
    st.binary(max_size=300),
    st.lists(st.tuples(FEED_TEXT, FEED_TEXT, FEED_TEXT, FEED_TEXT), max_size=4).map(_rss),
    st.text(max_size=300).map(lambda t: f'<feed xmlns="http://www.w3.org/2005/Atom">{t}'),
))
def test_any_feed_document_parses_or_is_refused_never_raises(doc: str | bytes) -> None:
    feed = parse_feed(doc, "http://127.0.0.1/feed.xml")
    if feed is not None:
        assert all(isinstance(e, ArticleDraft) for e in feed.entries)


CONFIG_VALUES = st.one_of(st.booleans(), st.integers(), st.floats(), st.text(max_size=20),
                          st.lists(st.one_of(st.text(max_size=10), st.integers()), max_size=3),
                          st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))
SECTIONS = ["storage", "nlp", "fetch", "scheduler", "console", "slack", "discord", "ops",
            "log", "nope"]
KEYS = ["path", "model", "timeout_s", "max_bytes", "allow_networks", "timezone", "enabled",
        "mode", "port", "host", "api_url", "gateway_url", "guilds", "format", "admins", "x"]


@FUZZ
@given(data=st.dictionaries(st.sampled_from(SECTIONS),
                            st.one_of(st.dictionaries(st.sampled_from(KEYS), CONFIG_VALUES,
                                                      max_size=4), CONFIG_VALUES),
                            max_size=4))
def test_any_config_is_settings_or_one_sentence_naming_the_key(data: dict) -> None:
    try:
        loaded = config_module.from_mapping(data, env={})
    except ConfigError as exc:
        assert str(exc).startswith(("Config key", "Unknown config", "Config file")), str(exc)
        return
    assert isinstance(loaded, Settings)


@FUZZ
@given(text=st.text(max_size=200))
def test_any_config_file_text_is_settings_or_one_sentence(text: str, tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        config_module.load(path, env={})
    except ConfigError as exc:
        assert str(exc)


STORY_TEXT = st.one_of(
    st.text(min_size=1, max_size=300),
    st.sampled_from([
        "Mayor Mara Quinlan said on Tuesday that the ferry would sail in June.",
        "\"We will win,\" said Tobias Renn, the governor, on Friday.",
    ]).flatmap(lambda s: st.text(max_size=80).map(lambda t: s + " " + t)),
)


@settings(max_examples=12, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(files=st.lists(st.tuples(st.sampled_from(["md", "txt", "jsonl"]), STORY_TEXT,
                                st.one_of(NASTY, st.text(max_size=20))), min_size=1, max_size=4))
def test_an_ingest_of_fuzzed_files_stores_whole_articles_or_none(
    desk: Newsdesk, tmp_path_factory: pytest.TempPathFactory,
    files: list[tuple[str, str, str]],
) -> None:
    folder = tmp_path_factory.mktemp("fuzzed")
    for n, (kind, text, title) in enumerate(files):
        if kind == "jsonl":
            body = json.dumps({"title": title, "text": text, "published": title}) + "\n"
        else:
            body = f"---\ntitle: {title}\npublished: {title}\n---\n{text}\n"
        (folder / f"{n}.{kind}").write_text(body, encoding="utf-8", errors="surrogatepass")
    with contextlib.suppress(UserError):
        desk.ingestor.ingest_paths([folder])
    conn = desk.store.db.conn
    assert conn.execute("pragma quick_check").fetchone()[0] == "ok"
    articles = conn.execute("select count(*) from articles").fetchone()[0]
    assert conn.execute("select count(*) from articles_fts").fetchone()[0] == articles
    for table in ("article_people", "times", "quotes", "sentences", "events"):
        orphans = conn.execute(f"select count(*) from {table} where article_id not in "
                               "(select id from articles)").fetchone()[0]
        assert orphans == 0, table
    assert not conn.in_transaction
