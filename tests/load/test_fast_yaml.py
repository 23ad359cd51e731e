"""zwgk.load.yamlvalues' quick read of a clean file: the same values, the same positions and the
same diagnostics as the full path (composed nodes, walked), on every file — the full path being
where `quick` leaves a file whenever it is not sure."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zwgk.load import yamlsource
from zwgk.load.plan import located
from zwgk.load.yamlsource import MAX_DEPTH, Parsed, decode, parse
from zwgk.load.yamlvalues import quick
from zwgk.models import DeadlineRule, Item, Location

DATA = Path(__file__).parents[2] / "data"


def full_path(text: str) -> Parsed:
    """The text read as it was before the quick read existed."""
    original = yamlsource.quick_read
    yamlsource.quick_read = lambda text, keys=False: None
    try:
        return parse(text, "tasks.yaml")
    finally:
        yamlsource.quick_read = original


def same_values(a: Any, b: Any) -> None:
    """Equal, and of the same types all the way down (1 == True, and a date is no datetime)."""
    assert type(a) is type(b), (a, b)
    if isinstance(a, dict):
        assert list(a) == list(b)
        for key in a:
            same_values(a[key], b[key])
    elif isinstance(a, list):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            same_values(x, y)
    else:
        assert a == b or (a != a and b != b)  # `.nan` is not equal to itself


def assert_same_as_full(text: str) -> Parsed:
    quick, full = parse(text, "tasks.yaml"), full_path(text)
    same_values(quick.data, full.data)
    assert quick.diagnostics == full.diagnostics
    assert quick.source.lines == full.source.lines
    assert set(quick.source.nodes) == set(full.source.nodes)
    for path in full.source.nodes:
        assert quick.source.at(path) == full.source.at(path), path
        assert quick.source.start(path) == full.source.at(path)[:2], path  # type: ignore[index]
    assert set(quick.source.key_nodes) == set(full.source.key_nodes)
    for path, node in full.source.key_nodes.items():
        assert quick.source.span(quick.source.key_nodes[path]) == full.source.span(node), path
    return quick


# --- plan-like YAML, written the ways a clerk writes it ------------------------------------------

WORDS = ("政策法规处", "办公室", "annex1", "T01", "C12", "2017-01-01", "2026-05-31", "2026-5-1",
         "2017-01-01 10:00:00", "yes", "no", "on", "Off", "true", "False", "~", "null", "0", "012",
         "0x1F", "1_000", "-7", "3.5", "1e3", ".inf", ".NaN", "1:20", "每年1月底前", "2017年8月底",
         "政策 法规", "a b", "x#y", "注意!", "T00001", "kind", "deadline")
# What a clerk may also type: each sends the file down the full path, or is a syntax error there.
ODD_WORDS = ("2017-02-30", "=", "&", "*x", "!x", "a: b", "- a", "'", "[", "<<", "{a}")
KEYS = ("id", "title", "lead", "rule", "kind", "due", "deadline", "text", "责任", "'id'", '"备注"')
ODD_KEYS = ("yes", "1", "<<", "~", "2017-01-01")  # keys the walker walks, or refuses


def mostly(usual: st.SearchStrategy[str], odd: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """One in twenty from `odd`: a file is read quickly only when all of it is usual."""
    return st.integers(0, 19).flatmap(lambda n: odd if n == 0 else usual)


scalar_text = mostly(
    st.sampled_from(WORDS)
    | st.text(alphabet=st.sampled_from(list("政策法规处办公室年月日abcxyz0123456789 -_.")), min_size=1, max_size=10)
    .map(str.strip).filter(bool)
    | st.integers(-100, 100_000).map(str) | st.dates().map(str),
    st.sampled_from(ODD_WORDS) | st.text(st.characters(exclude_categories=("Cs",)), max_size=6),
)


def quoted(text: str, style: int) -> str:
    if style == 1:
        return "'" + text.replace("'", "''") + "'"
    if style == 2:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text  # plain: whatever YAML makes of it, both paths must make the same


scalars = st.builds(quoted, scalar_text, st.sampled_from((0, 0, 0, 1, 2)))
keys = mostly(st.sampled_from(KEYS), st.sampled_from(ODD_KEYS))


def mappings(values: st.SearchStrategy[Any]) -> st.SearchStrategy[list[tuple[str, Any]]]:
    """Pairs of a mapping; now and then one of its keys comes twice."""
    return mostly(st.lists(st.tuples(keys, values), max_size=4, unique_by=lambda pair: pair[0]),
                  st.lists(st.tuples(keys, values), min_size=2, max_size=4))


trees = st.recursive(
    scalars.map(lambda s: ("scalar", s)) | st.lists(scalars, max_size=3).map(lambda items: ("flowseq", items)),
    lambda inner: st.one_of(
        mappings(inner).map(lambda pairs: ("map", pairs)),
        st.lists(inner, max_size=4).map(lambda items: ("seq", items)),
        mappings(scalars).map(lambda pairs: ("flowmap", pairs)),
    ),
    max_leaves=25,
)


def inline(tree: tuple[str, Any]) -> str | None:
    kind, body = tree
    if kind == "scalar":
        return body
    if kind == "flowseq":
        return "[" + ", ".join(body) + "]"
    if kind == "flowmap":
        return "{" + ", ".join(f"{k}: {v}" for k, v in body) + "}"
    return "[]" if kind == "seq" and not body else "{}" if kind == "map" and not body else None


def block(tree: tuple[str, Any], indent: int, comments: bool) -> list[str]:
    pad, kind, body = " " * indent, *tree
    written = inline(tree)
    if written is not None:
        return [pad + written]
    lines = []
    for entry in body:
        key, child = entry if kind == "map" else ("-", entry)
        lead = f"{pad}{key}:" if kind == "map" else f"{pad}-"
        value = inline(child)
        if value is not None:
            lines.append(f"{lead} {value}" + ("  # 注释" if comments and len(lines) % 3 == 1 else ""))
        elif kind == "seq" and child[0] == "map":  # `- id: T01` with the rest of the entry below it
            inner = block(child, indent + 2, comments)
            lines += [pad + "- " + inner[0].lstrip(), *inner[1:]]
        else:
            lines += [lead, *block(child, indent + 2, comments)]
        if comments and len(lines) % 4 == 0:
            lines.append(pad + "# 说明")
    return lines


@st.composite
def documents(draw: st.DrawFn) -> bytes:
    top = draw(mappings(trees).filter(bool))
    comments = draw(st.booleans())
    lines = (["# 数据文件"] if comments else []) + block(("map", top), 0, comments)
    text = "\n".join(lines) + "\n"
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    raw = text.encode()
    return b"\xef\xbb\xbf" + raw if draw(st.booleans()) else raw


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_the_quick_read_agrees_with_the_full_path_on_plan_like_yaml(raw: bytes) -> None:
    text, _ = decode(raw, "tasks.yaml")
    if text is not None:  # else a NUL was drawn: no YAML is read
        assert_same_as_full(text)


# --- what the quick read takes, and what it leaves to the full path --------------------------------

CLEAN = """\
# 任务
tasks:
  - id: T01
    title: 政策解读发布
    lead: [政策法规处, '办公室']
    responsible: []
    deadline: 2017年8月底
    rule: {kind: deadline, due: 2017-08-31}
    amount: 15
    done: no
    note: ~
    text: |
      第一行
      第二行
  - id: "T02"
    title: >-
      折叠的
      标题
    rule:
      kind: periodic
      cycle: year
"""


def test_a_clean_file_is_read_quickly_with_every_position() -> None:
    assert quick(CLEAN) is not None
    parsed = parse(CLEAN, "tasks.yaml")
    assert parsed.source.keys is None  # the keys' positions are found only when asked for
    assert parsed.data["tasks"][0]["done"] is False
    assert_same_as_full(CLEAN)


def test_a_clean_file_with_crlf_is_read_quickly() -> None:
    text = CLEAN.replace("\n", "\r\n")
    assert quick(text) is not None
    assert_same_as_full(text)


@pytest.mark.parametrize("name", ["tasks.yaml", "owners.yaml", "columns.yaml", "settings.yaml"])
def test_the_bundled_plan_is_read_quickly_and_the_same(name: str) -> None:
    text, _ = decode((DATA / name).read_bytes(), name)
    assert text is not None and quick(text) is not None
    assert_same_as_full(text)


UNUSUAL = {
    "a tag": "a: !!str 5\n",
    "a python tag": "a: !!python/object:os.system x\n",
    "a local tag": "a: !mine x\n",
    "a tagged mapping": "a: !!map {b: 1}\n",
    "an anchor": "a: &x 1\nb: 2\n",
    "an alias": "a: &x 1\nb: *x\n",
    "a duplicate key": "a: 1\nb: 2\na: 3\n",
    "a merge key": "a: {b: 1}\nc:\n  <<: {d: 2}\n",
    "an impossible date": "due: 2017-02-30\n",
    "an impossible datetime": "due: 2017-02-30 10:00:00\n",
    "a number as a key": "1: a\n",
    "a truth as a key": "yes: a\n",
    "a null key": ": a\n",
    "a list as a key": "? [a, b]\n: c\n",
    "an equals sign": "a: =\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "an empty file": "",
    "only a comment": "# nothing\n",
    "a text": "政策法规处\n",
    "a syntax error": "a: [1, 2\nb: 3\n",
    "a full-width colon": "a：1\nb: 2\n",
    "a tab": "a:\n\tb: 1\n",
    "deep nesting": "a: " + "[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2) + "\n",
    "deep block nesting": "".join(" " * (2 * depth) + "k:\n" for depth in range(MAX_DEPTH + 2)) + "  " * (MAX_DEPTH + 2) + "v\n",
}


@pytest.mark.parametrize("text", UNUSUAL.values(), ids=UNUSUAL.keys())
def test_anything_unusual_takes_the_full_path(text: str) -> None:
    assert quick(text) is None
    assert_same_as_full(text)


def test_a_bang_or_ampersand_in_text_is_still_read_quickly() -> None:
    text = "a: 注意!\nb: 'x & y'\nc: a&b\n"
    assert quick(text) is not None
    assert_same_as_full(text)


def test_the_refused_characters_are_those_yaml_refuses() -> None:
    allowed = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
    every = "".join(map(chr, range(0x110000)))
    assert [m.start() for m in yamlsource._NOT_PRINTABLE.finditer(every)] == \
        [m.start() for m in allowed.finditer(every)]


def test_placing_an_item_is_replacing_its_source() -> None:
    from dataclasses import replace

    item = Item(id="T01", kind="task", title="x", path=(), lead=("办公室",), responsible=(),
                requirement="2017年8月底", rule=DeadlineRule(kind="deadline", due=date(2017, 8, 31)))
    where = Location("tasks.yaml", 3, 5)
    placed, unplaced = located([item, replace(item, id="T02")], {"T01": where})
    assert placed == replace(item, source=where) and placed.source == where
    assert unplaced == replace(item, id="T02", source=None)
    assert item.source is None  # the original is left as it was


def test_nesting_as_deep_as_allowed_is_read_quickly_and_one_deeper_is_not() -> None:
    deepest = "a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n"
    too_deep = "a: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n"
    assert quick(deepest) is not None and not assert_same_as_full(deepest).diagnostics
    assert quick(too_deep) is None and assert_same_as_full(too_deep).diagnostics
