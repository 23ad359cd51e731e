"""Pointing at the source: a parsed file's position map, pydantic's and PyYAML's errors in words.

Shared by the loader and the inheritance resolver, which both turn model errors into
`file:line:col` messages in Chinese (with the English kept for searching). The YAML reader takes
its words from here too: PyYAML's problems in Chinese, the names of control characters, and the
ASCII that full-width punctuation typed with a Chinese input method stands in for.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from zwgk.errors import Diagnostic, did_you_mean

if TYPE_CHECKING:
    from zwgk.load.yamlsource import SourceMap

ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True)
class FileSource:
    """A parsed file's display path and source map, for pointing diagnostics at it."""

    path: str
    map: SourceMap

    def diagnostic(self, loc: tuple[Any, ...], code: str, message: str, *, hint: str | None = None,
                   severity: str = "error", prefer_key: bool = False,
                   item: str | None = None) -> Diagnostic:
        span = self.map.locate(loc, prefer_key=prefer_key)
        line = span.line if span else None
        return Diagnostic(
            self.path, line, span.col if span else None, code, message,
            severity=severity,  # type: ignore[arg-type]
            hint=hint, source_line=self.map.line_text(line) if line else None,
            width=span.width if span else 1, item=item,
        )


def pydantic_diagnostics(
    error: ValidationError, source: FileSource, model: type[BaseModel] | None = None
) -> list[Diagnostic]:
    found = []
    for detail in error.errors(include_url=False):
        loc = tuple(detail["loc"])
        message, hint = translate(detail, loc)
        if detail["type"] == "union_tag_invalid":
            loc = (*loc, "kind")  # point at the misspelt kind, not the whole rule
        prefer_key = detail["type"] == "extra_forbidden"
        found.append(source.diagnostic(loc, detail["type"], message, hint=hint, prefer_key=prefer_key))
    return found


_FIELD_NAMES = (
    "id", "source", "section", "title", "text", "lead", "responsible", "deadline", "rule", "note",
    "conflicts", "path", "cooperating", "requirement", "merged", "kind", "due", "then", "cycle",
    "by", "review", "trigger", "unit", "amount", "direction", "complex_amount", "target_hours",
    "reason", "phrase", "where", "name", "aliases", "part_of", "members", "owners", "groups",
    "tasks", "columns", "tracking_since", "warn_days",
)


def error_kind(detail: Any) -> str:
    """pydantic's error type, with a dataclass's name for an unknown key made the same as a model's."""
    kind = str(detail["type"])
    return "extra_forbidden" if kind == "unexpected_keyword_argument" else kind


def translate(
    detail: Any, loc: tuple[Any, ...], known_fields: tuple[str, ...] | None = None
) -> tuple[str, str | None]:
    """pydantic's English error → a Chinese message with the English kept for searching; when
    the value (or the unknown key) holds full-width punctuation or an invisible character, the
    hint says so first: that, not the shape of the value, is what the clerk has to fix."""
    message, hint = _translate(detail, loc, known_fields)
    suspect = loc[-1] if error_kind(detail) == "extra_forbidden" and loc else detail.get("input")
    if isinstance(suspect, dict):  # a key typed `kind：` inside {…}
        suspect = "".join(str(key) for key in suspect)
    slip = lookalike_hint(suspect) if isinstance(suspect, str) else None
    return message, "; ".join(part for part in (slip, hint) if part) or None


def _translate(
    detail: Any, loc: tuple[Any, ...], known_fields: tuple[str, ...] | None
) -> tuple[str, str | None]:
    kind = error_kind(detail)
    field = next((str(part) for part in reversed(loc) if isinstance(part, str)), "")
    value = detail.get("input")
    if kind == "extra_forbidden":
        guess = did_you_mean(field, known_fields or _FIELD_NAMES)
        return (f"未知字段 '{field}' (unknown key)",
                f"是否是 '{guess}'?" if guess else "删除它,或检查拼写。")
    if kind == "missing":
        return f"缺少必填字段 '{field}' (missing key)", None
    if kind in {"string_type", "string_too_short"}:
        hint = None
        if isinstance(value, bool):
            hint = "YAML 把 yes/no/on/off 读成真假值;文本请加引号,如 'no'。"
        elif isinstance(value, (int, float)) or hasattr(value, "isoformat"):
            hint = "数字或日期作文本时请加引号。"
        what = "不能为空" if kind == "string_too_short" else "应为文本"
        return f"'{field}' {what} (expected non-empty text, got {value!r})", hint
    if kind in {"date_type", "date_parsing", "date_from_datetime_parsing"}:
        return (f"'{field}' 应为日期 (expected a date YYYY-MM-DD, got {value!r})",
                "写成 2017-08-31 这样的格式,不加引号。")
    if kind in {"literal_error", "enum"}:
        expected = detail.get("ctx", {}).get("expected", "")
        return f"'{field}' 的取值 {value!r} 无效,应为 {expected} (invalid choice)", None
    if kind == "union_tag_invalid":
        ctx = detail.get("ctx", {})
        guess = did_you_mean(str(ctx.get("tag", "")), ("deadline", "periodic", "ongoing", "event",
                                                        "unspecified"))
        return (f"未知的规则种类 '{ctx.get('tag', '')}',应为 {ctx.get('expected_tags', '')} "
                "(unknown rule kind)", f"是否是 '{guess}'?" if guess else None)
    if kind == "union_tag_not_found":
        return "规则缺少 kind 字段 (rule needs a kind)", \
            "kind 可为 deadline、periodic、ongoing、event、unspecified。"
    if kind in {"int_type", "int_parsing", "greater_than_equal"}:
        return f"'{field}' 应为非负整数 (expected a whole number ≥ 0, got {value!r})", None
    if kind in {"list_type", "tuple_type"}:
        return f"'{field}' 应为列表 (expected a list, got {value!r})", "写成 [甲, 乙] 或分行的 - 列表。"
    if kind in {"bool_type", "bool_parsing"}:
        return f"'{field}' 应为 true 或 false (expected a boolean)", None
    if kind in {"model_type", "dict_type", "model_attributes_type", "dataclass_type"}:
        return f"'{field or '条目'}' 应为键值映射 (expected a mapping, got {value!r})", None
    if kind == "string_pattern_mismatch":
        pattern = detail.get("ctx", {}).get("pattern", "")
        return f"'{field}' 的格式不对:{value!r} (does not match {pattern})", \
            "编号写成大写字母加两位以上数字,如 T01、C12。" if field in {"id", "item"} else None
    if kind in {"too_short", "too_long"}:
        return f"'{field}' 的元素个数不对 ({detail['msg']})", None
    if kind == "value_error":
        return str(detail["msg"]).removeprefix("Value error, "), None
    return f"'{field}': {detail['msg']}", None


# --- words for the YAML reader ------------------------------------------------------------------

# What a Chinese input method types where YAML needs ASCII, and the invisible characters that come
# with text copied from Word or a web page: character → (its ASCII stand-in, its name, the fix).
LOOKALIKES: dict[str, tuple[str, str, str]] = {
    "：": (":", "全角冒号“：”", "半角冒号“:”"), "　": (" ", "全角空格", "半角空格"),
    "，": (",", "全角逗号“，”", "半角逗号“,”"), "－": ("-", "全角减号“－”", "半角“-”"),
    "［": ("[", "全角方括号“［”", "半角“[”"), "］": ("]", "全角方括号“］”", "半角“]”"),
    "【": ("[", "中文方括号“【”", "半角“[”"), "】": ("]", "中文方括号“】”", "半角“]”"),
    "｛": ("{", "全角花括号“｛”", "半角“{”"), "｝": ("}", "全角花括号“｝”", "半角“}”"),
    "“": ('"', "中文引号“", '半角引号"'), "”": ('"', "中文引号”", '半角引号"'),
    "‘": ("'", "中文单引号‘", "半角单引号'"), "’": ("'", "中文单引号’", "半角单引号'"),
    "＂": ('"', "全角引号“＂”", '半角引号"'), "＇": ("'", "全角单引号“＇”", "半角单引号'"),
    "＃": ("#", "全角井号“＃”", "半角“#”"), "\xa0": (" ", "不换行空格 U+00A0", "半角空格"),
    "\u200b": ("", "零宽空格 U+200B(看不见的字符)", ""),
    "\ufeff": ("", "字节顺序标记 U+FEFF(看不见的字符)", ""),
}
LOOKALIKE_HINT = "中文输入法打出的标点是全角的;请切换到英文标点(半角)后重新输入。"


def lookalike_words(char: str) -> str:
    """`全角冒号“：”,请改为半角冒号“:”` for a character of LOOKALIKES or a full-width letter or digit."""
    if char in LOOKALIKES:
        _, name, fix = LOOKALIKES[char]
        return f"{name},请改为{fix}" if fix else f"{name},请删除它"
    return f"全角字符“{char}”,请改为半角“{unicodedata.normalize('NFKC', char)}”"


def ascii_for(found: str, after: str) -> tuple[str, ...]:
    """What a suspect may stand for: `：` is `:` (`: ` before text); `　` one or two spaces each."""
    if found[0] == "\u3000":
        return " " * len(found), "  " * len(found)
    ascii_ = LOOKALIKES[found][0]
    # `k:v` is one word to YAML: a colon or comma right before text is one with a space
    return (ascii_ + " ",) if ascii_ in ":," and after not in ("", " ", "\t", "\r", "\n") else (ascii_,)


def slip_words(char: str) -> tuple[str, str]:
    """The message and hint for a full-width or invisible character that broke the YAML."""
    invisible = char in "\xa0\u200b\ufeff"
    return (f"YAML 语法错误:{lookalike_words(char)} "
            f"({unicodedata.name(char).lower()} where YAML expects ASCII)",
            "这个字符看不见,多半随 Word 或网页上复制的文字带进来。" if invisible else LOOKALIKE_HINT)


def lookalike_hint(text: str) -> str | None:
    """What a value's first full-width letter, digit, punctuation mark of YAML's or invisible
    character should be, if it has one (full-width brackets （） are everyday Chinese text)."""
    found = re.search("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a" + "".join(LOOKALIKES) + "]", text)
    return f"值中有{lookalike_words(found.group())}" if found else None


_C0 = ("空字符 NULL", "标题开始 START OF HEADING", "正文开始 START OF TEXT", "正文结束 END OF TEXT",
       "传输结束 END OF TRANSMISSION", "询问 ENQUIRY", "确认 ACKNOWLEDGE", "响铃 BELL", "退格 BACKSPACE",
       "水平制表符 TAB", "换行 LINE FEED", "垂直制表符 VERTICAL TAB", "换页符 FORM FEED",
       "回车 CARRIAGE RETURN", "移出 SHIFT OUT", "移入 SHIFT IN", "数据链路转义 DATA LINK ESCAPE",
       "设备控制一 DEVICE CONTROL ONE", "设备控制二 DEVICE CONTROL TWO", "设备控制三 DEVICE CONTROL THREE",
       "设备控制四 DEVICE CONTROL FOUR", "否定确认 NEGATIVE ACKNOWLEDGE", "同步空闲 SYNCHRONOUS IDLE",
       "传输块结束 END OF TRANSMISSION BLOCK", "取消 CANCEL", "介质结束 END OF MEDIUM", "替换 SUBSTITUTE",
       "转义 ESCAPE", "文件分隔符 FILE SEPARATOR", "组分隔符 GROUP SEPARATOR",
       "记录分隔符 RECORD SEPARATOR", "单元分隔符 UNIT SEPARATOR")
CONTROL_HINTS = {"\x0b": "Word 里的手动换行(Shift+Enter)复制过来就是它;请删除它,或换成空格。",
                 "\x0c": "Word 里的分页符复制过来就是它;请删除它。"}
CONTROL_HINT = "看不见的控制字符,多半随 Word、PDF 或网页上复制的文字带进来;请删除它(光标移到该列)。"


def control_words(char: str) -> tuple[str, str]:
    """The message and hint for a control character in a YAML file."""
    return (f"YAML 不允许的控制字符 {character_name(char)} (control characters are not allowed)",
            CONTROL_HINTS.get(char, CONTROL_HINT))


def nul_words(count: int) -> tuple[str, str]:
    """The message and hint for NUL bytes in a text file (the first of them is pointed at)."""
    return ("文本中有 NUL 字节 U+0000 空字符 NULL" + (f"(共 {count} 个,这是第一个)" if count > 1 else "")
            + " (a NUL byte in a text file)",
            "多半是复制或保存时带进来的;请删除它(光标移到该列),或从 git 恢复此文件。")


def character_name(char: str) -> str:
    """`U+000B 垂直制表符 VERTICAL TAB`: control characters have no name in unicodedata."""
    code = ord(char)
    if code < len(_C0):
        name = _C0[code]
    elif code == 0x7F:
        name = "删除 DELETE"
    elif 0x80 <= code <= 0x9F:
        name = "C1 控制字符 C1 CONTROL"
    else:
        name = unicodedata.name(char, "非字符 NONCHARACTER")
    return f"U+{code:04X} {name}"


# PyYAML's problems, from its Python scanner, parser, composer and reader and from libyaml (which
# words some of them differently), each as a pattern over the English → the Chinese; {0} is the
# character or token the pattern captured.
_CONTEXTS = (
    (r"while (scanning|parsing) an? (%YAML |%TAG |tag )?directive", "读取 % 开头的指令时"),
    (r"while scanning a simple key", "读取键时"),
    (r"while scanning a plain scalar", "读取不加引号的文字时"),
    (r"while (scanning|parsing) a (double-)?quoted scalar", "读取带引号的文字时"),
    (r"while scanning a block scalar", "读取 | 或 > 开头的多行文字时"),
    (r"while scanning an? (anchor|alias)", "读取锚点或别名(& 或 *)时"),
    (r"while (scanning|parsing) a tag", "读取标签(!)时"),
    (r"while scanning for the next token", "查找下一项时"),
    (r"while parsing a block mapping", "读取键值映射时"),
    (r"while parsing a block collection", "读取列表或映射时"),
    (r"while parsing a flow mapping", "读取花括号 {…} 时"),
    (r"while parsing a flow sequence", "读取方括号 […] 时"),
    (r"while parsing a (\w+ )?node", "读取一个值时"),
    (r"while composing a mapping", "组装键值映射时"),
    (r"while increasing (block|flow) level", "增加嵌套层级时"),
    (r"expected a single document in the stream", "文件中应只有一个文档"),
    (r"found duplicate anchor.*", "锚点重复"),
)
_PROBLEMS = (
    (r"could not find expected ':'", "找不到键后面的冒号“:”"),
    (r"mapping values are not allowed (here|in this context)",
     "这里不能出现“键: 值”(多半是缩进不对,或值里的“: ”需要加引号)"),
    (r"mapping keys are not allowed (here|in this context)", "这里不能出现键"),
    (r"(block )?sequence entries are not allowed (here|in this context)",
     "这里不能出现列表项“- ”(多半是缩进不对)"),
    (r"found a tab character (that violates indentation|where an indentation space is expected)",
     "缩进里有 Tab 字符"),
    (r"found character '\\t' that cannot start any token", "Tab 字符不能出现在这里"),
    (r"found character (.+) that cannot start any token", "字符 {0} 不能出现在这里(以它开头的文字请加引号)"),
    (r"found character that cannot start any token", "这个字符不能出现在这里(以它开头的文字请加引号)"),
    (r"found unexpected end of stream", "文件在引号或括号闭合之前就结束了"),
    (r"found unexpected document (indicator|separator)", "文字中间出现了文档分隔符“---”或“...”"),
    (r"but found another document", "却出现了第二个文档"),
    (r"did not find expected key", "这里应是一个键(多半是缩进不对)"),
    (r"expected <block end>, but found (.+)", "缩进对不齐:上一层应在这里结束,却遇到 {0}"),
    (r"did not find expected '-' indicator", "这里应是列表项“- ”(多半是缩进不对)"),
    (r"did not find expected ',' or '\]'|expected ',' or '\]', but got (.+)",
     "方括号里应是逗号“,”或右括号“]”"),
    (r"did not find expected ',' or '}'|expected ',' or '}', but got (.+)",
     "花括号里应是逗号“,”或右括号“}”"),
    (r"did not find expected node content|expected the node content, but found (.+)",
     "这里应有一个值"),
    (r"did not find expected <document start>|expected '<document start>', but found (.+)",
     "这里应是文档的开头"),
    (r"found undefined tag handle.*", "未定义的标签前缀"),
    (r"found unknown escape character.*", "双引号里的反斜杠转义无效(含“\\”的文字请改用单引号)"),
    (r"found invalid Unicode character escape code|expected escape sequence of .+",
     "双引号里的 \\x、\\u 转义无效"),
    (r"(control|special) characters are not allowed", "不允许控制字符"),
    (r"found undefined alias.*", "未定义的别名"),
    (r"second occurrence", "第二次出现在这里"),
    (r"did not find expected comment or line break|expected a comment or a line break, but found .+",
     "这里只能是注释或换行"),
    (r"did not find expected whitespace( or line break)?|expected ' ', but found .+", "这里应有空格"),
    (r"found an indentation indicator equal to 0|expected indentation indicator in the range 1-9, "
     r"but found 0", "多行文字的缩进指示应为 1–9"),
    (r"expected chomping or indentation indicators, but found .+", "| 或 > 后面只能写 +、- 或数字"),
    (r"did not find expected alphabetic or numeric character|"
     r"expected alphabetic or numeric character, but found .+", "这里应是字母或数字"),
    (r"did not find expected (tag URI|'!')|expected (URI|'!'), but found .+|"
     r"did not find the expected '>'|expected '>', but found .+|did not find URI escaped octet|"
     r"expected URI escape sequence .+|found non-specific tag .+", "标签写法不对"),
    (r"could not find expected directive name|found unknown directive name|"
     r"found duplicate (%YAML|YAML|%TAG) directive|duplicate tag handle .+|"
     r"found incompatible YAML document.*|found extremely long version number|"
     r"did not find expected (version number|digit or '.' character|hexdecimal number)|"
     r"expected a digit( or ' '| or '.')?, but found .+|found unexpected non-alphabetical character",
     "% 开头的指令写法不对"),
    (r"found unexpected ':'", "这里不能出现冒号“:”(请给文字加引号)"),
    (r"invalid indentation or unclosed '\[' or '\{'", "缩进不对,或“[”“{”没有闭合"),
    (r"(found an incorrect|invalid) (leading|trailing) UTF-8 octet|incomplete UTF-8 octet sequence|"
     r"invalid length of a UTF-8 sequence|invalid Unicode character|"
     r"incomplete UTF-16 (character|surrogate pair)|unexpected low surrogate area",
     "不是有效的 UTF-8 文本"),
)


def _in_chinese(english: str | None, table: tuple[tuple[str, str], ...]) -> str | None:
    for pattern, chinese in table:
        match = re.fullmatch(pattern, english or "", flags=re.DOTALL)
        if match:
            captured = next((group for group in match.groups() if group), "")
            return chinese.replace("{0}", captured)
    return None


def yaml_message(context: str | None, problem: str | None) -> str:
    """A PyYAML problem in Chinese, its English kept in parentheses for searching; one this table
    does not know keeps a Chinese lead-in and the English."""
    english = ", ".join(part for part in (context, problem) if part) or "syntax error"
    said = [_in_chinese(part, table) for part, table in ((context, _CONTEXTS), (problem, _PROBLEMS))
            if part]
    if not said or None in said:
        return f"YAML 语法错误(未收录的 PyYAML 提示):{english}"
    return f"YAML 语法错误:{','.join(part for part in said if part)} ({english})"


def yaml_words(context: str | None, problem: str | None, tab: bool, opened: int | None
               ) -> tuple[str, str]:
    """The message and hint for a PyYAML error; `tab`: a tab before it on its line; `opened`: the
    line where what it was reading began."""
    said = f"{context or ''} {problem or ''}"
    hint = "请检查缩进、冒号和引号。"
    if "tab" in said or tab:
        hint = "YAML 不允许用 Tab 缩进,请改用空格。(YAML forbids tabs for indentation)"
    elif "expected a single document" in said:
        hint = "文件中只能有一个文档,请删除多余的 '---'。"
    elif "end of stream" in said and opened is not None:
        hint = f"第 {opened} 行开始的引号或括号没有闭合。"
    return yaml_message(context, problem), hint
