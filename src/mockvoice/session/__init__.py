"""Saved rehearsals: the store (folders, atomic writes, loading), saving, history and progress,
exports, the Markdown transcript, the HTML report and the scorecard text.
"""
