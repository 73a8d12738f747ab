"""Time expressions (TIMEX3): patterns, a TimeML normaliser and the tense of their clause."""

from bot.nlp.timex.extract import find_times

__all__ = ["find_times"]
