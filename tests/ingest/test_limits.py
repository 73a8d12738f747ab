"""The article-length cap and field limits every draft passes through, and empty inputs."""

from __future__ import annotations

from bot.cli import main
from bot.config import IngestSettings
from bot.ingest import limits
from bot.ingest.feeds import parse_feed
from bot.ingest.limits import TRUNCATED_MARK, cap_draft, cap_text, looks_like_language
from bot.models import ArticleDraft
from storage.sqlite_store import SqliteStore

SENTENCE = "The council met on Monday and agreed to repair the old bridge before winter. "


def test_the_default_cap_is_well_under_spacys_limit():
    assert IngestSettings().max_article_chars == 200_000
    draft = ArticleDraft(title="t", text=(SENTENCE * 10 + "\n\n") * 2_000)  # about 1.6 MB
    capped = cap_draft(draft)
    assert len(capped.text) <= 200_000 and capped.text.endswith(TRUNCATED_MARK)


def test_one_line_without_paragraphs_is_cut_at_a_sentence_or_space():
    text, cut = cap_text(SENTENCE * 1_000, 5_000)
    assert cut and len(text) <= 5_000
    assert text.removesuffix("\n\n" + TRUNCATED_MARK).endswith("winter.")
    word, cut = cap_text("x" * 50_000, 5_000)  # one 50k "word": cut where it must be
    assert cut and len(word) <= 5_000


def test_a_short_text_is_left_alone():
    draft = ArticleDraft(title="Bridge", text=SENTENCE, source="Post", author="Ann")
    assert cap_draft(draft) is draft


def test_the_configured_cap_applies_to_feed_entries():
    body = "".join(f"<p>{SENTENCE * 5}</p>" for _ in range(200))
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
            f"<item><title>Long</title><description><![CDATA[{body}]]></description></item>"
            "</channel></rss>")
    limits.configure(IngestSettings(max_article_chars=10_000))
    (entry,) = parse_feed(feed.encode()).entries
    assert len(entry.text) <= 10_000 and entry.text.endswith(TRUNCATED_MARK)


def test_language_is_told_from_noise():
    assert looks_like_language("The mayor said on Tuesday that the bridge will reopen.")
    assert not looks_like_language("ÿ\x8fQ#ä0ÄzÔ~\x9a¶Ë" * 500)
    assert not looks_like_language("   ")
    # A results table is mostly numbers, and still news.
    assert looks_like_language("Final table: 1. Arsenal 38 26 8 4 84; 2. Chelsea 38 25 6 7 81; "
                               "3. Leeds 38 20 9 9 69; won 2-1 at 12:30, $4.5bn deal.")
    noise = bytes(range(33, 127)).decode() * 50
    assert not looks_like_language(" ".join(noise[i:i + 60] for i in range(0, len(noise), 60)))


def test_ingest_of_an_empty_path_is_refused_not_the_current_folder(tmp_path, monkeypatch,
                                                                   capsys):
    folder = tmp_path / "here"
    folder.mkdir()
    (folder / "a.txt").write_text("Bridge repaired\n\n" + SENTENCE * 3)
    monkeypatch.chdir(folder)
    db = tmp_path / "news.db"
    status = main(["ingest", "", "--db", str(db)])
    captured = capsys.readouterr()
    assert "empty path" in captured.err
    assert status == 1
    store = SqliteStore(db)
    assert store.count_articles() == 0
    store.close()
