"""Direct quotations: quote marks, cue verbs and the speakers they point to."""

from bot.nlp.quotes.extract import find_quotes

__all__ = ["find_quotes"]
