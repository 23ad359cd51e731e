"""The command-line framework's own words, in Chinese: usage, option and command help, and
click's and typer's usage errors (`缺少参数 'ITEM'`, `没有这个选项 --follows,是否是 --follow?`,
`没有命令 'statuss',是否是 'status'?`), with the English kept in parentheses for a search.

Typer renders help and usage errors itself, with English written into its code (recent typer
versions vendor click and no longer route those strings through gettext), so the text is
translated where it is written out: each command's help after it is formatted, and each usage
error when it is shown — by the classes every zwgk command and group is made with.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any

from typer.core import TyperCommand, TyperGroup

# Whole phrases of the help page, most specific first.
_HELP = (
    ("Show this message and exit.", "显示本帮助并退出。"),
    ("Install completion for the current shell.", "为当前 shell 安装命令补全。"),
    ("Show completion for the current shell, to copy it or customize the installation.",
     "显示当前 shell 的补全脚本,可复制或自定义安装。"),
    ("[required]", "[必填]"),
)
_HEADINGS = {"Usage:": "用法 (Usage):", "Options:": "选项 (Options):", "Arguments:": "参数 (Arguments):",
             "Commands:": "命令 (Commands):"}
_DEFAULT = re.compile(r"\[default: ([^\]]*)\]")
# Recent typer shows a parameter's Python type (`--data <list[Path]>`): the names click showed,
# padded to the same width so the help column stays where it was laid out.
_METAVARS = {"list[Path]": "DIR...", "list[str]": "NAME...", "Path": "PATH", "path": "PATH", "str": "TEXT",
             "int": "N", "float": "NUMBER"}
_METAVAR = re.compile(r"(?<=[\w-] )<(list\[Path\]|list\[str\]|Path|path|str|int|float)>")
_ERRORS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"Missing argument '(?P<name>[^']+)'\.?"),
     lambda m: f"缺少参数 '{m['name']}' (missing argument)"),
    (re.compile(r"Missing option '(?P<name>[^']+)'\.?"),
     lambda m: f"缺少选项 '{m['name']}' (missing option)"),
    (re.compile(r"Missing parameter: (?P<name>\S+)"), lambda m: f"缺少参数 {m['name']} (missing parameter)"),
    (re.compile(r"No such option: (?P<name>\S+?)(?:\.? Did you mean (?P<guess>.+)\?"
                r"| \(Possible options: (?P<options>.+)\))?"),
     lambda m: f"没有这个选项 {m['name']}" + (f",是否是 {m['guess'] or m['options']}?"
                                          if m["guess"] or m["options"] else "") + " (no such option)"),
    (re.compile(r"Option '(?P<name>[^']+)' requires an argument\.?"),
     lambda m: f"选项 '{m['name']}' 需要一个值 (requires an argument)"),
    (re.compile(r"Option '(?P<name>[^']+)' does not take a value\.?"),
     lambda m: f"选项 '{m['name']}' 不带值 (does not take a value)"),
    (re.compile(r"Got unexpected extra argument(?:\(s\)|s)? \((?P<args>.*)\)"),
     lambda m: f"多余的参数:{m['args']} (unexpected extra arguments)"),
    (re.compile(r"Invalid value for '(?P<name>[^']+)': (?P<why>.*)"),
     lambda m: f"选项 '{m['name']}' 的值无效:{translate_value_error(m['why'])} (invalid value)"),
    (re.compile(r"Invalid value: (?P<why>.*)"),
     lambda m: f"值无效:{translate_value_error(m['why'])} (invalid value)"),
    (re.compile(r"Missing command\.?"), lambda m: "缺少命令 (missing command)"),
)
_VALUE_ERRORS = (
    (re.compile(r"'(?P<value>[^']*)' is not a valid integer(?: range)?\.?"), "'{value}' 不是整数"),
    (re.compile(r"(?P<value>\S+) is not in the range (?P<range>.+)\."), "{value} 不在范围 {range} 内"),
    (re.compile(r"(?P<value>\S+) is not (?:in )?the range (?P<range>.+)\."), "{value} 不在范围 {range} 内"),
    (re.compile(r"'(?P<value>[^']*)' is not one of (?P<choices>.+)\."),
     "'{value}' 不是可选值 {choices} 之一"),
    (re.compile(r"Input should be a valid integer.*"), "应为整数"),
    (re.compile(r"Input should be (?:less|greater) than or equal to (?P<bound>\S+).*"),
     "超出范围(界限 {bound})"),
    (re.compile(r"Input should be a valid boolean.*"), "应为 true 或 false"),
)


def translate_help(text: str) -> str:
    for english, chinese in _HELP:  # a phrase may be wrapped over lines
        text = re.sub(r"\s+".join(map(re.escape, english.split())), chinese, text)
    for english, chinese in _HEADINGS.items():
        text = re.sub(rf"^(\s*){re.escape(english)}", rf"\g<1>{chinese}", text, flags=re.M)
    text = _METAVAR.sub(lambda m: _METAVARS[m[1]].ljust(len(m[0])), text)
    return _DEFAULT.sub(lambda m: f"[默认:{m[1]}]", text)


def translate_value_error(text: str) -> str:
    for pattern, chinese in _VALUE_ERRORS:
        if found := pattern.fullmatch(text.strip()):
            return chinese.format(**found.groupdict())
    return text


def translate_error(message: str, commands: Sequence[str] = ()) -> str:
    """A usage error in Chinese (English kept in parentheses); an unknown command gets a guess."""
    found = re.fullmatch(r"No such command '(?P<name>[^']+)'\.?(?: Did you mean .*)?", message.strip())
    if found:
        guess = difflib.get_close_matches(found["name"], commands, n=1)
        suggestion = f",是否是 '{guess[0]}'?" if guess else ""
        return f"没有命令 '{found['name']}'{suggestion} (no such command)"
    for pattern, chinese in _ERRORS:
        if match := pattern.fullmatch(message.strip()):
            return chinese(match)
    return message


def _translated_help(command: Any, ctx: Any, formatter: Any) -> None:
    formatter.buffer[:] = [translate_help("".join(formatter.buffer))]  # a phrase may span pieces


class ZwgkCommand(TyperCommand):
    """A typer command whose help reads in Chinese."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        super().format_help(ctx, formatter)
        _translated_help(self, ctx, formatter)


class ZwgkGroup(TyperGroup):
    """A typer group whose help and usage errors read in Chinese."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        super().format_help(ctx, formatter)
        _translated_help(self, ctx, formatter)

    def main(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if not kwargs.get("standalone_mode", True):
            return super().main(*args, **kwargs)
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except Exception as error:
            if not _is_framework_error(error):
                raise
            if type(error).__name__ == "Abort":
                print("zwgk: 已中止 (aborted)", file=sys.stderr)
                sys.exit(1)
            show_usage_error(error, sorted(self.commands))
            sys.exit(getattr(error, "exit_code", 2))
        sys.exit(code if isinstance(code, int) else 0)


def _is_framework_error(error: Exception) -> bool:
    return type(error).__module__.split(".")[0] in ("click", "typer") and (
        hasattr(error, "format_message") or type(error).__name__ == "Abort")


def show_usage_error(error: Any, commands: Sequence[str]) -> None:
    """What click's `UsageError.show()` prints, in Chinese: the usage, the way to help, the error."""
    ctx = getattr(error, "ctx", None)
    lines = []
    if ctx is not None and type(error).__name__ != "ClickException":
        lines.append(translate_help(ctx.get_usage()))
        help_option = next(iter(ctx.help_option_names), "--help")
        lines.append(f"运行 '{ctx.command_path} {help_option}' 查看帮助 (for help)。")
        lines.append("")
    lines.append(f"zwgk: 错误:{translate_error(error.format_message(), commands)}")
    print("\n".join(lines), file=sys.stderr)
