"""`newsdesk analyze`: what the extractors find in one article, as the documented JSON."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.errors import NotAnArticle, UserError
from bot.ingest import limits
from bot.ingest.files import read_file
from bot.ingest.stream import not_regular
from bot.models import Analysis, ArticleDraft
from bot.nlp.pipeline import analyze_doc, load_model


def published_json(value: datetime | None) -> str | None:
    """A date when the article gives only a date, else the full timestamp."""
    if value is None:
        return None
    if (value.hour, value.minute, value.second) == (0, 0, 0):
        return value.date().isoformat()
    return value.isoformat()


def analysis_json(draft: ArticleDraft, analysis: Analysis) -> dict[str, Any]:
    return {
        "title": draft.title,
        "published": published_json(draft.published),
        "source": draft.source,
        "url": draft.url,
        "text": draft.text,
        "people": [
            {"name": p.name, "aliases": list(p.aliases), "kind": p.kind, "role": p.role,
             "mentions": [list(m) for m in p.mentions]}
            for p in analysis.people
        ],
        "times": [
            {"start": t.start, "end": t.end, "text": t.text, "type": t.type, "value": t.value,
             "precision": t.precision}
            for t in analysis.times
        ],
        "quotes": [
            {"start": q.start, "end": q.end, "text": q.text, "speaker": q.speaker, "cue": q.cue}
            for q in analysis.quotes
        ],
    }


async def _fetch_draft(url: str, settings: Settings) -> ArticleDraft:
    from bot.sources import fetch_article

    return await fetch_article(url, settings.fetch)


def load_draft(item: str, settings: Settings) -> ArticleDraft:
    if item.startswith(("http://", "https://")):
        return asyncio.run(_fetch_draft(item, settings))
    path = Path(item)
    if path.is_dir():
        raise UserError(f"{item} is a folder; analyze takes one article file.")
    try:
        problem = not_regular(path, path.stat().st_mode, "give one article file")
    except OSError:
        problem = None  # read_file names what is wrong (missing, unreadable)
    if problem:
        raise UserError(problem)
    drafts = read_file(path)
    if len(drafts) != 1:
        raise NotAnArticle(f"{path.name} holds {len(drafts)} articles; analyze takes one.")
    return drafts[0]


def analyze_input(item: str, settings: Settings) -> dict[str, Any]:
    limits.configure(settings.ingest)
    draft = load_draft(item, settings)
    nlp = load_model(settings.nlp.model)
    return analysis_json(draft, analyze_doc(nlp(draft.text), draft.published))


def print_analysis(result: dict[str, Any]) -> None:
    """The analysis as readable text."""
    from rich.console import Console
    from rich.text import Text

    console = Console()
    text = result["text"]
    console.print(Text(result["title"] or "(untitled)", style="bold"))
    where = result["source"] or "unknown source"
    console.print(Text(f"{where}, {result['published'] or 'no date'}", style="dim"))
    console.print(Text("People and organisations", style="bold"))
    for p in result["people"]:
        console.print(Text(f"  {p['name']} ({p['kind']}) — {p['role'] or 'no role'}; "
                           f"{len(p['mentions'])} mentions"))
    console.print(Text("Time expressions", style="bold"))
    for t in result["times"]:
        console.print(Text(f"  {t['text']!r} -> {t['value']} ({t['type']}, "
                           f"{t['precision'] or 'vague'})"))
    console.print(Text("Quotes", style="bold"))
    for q in result["quotes"]:
        console.print(Text(f"  {q['speaker'] or 'unattributed'} ({q['cue'] or 'no cue'}): "
                           f"{text[q['start']:q['end']][:120]}"))
