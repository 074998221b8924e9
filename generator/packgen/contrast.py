"""Whether a pack's theme colours can be read: WCAG contrast of the colours it picks.

mkdocs-material draws the header in the primary colour with its text on it,
links and the menu's current entry in the primary colour on white, and search
highlights in the accent colour on white. Named colours are looked up in the
theme's own palette stylesheet, so the check follows the installed version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import material

MINIMUM = 4.5
"""WCAG 2 AA for body-size text."""
PALETTE_CSS = Path(material.__file__).parent / "templates/assets/stylesheets"
_RULE = re.compile(r"\[data-md-color-(primary|accent)=([a-z-]+)\]\{([^}]*)\}")
_VAR = re.compile(r"--md-(primary|accent)-(fg|bg)-color:(#[0-9a-fA-F]{3,8})[;}]?")
WHITE = "#ffffff"


@dataclass(frozen=True)
class ContrastProblem:
    what: str
    colour: str
    ratio: float

    def message(self) -> str:
        return (
            f"{self.what} has a contrast of {self.ratio:.2f}:1 (WCAG asks for at least "
            f"{MINIMUM}:1): choose a darker colour, or `custom` with your own stylesheet"
        )


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    value = hex_colour.lstrip("#")
    if len(value) in (3, 4):
        value = "".join(c * 2 for c in value[:3])
    return tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _luminance(hex_colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(first: str, second: str) -> float:
    """The WCAG contrast ratio of two opaque colours written as #rgb or #rrggbb."""
    a, b = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


@cache
def named_colours() -> dict[tuple[str, str], dict[str, str]]:
    """{("primary", "teal"): {"fg": "#009485", "bg": "#fff"}, ...} from the theme's palette."""
    colours: dict[tuple[str, str], dict[str, str]] = {}
    for css in sorted(PALETTE_CSS.glob("palette.*.css")):
        for role, name, body in _RULE.findall(css.read_text(encoding="utf-8")):
            for var_role, kind, value in _VAR.findall(body):
                if var_role == role:
                    colours.setdefault((role, name), {})[kind] = value
    return colours


def _name(value: object) -> str:
    # mkdocs.yml may say "deep orange"; the theme's stylesheet says deep-orange.
    return str(value or "").strip().lower().replace(" ", "-")


_CUSTOM = re.compile(
    r"--md-(primary|accent)-(fg|bg)-color\s*:\s*(#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?)\b"
)


def custom_colours(stylesheets: list[str]) -> dict[tuple[str, str], dict[str, str]]:
    """The `custom` colours a pack's own stylesheets define (the last definition wins)."""
    found: dict[str, dict[str, str]] = {"primary": {}, "accent": {}}
    for css in stylesheets:
        for role, kind, value in _CUSTOM.findall(css):
            found[role][kind] = value
    return {(role, "custom"): values for role, values in found.items() if values}


def palette_problems(
    theme: dict[str, Any], custom: dict[tuple[str, str], dict[str, str]] | None = None
) -> list[ContrastProblem]:
    """What a light palette of the pack's mkdocs.yml makes hard to read; [] when all is well.

    custom holds the colours the pack's stylesheets give `custom` (see
    custom_colours). Colours packgen cannot know (dark schemes, colours set
    some other way) are not judged.
    """
    colours = {**named_colours(), **(custom or {})}
    palette = theme.get("palette") or []
    entries = palette if isinstance(palette, list) else [palette]
    problems: list[ContrastProblem] = []
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("scheme", "default") != "default":
            continue
        primary = colours.get(("primary", _name(entry.get("primary"))), {})
        accent = colours.get(("accent", _name(entry.get("accent"))), {})
        checks = []
        if "fg" in primary:
            name = entry["primary"]
            checks.append((f"primary colour {name!r} for links and the menu", primary["fg"], WHITE))
            if "bg" in primary or name == "custom":
                primary.setdefault("bg", WHITE)
                checks.append((f"text on the {name!r} header", primary["bg"], primary["fg"]))
        if "fg" in accent:
            name = entry["accent"]
            checks.append((f"accent colour {name!r} for search highlights", accent["fg"], WHITE))
        for what, colour, background in checks:
            value = ratio(colour, background)
            problem = ContrastProblem(what, colour, value)
            if value < MINIMUM and problem not in problems:
                problems.append(problem)
    return problems
