"""``python -m yosmodel``: the command line."""

from .cli import main

raise SystemExit(main())
