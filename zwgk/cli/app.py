"""The app: its one error handler, the registration of every command, and the entry point.

Commands live in modules by job (dashboard, validate, journal, ci, reports); each is a few
lines: choose the units (units.py), ask the core, hand the answer to the renderer its --format
names; what the user typed becomes values in options.py, and all printing goes through
output.py. Only the command line prints, reads the clock, or exits. Exit codes: 0 fine,
1 findings (overdue items, a failed check), 2 errors (bad data, bad input), 3 zwgk's own failure.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from zwgk.cli.frame import ZwgkGroup
from zwgk.cli.output import err
from zwgk.errors import EXIT_CRASH, UserError, ZwgkError


class _Commands(ZwgkGroup):
    """The one place a failure becomes a message and an exit code, for every command at once.

    A ZwgkError (raised anywhere below) is its message, its details and its exit code (2).
    Anything else is zwgk's own failure: one line and exit 3, never a traceback, and never
    exit 1, which CI reads as "overdue". ZWGK_DEBUG=1 lets it through, traceback and all.
    """

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        try:
            args = typed_args(args)
        except ZwgkError as error:
            err(f"zwgk: 错误:{error.message}")
            for line in error.details:
                err(f"  {line}")
            raise typer.Exit(error.exit_code) from None
        return super().parse_args(ctx, args)  # type: ignore[no-any-return]

    def invoke(self, ctx: typer.Context) -> object:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except ZwgkError as error:
            err(f"zwgk: 错误:{error.message}")
            for line in error.details:
                err(f"  {line}")
            raise typer.Exit(error.exit_code) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as error:
            # The framework's own usage errors (click's, or typer's vendored click) print themselves.
            if type(error).__module__.split(".")[0] in ("click", "typer"):
                raise
            if os.environ.get("ZWGK_DEBUG", "") not in ("", "0"):
                raise
            err(f"zwgk: 内部错误 (internal error): {type(error).__name__}: {error}"
                " — 请把命令和这行信息报告给维护者 (please report it; ZWGK_DEBUG=1 shows the traceback)")
            raise typer.Exit(EXIT_CRASH) from None


def typed_args(args: list[str]) -> list[str]:
    """The arguments as the user meant them, or a UserError. An empty one is refused (an unset
    shell variable: `--date "$DAY"` must not quietly mean today). One that is not valid in the
    locale's encoding — Python keeps its bytes as surrogates — is read as GB18030, the encoding
    of a Chinese Windows console, when that reads it, and refused otherwise (never a traceback)."""
    found = []
    for index, arg in enumerate(args):
        option, equals, value = arg.partition("=") if arg.startswith("--") else ("", "", arg)
        if not (equals or not option) or value.strip():
            found.append(_decoded(arg))
            continue
        before = args[index - 1] if index and args[index - 1].startswith("-") else None
        named = option or before
        where = f"{named} 的" if named else f"第 {index + 1} 个"
        raise UserError(f"{where}参数是空的 (empty argument)",
                        ("可能是未设置的 shell 变量;去掉这个选项,或给出值。",))
    return found


def _decoded(arg: str) -> str:
    try:
        arg.encode("utf-8")
    except UnicodeEncodeError:
        raw = os.fsencode(arg)
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            raise UserError("参数不是可识别的文字编码 (an argument is neither UTF-8 nor GB18030)",
                            (f"参数的字节:{raw[:40]!r}",)) from None
    return arg


app = typer.Typer(
    name="zwgk",
    cls=_Commands,
    help="政务公开合规跟踪:把公开任务、栏目更新和事件时限放在 YAML 里,按期检查。"
    " (a compliance tracker for government-openness duties kept in plain YAML)",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _version(asked: bool) -> None:
    if asked:
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("zwgk")
        except PackageNotFoundError:  # run from a checkout that was never installed
            found = "未安装 (not installed)"
        print(f"zwgk {found}")
        raise typer.Exit(0)


@app.callback()
def _options(
    show_version: Annotated[bool, typer.Option("--version", help="显示版本并退出 (show the version)",
                                               callback=_version, is_eager=True)] = False,
    output_encoding: Annotated[str | None, typer.Option(
        "--encoding", help="输出到管道或文件时的编码:utf-8、utf-8-sig(带 BOM,供 Excel)、gbk …"
        " (default: $ZWGK_ENCODING;Windows 上为控制台代码页,其他为 utf-8)", show_default=False)] = None,
) -> None:
    """政务公开合规跟踪:把公开任务、栏目更新和事件时限放在 YAML 里,按期检查。
    (a compliance tracker for government-openness duties kept in plain YAML)"""
    if output_encoding is not None:
        from zwgk.cli import encoding

        encoding.apply(output_encoding)


def _register_commands() -> None:
    """Every command lives in a module of its own job (each imports nothing heavy until it runs);
    the order here is the order `zwgk --help` lists them."""
    from zwgk.cli import ci, corrections, dashboard, importing, journal, reports, validate

    dashboard.register(app)
    validate.register(app)
    journal.register(app)
    corrections.register(app)
    importing.register(app)
    ci.register(app)
    reports.register(app)
    from zwgk.cli import notify

    notify.register(app)
    from zwgk.cli import inspect as inspecting  # the spot check (zwgk inspect)

    inspecting.register(app)
    from zwgk.cli import scan  # evidence from the website (zwgk scan)

    scan.register(app)


_register_commands()


def main() -> None:
    from zwgk.cli import encoding

    try:
        encoding.apply()
    except ZwgkError as error:  # a bad ZWGK_ENCODING
        err(f"zwgk: 错误:{error.message}")
        sys.exit(error.exit_code)
    app()
