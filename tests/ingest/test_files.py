"""Local article files: front matter, .jsonl, folders, and clear refusals."""

from __future__ import annotations

import json

import pytest

from bot.errors import NotAnArticle, UserError
from bot.ingest.files import iter_paths, read_file


def test_front_matter_gives_title_date_source_and_url(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: Floods close roads\npublished: 2023-10-02\nsource: Valley Post\n"
                    "url: https://valley.example/floods\n---\nFloods closed roads on Sunday.\n")
    (draft,) = read_file(path)
    assert draft.title == "Floods close roads"
    assert draft.published.date().isoformat() == "2023-10-02"
    assert draft.source == "Valley Post" and draft.url == "https://valley.example/floods"
    assert draft.text == "Floods closed roads on Sunday.\n"


def test_a_text_file_without_front_matter_takes_its_first_line_as_title(tmp_path):
    path = tmp_path / "b.txt"
    path.write_text("Mayor resigns\n\nThe mayor resigned on Tuesday.")
    (draft,) = read_file(path)
    assert draft.title == "Mayor resigns" and draft.published is None


def test_jsonl_reads_one_article_per_line_and_names_a_bad_line(tmp_path):
    path = tmp_path / "c.jsonl"
    rows = [{"title": "One", "text": "First story.", "published": "2022-01-05"},
            {"title": "Two", "text": "Second story.", "source": "Wire"}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    assert [d.title for d in read_file(path)] == ["One", "Two"]
    path.write_text(json.dumps(rows[0]) + "\n{not json\n")
    with pytest.raises(NotAnArticle, match="line 2"):
        read_file(path)


def test_a_garbled_date_is_named(tmp_path):
    path = tmp_path / "d.md"
    path.write_text("---\npublished: 32/13/2020 maybe\n---\nText.\n")
    with pytest.raises(NotAnArticle, match="published date"):
        read_file(path)


def test_an_empty_article_and_a_missing_file_are_refused(tmp_path):
    empty = tmp_path / "e.md"
    empty.write_text("---\ntitle: Nothing\n---\n   \n")
    with pytest.raises(NotAnArticle, match="no article text"):
        read_file(empty)
    with pytest.raises(UserError, match="does not exist"):
        read_file(tmp_path / "missing.md")


def test_a_folder_yields_its_article_files_but_not_hidden_or_other_files(tmp_path):
    (tmp_path / "a.md").write_text("A story.")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "b.md").write_text("Hidden.")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.jsonl").write_text('{"text": "x"}\n')
    assert [p.name for p in iter_paths(tmp_path)] == ["a.md", "c.jsonl"]


def test_an_unclosed_front_matter_block_is_named(tmp_path):
    path = tmp_path / "f.md"
    path.write_text("---\ntitle: Bridge reopens\npublished: 2024-01-02\nThe bridge reopened.\n")
    with pytest.raises(NotAnArticle, match="not closed"):
        read_file(path)
