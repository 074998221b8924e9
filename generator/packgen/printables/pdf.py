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
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

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

    def run(self) -> PdfResult:
        return render_pdf(self)


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


class Weasy:
    """WeasyPrint set up to draw one job's documents: its fonts, files and stylesheets, and
    what it says while drawing them."""

    def __init__(self, job: PdfJob) -> None:
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration

        linebreak.install()
        pagination.install()
        self.job = job
        self.weasyprint = weasyprint
        self.fonts = FontConfiguration()
        # Only files: a print must never depend on (or wait for) the network.
        self.fetcher = _fetcher(weasyprint.URLFetcher, job.readable)
        self.sheets = [
            weasyprint.CSS(
                string=css, base_url=base or None, font_config=self.fonts, url_fetcher=self.fetcher
            )
            for css, base in job.stylesheets
        ]

    def layout(self, html: str) -> Any:
        """html laid out into pages: a WeasyPrint Document."""
        return self.weasyprint.HTML(string=html, url_fetcher=self.fetcher).render(
            stylesheets=self.sheets, font_config=self.fonts, pdf_forms=self.job.forms
        )

    def write(self, document: Any, identifier: str) -> bytes:
        return document.write_pdf(  # type: ignore[no-any-return]
            pdf_forms=self.job.forms,
            pdf_identifier=bytes.fromhex(identifier),
            finisher=_finish_forms if self.job.forms else _finish,
        )

    def draw(self, html: str) -> bytes:
        return self.write(self.layout(html), self.job.identifier)


def write_atomic(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    partial.write_bytes(data)
    partial.replace(target)


def drawing(job: PdfJob, draw: Callable[[Weasy], int]) -> PdfResult:
    """Run draw (which returns the size of what it wrote) with WeasyPrint set up for job,
    saying what failed and what WeasyPrint said."""
    result = PdfResult(job.lang, job.name)
    started = time.perf_counter()
    weasy_log = logging.getLogger("weasyprint")
    handler = WarningCollector()
    weasy_log.addHandler(handler)
    propagate, weasy_log.propagate = weasy_log.propagate, False
    try:
        try:
            weasy = Weasy(job)
        except OSError as exc:
            result.error = (
                f"WeasyPrint cannot load Pango ({exc}); on Debian or Ubuntu install "
                f"`sudo apt-get install {PANGO_PACKAGES}`"
            )
            return result
        result.size = draw(weasy)
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


def render_pdf(job: PdfJob) -> PdfResult:
    """Render one PDF into its target; runs in a worker process when several are due."""

    def draw(weasy: Weasy) -> int:
        data = weasy.draw(job.html)
        write_atomic(job.target, data)
        return len(data)

    return drawing(job, draw)


POOL_THRESHOLD = 250_000
"""Characters of HTML (a few seconds of drawing) worth starting worker processes for."""


class Job(Protocol):
    """Something drawn into PDFs in a worker process: one PDF, or a book in parts."""

    @property
    def lang(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def html(self) -> str: ...

    def run(self) -> PdfResult: ...


def _run(job: Job) -> PdfResult:
    return job.run()


def render_all(jobs: Sequence[Job], workers: int | None = None) -> Iterator[PdfResult]:
    """Render jobs, several at once when there is enough to pay for starting processes."""
    workers = min(workers or os.cpu_count() or 1, len(jobs))
    if workers <= 1 or sum(len(job.html) for job in jobs) < POOL_THRESHOLD:
        for job in jobs:
            yield job.run()
        return
    # The longest documents first, so that no worker is left with one at the end.
    ordered = sorted(jobs, key=lambda job: len(job.html), reverse=True)
    with process_pool(workers) as pool:
        futures = {pool.submit(_run, job): job for job in ordered}
        for future in as_completed(futures):
            try:
                yield future.result()
            except BrokenProcessPool as exc:
                # A worker died (out of memory, a crash in a C library): name what it was doing.
                job = futures[future]
                yield PdfResult(job.lang, job.name, error=f"the process drawing it stopped ({exc})")
