"""The organisation's name, web address and contact line on every page and every PDF."""

from __future__ import annotations

from pypdf import PdfReader

from packgen.build import build

from .conftest import EXERCISE_YML, PACK_YML

ORGANISATION = """\
organisation:
  name: Hiraal Relief
  url: https://hiraal.example.org/
  contact: Hotline 5050
"""


def test_every_page_and_pdf_carries_the_organisation(write_pack, tmp_path):
    exercise = EXERCISE_YML + "checklist:\n  before: [Book a quiet room]\n"
    root = write_pack({"pack.yml": PACK_YML + ORGANISATION, "exercises/first-steps.yml": exercise})
    build(root, tmp_path / "site", ["en"])
    for page in ("index.html", "exercises/first-steps.html"):
        html = (tmp_path / "site/en" / page).read_text(encoding="utf-8")
        assert "Hiraal Relief · hiraal.example.org · Hotline 5050" in html, page
    pdfs = sorted((tmp_path / "site/en/downloads").rglob("*.pdf"))
    assert len(pdfs) >= 3, pdfs
    for pdf in pdfs:
        reader = PdfReader(pdf)
        for number, page in enumerate(reader.pages, start=1):
            text = " ".join(page.extract_text().split())
            if pdf.stem == "tiny" and number == 1:
                # The whole pack's cover, which has no footer, names them on its own.
                assert "hiraal.example.org" in text and "Hotline 5050" in text
                continue
            assert "Hiraal Relief" in text, (pdf.name, number)
            assert "hiraal.example.org" in text and "Hotline 5050" in text, (pdf.name, number)
