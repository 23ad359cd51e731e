"""The `zwgk` command and `python -m zwgk`: one command, then the process exits — so what it
makes is frozen out of the collector's sight (zwgk/heap.py), its own modules included."""

from zwgk.store.heap import freeze_after_making, making_many


def main() -> None:
    freeze_after_making()
    # Importing typer, rich, pydantic and zwgk makes thousands of classes and functions, all
    # kept until the command ends: a collection during the imports walks them and frees nothing.
    with making_many():
        from zwgk.cli.app import main as run
    run()


if __name__ == "__main__":
    main()
