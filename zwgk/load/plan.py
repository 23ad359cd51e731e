"""Reading one plan file: bytes → text → YAML with positions → a validated pydantic model.

Each step's fault is a Diagnostic at file:line:col; a file that cannot be used gives None.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from zwgk.errors import Diagnostic
from zwgk.load.files import display_path, read_bytes
from zwgk.models import Item, Location

if TYPE_CHECKING:
    from zwgk.load.validation import FileSource

ModelT = TypeVar("ModelT", bound=BaseModel)


def located(items: Sequence[Item], locations: dict[str, Location]) -> tuple[Item, ...]:
    return tuple(_placed(item, locations.get(item.id)) for item in items)


# Whether an Item is all its fields, kept in its __dict__ (no slots, nothing done after __init__).
_PLAIN_ITEM = "__dict__" in dir(Item) and not hasattr(Item, "__post_init__")


def _placed(item: Item, where: Location | None) -> Item:
    """`replace(item, source=where)`, without running the dataclass's __init__ once more for
    each of ten thousand items: the same fields, copied, with `source` set."""
    if not _PLAIN_ITEM or type(item) is not Item:  # pragma: no cover - then __init__ may do more
        return replace(item, source=where)
    placed = object.__new__(Item)
    fields = vars(placed)  # frozen: its fields are set in its __dict__, as its own __init__ does
    fields.update(vars(item))
    fields["source"] = where
    return placed


def item_locations(source: FileSource, key: str, ids: Sequence[str]) -> dict[str, Location]:
    locations = {}
    for index, item_id in enumerate(ids):
        start = source.map.start((key, index, "id")) or source.map.start((key, index))
        if start is not None:
            locations[item_id] = Location(source.path, *start)
    return locations


def read_yaml(
    path: Path, diagnostics: list[Diagnostic], allow_empty: bool = False
) -> tuple[Any, FileSource] | None:
    """Read and parse one YAML file; None (with a diagnostic) when it cannot be used.

    `allow_empty`: a file holding only comments reads as an empty mapping (a following unit's
    tasks.yaml that changes nothing)."""
    from zwgk.load.validation import FileSource
    from zwgk.load.yamlsource import decode, parse

    shown = display_path(path)
    raw = read_bytes(path, shown, diagnostics)
    if raw is None:
        return None
    text, problem = decode(raw, shown)
    if problem is not None or text is None:
        diagnostics.append(problem)  # type: ignore[arg-type]
        return None
    parsed = parse(text, shown)
    diagnostics.extend(parsed.diagnostics)
    if parsed.data is None and not parsed.diagnostics and allow_empty:
        return {}, FileSource(shown, parsed.source)
    if parsed.data is None and not parsed.diagnostics:
        diagnostics.append(Diagnostic(shown, None, None, "empty-file",
                                      "文件是空的(或只有注释)(file is empty)",
                                      hint="从 zwgk init 生成的模板或捆绑数据复制内容。"))
        return None
    if parsed.diagnostics and any(d.severity == "error" for d in parsed.diagnostics):
        return None
    return parsed.data, FileSource(shown, parsed.source)


def load_model(
    path: Path, model: type[ModelT], diagnostics: list[Diagnostic]
) -> tuple[ModelT, FileSource] | None:
    read = read_yaml(path, diagnostics)
    if read is None:
        return None
    data, source = read
    from zwgk.load.validation import pydantic_diagnostics

    if not isinstance(data, dict):
        diagnostics.append(source.diagnostic((), "not-a-mapping",
                                             "文件顶层应是键值映射 (top level must be a mapping)",
                                             hint=f"参考格式:{', '.join(model.model_fields)}"))
        return None
    try:
        return model.model_validate(data), source
    except ValidationError as error:
        diagnostics.extend(pydantic_diagnostics(error, source, model))
        return None
