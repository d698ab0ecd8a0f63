"""``python -m yosmodel``: the command line."""

from .cli import run

run()
