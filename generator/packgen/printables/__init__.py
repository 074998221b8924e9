"""Printable PDFs of every language: learning logs, facilitator checklists and guides, the pack.

`documents` says which PDFs a language gets, `html` and `markup` write their
print HTML from templates/print/, `fonts` finds the fonts, `pdf` draws them
with WeasyPrint, `cache` skips those whose input did not change, and
`render` runs the stage.
"""
