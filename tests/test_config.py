"""Configuration: every documented key accepted, anything else refused by name."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bot import config
from bot.errors import ConfigError

EXAMPLE = Path(__file__).resolve().parent.parent / "config.example.toml"


def test_the_example_config_is_accepted_and_matches_the_defaults():
    settings = config.load(EXAMPLE, env={})
    assert settings == config.Settings()


@pytest.mark.parametrize(
    ("toml", "named"),
    [
        ("[fetch]\nmax_byte = 3\n", "fetch.max_byte"),
        ("[fetch]\nmax_bytes = 'big'\n", "fetch.max_bytes"),
        ("[fetch]\nallow_networks = ['not-a-cidr']\n", "fetch.allow_networks"),
        ("[slack]\nmode = 'carrier-pigeon'\n", "slack.mode"),
        ("[scheduler]\ntimezone = 'Mars/Olympus'\n", "scheduler.timezone"),
        ("[discord]\ngateway_url = 'http://x'\n", "discord.gateway_url"),
        ("[weather]\nsunny = true\n", "[weather]"),
        ("[slack]\nbot_token = 'xoxb-1'\n", "slack.bot_token"),
        # Non-finite numbers are valid TOML but no valid setting.
        ("[fetch]\ntimeout_s = nan\n", "fetch.timeout_s"),
        ("[fetch]\ntimeout_s = inf\n", "fetch.timeout_s"),
        ("[fetch]\ntimeout_s = -inf\n", "fetch.timeout_s"),
        ("[fetch]\nmax_bytes = inf\n", "fetch.max_bytes"),
        ("[fetch]\npoll_interval_s = nan\n", "fetch.poll_interval_s"),
        ("[sources]\nmax_import = inf\n", "sources.max_import"),
        ("[sources]\nmax_import = 0\n", "sources.max_import"),
        # IDs: Discord's are numbers, Slack's user IDs look like U0123ABCD.
        ("[discord]\nguilds = ['abc']\n", "discord.guilds"),
        ("[discord]\nguilds = ['123', '12ab']\n", "discord.guilds"),
        ("[slack]\nadmins = ['alice@example.com']\n", "slack.admins"),
        ("[slack]\nadmins = ['U0123ABCD', 'bob']\n", "slack.admins"),
    ],
)
def test_a_bad_key_or_value_fails_naming_the_key(tmp_path, toml, named):
    path = tmp_path / "config.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError) as error:
        config.load(path, env={})
    assert named in str(error.value)


def test_ids_that_look_right_are_accepted():
    settings = config.from_mapping({"discord": {"guilds": ["123456789012345678", 42]},
                                    "slack": {"admins": ["U0123ABCD", "W0A1B2C3"]}}, env={})
    assert settings.discord.guilds == ("123456789012345678", "42")
    assert settings.slack.admins == ("U0123ABCD", "W0A1B2C3")


def test_a_config_nested_too_deeply_is_one_sentence_naming_the_file(tmp_path):
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 50_000 + "]" * 50_000 + "\n")

    with pytest.raises(ConfigError) as error:
        config.load(path, env={})

    assert str(path) in str(error.value) and "too deeply" in str(error.value)
    assert "\n" not in str(error.value)


def test_secrets_come_from_the_environment_and_never_show_in_repr():
    settings = config.from_mapping({}, env={"DISCORD_TOKEN": "secret-token-123",
                                            "SLACK_SIGNING_SECRET": "shh-456"})
    assert settings.discord.token == "secret-token-123"
    assert "secret-token-123" not in repr(settings)
    assert "shh-456" not in repr(settings)


def test_a_config_file_that_is_not_toml_is_one_clear_error(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[fetch\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        config.load(path, env={})


def test_the_example_documents_every_key():
    documented = tomllib.loads(EXAMPLE.read_text())
    for section, cls in config._SECTION_TYPES.items():
        secret = {k for (s, k) in config._SECRETS if s == section}
        keys = {f for f in cls.__dataclass_fields__} - secret
        assert set(documented[section]) == keys, section
