"""TOML file + environment -> frozen Settings; unknown keys and bad values fail at start."""

from __future__ import annotations

import ipaddress
import math
import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import ConfigError


@dataclass(frozen=True)
class StorageSettings:
    path: str = "newsdesk.db"
    url: str = ""  # postgresql://user@host/db selects the PostgreSQL store instead of path


@dataclass(frozen=True)
class NlpSettings:
    model: str = "en_core_web_sm"
    worker_recycle_articles: int = 1000


@dataclass(frozen=True)
class FetchSettings:
    timeout_s: float = 20
    max_bytes: int = 5_000_000
    allow_private_networks: bool = False
    allow_networks: tuple[str, ...] = ()
    poll_interval_s: int = 900


@dataclass(frozen=True)
class SourcesSettings:
    max_import: int = 500  # feeds one /source import may add


@dataclass(frozen=True)
class TenantSettings:
    # What one tenant (a Discord server, a Slack workspace, the console) may hold, so one
    # community cannot exhaust a shared deployment.
    max_sources: int = 1000
    max_alerts: int = 200
    max_schedules: int = 50
    # Every tenant also reads the articles of the "default" tenant's sources (the operator's
    # console/CLI sources, and everything a store held before tenants existed).
    share_default: bool = True


@dataclass(frozen=True)
class IngestSettings:
    max_article_chars: int = 200_000
    max_items_per_poll: int = 100


@dataclass(frozen=True)
class SchedulerSettings:
    timezone: str = "UTC"


@dataclass(frozen=True)
class ConsoleSettings:
    enabled: bool = False


@dataclass(frozen=True)
class SlackSettings:
    enabled: bool = False
    mode: str = "http"
    host: str = "0.0.0.0"
    port: int = 3000
    api_url: str = "https://slack.com/api/"
    admins: tuple[str, ...] = ()
    bot_token: str = field(default="", repr=False)
    signing_secret: str = field(default="", repr=False)
    app_token: str = field(default="", repr=False)


@dataclass(frozen=True)
class DiscordSettings:
    enabled: bool = False
    api_url: str = "https://discord.com/api/v10"
    gateway_url: str = "wss://gateway.discord.gg"
    guilds: tuple[str, ...] = ()
    # Sharding: how many shards the bot runs in all (1: not sharded, one gateway session),
    # and which of them this process runs (empty: all of them).
    shard_count: int = 1
    shard_ids: tuple[str, ...] = ()
    token: str = field(default="", repr=False)

    @property
    def shards(self) -> list[int] | None:
        """This process's shard ids (checked by the config loader), None: all of shard_count."""
        return [int(s) for s in self.shard_ids] or None


@dataclass(frozen=True)
class OpsSettings:
    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = 9108
    shutdown_timeout_s: float = 25


@dataclass(frozen=True)
class LogSettings:
    format: str = "text"


@dataclass(frozen=True)
class Settings:
    storage: StorageSettings = StorageSettings()
    nlp: NlpSettings = NlpSettings()
    fetch: FetchSettings = FetchSettings()
    sources: SourcesSettings = SourcesSettings()
    tenants: TenantSettings = TenantSettings()
    ingest: IngestSettings = IngestSettings()
    scheduler: SchedulerSettings = SchedulerSettings()
    console: ConsoleSettings = ConsoleSettings()
    slack: SlackSettings = SlackSettings()
    discord: DiscordSettings = DiscordSettings()
    ops: OpsSettings = OpsSettings()
    log: LogSettings = LogSettings()


_SECTION_TYPES = {
    "storage": StorageSettings,
    "nlp": NlpSettings,
    "fetch": FetchSettings,
    "sources": SourcesSettings,
    "tenants": TenantSettings,
    "ingest": IngestSettings,
    "scheduler": SchedulerSettings,
    "console": ConsoleSettings,
    "slack": SlackSettings,
    "discord": DiscordSettings,
    "ops": OpsSettings,
    "log": LogSettings,
}
# Secrets come only from the environment, never from the file, so a config file can be shared.
_SECRETS = {
    ("slack", "bot_token"): "SLACK_BOT_TOKEN",
    ("slack", "signing_secret"): "SLACK_SIGNING_SECRET",
    ("slack", "app_token"): "SLACK_APP_TOKEN",
    ("discord", "token"): "DISCORD_TOKEN",
}


def _coerce(key: str, default: Any, value: Any) -> Any:
    """Check one value against the type of its default; raise ConfigError naming the key."""
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"Config key {key} must be true or false.")
        return value
    if isinstance(default, int | float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"Config key {key} must be a number.")
        if not math.isfinite(value):  # nan and inf are valid TOML floats
            raise ConfigError(f"Config key {key} must be a finite number, not {value}.")
        if value <= 0:
            raise ConfigError(f"Config key {key} must be greater than 0.")
        return type(default)(value) if isinstance(default, int) and value == int(value) else value
    if isinstance(default, str):
        if not isinstance(value, str):
            raise ConfigError(f"Config key {key} must be a string.")
        return value
    if isinstance(default, tuple):
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            raise ConfigError(f"Config key {key} must be a list of strings.")
        return tuple(str(v) for v in value)
    raise ConfigError(f"Config key {key} has an unsupported value.")


def _check(settings: Settings) -> None:
    """Checks that need more than a type."""
    if not settings.storage.path.strip():
        raise ConfigError("Config key storage.path must name a file (it is empty).")
    _check_storage_url(settings.storage.url)
    for key in ("max_sources", "max_alerts", "max_schedules"):
        if not isinstance(getattr(settings.tenants, key), int):
            raise ConfigError(f"Config key tenants.{key} must be a whole number.")
    for key in ("max_article_chars", "max_items_per_poll"):
        if not isinstance(getattr(settings.ingest, key), int):
            raise ConfigError(f"Config key ingest.{key} must be a whole number.")
    if settings.ingest.max_article_chars > 999_000 or settings.ingest.max_article_chars < 1_000:
        raise ConfigError("Config key ingest.max_article_chars must be between 1000 and 999000 "
                          "(spaCy reads at most a million characters).")
    try:
        ZoneInfo(settings.scheduler.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"Config key scheduler.timezone: unknown time zone {settings.scheduler.timezone!r}."
        ) from None
    for cidr in settings.fetch.allow_networks:
        try:
            ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            raise ConfigError(f"Config key fetch.allow_networks: {cidr!r} is not a CIDR.") from None
    if settings.slack.mode not in ("http", "socket"):
        raise ConfigError('Config key slack.mode must be "http" or "socket".')
    if not 0 < settings.slack.port < 65536:
        raise ConfigError("Config key slack.port must be a port number (1-65535).")
    for key, url in (
        ("slack.api_url", settings.slack.api_url),
        ("discord.api_url", settings.discord.api_url),
    ):
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"Config key {key} must be an http(s) URL.")
    if not settings.discord.gateway_url.startswith(("ws://", "wss://")):
        raise ConfigError("Config key discord.gateway_url must be a ws(s) URL.")
    for guild in settings.discord.guilds:
        if not _DISCORD_ID.match(guild):
            raise ConfigError(f"Config key discord.guilds: {guild[:40]!r} is not a guild ID "
                              f"(Discord IDs are numbers, such as 123456789012345678).")
    _check_shards(settings.discord)
    for admin in settings.slack.admins:
        if not _SLACK_USER_ID.match(admin):
            raise ConfigError(f"Config key slack.admins: {admin[:40]!r} is not a Slack user ID "
                              f"(they look like U0123ABCD; a name or email will not do).")
    if not 0 < settings.ops.port < 65536:
        raise ConfigError("Config key ops.port must be a port number (1-65535).")
    if settings.log.format not in ("text", "json"):
        raise ConfigError('Config key log.format must be "text" or "json".')


def _check_shards(discord: DiscordSettings) -> None:
    count = discord.shard_count
    if not isinstance(count, int):
        raise ConfigError("Config key discord.shard_count must be a whole number.")
    seen: set[str] = set()
    for shard in discord.shard_ids:
        if not shard.isdigit() or int(shard) >= count:
            raise ConfigError(f"Config key discord.shard_ids: {shard[:20]!r} is not a shard of "
                              f"{count} (shard ids run from 0 to {count - 1}).")
        if str(int(shard)) in seen:
            raise ConfigError(f"Config key discord.shard_ids lists shard {int(shard)} twice.")
        seen.add(str(int(shard)))


# A Discord snowflake is a 64-bit number; a Slack user ID is U or W and capitals or digits.
_DISCORD_ID = re.compile(r"^[0-9]{1,20}$")
_SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


def from_mapping(data: dict[str, Any], env: dict[str, str] | None = None) -> Settings:
    """Build Settings from parsed TOML and the environment."""
    env = dict(os.environ) if env is None else env
    sections: dict[str, Any] = {}
    for name, table in data.items():
        if name not in _SECTION_TYPES:
            raise ConfigError(f"Unknown config section [{name}].")
        if not isinstance(table, dict):
            raise ConfigError(f"Config key {name} must be a table ([{name}]).")
        cls = _SECTION_TYPES[name]
        defaults = cls()
        allowed = {f.name for f in fields(cls)} - {k for (s, k) in _SECRETS if s == name}
        values = {}
        for key, value in table.items():
            if key not in allowed:
                hint = " (secrets come from the environment)" if (name, key) in _SECRETS else ""
                raise ConfigError(f"Unknown config key {name}.{key}{hint}.")
            values[key] = _coerce(f"{name}.{key}", getattr(defaults, key), value)
        sections[name] = cls(**values)
    for (name, key), var in _SECRETS.items():
        secret = env.get(var, "")
        if secret:
            current = sections.get(name, _SECTION_TYPES[name]())
            sections[name] = type(current)(**{**current.__dict__, key: secret})
    settings = Settings(**sections)
    _check(settings)
    return settings


def load(path: str | os.PathLike[str] | None = None, env: dict[str, str] | None = None) -> Settings:
    """Load settings from --config, else $NEWSDESK_CONFIG, else ./config.toml, else defaults."""
    env = dict(os.environ) if env is None else env
    chosen = path or env.get("NEWSDESK_CONFIG") or ("config.toml" if Path("config.toml").is_file()
                                                     else None)
    if not chosen:
        return from_mapping({}, env)
    file = Path(chosen)
    try:
        raw = _read_config(file)
    except FileNotFoundError:
        raise ConfigError(f"Config file {file} does not exist.") from None
    except OSError:
        raise ConfigError(f"Config file {file} cannot be read.") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        # tomllib's message names the line and column, not the file's content: safe to show.
        raise ConfigError(f"Config file {file} is not valid TOML ({exc}).") from None
    except RecursionError:  # tomllib parses nested arrays and tables recursively
        raise ConfigError(f"Config file {file} nests arrays or tables too deeply to be "
                          f"read; a newsdesk config needs two levels.") from None
    return from_mapping(data, env)


MAX_CONFIG_BYTES = 1_000_000


def _read_config(file: Path) -> bytes:
    """The file's bytes; a pipe or device (e.g. /dev/zero) or a huge file is refused unread."""
    import stat

    mode = file.stat().st_mode
    if not stat.S_ISREG(mode):
        raise ConfigError(f"Config file {file} is not a regular file.")
    with file.open("rb") as stream:
        raw = stream.read(MAX_CONFIG_BYTES + 1)
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(f"Config file {file} is larger than {MAX_CONFIG_BYTES:,} bytes.")
    return raw


PG_SCHEMES = ("postgresql://", "postgres://")


def _check_storage_url(url: str) -> None:
    if not url:
        return
    if not url.startswith(PG_SCHEMES):
        raise ConfigError("Config key storage.url must be a postgresql:// URL (or be left out "
                          "for the SQLite store at storage.path).")
    from urllib.parse import urlsplit

    try:
        password = urlsplit(url).password
    except ValueError:
        raise ConfigError("Config key storage.url is not a valid URL.") from None
    if password:
        raise ConfigError("Config key storage.url must not hold a password: set PGPASSWORD "
                          "or ~/.pgpass instead (secrets come only from the environment).")


def with_storage_path(settings: Settings, path: str) -> Settings:
    """The same settings with another store (for --db: a file, or a postgresql:// URL)."""
    from dataclasses import replace

    if path.startswith(PG_SCHEMES):
        return replace(settings, storage=StorageSettings(path=settings.storage.path, url=path))
    return replace(settings, storage=StorageSettings(path=path))
