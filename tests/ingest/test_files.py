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


# ------------------------------------------------ bad input costs only itself (issue 23)

GOOD = ("The harbour authority said on Monday that the new ferry terminal would open in May, "
        "two months later than planned, because of delays in delivering the steel frame.")


def _ingest(tmp_path, *items):  # type: ignore[no-untyped-def]
    from bot.ingest.service import Ingestor
    from storage.sqlite_store import SqliteStore

    store = SqliteStore(tmp_path / "news.db")
    return store, Ingestor(store, "en_core_web_sm").ingest_paths(list(items))


@pytest.mark.parametrize("published", ["2019-04-25T10:00:00+25:00", "2019-02-30",
                                       "99999-01-01", "next tuesday-ish 32:99"])
def test_a_bad_date_in_one_file_is_named_and_the_other_files_are_stored(tmp_path, published):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text(f"---\ntitle: Ferry one\n---\n{GOOD}\n")
    (folder / "b.md").write_text(f"---\ntitle: Bad date\npublished: {published}\n---\n{GOOD} "
                                 f"Then again.\n")
    (folder / "c.md").write_text(f"---\ntitle: Ferry three\n---\n{GOOD} The mayor agreed.\n")
    store, report = _ingest(tmp_path, folder)
    assert sorted(store.article(i)["title"] for i in report.added) == ["Ferry one",
                                                                       "Ferry three"]
    (failure,) = report.failed
    assert failure.startswith("b.md: the published date") and "is not valid" in failure


def test_bad_jsonl_lines_are_named_by_number_and_the_good_lines_are_stored(tmp_path):
    path = tmp_path / "batch.jsonl"
    lines = [json.dumps({"title": "One", "text": GOOD}),
             "[" * 100_000,  # RecursionError in the JSON parser
             "{not json",
             json.dumps({"title": "Lone", "text": GOOD + " Odd \ud800 char."}),
             json.dumps({"title": "Late", "text": GOOD + " Later.",
                         "published": "2019-04-25T10:00:00+25:00"}),
             json.dumps({"title": "Five", "text": GOOD + " Five."})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    store, report = _ingest(tmp_path, path)
    titles = sorted(store.article(i)["title"] for i in report.added)
    assert titles == ["Five", "Lone", "One"]
    assert [f.split(" is ")[0].split(":")[0] for f in report.failed] == \
        [f"{path} line 2", f"{path} line 3", f"{path} line 5"]
    assert "not valid JSON" in report.failed[0]
    lone = next(store.article(i) for i in report.added if store.article(i)["title"] == "Lone")
    assert "Odd \ufffd char" in lone["text"]


def test_without_a_problem_list_read_file_still_raises_the_first_bad_line(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"text": GOOD}) + "\n" + "[" * 100_000 + "\n")
    with pytest.raises(NotAnArticle, match="c.jsonl line 2 is not valid JSON"):
        read_file(path)
    problems: list[str] = []
    assert len(read_file(path, problems)) == 1 and len(problems) == 1


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_a_file_with_a_byte_order_mark_is_decoded(tmp_path, encoding):
    path = tmp_path / "u.txt"
    text = f"Ferry delayed\n\n{GOOD} Zoë Müller said so."
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path.write_bytes(data)
    (draft,) = read_file(path)
    assert draft.title == "Ferry delayed" and "Zoë Müller" in draft.text


def test_random_bytes_without_a_nul_are_not_an_article(tmp_path):
    import random

    noise = random.Random(7)
    data = bytes(noise.choice([b for b in range(1, 256)]) for _ in range(100_000))
    path = tmp_path / "noise.txt"
    path.write_bytes(data)
    with pytest.raises(NotAnArticle, match="not words of a language"):
        read_file(path)
    latin1 = tmp_path / "latin1.txt"  # a real Latin-1 file still reads
    latin1.write_bytes(f"Caf\xe9 reopens\n\n{GOOD}".encode("latin-1"))
    assert read_file(latin1)[0].title == "Café reopens"


def test_huge_fields_are_capped(tmp_path):
    from bot.ingest.limits import MAX_AUTHOR_CHARS, MAX_SOURCE_CHARS, MAX_TITLE_CHARS

    path = tmp_path / "big.md"
    title = "Headline " * 1_200_000  # about 10 MB on one line
    path.write_text(f"---\ntitle: {title}\nsource: {'Post ' * 1000}\nauthor: {'Ann ' * 1000}\n"
                    f"url: https://x.example/{'a' * 5000}\n---\n{GOOD}\n")
    (draft,) = read_file(path)
    assert len(draft.title) <= MAX_TITLE_CHARS and draft.title.endswith("…")
    assert len(draft.source) <= MAX_SOURCE_CHARS and len(draft.author) <= MAX_AUTHOR_CHARS
    assert draft.url == "", "a cut address would lead nowhere"


def test_a_long_text_file_is_cut_at_a_paragraph_and_marked(tmp_path):
    from bot.ingest.limits import TRUNCATED_MARK

    path = tmp_path / "long.txt"
    paragraphs = [f"{GOOD} Paragraph {i}." for i in range(10_000)]  # about 1.8 MB
    path.write_text("Long report\n\n" + "\n\n".join(paragraphs))
    (draft,) = read_file(path)
    assert len(draft.text) <= 200_000
    body = draft.text.removesuffix("\n\n" + TRUNCATED_MARK)
    assert body != draft.text and body.endswith(".")
    assert body.split("\n\n")[-1] in paragraphs, "only whole paragraphs are kept"
