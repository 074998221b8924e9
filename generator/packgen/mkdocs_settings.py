"""The settings packgen takes from a pack's mkdocs.yml, and nothing else.

MkDocs reads its config with a loader that builds Python objects, runs
`hooks:` modules and imports any plugin named: a pack's mkdocs.yml handed
to it (or `INHERIT`ed) runs the pack's code. So packgen reads the file
itself, safely and with line marks, takes only the settings listed here,
and writes each language's MkDocs config on its own. Anything else is a
located error at `check` and `build`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markdown

from packgen.errors import Location, Problems
from packgen.loader import YamlDocument, display_path, load_yaml
from packgen.paths import find_in_layers, refused_reference
from packgen.validate import did_you_mean

MKDOCS_FILE = "mkdocs.yml"
CONTENT = "content"

TOP_LEVEL = {
    "site_name": "ignored: each language's site is named after the pack's title in pack.yml",
    "site_description": "the site's description, in its pages' metadata",
    "site_author": "the site's author, in its pages' metadata",
    "copyright": "the footer's line (the organisation's name in pack.yml wins)",
    "theme": "palette, logo, favicon, features and icon of mkdocs-material",
    "extra": "values the theme reads (social links, ...)",
    "extra_css": "stylesheets inside content/",
    "markdown_extensions": "Markdown extensions from the list packgen allows",
    "plugins": "only search and offline, which packgen sets up itself",
}
THEME_KEYS = {"name", "palette", "logo", "favicon", "features", "icon"}
OWN_PLUGINS = {"search", "offline"}
REFUSED_EXTRA = {
    "analytics": "loads a tracking script from the internet",
    "polyfills": "adds scripts to every page",
    "consent": "belongs with analytics, which packgen does not allow",
}
EXTENSIONS = {
    "abbr",
    "admonition",
    "attr_list",
    "def_list",
    "footnotes",
    "md_in_html",
    "tables",
    "toc",
    "sane_lists",
    "smarty",
    "nl2br",
    "fenced_code",
    "pymdownx.betterem",
    "pymdownx.caret",
    "pymdownx.critic",
    "pymdownx.details",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.keys",
    "pymdownx.magiclink",
    "pymdownx.mark",
    "pymdownx.saneheaders",
    "pymdownx.smartsymbols",
    "pymdownx.superfences",
    "pymdownx.tabbed",
    "pymdownx.tasklist",
    "pymdownx.tilde",
}
"""Markdown extensions a pack may use; none of them reads files or runs pack code."""
_UNSAFE_CHARS = re.compile(r"[\"<>`\\]")
_SCRIPT_SCHEME = re.compile(r"^\s*(javascript|vbscript|data)\s*:", re.I)
_ICON = re.compile(r"^[a-z0-9-]+(/[a-z0-9-]+)+$")


@dataclass
class MkDocsSettings:
    """What a pack's mkdocs.yml contributes to each language's MkDocs config."""

    path: Path | None = None
    theme: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    extra_css: list[str] = field(default_factory=list)
    extensions: list[Any] = field(default_factory=list)
    """As MkDocs takes them: names, or {name: options}."""
    top: dict[str, Any] = field(default_factory=dict)
    """site_description, site_author, copyright."""

    @property
    def data(self) -> dict[str, Any]:
        """The allowed settings as an mkdocs.yml would hold them."""
        return {"markdown_extensions": self.extensions, "theme": self.theme}


def short_name(name: str) -> str:
    return name.removeprefix("markdown.extensions.")


class _Reader:
    def __init__(self, doc: YamlDocument, layers: list[Path], problems: Problems) -> None:
        self.doc = doc
        self.layers = layers
        self.problems = problems
        self.settings = MkDocsSettings(path=doc.path)

    def error(self, path: tuple[str | int, ...], message: str, *, at_key: bool = False) -> None:
        self.problems.error(self.doc.location(path, at_key=at_key), message)

    def read(self) -> MkDocsSettings:
        data = self.doc.data
        if not isinstance(data, dict):
            self.error((), "expected a mapping of settings (theme, markdown_extensions, ...)")
            return self.settings
        for key, value in data.items():
            if key == "theme":
                self.theme(value)
            elif key == "extra":
                self.extra(value)
            elif key == "extra_css":
                self.extra_css(value)
            elif key == "markdown_extensions":
                self.extensions(value)
            elif key == "plugins":
                self.plugins(value)
            elif key in ("site_description", "site_author", "copyright"):
                if isinstance(value, str):
                    if self.plain((key,), key, value):
                        self.settings.top[key] = value
                else:
                    self.error((key,), f"{key}: expected a text")
            elif key == "site_name":
                continue
            else:
                self.unknown(key)
        return self.settings

    def unknown(self, key: Any) -> None:
        why = {
            "hooks": "hooks run Python code from the pack, which packgen never does",
            "INHERIT": "packgen reads only this file, never one it points to",
            "extra_javascript": "scripts from a pack are not published",
            "extra_templates": "templates outside the sandbox are not allowed",
        }.get(str(key))
        allowed = ", ".join(sorted(TOP_LEVEL))
        hint = why or f"not a setting packgen takes{did_you_mean(str(key), list(TOP_LEVEL))}"
        self.error((key,), f"{key}: {hint}; mkdocs.yml may set only: {allowed}", at_key=True)

    def theme(self, value: Any) -> None:
        if not isinstance(value, dict):
            self.error(("theme",), "theme: expected a mapping (name, palette, features, ...)")
            return
        for key, item in value.items():
            where = ("theme", key)
            if key not in THEME_KEYS:
                self.error(
                    where,
                    f"theme.{key}: not a theme setting packgen takes (packgen sets language, "
                    "direction, fonts and overrides itself); allowed: "
                    f"{', '.join(sorted(THEME_KEYS))}"
                    f"{did_you_mean(str(key), sorted(THEME_KEYS))}",
                    at_key=True,
                )
            elif key == "name":
                if item != "material":
                    self.error(where, f"theme.name: packgen builds with material; found {item!r}")
            elif key in ("logo", "favicon"):
                if self.asset(where, f"theme.{key}", item):
                    self.settings.theme[key] = item
            elif key == "features":
                if not isinstance(item, list) or not all(isinstance(f, str) for f in item):
                    self.error(where, "theme.features: expected a list of names")
                elif self.plain(where, "theme.features", item):
                    self.settings.theme[key] = item
            elif key == "icon":
                if self.icons(where, item):
                    self.settings.theme[key] = item
            elif self.plain(where, f"theme.{key}", item):
                self.settings.theme[key] = item

    def plain(self, where: tuple[str | int, ...], what: str, value: Any) -> bool:
        """Whether every text in value is safe to put into a page's HTML and scripts as it is.

        The theme writes these settings into attributes and inline scripts without
        escaping them, so a quote or a bracket would let a value add its own code.
        """
        if isinstance(value, dict):
            return all([self.plain((*where, k), what, v) for k, v in value.items()])
        if isinstance(value, list):
            return all([self.plain((*where, i), what, v) for i, v in enumerate(value)])
        if not isinstance(value, str):
            return True
        if _UNSAFE_CHARS.search(value):
            self.error(
                where,
                f'{what}: the characters " < > ` \\ are not allowed here, as the theme '
                f"writes this value into the page's HTML as it is; found {value!r}",
            )
            return False
        if _SCRIPT_SCHEME.search(value):
            self.error(
                where, f"{what}: script and data: addresses are not allowed; found {value!r}"
            )
            return False
        return True

    def icons(self, where: tuple[str | int, ...], value: Any) -> bool:
        if isinstance(value, dict):
            return all(self.icons((*where, k), v) for k, v in value.items())
        if isinstance(value, str) and _ICON.match(value):
            return True
        self.error(
            where,
            f"theme.icon: expected an icon name such as material/account-group; found {value!r}",
        )
        return False

    def asset(self, where: tuple[str | int, ...], what: str, value: Any) -> bool:
        """A file named relative to content/, which must be there."""
        if not isinstance(value, str):
            self.error(where, f"{what}: expected a path under content/, such as img/logo.png")
            return False
        reason = refused_reference(value)
        if reason:
            self.error(where, f"{what}: {value!r}: {reason}")
            return False
        if find_in_layers(self.layers, f"{CONTENT}/{value}") is None:
            self.error(
                where, f"{what}: no file {value!r} in content/ (paths here are under content/)"
            )
            return False
        return True

    def extra(self, value: Any) -> None:
        if not isinstance(value, dict):
            self.error(("extra",), "extra: expected a mapping")
            return
        for key, item in value.items():
            if key in REFUSED_EXTRA:
                self.error(("extra", key), f"extra.{key}: {REFUSED_EXTRA[key]}", at_key=True)
            elif self.plain(("extra", key), f"extra.{key}", item):
                self.settings.extra[key] = item

    def extra_css(self, value: Any) -> None:
        if not isinstance(value, list):
            self.error(("extra_css",), "extra_css: expected a list of paths under content/")
            return
        for i, item in enumerate(value):
            if self.asset(("extra_css", i), "extra_css", item):
                self.settings.extra_css.append(item)

    def plugins(self, value: Any) -> None:
        if not isinstance(value, list):
            self.error(("plugins",), "plugins: expected a list")
            return
        for i, entry in enumerate(value):
            name = next(iter(entry)) if isinstance(entry, dict) and entry else entry
            if name not in OWN_PLUGINS:
                self.error(
                    ("plugins", i),
                    f"plugins: {name!r} is not allowed: a plugin runs code at build time; "
                    "packgen sets up search and offline itself",
                )

    def extensions(self, value: Any) -> None:
        if not isinstance(value, list):
            self.error(("markdown_extensions",), "markdown_extensions: expected a list")
            return
        for i, entry in enumerate(value):
            where = ("markdown_extensions", i)
            if isinstance(entry, dict) and len(entry) == 1:
                name, options = next(iter(entry.items()))
            else:
                name, options = entry, None
            if not isinstance(name, str):
                self.error(
                    where, f"markdown_extensions: expected an extension name; found {name!r}"
                )
                continue
            if short_name(name) not in EXTENSIONS:
                self.error(
                    where,
                    f"markdown_extensions: {name!r} is not an extension packgen allows"
                    f"{did_you_mean(short_name(name), sorted(EXTENSIONS))}; allowed: "
                    f"{', '.join(sorted(EXTENSIONS))}",
                )
                continue
            if options is not None and not isinstance(options, dict):
                self.error((*where, name), f"{name}: expected a mapping of options")
                continue
            if options and not self.options(where, name, options):
                continue
            self.settings.extensions.append({name: options} if options else name)

    def options(self, where: tuple[str | int, ...], name: str, options: dict[str, Any]) -> bool:
        try:
            known = markdown.Markdown().build_extension(name, {}).getConfigs()
        except (ImportError, AttributeError, TypeError, ValueError) as exc:  # pragma: no cover
            self.error(where, f"{name}: cannot be loaded: {exc}")
            return False
        fine = True
        for key in options:
            if key not in known:
                fine = False
                self.error(
                    (*where, name, key),
                    f"{name}: no option {key!r}{did_you_mean(str(key), list(known))}",
                    at_key=True,
                )
        return fine


def mkdocs_file(layers: list[Path]) -> Path | None:
    for layer in layers:
        if (layer / MKDOCS_FILE).is_file():
            return layer / MKDOCS_FILE
    return None


def read_settings(layers: list[Path], problems: Problems) -> MkDocsSettings:
    """The allowed settings of the nearest mkdocs.yml; every other one is an error in problems."""
    path = mkdocs_file(layers)
    if path is None:
        return MkDocsSettings()
    return _read_file(path, layers, problems)


def read_layer_settings(layers: list[Path], problems: Problems) -> list[MkDocsSettings]:
    """The allowed settings of every layer's mkdocs.yml, nearest first, each checked alone."""
    return [
        _read_file(layer / MKDOCS_FILE, layers[index:], problems)
        for index, layer in enumerate(layers)
        if (layer / MKDOCS_FILE).is_file()
    ]


def _read_file(path: Path, layers: list[Path], problems: Problems) -> MkDocsSettings:
    doc = load_yaml(path, problems)
    if doc is None:
        return MkDocsSettings(path=path)
    settings = _Reader(doc, layers, problems).read()
    for css in settings.extra_css:
        found = find_in_layers(layers, f"{CONTENT}/{css}")
        if found is not None:
            _check_theme_file(found, problems)
    return settings


OVERRIDES = "overrides"
_SCRIPTED = re.compile(
    r"<\s*script\b|\bon[a-z]+\s*=|javascript\s*:|vbscript\s*:|<\s*(iframe|object|embed)\b",
    re.I,
)
_LOADS = re.compile(r"@import\b|url\s*\(\s*[\"']?\s*(https?:|//|javascript:|data:(?!image/))", re.I)


def _check_theme_file(path: Path, problems: Problems) -> None:
    """A pack's theme file may style and lay out pages, never script them or load from afar."""
    shown = display_path(path)
    if path.suffix in (".js", ".mjs"):
        problems.error(Location(shown), "scripts from a pack are not published; remove this file")
        return
    if path.suffix not in (".html", ".css", ".j2", ".svg"):
        return
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        problems.error(Location(shown), f"cannot read this theme file: {exc}")
        return
    for number, line in enumerate(lines, start=1):
        if path.suffix != ".css" and (match := _SCRIPTED.search(line)):
            problems.error(
                Location(shown, number, match.start() + 1),
                f"{match[0].strip()!r}: a pack's theme files may not add scripts or event "
                "handlers to the pages",
            )
        if match := _LOADS.search(line):
            problems.error(
                Location(shown, number, match.start() + 1),
                f"{match[0].strip()!r}: a pack's theme files may not load anything from "
                "elsewhere; put the file in the pack and name it by a relative path",
            )


def check_overrides(layers: list[Path], problems: Problems) -> None:
    """Every file of the packs' overrides/: stylesheets and images only, checked as above.

    A theme template can write anything into every page, a script built from pieces
    of strings included, which no reading of its text can rule out: so a pack may
    restyle the theme but never replace its templates.
    """
    for layer in layers:
        folder = layer / OVERRIDES
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if not path.is_file():
                    continue
                if path.suffix in (".html", ".j2", ".jinja", ".htm", ".xml"):
                    problems.error(
                        Location(display_path(path), 1),
                        "a pack may not replace the theme's templates (they could write "
                        "scripts into every page); change the look with theme settings in "
                        "mkdocs.yml and stylesheets in extra_css",
                    )
                else:
                    _check_theme_file(path, problems)
