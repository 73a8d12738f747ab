"""The `newsdesk` command end to end: ingest, ask, analyze, demo, and its errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import build_parser, main
from tests.conftest import DEMO_DIR


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(summit_db: Path, tmp_path: Path) -> str:
    copy = tmp_path / "cli.db"
    copy.write_bytes(summit_db.read_bytes())
    return str(copy)


def test_ask_who_json_lists_each_main_person_once_with_a_role(capsys, db):
    code, out, _ = run_cli(capsys, "ask", "/who", "--json", "--db", db)
    assert code == 0
    people = json.loads(out)
    names = [p["name"].replace(" ", "-").lower() for p in people if p["kind"] == "person"]
    for wanted in ("kim-jong-un", "vladimir-putin", "donald-trump"):
        assert names.count(wanted) == 1, names
    for person in people:
        assert set(person) >= {"name", "aliases", "role", "kind", "mentions", "sources"}
        for ref in person["sources"]:
            assert set(ref) == {"id", "title", "source", "url", "published"}
    main_people = [p for p in people if p["name"].lower().replace(" ", "-") in
                   ("kim-jong-un", "vladimir-putin", "donald-trump")]
    assert all(p["role"] for p in main_people)


def test_ask_when_json_dates_the_summit_and_the_return_home(capsys, db):
    code, out, _ = run_cli(capsys, "ask", "/when", "--json", "--db", db)
    assert code == 0
    timeline = json.loads(out)
    dates = [e["date"] for e in timeline]
    assert dates == sorted(dates), "the timeline runs oldest first"
    summit = [e for e in timeline if e["date"] == "2019-04-25"]
    assert any("met" in e["text"] or "summit" in e["text"] for e in summit)
    home = [e for e in timeline if e["date"] == "2019-04-27"]
    assert any("returned home" in e["text"] for e in home)
    for entry in timeline:
        assert entry["precision"] in ("day", "month", "year")
        assert entry["sources"]


def test_quote_putin_shows_his_two_quotes(capsys, db):
    code, out, _ = run_cli(capsys, "ask", "/quote putin", "--json", "--db", db)
    assert code == 0
    quotes = json.loads(out)
    texts = " ".join(q["text"] for q in quotes)
    assert "step by step" in texts
    assert "security and sovereignty" in texts
    assert {q["speaker"] for q in quotes} == {"Vladimir Putin"}


def test_summary_json_has_three_to_six_cited_sentences(capsys, db):
    code, out, _ = run_cli(capsys, "ask", "/summary", "--json", "--db", db)
    assert code == 0
    sentences = json.loads(out)["sentences"]
    assert 3 <= len(sentences) <= 6
    assert all(s["sources"] for s in sentences)
    assert not any("Advertisement" in s["text"] or "Read more" in s["text"] for s in sentences)


def test_ingesting_the_same_coverage_again_stores_nothing_new(capsys, db):
    code, out, _ = run_cli(capsys, "ingest", str(DEMO_DIR), "--db", db)
    assert code == 0
    assert "0 new articles" in out and "2 already stored" in out


def test_a_missing_file_is_one_clear_line_and_the_store_keeps_its_articles(capsys, db):
    code, _, err = run_cli(capsys, "ingest", "/no/such/file.md", "--db", db)
    assert code == 1
    assert "does not exist" in err and "Traceback" not in err
    code, out, _ = run_cli(capsys, "ask", "/who", "--json", "--db", db)
    assert any(p["name"] == "Vladimir Putin" for p in json.loads(out))


def test_a_file_that_is_not_an_article_is_refused_with_a_reason(capsys, db, tmp_path):
    binary = tmp_path / "picture.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    code, _, err = run_cli(capsys, "ingest", str(binary), "--db", db)
    assert code == 1
    assert "not an article" in err
    assert len(err.strip().splitlines()) == 1


def test_a_malformed_front_matter_date_is_named(capsys, db, tmp_path):
    bad = tmp_path / "bad-date.md"
    bad.write_text("---\ntitle: Storm hits coast\npublished: the day after tomorrow-ish\n---\n"
                   "A storm hit the coast on Monday, officials said.\n")
    code, _, err = run_cli(capsys, "ingest", str(bad), "--db", db)
    assert code == 1
    assert "published date" in err and "Traceback" not in err


def test_an_unknown_command_is_one_clear_line(capsys, db):
    code, out, _ = run_cli(capsys, "ask", "/weather", "--db", db)
    assert code == 1
    assert "Unknown command /weather" in out


def test_analyze_json_offsets_point_into_the_text(capsys):
    article = DEMO_DIR / "2019-04-26-kim-concludes-russia-trip.md"
    code, out, _ = run_cli(capsys, "analyze", str(article), "--json")
    assert code == 0
    result = json.loads(out)
    assert set(result) == {"title", "published", "source", "url", "text", "people", "times",
                           "quotes"}
    text = result["text"]
    assert result["published"] == "2019-04-26"
    for person in result["people"]:
        assert set(person) == {"name", "aliases", "kind", "role", "mentions"}
        for start, end in person["mentions"]:
            assert 0 <= start < end <= len(text)
    for time in result["times"]:
        assert text[time["start"]:time["end"]] == time["text"]
        assert time["type"] in ("DATE", "TIME", "DURATION", "SET")
    for quote in result["quotes"]:
        assert text[quote["start"]:quote["end"]] == quote["text"]


def test_every_command_has_help_text():
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.choices and "ask" in a.choices)
    for name, sub in subparsers.choices.items():
        assert sub.description, f"newsdesk {name} has no help text"


def test_an_unknown_config_key_fails_at_start_naming_it(capsys, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("[fetch]\ntimeout = 3\n")
    code, _, err = run_cli(capsys, "--config", str(config), "ask", "/who")
    assert code == 1
    assert "fetch.timeout" in err


def test_demo_ask_answers_from_the_bundled_coverage_in_a_fresh_process(tmp_path):
    env = {**os.environ, "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "demo", "--ask", "/who"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    for name in ("Kim Jong", "Vladimir Putin", "Donald Trump"):
        assert name in done.stdout
    assert "Traceback" not in done.stderr


def test_sources_locally_refuse_a_private_address_and_export_opml(capsys, db):
    code, out, _ = run_cli(capsys, "sources", "add", "http://127.0.0.1:9/feed.xml", "--db", db)
    assert code == 1 and "private or local" in out.lower()
    code, out, _ = run_cli(capsys, "sources", "list", "--db", db)
    assert code == 0 and "No sources yet" in out
    code, out, _ = run_cli(capsys, "sources", "export", "--db", db)
    assert code == 0 and out.lstrip().startswith("<?xml") and "<opml" in out


def test_an_empty_folder_is_reported_not_silently_ignored(capsys, db, tmp_path):
    empty = tmp_path / "nothing-here"
    empty.mkdir()
    code, _, err = run_cli(capsys, "ingest", str(empty), "--db", db)
    assert code == 1 and "holds no article files" in err


def test_a_very_long_topic_is_not_echoed_back_in_full(capsys, db):
    code, out, _ = run_cli(capsys, "ask", "/when " + "z" * 3000, "--db", db)
    assert code == 0 and len(out) < 300
