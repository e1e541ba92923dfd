"""Judging an answer: section cuts, key phrases, delivery flags, follow-ups, the bar-raiser verdict,
the quiz, the live section clock and the checks of a written story. Pure: data in, data out.
"""
