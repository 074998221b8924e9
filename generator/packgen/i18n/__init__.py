"""Languages, catalogs and the per-language pass over a pack's text."""

from __future__ import annotations
