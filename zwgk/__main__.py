"""The `zwgk` command and `python -m zwgk`: one command, then the process exits.

A read-only command run again on unchanged inputs answers from the bytes it printed last time
(zwgk/store/warm.py), checked before typer, rich or pydantic are imported. Otherwise the normal
path runs, and what it makes is frozen out of the collector's sight (zwgk/store/heap.py), its
own modules included."""

import sys

from zwgk.store import warm
from zwgk.store.heap import freeze_after_making, making_many


def _normal() -> None:
    freeze_after_making()
    # Importing typer, rich, pydantic and zwgk makes thousands of classes and functions, all
    # kept until the command ends: a collection during the imports walks them and frees nothing.
    with making_many():
        from zwgk.cli.app import main as run
    run()


def main() -> None:
    sys.exit(warm.serve(sys.argv[1:], _normal))


if __name__ == "__main__":
    main()
