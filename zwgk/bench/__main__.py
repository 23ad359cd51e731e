"""`python -m zwgk.bench generate OUT` / `python -m zwgk.bench run [OUT]`: the benchmark's CLI."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from zwgk.bench import DEFAULT_SEED


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zwgk.bench")
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate", help="write the benchmark fixtures")
    gen.add_argument("out", type=Path)
    gen.add_argument("--seed", type=int, default=DEFAULT_SEED)
    gen.add_argument("--scale", type=float, default=1.0, help="multiply record and task counts")
    run = commands.add_parser("run", help="time zwgk on the fixtures (generated if missing)")
    run.add_argument("fixtures", type=Path, nargs="?")
    run.add_argument("--repeat", type=int, default=5)
    run.add_argument("--quick", action="store_true", help="repeat 1, smaller fixtures only")
    run.add_argument("--seed", type=int, default=DEFAULT_SEED)
    run.add_argument("--no-install", action="store_true", help="never apt-get install taskwarrior")
    args = parser.parse_args(argv)

    if args.command == "generate":
        from zwgk.bench.generate import generate

        started = time.perf_counter()
        for written in generate(args.out, args.seed, args.scale):
            print(f"{written.path}: {written.units} unit(s), {written.tasks} tasks, "
                  f"{written.records} journal records")
        print(f"seed {args.seed}, scale {args.scale}: {time.perf_counter() - started:.1f} s")
        return 0
    from zwgk.bench.run import run_all

    return run_all(args.fixtures, repeat=1 if args.quick else args.repeat, quick=args.quick,
                   seed=args.seed, install=not args.no_install)


if __name__ == "__main__":
    sys.exit(main())
