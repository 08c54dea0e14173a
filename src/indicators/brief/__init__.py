"""Briefing: what each report says and shows (findings, briefing), the charts, the words, and a notebook's page."""
