"""People and organisations: entities cleaned, merged within an article, given their roles."""

from bot.nlp.people.extract import EntryIndex, find_people, person_at

__all__ = ["EntryIndex", "find_people", "person_at"]
