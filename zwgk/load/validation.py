"""Pointing at the source: a parsed file's position map, and pydantic's errors as diagnostics.

Shared by the loader and the inheritance resolver, which both turn model errors into
`file:line:col` messages in Chinese (with the English kept for searching).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from zwgk.errors import Diagnostic, did_you_mean
from zwgk.load.yamlsource import SourceMap


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
    """pydantic's English error → a Chinese message with the English kept for searching."""
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
