"""Print HTML into PDF with WeasyPrint, so that the same input always gives the same bytes.

What would otherwise vary between two runs, and how it is fixed:

- dates: WeasyPrint writes a creation and modification date only when the
  HTML names them; the templates name them only when SOURCE_DATE_EPOCH is
  set, and then as that moment. Without it the PDFs carry no dates at all,
  rather than the time of the build or a file's modification time (which a
  fresh checkout resets).
- the file identifier: derived from the hash of the input instead of left out
  or drawn at random.
- fonts: subset with names WeasyPrint derives from the font description.
- paths: fonts and images are read by absolute file URL but only their data
  ends up in the file; links that would point into the building machine are
  removed before rendering (see markup.py). Nothing is fetched from the
  network.

Before the file is written, its pages' drawings are made smaller without
changing what they draw (compact.py).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from concurrent.futures import as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packgen.errors import WarningCollector
from packgen.printables import linebreak, pagination
from packgen.printables.compact import compact_pages
from packgen.workers import process_pool

log = logging.getLogger(__name__)

PANGO_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0"
CHOICE_SEPARATOR = ":"
"""Joins a multiple-choice field's id and an option number in an input's name."""


@dataclass(frozen=True)
class PdfJob:
    """Everything one PDF is made from; sent to a worker process as it is."""

    lang: str
    name: str
    """Path under downloads/."""
    html: str
    stylesheets: tuple[tuple[str, str], ...]
    """(CSS, the URL it came from) in cascade order."""
    forms: bool
    identifier: str
    """Hex digits of the PDF's file identifier."""
    target: Path
    readable: tuple[str, ...] = ()
    """Files, and folders whose files, the PDF may read; empty: any file."""


@dataclass
class PdfResult:
    lang: str
    name: str
    size: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


def tidy_form_fields(_document: Any, pdf: Any) -> None:
    """Give the form the field tree PDF viewers expect (WeasyPrint leaves it flat).

    A radio button is a widget of its group, not a field of its own, so it
    leaves the list of fields and keeps no name. The check boxes of a
    multiple-choice field, named `<field>:<n>`, become the kids of one field
    named after it, so that every field of a log is one field of the form.
    """
    import pydyf

    form = pdf.catalog.get("AcroForm")
    if form is None:
        return
    objects = {obj.reference: obj for obj in pdf.objects if isinstance(obj, pydyf.Dictionary)}
    fields = pydyf.Array()
    groups: dict[str, pydyf.Dictionary] = {}
    for reference in form["Fields"]:
        widget = objects[reference]
        if "Parent" in widget:
            widget.pop("T", None)
            widget.pop("TU", None)
            continue
        name = str(widget["T"].string)
        if CHOICE_SEPARATOR not in name:
            fields.append(reference)
            continue
        parent_name, option = name.split(CHOICE_SEPARATOR, 1)
        parent = groups.get(parent_name)
        if parent is None:
            parent = pydyf.Dictionary({"T": pydyf.String(parent_name), "Kids": pydyf.Array()})
            pdf.add_object(parent)
            groups[parent_name] = parent
            fields.append(parent.reference)
        widget["T"] = pydyf.String(option)
        widget["Parent"] = parent.reference
        parent["Kids"].append(reference)
    form["Fields"] = fields


def _finish(_document: Any, pdf: Any) -> None:
    compact_pages(pdf)


def _finish_forms(document: Any, pdf: Any) -> None:
    tidy_form_fields(document, pdf)
    compact_pages(pdf)


def _fetcher(base: type, readable: tuple[str, ...]) -> Any:
    """A URL fetcher for files only, and of those only the ones the PDF is made from.

    A pack's print template or stylesheet could otherwise name any file of the
    machine (`<link rel="attachment" href="/etc/passwd">`) and carry it into the PDF.
    """
    roots = [os.path.realpath(path) for path in readable]

    class PackFetcher(base):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if roots and url.lower().startswith("file:"):
                from urllib.parse import unquote, urlsplit

                path = os.path.realpath(unquote(urlsplit(url).path))
                if not any(path == root or path.startswith(root + os.sep) for root in roots):
                    raise ValueError(f"not a file of the pack: {url}")
            return super().fetch(url, headers)

    return PackFetcher(allowed_protocols={"file", "data"})


def render_pdf(job: PdfJob) -> PdfResult:
    """Render one PDF into its target; runs in a worker process when several are due."""
    result = PdfResult(job.lang, job.name)
    started = time.perf_counter()
    try:
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration
    except OSError as exc:
        result.error = (
            f"WeasyPrint cannot load Pango ({exc}); on Debian or Ubuntu install "
            f"`sudo apt-get install {PANGO_PACKAGES}`"
        )
        return result
    linebreak.install()
    pagination.install()
    handler = WarningCollector()
    weasy_log = logging.getLogger("weasyprint")
    weasy_log.addHandler(handler)
    propagate, weasy_log.propagate = weasy_log.propagate, False
    try:
        fonts = FontConfiguration()
        # Only files: a print must never depend on (or wait for) the network.
        fetcher = _fetcher(weasyprint.URLFetcher, job.readable)
        sheets = [
            weasyprint.CSS(
                string=css, base_url=base or None, font_config=fonts, url_fetcher=fetcher
            )
            for css, base in job.stylesheets
        ]
        data = weasyprint.HTML(string=job.html, url_fetcher=fetcher).write_pdf(
            stylesheets=sheets,
            font_config=fonts,
            pdf_forms=job.forms,
            pdf_identifier=bytes.fromhex(job.identifier),
            finisher=_finish_forms if job.forms else _finish,
        )
        job.target.parent.mkdir(parents=True, exist_ok=True)
        partial = job.target.with_name(job.target.name + ".part")
        partial.write_bytes(data)
        partial.replace(job.target)
        result.size = len(data)
    except OSError as exc:
        result.error = f"{exc.strerror or exc}: {exc.filename or job.target}"
    except Exception as exc:  # WeasyPrint raises many kinds; name the file that failed
        result.error = f"{type(exc).__name__}: {exc}"
    finally:
        weasy_log.removeHandler(handler)
        weasy_log.propagate = propagate
    result.warnings = list(dict.fromkeys(m for m in handler.messages if m.strip()))
    result.seconds = time.perf_counter() - started
    return result


POOL_THRESHOLD = 250_000
"""Characters of HTML (a few seconds of drawing) worth starting worker processes for."""


def render_all(jobs: list[PdfJob], workers: int | None = None) -> Iterator[PdfResult]:
    """Render jobs, several at once when there is enough to pay for starting processes."""
    workers = min(workers or os.cpu_count() or 1, len(jobs))
    if workers <= 1 or sum(len(job.html) for job in jobs) < POOL_THRESHOLD:
        for job in jobs:
            yield render_pdf(job)
        return
    # The longest documents first, so that no worker is left with one at the end.
    ordered = sorted(jobs, key=lambda job: len(job.html), reverse=True)
    with process_pool(workers) as pool:
        futures = {pool.submit(render_pdf, job): job for job in ordered}
        for future in as_completed(futures):
            try:
                yield future.result()
            except BrokenProcessPool as exc:
                # A worker died (out of memory, a crash in a C library): name what it was doing.
                job = futures[future]
                yield PdfResult(job.lang, job.name, error=f"the process drawing it stopped ({exc})")
