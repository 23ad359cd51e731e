"""`zwgk report` and `zwgk ics`: the weekly report and the deadline calendar (registered on the app)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Placeholder until the weekly report lands: no commands yet."""
