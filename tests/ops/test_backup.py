"""`newsdesk db backup`: a consistent copy taken while another process is ingesting."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[2]
TOWNS = ["Harbor City", "Eastvale", "Larkford", "Northgate", "Gull Island", "Callow"]
PEOPLE = ["Mara Quinlan", "Tobias Renn", "Ines Halvorsen", "Odile Farrant", "Paulo Brandt",
          "Aldo Marchetti", "Priya Castellano"]


def _articles(folder: Path, count: int) -> None:
    folder.mkdir()
    for n in range(count):
        town, person = TOWNS[n % len(TOWNS)], PEOPLE[n % len(PEOPLE)]
        (folder / f"{n:03}.md").write_text(
            f"---\ntitle: {town} council item {n}\npublished: 2031-03-{1 + n % 28:02}\n"
            f"source: Wire {n % 5}\n---\n"
            f"The {town} council voted {n} times on Tuesday on plan number {n * 7919}. "
            f"Mayor {person} said the work on item {n} would start in June. "
            f"\"We will build {n + 3} new benches,\" {person} said after the meeting.\n",
            encoding="utf-8")


def _consistent(path: Path) -> int:
    """Articles in the copy, each whole: its search row and its sentences came with it."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("pragma quick_check").fetchone()[0] == "ok"
        assert conn.execute("pragma journal_mode").fetchone()[0] == "delete"
        articles = conn.execute("select count(*) from articles").fetchone()[0]
        indexed = conn.execute("select count(*) from articles_fts").fetchone()[0]
        assert indexed == articles
        without_sentences = conn.execute(
            "select count(*) from articles a where not exists "
            "(select 1 from sentences s where s.article_id = a.id)").fetchone()[0]
        assert without_sentences == 0
        orphans = conn.execute("select count(*) from sentences where article_id not in "
                               "(select id from articles)").fetchone()[0]
        assert orphans == 0
        return int(articles)
    finally:
        conn.close()


def _count(path: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return int(conn.execute("select count(*) from articles").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_backups_taken_during_an_ingest_each_hold_a_consistent_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, store = tmp_path / "news", tmp_path / "live.db"
    _articles(folder, 120)
    ingest = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "ingest", str(folder), "--db", str(store)],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    copies: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while _count(store) < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
        n = 0
        while ingest.poll() is None and time.monotonic() < deadline:
            target = tmp_path / f"copy-{n}.db"
            assert main(["db", "backup", str(target), "--db", str(store)]) == 0
            said = capsys.readouterr().out
            assert f"to {target}" in said
            copies.append(_consistent(target))
            n += 1
    finally:
        out, err = ingest.communicate(timeout=180)
    assert ingest.returncode == 0, err[-2000:]
    assert "120 new articles" in out or "120 new" in out, out
    mid_ingest = [c for c in copies if 0 < c < 120]
    assert mid_ingest, copies  # at least one copy was taken with the ingest half done
    assert copies == sorted(copies)
    # The copy opens as a store and answers.
    last = tmp_path / "final.db"
    assert main(["db", "backup", str(last), "--db", str(store)]) == 0
    capsys.readouterr()
    assert _consistent(last) == 120
    assert main(["ask", "/who mara", "--db", str(last)]) == 0
    assert "Mara Quinlan" in capsys.readouterr().out


def test_a_backup_never_replaces_a_file_unasked_and_refuses_what_is_not_a_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], summit_db: Path
) -> None:
    target = tmp_path / "keep.db"
    target.write_text("precious")
    assert main(["db", "backup", str(target), "--db", str(summit_db)]) == 1
    assert "already exists" in capsys.readouterr().err and target.read_text() == "precious"
    notes = tmp_path / "notes.txt"
    notes.write_text("not a store")
    assert main(["db", "backup", str(tmp_path / "x.db"), "--db", str(notes)]) == 1
    assert "is not a newsdesk store" in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists() and not (tmp_path / "x.db.partial").exists()
    assert main(["db", "backup", str(target), "--db", str(summit_db), "--force"]) == 0
    assert _consistent(target) == 2
