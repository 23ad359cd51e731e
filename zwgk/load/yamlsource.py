"""Hand-edited YAML → plain Python values, remembering where every value came from.

`yaml.safe_load` forgets line numbers, accepts duplicate keys and turns `2017-02-30` into a
traceback. Here the text is composed into nodes and walked by hand, so that every value keeps
its line and column, duplicate keys and impossible dates become diagnostics, and tags or
aliases (`!!python/object`, billion-laughs bombs) are refused instead of expanded.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

import yaml

from zwgk.errors import Diagnostic

Path = tuple[Hashable, ...]

_SAFE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}
_STR = "tag:yaml.org,2002:str"
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
MAX_BYTES = 5_000_000  # plan files are a few hundred KB; anything this big is a mistake
MAX_DEPTH = 64  # the plan files nest 5 deep; deeper is a mistake, and would exhaust the stack
MAX_ALIAS_REPORTS = 20


class Span(NamedTuple):
    """A value's place; a tuple, because a large file has hundreds of thousands of them."""

    line: int  # 1-based
    col: int  # 1-based
    width: int


@dataclass
class SourceMap:
    """Where each value (and each mapping key) stands in the text.

    It keeps the composed nodes themselves and works out a span only when one is asked for:
    a large file has hundreds of thousands of values and only its faults are ever shown.
    """

    lines: list[str]
    nodes: dict[Path, yaml.Node] = field(default_factory=dict)
    key_nodes: dict[Path, yaml.Node] = field(default_factory=dict)

    def line_text(self, line: int) -> str | None:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else None

    def span(self, node: yaml.Node) -> Span:
        start, end = node.start_mark, node.end_mark
        if end.line == start.line and end.column > start.column:
            return Span(start.line + 1, start.column + 1, end.column - start.column)
        # A value that runs over several lines: underline the rest of its first line.
        line_text = self.line_text(start.line + 1) or ""
        return Span(start.line + 1, start.column + 1, max(1, len(line_text.rstrip()) - start.column))

    def at(self, path: Path) -> Span | None:
        node = self.nodes.get(path)
        return self.span(node) if node is not None else None

    def locate(self, loc: tuple[Any, ...], prefer_key: bool = False) -> Span | None:
        """The deepest known span along a pydantic error location.

        Elements that are not in the file (a union's tag name, a validator's name) are skipped.
        """
        path: Path = ()
        for element in loc:
            candidate = (*path, element)
            if candidate in self.nodes:
                path = candidate
        if prefer_key and path in self.key_nodes:
            return self.span(self.key_nodes[path])
        return self.at(path)


@dataclass(frozen=True)
class Parsed:
    data: Any
    source: SourceMap
    diagnostics: tuple[Diagnostic, ...]


def decode(raw: bytes, path: str) -> tuple[str | None, Diagnostic | None]:
    """Bytes → text. UTF-8 with or without BOM; recognise GBK and binary junk with a clear word."""
    if len(raw) > MAX_BYTES:
        return None, Diagnostic(
            path, None, None, "file-too-large",
            f"文件过大({len(raw):,} 字节,上限 {MAX_BYTES:,})(file too large)",
            hint="数据文件通常只有几百 KB;请检查是否误存了其他内容。",
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Diagnostic(
            path, None, None, "utf16-encoding",
            "文件是 UTF-16(记事本的“Unicode”)编码,zwgk 只读 UTF-8 (file is UTF-16)",
            hint="在记事本或 WPS 中“另存为”,编码选择 UTF-8。",
        )
    if b"\x00" in raw:
        return None, Diagnostic(
            path, None, None, "binary-file", "不是文本文件(含 NUL 字节)(binary file, not YAML)"
        )
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        try:
            raw.decode("gbk")
        except UnicodeDecodeError:
            line = raw[: error.start].count(b"\n") + 1
            return None, Diagnostic(
                path, line, None, "not-utf8",
                f"不是 UTF-8 文本(第 {error.start} 字节无法解码)(not UTF-8 text)",
                hint="请用 UTF-8 编码保存此文件。",
            )
        return None, Diagnostic(
            path, None, None, "gbk-encoding",
            "文件是 GBK/GB2312 编码,zwgk 只读 UTF-8 (file is GBK-encoded; zwgk reads UTF-8)",
            hint="在记事本或 WPS 中“另存为”,编码选择 UTF-8。",
        )


def parse(text: str, path: str) -> Parsed:
    """Compose YAML text and walk it into Python values with a source map."""
    source = SourceMap(lines=text.splitlines())
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        # Aliases are refused before composing: a billion-laughs bomb is never built, and each
        # alias is reported where it is written (a composed alias only knows its anchor).
        aliases = [event.start_mark for event in yaml.parse(text, Loader=loader)
                   if isinstance(event, yaml.AliasEvent) and event.start_mark is not None
                   ] if "*" in text else []  # an alias is written `*name`: no star, no alias
        if aliases:
            return Parsed(None, source, tuple(_alias_diagnostic(mark, path, source)
                                              for mark in aliases[:MAX_ALIAS_REPORTS]))
        node = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as error:
        return Parsed(None, source, (_syntax_diagnostic(error, path, source),))
    except RecursionError:  # the pure-Python parser, without libyaml, recurses per level
        return Parsed(None, source, (Diagnostic(path, None, None, "yaml-too-deep",
                                                f"嵌套超过 {MAX_DEPTH} 层 (nested too deeply)"),))
    except yaml.YAMLError as error:  # pragma: no cover - composer errors are all marked
        return Parsed(None, source, (Diagnostic(path, None, None, "yaml-syntax", str(error)),))
    if node is None:
        return Parsed(None, source, ())
    walker = _Walker(path, source)
    data = walker.walk(node, ())
    return Parsed(data, source, tuple(walker.diagnostics))


def _alias_diagnostic(mark: Any, path: str, source: SourceMap) -> Diagnostic:
    line = mark.line + 1
    return Diagnostic(path, line, mark.column + 1, "yaml-alias",
                      "不支持 YAML 锚点/别名 (anchors and aliases are not allowed)",
                      hint="请把内容直接写出来。", source_line=source.line_text(line))


def _syntax_diagnostic(error: yaml.MarkedYAMLError, path: str, source: SourceMap) -> Diagnostic:
    mark = error.problem_mark or error.context_mark
    if mark is not None and error.context_mark is not None and mark.line >= len(source.lines):
        # An unclosed quote or bracket runs to the end of the file: point where it opens.
        mark = error.context_mark
    line = mark.line + 1 if mark else None
    col = mark.column + 1 if mark else None
    problem = ", ".join(part for part in (error.context, error.problem) if part) or "syntax error"
    line_text = source.line_text(line) if line else None
    hint = "请检查缩进、冒号和引号。"
    said = f"{error.context or ''} {error.problem or ''}"
    if "\t" in problem or (line_text is not None and "\t" in line_text[: (col or 1)]):
        hint = "YAML 不允许用 Tab 缩进,请改用空格。(YAML forbids tabs for indentation)"
    elif "expected a single document" in said:
        hint = "文件中只能有一个文档,请删除多余的 '---'。"
    elif "end of stream" in said and error.context_mark is not None:
        hint = f"第 {error.context_mark.line + 1} 行开始的引号或括号没有闭合。"
    return Diagnostic(
        path, line, col, "yaml-syntax", f"YAML 语法错误:{problem}",
        hint=hint, source_line=line_text,
    )


class _Walker:
    def __init__(self, path: str, source: SourceMap) -> None:
        self.path = path
        self.source = source
        self.diagnostics: list[Diagnostic] = []
        self._seen: set[int] = set()

    def walk(self, node: yaml.Node, path: Path) -> Any:
        self.source.nodes[path] = node
        if len(path) > MAX_DEPTH and not isinstance(node, yaml.ScalarNode):
            # Reported once, on the collection that goes too deep, which is not walked further.
            self._report(node, "yaml-too-deep", f"嵌套超过 {MAX_DEPTH} 层 (nested too deeply)")
            return None
        if id(node) in self._seen:  # pragma: no cover - aliases are refused before composing
            return None
        self._seen.add(id(node))
        if node.tag not in _SAFE_TAGS:
            self._report(node, "yaml-tag", f"不支持的 YAML 标签 {node.tag} (tags are not allowed)",
                         "删除以 ! 开头的标签。")
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(child, (*path, index)) for index, child in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._report(key_node, "yaml-merge", "不支持 YAML 合并键 '<<' (merge keys are not allowed)")
                continue
            if key_node.tag == _STR and isinstance(key_node, yaml.ScalarNode):
                key: Any = key_node.value  # the usual case, without a walk
            else:
                key = self.walk(key_node, (*path, "<key>"))
            if not isinstance(key, Hashable) or isinstance(key, (list, dict)):
                self._report(key_node, "yaml-key", "键必须是简单文本 (keys must be plain text)")
                continue
            if key in first_seen:
                self._report(
                    key_node, "duplicate-key",
                    f"重复的键 '{key}'(第一次出现在第 {first_seen[key]} 行)(duplicate key)",
                    "删除或合并其中一个。",
                )
                continue
            first_seen[key] = key_node.start_mark.line + 1
            self.source.key_nodes[(*path, key)] = key_node
            result[key] = self.walk(value_node, (*path, key))
        self.source.nodes.pop((*path, "<key>"), None)
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == "tag:yaml.org,2002:timestamp":
            return self._timestamp(node)
        if node.tag == "tag:yaml.org,2002:str":
            return node.value
        try:
            return _CONSTRUCTOR.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError) as error:
            self._report(node, "yaml-value", f"无法读取的值 '{node.value}':{error}")
            return None

    def _timestamp(self, node: yaml.ScalarNode) -> date | datetime | None:
        match = _DATE.match(node.value)
        try:
            if match:
                year, month, day = (int(part) for part in match.groups())
                return date(year, month, day)
            return _CONSTRUCTOR.construct_yaml_timestamp(node)
        except ValueError:
            self._report(node, "impossible-date", f"不存在的日期 {node.value} (impossible date)",
                         "检查月份和日期,例如 2 月没有 30 日。")
            return None

    def _report(self, node: yaml.Node, code: str, message: str, hint: str | None = None) -> None:
        span = self.source.span(node)
        self.diagnostics.append(
            Diagnostic(self.path, span.line, span.col, code, message, hint=hint,
                       source_line=self.source.line_text(span.line), width=span.width)
        )
