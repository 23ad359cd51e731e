"""YAML → plain Python values and the SourceMap of where each stands, two ways to the same result.

A clean file — most of them — is read straight from libyaml's events (`quick`): the same parser,
the same resolver table and the same constructors as composing, without a node per value, and
each value's event stands in for its node in the source map (it has the same marks). Composing
and walking the nodes (`Walker`) is the full path, which turns each fault into a diagnostic:
anything the quick read is not sure of — an error, a tag, an anchor, a duplicate key, a key that
is not text, an unreadable value, deep nesting — sends the file down it (yamlsource.parse), so
every diagnostic is the full path's own.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any, NamedTuple

import yaml
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

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
MAX_DEPTH = 64  # the plan files nest 5 deep; deeper is a mistake, and would exhaust the stack
# YAML's line breaks, as PyYAML and libyaml count lines (str.splitlines also breaks at \x0b, \x0c).
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


class Span(NamedTuple):
    """A value's place; a tuple, because a large file has hundreds of thousands of them."""

    line: int  # 1-based
    col: int  # 1-based
    width: int


@dataclass
class SourceMap:
    """Where each value (and each mapping key) stands in the text.

    It keeps the composed nodes themselves (or, for a file read from its events, each value's
    event: it has the same marks) and works out a span, and splits the text into lines, only
    when asked: a large file has hundreds of thousands of values and only its faults are shown.
    """

    text: str
    # Anything with a node's start_mark and end_mark: a yaml.Node, or the event that stands in for it.
    nodes: dict[Path, Any] = field(default_factory=dict)
    # Each mapping key's, by its value's path; None until asked for, for a file read from its events
    # (only a fault ever points at a key).
    keys: dict[Path, Any] | None = field(default_factory=dict)

    @cached_property
    def lines(self) -> list[str]:
        return lines_of(self.text)

    @property
    def key_nodes(self) -> dict[Path, Any]:
        if self.keys is None:
            read = quick(self.text, keys=True)  # the events once more, this time the keys' too
            self.keys = read[2] if read is not None and read[2] is not None else {}  # (it will be)
        return self.keys

    def line_text(self, line: int) -> str | None:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else None

    def span(self, node: Any) -> Span:
        start, end = node.start_mark, node.end_mark
        if end.line == start.line and end.column > start.column:
            return Span(start.line + 1, start.column + 1, end.column - start.column)
        # A value that runs over several lines: underline the rest of its first line.
        line_text = self.line_text(start.line + 1) or ""
        return Span(start.line + 1, start.column + 1, max(1, len(line_text.rstrip()) - start.column))

    def at(self, path: Path) -> Span | None:
        node = self.nodes.get(path)
        return self.span(node) if node is not None else None

    def start(self, path: Path) -> tuple[int, int] | None:
        """The line and column of `at(path)`, without its width (every item's, on every load)."""
        node = self.nodes.get(path)
        return (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else None

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


def lines_of(text: str) -> list[str]:
    lines = LINE_BREAK.split(text)
    return lines[:-1] if lines[-1] == "" else lines  # no line after the last line's break


# --- a clean file, read from libyaml's events ---------------------------------------------------

_QUICK_LOADER = getattr(yaml, "CSafeLoader", None)  # without libyaml every file takes the full path
_RESOLVERS = getattr(_QUICK_LOADER, "yaml_implicit_resolvers", {})
_ANY_START = tuple(_RESOLVERS.get(None, ()))
# The composer's resolver as a table: a plain scalar's first character → the (tag, pattern)
# pairs it tries in order (Resolver.resolve, whose path resolvers SafeLoader does not have). A
# scalar whose first character is not in it is text (`政策法规处`): no pattern is tried.
_IMPLICIT = {start: tuple(pairs) for start, pairs in _RESOLVERS.items() if start is not None}
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_NO_KEY = object()  # a mapping waiting for its next key


class _Unusual(Exception):
    """Something the full path must see: its diagnostics are the ones to show."""


def quick(text: str, keys: bool = False) -> tuple[Any, dict[Path, Any], dict[Path, Any] | None] | None:
    """A clean file's values and its source map's entries (`keys`: the keys' too), from libyaml's
    events; None when the file needs the full path (then nothing of this is used)."""
    if _QUICK_LOADER is None or _ANY_START or getattr(_QUICK_LOADER, "yaml_path_resolvers", None):
        return None
    parser = _QUICK_LOADER(text)
    try:
        # A tag is written with `!` and an anchor with `&`: without either, no event has one.
        return _from_events(parser.get_event, "!" in text or "&" in text, {} if keys else None)
    except (_Unusual, yaml.YAMLError):
        return None
    finally:
        parser.dispose()


def _from_events(next_event: Any, marked: bool, key_nodes: dict[Path, Any] | None
                 ) -> tuple[Any, dict[Path, Any], dict[Path, Any] | None]:
    """The events of one document that is a mapping or a list → values, as `Walker` would make
    them from the composed nodes; raises _Unusual for whatever `Walker` would report or the
    composer would refuse. `marked`: the text may hold tags or anchors; `key_nodes`: filled
    with the keys' events when given."""
    # Run once per event, hundreds of thousands of times: the names it uses are local ones.
    scalar, mapping_start, sequence_start, mapping_end, sequence_end = (
        ScalarEvent, MappingStartEvent, SequenceStartEvent, MappingEndEvent, SequenceEndEvent)
    implicit, no_key, plain, str_, type_, len_ = _IMPLICIT, _NO_KEY, _plain, str, type, len
    nodes: dict[Path, Any] = {}
    known: dict[str, Any] = {}  # each plain scalar's value, resolved once: keys repeat by thousands
    next_event()  # the stream's start
    if type(next_event()) is not DocumentStartEvent:
        raise _Unusual  # an empty file
    event = next_event()
    if type(event) not in (mapping_start, sequence_start) or (
            marked and (event.tag is not None or event.anchor is not None)):
        raise _Unusual  # a document that is one scalar, or tagged
    root: Any = {} if type(event) is mapping_start else []
    nodes[()] = event
    stack: list[tuple[Any, bool, Path, Any]] = [(None, False, (), event)]
    path: Path = ()
    container, listing, key = root, type(root) is list, no_key
    while True:
        event = next_event()
        kind = type_(event)
        if kind is scalar:
            if marked and (event.tag is not None or event.anchor is not None):
                raise _Unusual
            value = event.value
            if event.implicit[0] and value[:1] in implicit:  # plain: resolved as the composer does
                value = known[value] if value in known else plain(value, known)
            if listing:
                nodes[(*path, len_(container))] = event
                container.append(value)
            elif key is no_key:
                if type_(value) is not str_ or value in container:  # a key `Walker` would walk or report
                    raise _Unusual
                key = value
                if key_nodes is not None:
                    key_nodes[(*path, key)] = event
            else:
                nodes[(*path, key)] = event
                container[key] = value
                key = no_key
        elif kind is mapping_start or kind is sequence_start:
            if len_(stack) > MAX_DEPTH or (marked and (event.tag is not None or event.anchor is not None)):
                raise _Unusual
            made: Any = {} if kind is mapping_start else []
            inner: Path
            if listing:
                inner = (*path, len_(container))
                container.append(made)
            elif key is no_key:
                raise _Unusual  # a mapping or a list as a key
            else:
                inner = (*path, key)
                container[key] = made
            nodes[inner] = event
            stack.append((container, listing, path, event))
            container, listing, key, path = made, kind is sequence_start, no_key, inner
        elif kind is mapping_end or kind is sequence_end:
            container, listing, path, start = stack.pop()
            # The start event stands for the collection's node, which ends where the collection does.
            start.end_mark = event.end_mark
            key = no_key
            if container is None:
                break
        else:
            raise _Unusual  # an alias
    if type(next_event()) is not DocumentEndEvent or type(next_event()) is not StreamEndEvent:
        raise _Unusual  # a second document
    return root, nodes, key_nodes


def _plain(text: str, known: dict[str, Any]) -> Any:
    """A plain scalar's value, as `Walker._scalar` makes it from the node the composer resolves."""
    tag = next((tag for tag, pattern in _IMPLICIT[text[:1]] if pattern.match(text)), _STR)
    if tag == _STR:
        value: Any = text
    elif tag not in _SAFE_TAGS:
        raise _Unusual  # a merge key `<<`, or `=`
    else:
        try:
            match = _DATE.match(text) if tag == _TIMESTAMP else None
            value = date(*(int(part) for part in match.groups())) if match else \
                _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, text))
        except Exception as error:  # an impossible date, an unreadable value: the full path says so
            raise _Unusual from error
    known[text] = value
    return value


# --- the full path: composed nodes, walked -------------------------------------------------------

class Walker:
    """Composed nodes → values, each fault of them a diagnostic: the full path."""


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
            self._report(node, "yaml-value", f"无法读取的值 '{node.value}' ({error})")
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
