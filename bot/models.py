"""Frozen value types shared by the core, the store and the adapters."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class ArticleDraft:
    """An article as read from a file, feed or page, before it is stored."""

    title: str
    text: str
    published: datetime | None = None
    source: str = ""
    url: str = ""
    author: str = ""
    summary_only: bool = False  # True when text is a feed summary, not the full article


@dataclass(frozen=True)
class SourceRef:
    """Where a fact came from: the JSON shape `{"id","title","source","url","published"}`."""

    id: int
    title: str
    source: str
    url: str
    published: str | None  # ISO date

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "published": self.published,
        }


# ---- what the NLP pass finds in one article (offsets are into the article text) ----


@dataclass(frozen=True)
class PersonMention:
    """One person or organisation in one article, with every span that refers to it."""

    name: str  # canonical (longest, best-formed) name in this article
    kind: str  # "person" | "org"
    aliases: tuple[str, ...] = ()
    role: str | None = None
    mentions: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class TimeMention:
    """A TIMEX3 time expression normalised against the publication date."""

    start: int
    end: int
    text: str
    type: str  # DATE | TIME | DURATION | SET
    value: str  # TimeML value: 2019-04-26, 2019-02, 2019-W17, P2H, PAST_REF, ...
    precision: str | None = None  # day | month | year | week | time | None for vague ones


@dataclass(frozen=True)
class QuoteMention:
    """A direct quotation and who said it."""

    start: int
    end: int
    text: str
    speaker: str | None  # surface name of the speaker as resolved in the article
    cue: str | None = None  # the speech verb ("said", "told")
    speaker_span: tuple[int, int] | None = None  # the name mention the speaker came from


@dataclass(frozen=True)
class EventMention:
    """A dated event: what the clause governed by a time expression says happened."""

    time: TimeMention
    text: str  # one line of what happened
    people: tuple[str, ...] = ()
    sentence_start: int = 0


@dataclass(frozen=True)
class Analysis:
    """Everything the NLP pass found in one article."""

    people: tuple[PersonMention, ...] = ()
    times: tuple[TimeMention, ...] = ()
    quotes: tuple[QuoteMention, ...] = ()
    events: tuple[EventMention, ...] = ()
    sentences: tuple[tuple[int, int], ...] = ()  # spans of body sentences fit for summaries


@dataclass(frozen=True)
class StoredPerson:
    """A canonical person or organisation across all articles."""

    id: int
    name: str
    kind: str
    role: str | None
    mentions: int
    aliases: tuple[str, ...]
    article_ids: tuple[int, ...] = ()

    def as_mention(self) -> PersonMention:
        return PersonMention(name=self.name, kind=self.kind, aliases=self.aliases, role=self.role)


# ---- requests and replies: the boundary between the core and every adapter ----


@dataclass(frozen=True)
class Request:
    """A command as any adapter hands it to the core."""

    command: str  # "who", "source add", ... (without the slash)
    args: str = ""
    platform: str = "console"
    channel: str = "console"
    user: str = "local"
    is_admin: bool = False
    full: bool = False  # answer without a length limit (`newsdesk ask --json`)
    # Whose sources, answers and channels: a Discord guild id, a Slack team id, or "default"
    # (the console and the CLI).
    tenant: str = "default"


@dataclass(frozen=True)
class Citation:
    """A numbered source link shown under a reply."""

    title: str
    url: str
    source: str
    published: str | None = None


@dataclass(frozen=True)
class ReplyItem:
    """One line of an answer; `cites` are indices into Reply.citations."""

    text: str
    detail: str = ""
    cites: tuple[int, ...] = ()


@dataclass(frozen=True)
class Reply:
    """A structured answer; adapters render it their platform's way (embed, blocks, text)."""

    title: str
    items: tuple[ReplyItem, ...] = ()
    citations: tuple[Citation, ...] = ()
    footer: str = ""  # how to see more
    error: bool = False
    data: Any = field(default=None, compare=False)  # what `--json` prints

    @classmethod
    def error_reply(cls, message: str) -> Reply:
        return cls(title=message, error=True, data={"error": message})

    @classmethod
    def text(cls, message: str, data: Any = None) -> Reply:
        return cls(title=message, data=data if data is not None else {"message": message})


@dataclass(frozen=True)
class Post:
    """A message the bot decided to post on its own (digest or alert), from the outbox."""

    id: int
    platform: str
    channel: str
    reply: Reply
    kind: str  # "digest" | "alert"
    nonce: str
    message_id: str | None = None  # set when the platform returned one (for later edits)


def iso_date(value: date | datetime | None) -> str | None:
    """ISO date of a date or datetime, or None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    return value.isoformat()
