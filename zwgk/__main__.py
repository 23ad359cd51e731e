"""`python -m zwgk` — the same as the `zwgk` command."""

from zwgk.cli import main

main()
