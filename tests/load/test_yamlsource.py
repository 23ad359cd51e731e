"""zwgk.load.yamlsource: hand-edited YAML → plain values that remember their line and column.

decode() turns bytes into text (UTF-8 with or without BOM; GBK, UTF-16 and binary files are named
as such); parse() composes the text, refuses what safe_load would accept silently (duplicate keys,
tags, aliases, merge keys, impossible dates) and keeps a SourceMap of every value's position.
Lines and columns are 1-based, as an editor shows them.
"""

from __future__ import annotations

import textwrap
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zwgk.load.yamlsource import MAX_ALIAS_REPORTS, MAX_BYTES, MAX_DEPTH, Parsed, Span, decode, parse

PROPS = settings(max_examples=200, deadline=None, database=None)


def yaml_text(text: str) -> str:
    """Dedented, without the newline after the opening quotes: line 1 is the first line written."""
    return textwrap.dedent(text).removeprefix("\n")


def parsed(text: str) -> Parsed:
    return parse(yaml_text(text), "owners.yaml")


def codes(result: Parsed) -> list[tuple[int | None, int | None, str]]:
    return [(d.line, d.col, d.code) for d in result.diagnostics]


NESTED = """
owners:
  - name: 办公室
    kind: department
    aliases: [局办公室, 办公厅]
  - name: 值班室
    part_of: 办公室
groups: []
"""


# --- positions ------------------------------------------------------------------------------


def test_values_come_out_as_plain_python() -> None:
    result = parsed(NESTED)
    assert result.diagnostics == ()
    assert result.data == {
        "owners": [
            {"name": "办公室", "kind": "department", "aliases": ["局办公室", "办公厅"]},
            {"name": "值班室", "part_of": "办公室"},
        ],
        "groups": [],
    }


@pytest.mark.parametrize(
    ("path", "span"),
    [
        (("owners", 0, "name"), Span(2, 11, 3)),  # 办公室: a character is one column
        (("owners", 0, "kind"), Span(3, 11, 10)),
        (("owners", 0, "aliases"), Span(4, 14, 11)),  # the flow list, brackets included
        (("owners", 0, "aliases", 0), Span(4, 15, 4)),
        (("owners", 0, "aliases", 1), Span(4, 21, 3)),
        (("owners", 1), Span(5, 5, 9)),  # a block mapping: the rest of its first line
        (("owners", 1, "part_of"), Span(6, 14, 3)),
        (("groups",), Span(7, 9, 2)),
    ],
)
def test_every_value_knows_its_line_column_and_width(path: tuple[object, ...], span: Span) -> None:
    assert parsed(NESTED).source.at(path) == span


def test_mapping_keys_have_their_own_positions() -> None:
    source = parsed(NESTED).source
    assert source.span(source.key_nodes[("owners", 1, "part_of")]) == Span(6, 5, 7)
    assert source.span(source.key_nodes[("groups",)]) == Span(7, 1, 6)


def test_a_path_not_in_the_file_has_no_position() -> None:
    source = parsed(NESTED).source
    assert source.at(("owners", 2)) is None
    assert source.at(("owners", 0, "note")) is None


def test_locate_finds_the_deepest_known_value_along_an_error_location() -> None:
    source = parsed(NESTED).source
    # pydantic puts names that are not in the file (a union's tag, a validator) into its locations
    assert source.locate(("owners", 1, "part_of", "function-after[...]")) == Span(6, 14, 3)
    assert source.locate(("owners", 1, "kind")) == Span(5, 5, 9)  # missing: point at the entry
    assert source.locate(("owners", 0, "aliases", 1)) == Span(4, 21, 3)
    assert source.locate(("owners", 1, "part_of"), prefer_key=True) == Span(6, 5, 7)


def test_a_value_written_over_several_lines_underlines_the_rest_of_its_first() -> None:
    result = parsed("""
        text: 第一行
          第二行
        next: x
    """)
    assert result.data == {"text": "第一行 第二行", "next": "x"}
    assert result.source.at(("text",)) == Span(1, 7, 3)


def test_line_text_gives_the_source_line_for_an_excerpt() -> None:
    source = parsed(NESTED).source
    assert source.line_text(6) == "    part_of: 办公室"
    assert source.line_text(0) is None and source.line_text(99) is None


@PROPS
@given(st.lists(st.text(alphabet="甲乙丙丁abc0", min_size=1, max_size=6), min_size=1, max_size=8,
                unique=True))
def test_each_list_item_is_located_on_its_own_line(words: list[str]) -> None:
    text = "items:\n" + "".join(f"  - '{w}'\n" for w in words)
    result = parse(text, "x.yaml")
    assert result.data == {"items": words}
    for index, word in enumerate(words):
        assert result.source.at(("items", index)) == Span(index + 2, 5, len(word) + 2)


# --- what is refused ------------------------------------------------------------------------


def test_a_duplicate_key_is_reported_where_it_repeats_and_the_first_value_kept() -> None:
    result = parsed("""
        unit: 测试局
        warn_days: 14
        unit: 别的局
    """)
    [found] = result.diagnostics
    assert (found.line, found.col, found.code) == (3, 1, "duplicate-key")
    assert "第 1 行" in found.message and found.source_line == "unit: 别的局"
    assert result.data == {"unit": "测试局", "warn_days": 14}


def test_a_duplicate_key_in_a_nested_mapping_is_found_too() -> None:
    result = parsed("""
        owners:
          - name: 办公室
            kind: department
            name: 值班室
    """)
    assert codes(result) == [(4, 5, "duplicate-key")]


@pytest.mark.parametrize("tag", ["!!python/object:os.system", "!!python/name:os.system", "!custom",
                                 "!!binary", "!!set"])
def test_a_tag_is_refused_and_its_value_not_built(tag: str) -> None:
    result = parse(f"unit: {tag} x\n", "settings.yaml")
    [found] = result.diagnostics
    assert (found.line, found.col, found.code) == (1, 7, "yaml-tag")
    assert result.data == {"unit": None}


def test_an_alias_is_refused_where_it_is_written_and_nothing_is_built() -> None:
    result = parsed("""
        owners: &everyone [办公室]
        groups:
          - members: *everyone
    """)
    assert codes(result) == [(3, 14, "yaml-alias")]
    assert result.data is None


def test_a_billion_laughs_bomb_is_refused_before_it_is_expanded() -> None:
    lines = ["a0: &a0 [lol, lol]"] + [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    result = parse("\n".join(lines) + "\n", "bomb.yaml")
    assert result.data is None
    assert len(result.diagnostics) == MAX_ALIAS_REPORTS
    assert {d.code for d in result.diagnostics} == {"yaml-alias"}


def test_an_anchor_alone_and_a_star_in_text_are_not_aliases() -> None:
    result = parsed("""
        unit: &u 测试局
        note: '*重要*'
    """)
    assert result.diagnostics == ()
    assert result.data == {"unit": "测试局", "note": "*重要*"}


def test_a_merge_key_is_refused_and_its_entries_not_merged() -> None:
    result = parsed("""
        base: {kind: department}
        owner:
          <<: {kind: role}
          name: 办公室
    """)
    assert codes(result) == [(3, 3, "yaml-merge")]
    assert result.data == {"base": {"kind": "department"}, "owner": {"name": "办公室"}}


def test_a_key_that_is_not_plain_text_is_refused() -> None:
    result = parsed("""
        ? [a, b]
        : 1
        ok: 2
    """)
    assert codes(result) == [(1, 3, "yaml-key")]
    assert result.data == {"ok": 2}


@pytest.mark.parametrize(
    ("written", "value"),
    [("2017-08-31", date(2017, 8, 31)), ("2024-02-29", date(2024, 2, 29)),
     ("2017-08-31T10:00:00", datetime(2017, 8, 31, 10, 0))],
)
def test_dates_are_read_as_dates(written: str, value: date) -> None:
    assert parse(f"due: {written}\n", "t.yaml").data == {"due": value}


@pytest.mark.parametrize("written", ["2017-02-30", "2023-02-29", "2100-02-29", "2017-13-01",
                                     "2017-02-30T10:00:00"])
def test_an_impossible_date_is_a_diagnostic_not_a_traceback(written: str) -> None:
    result = parse(f"due: {written}\n", "t.yaml")
    [found] = result.diagnostics
    assert (found.line, found.col, found.code, found.width) == (1, 6, "impossible-date", len(written))
    assert result.data == {"due": None}


def test_nesting_deeper_than_the_limit_is_reported_once() -> None:
    depth = MAX_DEPTH + 10
    result = parse("a: " + "[" * depth + "]" * depth + "\n", "deep.yaml")
    assert [d.code for d in result.diagnostics] == ["yaml-too-deep"]


def test_nesting_within_the_limit_is_read() -> None:
    depth = MAX_DEPTH - 1
    assert parse("[" * depth + "]" * depth + "\n", "ok.yaml").diagnostics == ()


# --- syntax errors --------------------------------------------------------------------------


def test_a_second_document_is_a_syntax_error_with_a_hint() -> None:
    result = parsed("""
        unit: 测试局
        ---
        unit: 别的局
    """)
    [found] = result.diagnostics
    assert (found.line, found.col, found.code) == (2, 1, "yaml-syntax")
    assert found.hint == "文件中只能有一个文档,请删除多余的 '---'。"
    assert result.data is None


def test_a_tab_in_the_indentation_is_named_in_the_hint() -> None:
    [found] = parse("owners:\n\t- name: 办公室\n", "owners.yaml").diagnostics
    assert (found.line, found.code) == (2, "yaml-syntax")
    assert "Tab" in (found.hint or "")


def test_an_unclosed_quote_at_the_end_points_where_it_opens() -> None:
    [found] = parse("unit: 测试局\nnote: \"未闭合\n", "settings.yaml").diagnostics
    assert (found.line, found.col, found.code) == (2, 7, "yaml-syntax")
    assert found.hint == "第 2 行开始的引号或括号没有闭合。"


def test_a_control_character_is_refused() -> None:
    [found] = parse("unit: 测试\x07局\n", "settings.yaml").diagnostics
    assert (found.code, found.severity) == ("yaml-syntax", "error")


def test_a_control_character_is_reported_at_its_line() -> None:
    [found] = parse("unit: 测试局\nnote: 响\x07铃\n", "settings.yaml").diagnostics
    assert (found.line, found.col) == (2, 8)


def test_a_vertical_tab_from_word_is_named_at_its_line_and_column() -> None:
    [found] = parse("unit: 测试局\nnote: 第一行\x0b第二行\n", "settings.yaml").diagnostics
    assert (found.line, found.col, found.code) == (2, 10, "yaml-syntax")
    assert "U+000B 垂直制表符 VERTICAL TAB" in found.message
    assert "position" not in found.message and "Shift+Enter" in (found.hint or "")
    assert found.source_line == "note: 第一行\x0b第二行"  # the line as YAML counts lines, not split at it


@pytest.mark.parametrize(("char", "name"), [("\x00", "U+0000 空字符 NULL"), ("\x0c", "U+000C 换页符 FORM FEED"),
                                            ("\x1b", "U+001B 转义 ESCAPE"), ("\x7f", "U+007F 删除 DELETE"),
                                            ("\x9f", "U+009F C1 控制字符 C1 CONTROL"),
                                            ("\ufffe", "U+FFFE 非字符 NONCHARACTER")])
def test_every_control_character_has_a_name(char: str, name: str) -> None:
    [found] = parse(f"unit: a{char}b\n", "settings.yaml").diagnostics
    assert (found.line, found.col) == (1, 8) and name in found.message


def test_every_control_character_is_reported_and_the_rest_of_the_file_still_read() -> None:
    result = parsed("""
        unit: 甲\x0b乙
        note: 丙
        warn_days: 14
        note: 丁\x07
        warn_days: 15
    """)
    assert codes(result) == [(1, 8, "yaml-syntax"), (4, 8, "yaml-syntax"), (5, 1, "duplicate-key")]
    assert result.data is None


def test_lines_are_counted_as_yaml_counts_them() -> None:
    # A line separator from a web page is a line break to YAML and to PyYAML's marks: the
    # excerpt shows the line the mark names (a vertical tab, above, is not a break to YAML).
    result = parse("a: 1\u2028b: 2\nb: 3\n", "x.yaml")
    [found] = result.diagnostics
    assert (found.line, found.source_line) == (3, "b: 3")


# --- full-width punctuation typed with a Chinese input method -------------------------------


@pytest.mark.parametrize(
    ("text", "line", "col", "said"),
    [
        ("unit: 测试局\ntracking_since： 2026-01-01\nwarn_days: 14\n", 2, 15, "全角冒号“：”,请改为半角冒号“:”"),
        ("unit： 测试局\ntracking_since: 2026-01-01\n", 1, 5, "全角冒号“：”,请改为半角冒号“:”"),
        ("unit: 测试局\nwarn_days： 14\n", 2, 10, "全角冒号“：”"),  # the last line
        ("tasks:\n  - id: T01\n    source： annex1\n    title: x\n", 3, 11, "全角冒号“：”"),
        ("tasks：\n  - id: T01\n", 1, 6, "全角冒号“：”"),
        ("unit:　测试局\ntracking_since: 2026-01-01\n", 1, 6, "全角空格,请改为半角空格"),
        ("tasks:\n  -　id: T01\n    source: annex1\n", 2, 4, "全角空格"),
        ("rule: {kind: deadline， due: 2026-08-31}\nx: 1\n", 1, 22, "全角逗号“，”,请改为半角逗号“,”"),
        ("tasks:\n  － id: T01\n    source: annex1\n", 2, 3, "全角减号“－”"),
        ("unit: 测试局\nnote:\xa0响铃\n", 2, 6, "不换行空格 U+00A0"),
        ("a:\n  - x\n\u200b  - y\n", 3, 1, "零宽空格 U+200B"),
    ],
)
def test_a_full_width_slip_is_pointed_at_and_named(text: str, line: int, col: int, said: str) -> None:
    [found] = parse(text, "x.yaml").diagnostics
    assert (found.line, found.col, found.code) == (line, col, "yaml-syntax")
    assert said in found.message
    assert found.hint


def test_an_indent_of_full_width_spaces_is_underlined_whole() -> None:
    [found] = parse("tasks:\n  - id: T01\n　　source: annex1\n    title: x\n", "x.yaml").diagnostics
    assert (found.line, found.col, found.width) == (3, 1, 2) and "全角空格" in found.message


def test_every_full_width_slip_of_a_file_is_listed_in_one_run() -> None:
    result = parsed("""
        owners:
          - name： 办公室
            kind: department
          - name: 值班室
            kind： sub_unit
        groups: []
    """)
    assert [(d.line, d.col) for d in result.diagnostics] == [(2, 9), (5, 9)]
    assert result.data is None


def test_in_a_line_typed_all_full_width_the_key_colon_is_the_slip() -> None:
    # The colon after `due` would make the line parse too, as one long key: the first is the
    # key's. What is left (`｛kind：…｝` as text) is a value the plan's model then refuses.
    [found] = parse("tasks:\n  - id: T01\n    rule： ｛kind： deadline， due： 2026-08-31｝\n    note: x\n",
                    "tasks.yaml").diagnostics
    assert (found.line, found.col) == (3, 9)


def test_a_slip_and_a_real_error_after_it_are_both_reported_where_they_are() -> None:
    result = parse("unit： 测试局\nnote: 注意：数据\nx:\n\t- a\n", "x.yaml")
    first, second = result.diagnostics
    assert (first.line, first.col) == (1, 5) and "全角冒号" in first.message
    assert (second.line, second.col) == (4, 1) and "Tab" in (second.hint or "")


def test_columns_after_a_repaired_slip_are_those_of_the_file() -> None:
    # `k：[` is read as `k: [`, one character longer: the unclosed bracket after the slip is
    # still named at its column in the file
    [slip, error] = parse("k：[\nz: 1\n", "x.yaml").diagnostics
    assert (slip.line, slip.col) == (1, 2)
    assert (error.line, error.col) == (1, 3) and "']'" in error.message
    [slip, error] = parse("- k：v\n  z: [1，2]: 3\n", "x.yaml").diagnostics
    assert (slip.line, slip.col, error.line, error.col) == (1, 4, 2, 11)


@pytest.mark.parametrize("text", ["title: 注意：这是\n", "title: \"说明：见附件\"\n", "note: 甲，乙\n",
                                  "lead: [办公室，政策法规处]\n", "title: 测试　局\n", "by: “10-31”\n"])
def test_full_width_punctuation_that_parses_is_data(text: str) -> None:
    result = parse(text, "x.yaml")
    assert result.diagnostics == ()
    assert result.data is not None


def test_full_width_data_before_a_real_error_is_not_blamed() -> None:
    [found] = parse("title: 注意：这是\nnote: a: b\n", "x.yaml").diagnostics
    assert (found.line, found.col) == (2, 8) and "mapping values are not allowed" in found.message


def test_a_syntax_error_is_said_in_chinese_with_the_english_kept() -> None:
    [found] = parse("unit: 测试局\nnote: a: b\n", "settings.yaml").diagnostics
    assert found.message.startswith("YAML 语法错误:这里不能出现“键: 值”")
    assert "(mapping values are not allowed" in found.message


# --- empty files ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n", "# 只有注释\n# 第二行\n", "---\n", "   \n"])
def test_an_empty_or_comment_only_file_reads_as_nothing_without_complaint(text: str) -> None:
    result = parse(text, "tasks.yaml")
    assert (result.data, result.diagnostics) == (None, ())


def test_an_explicit_null_document_reads_as_none() -> None:
    assert parse("null\n", "tasks.yaml").data is None


# --- decode ---------------------------------------------------------------------------------


def test_utf8_with_a_bom_reads_as_if_there_were_none() -> None:
    text, problem = decode(b"\xef\xbb\xbfunit: \xe6\xb5\x8b\xe8\xaf\x95\xe5\xb1\x80\n", "settings.yaml")
    assert (text, problem) == ("unit: 测试局\n", None)
    assert parse(text, "settings.yaml").source.at(("unit",)) == Span(1, 7, 3)


def test_an_error_on_the_first_line_of_a_bom_file_keeps_its_column() -> None:
    text, _ = decode("\ufeffunit: [测试局\n".encode(), "settings.yaml")
    assert text is not None
    [found] = parse(text, "settings.yaml").diagnostics
    assert (found.line, found.col) == (1, 7)


def test_crlf_line_endings_give_the_same_positions_and_clean_excerpts() -> None:
    text, _ = decode(b"unit: a\r\nwarn_days: 14\r\nunit: b\r\n", "settings.yaml")
    assert text is not None
    result = parse(text, "settings.yaml")
    assert result.data == {"unit": "a", "warn_days": 14}
    [found] = result.diagnostics
    assert (found.line, found.col, found.source_line) == (3, 1, "unit: b")
    assert result.source.at(("warn_days",)) == Span(2, 12, 2)


@PROPS
@given(st.lists(st.text(alphabet="甲乙丙abc 1", min_size=1, max_size=8).map(str.strip).filter(bool),
                min_size=1, max_size=6))
def test_lf_and_crlf_files_read_to_the_same_values_at_the_same_places(words: list[str]) -> None:
    lf = "".join(f"k{n}: '{w}'\n" for n, w in enumerate(words))
    crlf = lf.replace("\n", "\r\n")
    left, right = parse(lf, "a.yaml"), parse(crlf, "a.yaml")
    assert left.data == right.data == {f"k{n}": w for n, w in enumerate(words)}
    assert all(left.source.at((f"k{n}",)) == right.source.at((f"k{n}",)) for n in range(len(words)))


def test_a_gbk_file_is_named_as_gbk() -> None:
    text, problem = decode("unit: 测试局\n".encode("gbk"), "settings.yaml")
    assert text is None and problem is not None
    assert (problem.code, problem.line) == ("gbk-encoding", None)
    assert "UTF-8" in (problem.hint or "")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_file_is_never_read_as_text(encoding: str) -> None:
    raw = "unit: 测试局\n".encode(encoding)
    if encoding != "utf-16":
        raw = ("\ufeff" + "unit: 测试局\n").encode(encoding)  # Notepad's "Unicode" writes a BOM
    text, problem = decode(raw, "settings.yaml")
    assert text is None and problem is not None and problem.code == "utf16-encoding"


def test_bytes_that_are_neither_utf8_nor_gbk_name_the_line() -> None:
    text, problem = decode(b"unit: a\nnote: \xff\xfe\xff\n", "settings.yaml")
    assert text is None and problem is not None
    assert (problem.code, problem.line) == ("not-utf8", 2)


def test_bytes_that_are_neither_utf8_nor_gbk_are_pointed_at_by_column_too() -> None:
    _, problem = decode(b"\xef\xbb\xbfunit: a\r\nnote: \xe6\xb5\x8b\xff\xfe\xff\r\n", "settings.yaml")
    assert problem is not None
    assert (problem.line, problem.col, problem.source_line) == (2, 8, "note: 测\ufffd\ufffd\ufffd")


def test_a_file_with_nul_bytes_is_binary() -> None:
    text, problem = decode(b"unit: a\x00b\n", "settings.yaml")
    assert text is None and problem is not None and problem.code == "binary-file"


def test_a_nul_byte_in_a_text_file_is_pointed_at() -> None:
    text, problem = decode("unit: 测试局\nnote: 甲\x00乙\nx: \x00\n".encode(), "settings.yaml")
    assert text is None and problem is not None
    assert (problem.code, problem.line, problem.col) == ("binary-file", 2, 8)
    assert "U+0000 空字符 NULL" in problem.message and "共 2 个" in problem.message
    assert problem.source_line == "note: 甲\x00乙"


def test_binary_junk_is_still_binary_with_no_line() -> None:
    text, problem = decode(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "columns.yaml")
    assert text is None and problem is not None
    assert (problem.code, problem.line, problem.col) == ("binary-file", None, None)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_a_utf16_file_without_a_bom_is_named_as_utf16(encoding: str) -> None:
    text, problem = decode("unit: 测试局\ntracking_since: 2026-01-01\n".encode(encoding), "settings.yaml")
    assert text is None and problem is not None and problem.code == "utf16-encoding"


def test_a_file_over_the_size_limit_is_refused_unread() -> None:
    text, problem = decode(b"#" * (MAX_BYTES + 1), "tasks.yaml")
    assert text is None and problem is not None and problem.code == "file-too-large"
    assert decode(b"#" * MAX_BYTES, "tasks.yaml")[1] is None


@PROPS
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=80))
def test_any_utf8_text_decodes_to_itself(text: str) -> None:
    if text.startswith("\ufeff"):
        text = text[1:]  # a leading BOM is a BOM, not text
    assert decode(text.encode("utf-8"), "x.yaml") == (text, None)


KNOWN_CODES = {"yaml-syntax", "yaml-alias", "yaml-tag", "yaml-merge", "yaml-key", "yaml-value",
               "yaml-too-deep", "duplicate-key", "impossible-date"}


@PROPS
@given(st.text(alphabet=st.sampled_from(list(":-[]{}'\"#&*!?|>%@` \n\t\r,.0123456789ab甲")), max_size=60))
def test_parse_never_raises_and_reports_only_its_own_codes(text: str) -> None:
    result = parse(text, "x.yaml")
    assert {d.code for d in result.diagnostics} <= KNOWN_CODES
    assert all(d.path == "x.yaml" and d.severity == "error" for d in result.diagnostics)
    if result.diagnostics and result.diagnostics[0].code in {"yaml-syntax", "yaml-alias"}:
        assert result.data is None  # a file that cannot be composed gives no half-read values


SLIPS = "：　，－［］【】｛｝“”‘’＂＇＃\xa0\u200b\ufeff"


@settings(max_examples=100, deadline=None, database=None)
@given(st.text(alphabet=st.sampled_from(list(":-[]{}'\"#, \n\tab1甲") + list(SLIPS)), max_size=60))
def test_a_full_width_slip_is_reported_where_its_character_is(text: str) -> None:
    result = parse(text, "x.yaml")
    assert {d.code for d in result.diagnostics} <= KNOWN_CODES
    for found in result.diagnostics:
        if "where YAML expects ASCII" in found.message:
            assert found.source_line is not None and found.col is not None
            assert found.source_line[found.col - 1] in SLIPS, (text, found)
