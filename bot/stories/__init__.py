"""Stories: articles from many outlets about one event, clustered online at ingest."""

from bot.stories.cluster import move_article, place_article, refresh_story

__all__ = ["move_article", "place_article", "refresh_story"]
