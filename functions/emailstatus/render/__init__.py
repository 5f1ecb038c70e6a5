"""Renderers: the same verdict for Slack (Block Kit) and for a terminal (text, JSON)."""
