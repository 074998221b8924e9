"""Render stage: turn a localised pack into Markdown pages through Jinja2 templates."""

from __future__ import annotations
