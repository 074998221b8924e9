from __future__ import annotations

from packgen.cli import main

main()
