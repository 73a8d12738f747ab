"""People and organisations: entities cleaned, merged within an article, given their roles."""

from bot.nlp.people.extract import find_people, person_at

__all__ = ["find_people", "person_at"]
