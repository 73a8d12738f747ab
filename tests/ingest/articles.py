"""Distinct small news articles for the bulk-import tests: files, folders and .jsonl lines."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

_TOWNS = ["Greenfield", "Ashby", "Millbrook", "Oakham", "Riverton", "Fennick", "Dunmore"]
_TOPICS = ["a new bridge", "the school budget", "flood defences", "a bus strike",
           "the harbour plan", "a hospital wing", "water prices"]


def article(i: int) -> dict[str, str]:
    """Article number i: its own people, town, topic and figures, so no two are copies."""
    town, topic = _TOWNS[i % len(_TOWNS)], _TOPICS[(i // 7) % len(_TOPICS)]
    text = (
        f"The council of {town} voted on Tuesday to approve {topic}, mayor Ana Ruiz{i} said. "
        f"The plan will cost {1000 + 37 * i} thousand pounds and take {2 + i % 5} years. "
        f'"This is a good day for {town}," said Tom Okafor{i}, a local shopkeeper. '
        f"Opponents led by Claire Dumont{i} said they would appeal the decision in March."
    )
    return {"title": f"{town} approves {topic} ({i})", "text": text,
            "published": f"2024-0{1 + i % 9}-1{i % 10}", "source": "Test Gazette",
            "url": f"https://gazette.example/{i}"}


def markdown(i: int) -> str:
    a = article(i)
    return (f"---\ntitle: {a['title']}\npublished: {a['published']}\nsource: {a['source']}\n"
            f"url: {a['url']}\n---\n{a['text']}\n")


def write_folder(folder: Path, count: int, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + count):
        path = folder / f"story-{i:05d}.md"
        path.write_text(markdown(i), encoding="utf-8")
        paths.append(path)
    return paths


def jsonl_lines(count: int, start: int = 0) -> list[str]:
    return [json.dumps(article(i)) for i in range(start, start + count)]


def write_jsonl(path: Path, lines: list[str]) -> Path:
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)
    return path
