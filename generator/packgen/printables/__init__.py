"""Printable PDFs of every language: learning logs, facilitator checklists and guides, the pack.

`documents` says which PDFs a language gets; `html` writes their print HTML
from templates/print/, with `markup` (Markdown for print), `book` (the whole
pack's chapters) and `sessions` (session plans on the clock); `fonts` finds
the fonts, `pdf` draws the PDFs with WeasyPrint, `cache` skips those whose
input did not change, and `render` runs the stage.
"""
