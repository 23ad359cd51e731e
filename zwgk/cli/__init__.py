"""The command line: the typer app, its one error handler, and the commands grouped by job."""

from zwgk.cli.app import app, main

__all__ = ["app", "main"]
