"""The [ingest] limits and storage.path in the config: refused with the key named."""

from __future__ import annotations

import pytest

from bot import config
from bot.errors import ConfigError


def test_the_ingest_limits_are_read_from_the_config():
    settings = config.from_mapping({"ingest": {"max_article_chars": 50_000,
                                               "max_items_per_poll": 20}}, env={})
    assert settings.ingest.max_article_chars == 50_000
    assert settings.ingest.max_items_per_poll == 20


@pytest.mark.parametrize(("table", "key"), [
    ({"storage": {"path": ""}}, "storage.path"),
    ({"storage": {"path": "   "}}, "storage.path"),
    ({"ingest": {"max_article_chars": 1_000_000}}, "ingest.max_article_chars"),
    ({"ingest": {"max_article_chars": 10}}, "ingest.max_article_chars"),
    ({"ingest": {"max_items_per_poll": 2.5}}, "ingest.max_items_per_poll"),
    ({"ingest": {"max_items_per_poll": 0}}, "ingest.max_items_per_poll"),
])
def test_a_bad_value_is_refused_naming_the_key(table, key):
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        config.from_mapping(table, env={})
