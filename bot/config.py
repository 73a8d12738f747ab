"""TOML file + environment -> frozen Settings; unknown keys and bad values fail at start."""

from __future__ import annotations

import ipaddress
import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import ConfigError


@dataclass(frozen=True)
class StorageSettings:
    path: str = "newsdesk.db"


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
    token: str = field(default="", repr=False)


@dataclass(frozen=True)
class Settings:
    storage: StorageSettings = StorageSettings()
    nlp: NlpSettings = NlpSettings()
    fetch: FetchSettings = FetchSettings()
    scheduler: SchedulerSettings = SchedulerSettings()
    console: ConsoleSettings = ConsoleSettings()
    slack: SlackSettings = SlackSettings()
    discord: DiscordSettings = DiscordSettings()


_SECTION_TYPES = {
    "storage": StorageSettings,
    "nlp": NlpSettings,
    "fetch": FetchSettings,
    "scheduler": SchedulerSettings,
    "console": ConsoleSettings,
    "slack": SlackSettings,
    "discord": DiscordSettings,
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


def with_storage_path(settings: Settings, path: str) -> Settings:
    """The same settings with another store (for --db)."""
    from dataclasses import replace

    return replace(settings, storage=StorageSettings(path=path))
