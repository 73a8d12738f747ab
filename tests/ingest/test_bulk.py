"""`newsdesk ingest` as a user runs it on an archive: streaming, interrupted and resumed, bad
items skipped by name, concurrent runs, pipes and devices refused, progress and --json.

Each command runs in a subprocess with a timeout, so a hang fails the test instead of
blocking the suite.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.ingest.articles import jsonl_lines, markdown, write_folder, write_jsonl

pytestmark = pytest.mark.slow
TIMEOUT_S = 420  # generous for a shared machine; a hang is what it catches


def newsdesk(*argv: str, env: dict[str, str] | None = None,
             timeout: float = TIMEOUT_S) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot.cli", *argv], capture_output=True,
                          text=True, timeout=timeout, env=env)


def start(*argv: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "bot.cli", *argv], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def stored(db: Path) -> tuple[int, int]:
    """(articles, distinct articles) in the store."""
    with sqlite3.connect(db) as conn:
        return conn.execute("select count(*), count(distinct content_hash) "
                            "from articles").fetchone()


def new_store(tmp_path: Path) -> Path:
    """An empty store, created before any concurrent use (as `newsdesk` does on first use)."""
    db = tmp_path / "news.db"
    assert newsdesk("ask", "/who", "--db", str(db), timeout=120).returncode == 0
    return db


def test_a_folder_of_250_files_with_one_bad_date_finishes_and_names_it(tmp_path):
    folder = tmp_path / "archive"
    write_folder(folder, 250)
    bad = folder / "story-00125-bad.md"
    bad.write_text("---\ntitle: Bad offset\npublished: 2019-04-25T10:00:00+25:00\n---\n"
                   "The council met on Tuesday and agreed to build a bridge.\n")
    done = newsdesk("ingest", str(folder), "--db", str(tmp_path / "news.db"), "--processes",
                    "2")
    assert done.returncode == 0, done.stderr
    assert "250 new articles, 1 skipped" in done.stdout
    (line,) = [x for x in done.stderr.splitlines() if x.startswith("skipped:")]
    assert "story-00125-bad.md" in line and "Traceback" not in done.stderr
    assert stored(tmp_path / "news.db") == (250, 250)


def test_two_ingests_of_one_folder_at_once_both_finish_and_store_each_article_once(tmp_path):
    folder = tmp_path / "archive"
    write_folder(folder, 120)
    db = new_store(tmp_path)
    runs = [start("ingest", str(folder), "--db", str(db), "--processes", "1", "--json")
            for _ in range(2)]
    reports = []
    for run in runs:
        out, err = run.communicate(timeout=TIMEOUT_S)
        assert run.returncode == 0, err
        reports.append(json.loads(out))
    assert stored(db) == (120, 120)
    assert sum(r["stored"] for r in reports) == 120
    assert all(r["stored"] + r["skipped_as_copies"] == 120 for r in reports)


def _wait_for_some(db: Path, proc: subprocess.Popen[str], at_least: int = 1) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the import ended before it could be interrupted"
        try:
            if stored(db)[0] >= at_least:
                return
        except sqlite3.Error:
            pass
        time.sleep(0.2)
    raise AssertionError("nothing was stored in time")


@pytest.mark.parametrize("how", ["ctrl-c", "kill -9"])
def test_an_interrupted_import_run_again_loses_nothing_and_stores_nothing_twice(tmp_path, how):
    archive = write_jsonl(tmp_path / "archive.jsonl", jsonl_lines(200))
    db = new_store(tmp_path)
    argv = ("ingest", str(archive), "--db", str(db), "--processes", "1")
    proc = start(*argv)
    _wait_for_some(db, proc)
    proc.send_signal(signal.SIGINT if how == "ctrl-c" else signal.SIGKILL)
    out, err = proc.communicate(timeout=TIMEOUT_S)
    if how == "ctrl-c":
        assert proc.returncode == 130, err
        assert "run the same command to go on" in err and "of 200" in err
        assert "Traceback" not in err
    first, _ = stored(db)
    assert 0 < first < 200, "the interrupt came too late to test anything"
    again = newsdesk(*argv)
    assert again.returncode == 0, again.stderr
    assert f"{200 - first} new articles, {first} already stored" in again.stdout
    assert stored(db) == (200, 200)


def test_bad_lines_in_the_middle_of_a_jsonl_are_named_and_the_rest_stored(tmp_path):
    lines = jsonl_lines(40)
    lines[5] = '{"title": "cut off", "text": "The mayor'
    lines[10] = json.dumps({"title": "Surrogate", "text": "The mayor said \ud800 it rains."})
    lines[15] = "[" * 100_000
    lines[20] = json.dumps({"title": "Offset", "text": "The council met.",
                            "published": "2019-04-25T10:00:00+25:00"})
    archive = write_jsonl(tmp_path / "archive.jsonl", lines)
    done = newsdesk("ingest", str(archive), "--db", str(tmp_path / "news.db"),
                    "--processes", "1", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    # A lone surrogate is not worth an article: it becomes U+FFFD and the line is stored.
    assert report["stored"] == 37
    skipped = {s["item"]: s["reason"] for s in report["skipped"]}
    assert set(skipped) == {f"{archive} line {n}" for n in (6, 16, 21)}
    assert skipped[f"{archive} line 6"] == "is not valid JSON."
    assert "not valid" in skipped[f"{archive} line 21"]
    assert stored(tmp_path / "news.db") == (37, 37)


def test_a_gzipped_jsonl_is_read_and_the_json_report_has_its_documented_shape(tmp_path):
    archive = write_jsonl(tmp_path / "archive.jsonl.gz", jsonl_lines(12) + ["not json"])
    done = newsdesk("ingest", str(archive), "--db", str(tmp_path / "news.db"), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert set(report) == {"stored", "updated", "skipped_as_copies", "skipped", "interrupted",
                           "total", "seconds"}
    assert report["stored"] == 12 and report["skipped_as_copies"] == 0
    assert report["skipped"] == [{"item": f"{archive} line 13", "reason": "is not valid JSON."}]
    assert report["interrupted"] is False and report["total"] is None  # unknown for a .gz
    again = json.loads(newsdesk("ingest", str(archive), "--db", str(tmp_path / "news.db"),
                                "--json").stdout)
    assert again["stored"] == 0 and again["skipped_as_copies"] == 12


def test_without_a_terminal_the_progress_is_one_summary_line(tmp_path):
    folder = tmp_path / "few"
    write_folder(folder, 3)
    done = newsdesk("ingest", str(folder), "--db", str(tmp_path / "news.db"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["3 new articles."]
    assert done.stderr == ""


@pytest.mark.parametrize("command", ["ingest", "analyze"])
def test_a_named_pipe_is_refused_at_once_with_one_sentence(tmp_path, command):
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    argv = [command, str(fifo)] + (["--db", str(tmp_path / "news.db")]
                                   if command == "ingest" else [])
    done = newsdesk(*argv, timeout=120)
    assert done.returncode == 1
    message = done.stderr.strip()
    assert "is not a regular file (it is a named pipe)" in message
    assert len(message.splitlines()) == 1 and "Traceback" not in message


def test_dev_zero_as_an_input_or_a_config_is_refused_unread(tmp_path):
    done = newsdesk("ingest", "/dev/zero", "--db", str(tmp_path / "news.db"), timeout=120)
    assert done.returncode == 1
    assert "/dev/zero is not a regular file (it is a device)" in done.stderr
    done = newsdesk("--config", "/dev/zero", "ask", "/who", timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip() == "newsdesk: Config file /dev/zero is not a regular file."


def test_a_folder_tree_with_a_pipe_inside_is_read_around_it(tmp_path):
    folder = tmp_path / "tree"
    (folder / "2024" / "03").mkdir(parents=True)
    (folder / "2024" / "03" / "a.md").write_text(markdown(1), encoding="utf-8")
    (folder / "b.md").write_text(markdown(2), encoding="utf-8")
    os.mkfifo(folder / "2024" / "pipe.md")
    done = newsdesk("ingest", str(folder), "--db", str(tmp_path / "news.db"))
    assert done.returncode == 0, done.stderr
    assert "2 new articles" in done.stdout
