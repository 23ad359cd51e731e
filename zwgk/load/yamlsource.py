"""Hand-edited YAML → plain Python values, remembering where every value came from.

`yaml.safe_load` forgets line numbers, accepts duplicate keys and turns `2017-02-30` into a
traceback. Here the text is read into values that each keep their line and column
(yamlvalues.py: straight from libyaml's events when the file is clean, else composed into nodes
and walked by hand), duplicate keys and impossible dates become diagnostics, and tags or
aliases (`!!python/object`, billion-laughs bombs) are refused instead of expanded. What PyYAML
reports without a place or in the wrong place is found here first: a control character pasted
from Word, a NUL, and full-width punctuation typed with a Chinese input method (`：` for `:`),
each named at its own line and column; PyYAML's own words are put in Chinese (validation.py).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import deque
from dataclasses import dataclass
from typing import Any

import yaml

from zwgk.errors import Diagnostic
from zwgk.load.validation import ascii_for, control_words, nul_words, slip_words, yaml_words
from zwgk.load.yamlvalues import LINE_BREAK, MAX_DEPTH, Path, SourceMap, Span, Walker, lines_of
from zwgk.load.yamlvalues import quick as quick_read

__all__ = ["MAX_ALIAS_REPORTS", "MAX_BYTES", "MAX_DEPTH", "Parsed", "Path", "SourceMap", "Span", "decode",
           "parse"]

MAX_BYTES = 5_000_000  # plan files are a few hundred KB; anything this big is a mistake
MAX_ALIAS_REPORTS = 20  # and control characters, and full-width slips, reported per file
REPARSE_FACTOR, REPARSE_MIN = 3, 2_000_000  # text parsed again to find full-width slips: 3 × file
# What YAML's reader refuses (PyYAML's own test; libyaml's is the same): everything but
# [\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff], spelt as what is refused,
# which compiles ten times faster (0.3 ms, on every run) and matches the same characters.
_NOT_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
# What an input method or a copy from Word leaves where YAML needs ASCII (validation.LOOKALIKES).
_SUSPECT = re.compile("\u3000+|[：，－［］【】｛｝“”‘’＂＇＃\xa0\u200b\ufeff]")


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
        return None, _utf16(path)
    if b"\x00" in raw:
        return None, _nul(raw, path)
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        try:
            raw.decode("gbk")
        except UnicodeDecodeError:
            body = raw.removeprefix(b"\xef\xbb\xbf")  # where utf-8-sig counts from
            begin, end = body.rfind(b"\n", 0, error.start) + 1, body.find(b"\n", error.start)
            text = body[begin: end if end >= 0 else len(body)].decode(errors="replace")
            return None, Diagnostic(
                path, body[: error.start].count(b"\n") + 1, len(body[begin: error.start].decode()) + 1,
                "not-utf8", f"不是 UTF-8 文本(第 {error.start} 字节无法解码)(not UTF-8 text)",
                hint="请用 UTF-8 编码保存此文件。", source_line=text.rstrip("\r"))
        return None, Diagnostic(
            path, None, None, "gbk-encoding",
            "文件是 GBK/GB2312 编码,zwgk 只读 UTF-8 (file is GBK-encoded; zwgk reads UTF-8)",
            hint="在记事本或 WPS 中“另存为”,编码选择 UTF-8。",
        )


def _utf16(path: str) -> Diagnostic:
    return Diagnostic(path, None, None, "utf16-encoding",
                      "文件是 UTF-16(记事本的“Unicode”)编码,zwgk 只读 UTF-8 (file is UTF-16)",
                      hint="在记事本或 WPS 中“另存为”,编码选择 UTF-8。")


def _nul(raw: bytes, path: str) -> Diagnostic:
    """A NUL byte: in a text file, where it is; else the file is UTF-16 without a BOM, or binary."""
    count, pairs, even, odd = raw.count(b"\x00"), len(raw) // 2, raw[0::2].count(0), raw[1::2].count(0)
    if max(even, odd) > 0.4 * pairs and min(even, odd) < 0.1 * pairs:
        return _utf16(path)  # mostly ASCII text in UTF-16: every other byte is a NUL
    try:
        text = raw.decode("utf-8-sig") if count <= 16 or count * 20 < len(raw) else None  # a few
    except UnicodeDecodeError:
        text = None
    if text is None:
        return Diagnostic(path, None, None, "binary-file",
                          "不是文本文件(含 NUL 字节)(binary file, not YAML)")
    line, col = _place(_starts(text), text.index("\x00"))
    message, hint = nul_words(count)
    return Diagnostic(path, line, col, "binary-file", message, hint=hint,
                      source_line=lines_of(text)[line - 1])


def _starts(text: str) -> list[int]:
    """Where each line starts in the text, counting YAML's line breaks."""
    return [0, *(match.end() for match in LINE_BREAK.finditer(text))]


def _place(starts: list[int], index: int) -> tuple[int, int]:
    """A character's 1-based line and column."""
    row = bisect_right(starts, index) - 1
    return row + 1, index - starts[row] + 1


def parse(text: str, path: str) -> Parsed:
    """Compose YAML text and walk it into Python values with a source map."""
    source = SourceMap(text)
    if _NOT_PRINTABLE.search(text):
        return _unprintable(text, path, source)
    clean = quick_read(text)
    if clean is not None:  # the usual case; else the full path below, which says what is wrong
        data, source.nodes, source.keys = clean
        return Parsed(data, source, ())
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
        return Parsed(None, source, tuple(_syntax_diagnostics(_Repair(text, loader), error, path,
                                                              source)))
    except RecursionError:  # the pure-Python parser, without libyaml, recurses per level
        return Parsed(None, source, (Diagnostic(path, None, None, "yaml-too-deep",
                                                f"嵌套超过 {MAX_DEPTH} 层 (nested too deeply)"),))
    except yaml.YAMLError as error:  # pragma: no cover - unprintable text is refused above
        return Parsed(None, source, (Diagnostic(path, None, None, "yaml-syntax",
                                                f"YAML 无法读取此文件:{error}"),))
    if node is None:
        return Parsed(None, source, ())
    walker = Walker(path, source)
    data = walker.walk(node, ())
    return Parsed(data, source, tuple(walker.diagnostics))


def _unprintable(text: str, path: str, source: SourceMap) -> Parsed:
    """Control characters (Word's manual line break) by name, at their line and column (PyYAML
    gives an offset). Each read as a space, the rest still shows its faults, off their lines."""
    starts = _starts(text)
    found: list[Diagnostic] = []
    rows: set[int] = set()
    for match in _NOT_PRINTABLE.finditer(text):
        line, col = _place(starts, match.start())
        rows.add(line)
        if len(found) < MAX_ALIAS_REPORTS:
            message, hint = control_words(match.group())
            found.append(Diagnostic(path, line, col, "yaml-syntax", message, hint=hint,
                                    source_line=source.line_text(line)))
    rest = parse(_NOT_PRINTABLE.sub(" ", text), path)
    found += [d for d in rest.diagnostics if d.line not in rows]
    return Parsed(None, source, tuple(sorted(found, key=lambda d: (d.line or 0, d.col or 0))))


def _alias_diagnostic(mark: Any, path: str, source: SourceMap) -> Diagnostic:
    line = mark.line + 1
    return Diagnostic(path, line, mark.column + 1, "yaml-alias",
                      "不支持 YAML 锚点/别名 (anchors and aliases are not allowed)",
                      hint="请把内容直接写出来。", source_line=source.line_text(line))


class _Repair:
    """The text with each full-width slip found so far put right, to parse again.

    An input method types `：`, `　`, `，` where YAML needs `:`, ` `, `,`, and PyYAML complains
    where the damage shows, often the next line. Each suspect before the error (nearest line
    first, left to right in a line: a key's colon comes first) is replaced by its ASCII and the
    text to a little past the error parsed again: the first that makes the error go or move on is
    the cause. Repeated, every slip of a file is named in one run; what remains is shown as is.
    """

    def __init__(self, text: str, loader: Any) -> None:
        self.text, self.loader = text, loader
        self.budget = max(REPARSE_MIN, REPARSE_FACTOR * len(text))
        self.moved: dict[int, list[tuple[int, int, int]]] = {}  # line → (col, old, new length)

    def original(self, line: int, col: int) -> int:
        """A 0-based column of the repaired text → the same place in the file."""
        for at, old, new in reversed(self.moved.get(line, [])):
            col = col - (new - old) if col >= at + new else min(col, at)
        return col

    def cause(self, error: yaml.MarkedYAMLError) -> tuple[int, int, str] | None:
        """The slip that causes `error` (its line and column in the file, its characters), put
        right; or None."""
        mark = error.problem_mark or error.context_mark
        if mark is None:
            return None
        starts = [*_starts(self.text), len(self.text)]
        end = starts[min(mark.line + 4, len(starts) - 1)]  # parse to a little past the error
        first = max(0, min(m.line for m in (error.context_mark, mark) if m is not None) - 2)
        for line in range(min(mark.line, len(starts) - 2), first - 1, -1):
            for match in _SUSPECT.finditer(self.text, starts[line], starts[line + 1]):  # key first
                col, found = match.start() - starts[line], match.group()
                for ascii_ in ascii_for(found, self.text[match.end():][:1]) \
                        if (line, col) <= (mark.line, mark.column) else ():
                    head = self.text[: match.start()] + ascii_
                    tried = head + self.text[match.end(): max(end, match.end())]
                    self.budget -= len(tried)
                    if self.budget < 0:
                        return None
                    if _moves_on(_error_in(tried, self.loader), (line, col, len(ascii_) - len(found)),
                                 (mark.line, mark.column)):
                        self.text, at = head + self.text[match.end():], self.original(line, col)
                        self.moved.setdefault(line, []).append((col, len(found), len(ascii_)))
                        return line, at, found
        return None


def _moves_on(error: yaml.YAMLError | None, repair: tuple[int, int, int], was: tuple[int, int]) -> bool:
    """Whether the text parses after a repair at (line, col, shift), or its error is past `was`."""
    mark = (error.problem_mark or error.context_mark) if isinstance(error, yaml.MarkedYAMLError) else None
    if error is None or mark is None:
        return error is None
    line, col, shift = repair
    return (mark.line, mark.column - shift if mark.line == line and mark.column > col else mark.column) > was


def _error_in(text: str, loader: Any, whole: bool = False) -> yaml.YAMLError | None:
    """The text's first YAML error, None when it parses (`whole`: composed, not just parsed)."""
    try:
        yaml.compose(text, Loader=loader) if whole else deque(yaml.parse(text, Loader=loader), maxlen=0)
    except (yaml.YAMLError, RecursionError) as error:
        return error if isinstance(error, yaml.YAMLError) else yaml.YAMLError()
    return None


def _syntax_diagnostics(repair: _Repair, error: yaml.MarkedYAMLError, path: str,
                        source: SourceMap) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    current: yaml.YAMLError | None = error
    while isinstance(current, yaml.MarkedYAMLError) and len(found) < MAX_ALIAS_REPORTS and (
            slip := repair.cause(current)):
        line, col, chars = slip
        message, hint = slip_words(chars[0])
        found.append(Diagnostic(path, line + 1, col + 1, "yaml-syntax", message, hint=hint,
                                source_line=source.line_text(line + 1), width=len(chars)))
        current = _error_in(repair.text, repair.loader, whole=True)
    if isinstance(current, yaml.MarkedYAMLError):
        found.append(_syntax_diagnostic(current, path, source, repair))
    return found


def _syntax_diagnostic(error: yaml.MarkedYAMLError, path: str, source: SourceMap,
                       repair: _Repair) -> Diagnostic:
    mark = error.problem_mark or error.context_mark
    if mark is not None and error.context_mark is not None and mark.line >= len(source.lines):
        # An unclosed quote or bracket runs to the end of the file: point where it opens.
        mark = error.context_mark
    line = mark.line + 1 if mark else None
    col = repair.original(mark.line, mark.column) + 1 if mark else None
    line_text = source.line_text(line) if line else None
    tab = line_text is not None and "\t" in line_text[: (col or 1)]
    opened = error.context_mark.line + 1 if error.context_mark is not None else None
    message, hint = yaml_words(error.context, error.problem, tab, opened)
    return Diagnostic(path, line, col, "yaml-syntax", message, hint=hint, source_line=line_text)


