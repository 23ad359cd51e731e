"""The `zwgk` command and `python -m zwgk`: the command line, its modules imported with the
cyclic collector paused."""

from zwgk.heap import making_many


def main() -> None:
    # Importing typer, rich, pydantic and zwgk makes thousands of classes and functions, all
    # kept until the command ends: a collection during the imports walks them and frees nothing.
    with making_many():
        from zwgk.cli import main as run
    run()


if __name__ == "__main__":
    main()
