"""zwgk.load.validation: the words errors are reported in.

PyYAML's problems in Chinese with the English kept (every problem string of PyYAML's Python scanner,
parser, composer and reader, and of libyaml, which words some of them differently), the names of
control characters, and hints for full-width punctuation or invisible characters in a value that
pydantic refuses.
"""

from __future__ import annotations

import pytest
import yaml

from zwgk.load.validation import character_name, lookalike_hint, translate, yaml_message
from zwgk.load.yamlsource import parse

# Context strings ("while …") as PyYAML (Python) and libyaml raise them.
CONTEXTS = [
    "while scanning a simple key", "while scanning a plain scalar", "while scanning a quoted scalar",
    "while scanning a double-quoted scalar", "while scanning a block scalar", "while scanning an anchor",
    "while scanning an alias", "while scanning a tag", "while scanning a directive",
    "while scanning a %YAML directive", "while scanning a %TAG directive", "while scanning a tag directive",
    "while scanning for the next token", "while parsing a block mapping", "while parsing a block collection",
    "while parsing a flow mapping", "while parsing a flow sequence", "while parsing a block node",
    "while parsing a flow node", "while parsing a node", "while parsing a tag", "while parsing a quoted scalar",
    "while parsing a %TAG directive", "while parsing a tag directive", "while composing a mapping",
    "while increasing block level", "while increasing flow level",
    "expected a single document in the stream", "found duplicate anchor 'a'; first occurrence",
]
# Problem strings: PyYAML's (with a %r filled in) and libyaml's.
PROBLEMS = [
    # PyYAML, Python
    "could not find expected ':'", "mapping values are not allowed here", "mapping keys are not allowed here",
    "sequence entries are not allowed here", "found character '\\t' that cannot start any token",
    "found character '@' that cannot start any token", "found unexpected end of stream",
    "found unexpected document separator", "but found another document",
    "expected <block end>, but found '<block mapping start>'", "expected ',' or ']', but got '<scalar>'",
    "expected ',' or '}', but got '<scalar>'", "expected the node content, but found '<block end>'",
    "expected '<document start>', but found '<scalar>'", "found undefined tag handle '!x!'",
    "found unknown escape character 'd'", "expected escape sequence of 4 hexadecimal numbers, but found 'g'",
    "special characters are not allowed", "found undefined alias 'a'", "second occurrence",
    "expected a comment or a line break, but found 'x'", "expected ' ', but found 'x'",
    "expected indentation indicator in the range 1-9, but found 0",
    "expected chomping or indentation indicators, but found 'x'",
    "expected alphabetic or numeric character, but found '?'", "expected URI, but found ' '",
    "expected '!', but found 'x'", "expected '>', but found 'x'",
    "expected URI escape sequence of 2 hexadecimal numbers, but found 'z'", "found non-specific tag '!'",
    "found duplicate YAML directive", "duplicate tag handle '!x!'",
    "found incompatible YAML document (version 1.* is required)", "expected a digit or '.', but found 'x'",
    "expected a digit or ' ', but found 'x'", "expected a digit, but found 'x'",
    "invalid indentation or unclosed '[' or '{'",
    # libyaml
    "block sequence entries are not allowed in this context", "control characters are not allowed",
    "could not find expected directive name", "did not find URI escaped octet", "did not find expected '!'",
    "did not find expected ',' or ']'", "did not find expected ',' or '}'", "did not find expected '-' indicator",
    "did not find expected <document start>", "did not find expected alphabetic or numeric character",
    "did not find expected comment or line break", "did not find expected digit or '.' character",
    "did not find expected hexdecimal number", "did not find expected key", "did not find expected node content",
    "did not find expected tag URI", "did not find expected version number", "did not find expected whitespace",
    "did not find expected whitespace or line break", "did not find the expected '>'",
    "found a tab character that violates indentation",
    "found a tab character where an indentation space is expected", "found an incorrect leading UTF-8 octet",
    "found an incorrect trailing UTF-8 octet", "found an indentation indicator equal to 0",
    "found character that cannot start any token", "found duplicate %TAG directive",
    "found duplicate %YAML directive", "found extremely long version number", "found incompatible YAML document",
    "found invalid Unicode character escape code", "found undefined tag handle", "found unexpected ':'",
    "found unexpected document indicator", "found unexpected non-alphabetical character",
    "found unknown directive name", "found unknown escape character", "incomplete UTF-8 octet sequence",
    "invalid leading UTF-8 octet", "invalid trailing UTF-8 octet", "invalid length of a UTF-8 sequence",
    "invalid Unicode character", "mapping keys are not allowed in this context",
    "mapping values are not allowed in this context",
]


def is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def said_in_chinese(message: str) -> bool:
    """`YAML 语法错误:<Chinese> (<English>)`: the words after the lead-in are Chinese too."""
    return is_chinese(message.removeprefix("YAML 语法错误:").split(" (")[0]) and message.endswith(")")


@pytest.mark.parametrize("context", CONTEXTS)
def test_every_pyyaml_context_is_said_in_chinese(context: str) -> None:
    message = yaml_message(context, "could not find expected ':'")
    assert "未收录" not in message and f"({context}, could not find expected ':')" in message


@pytest.mark.parametrize("problem", PROBLEMS)
def test_every_pyyaml_problem_is_said_in_chinese_with_the_english_kept(problem: str) -> None:
    message = yaml_message(None, problem)
    assert message.startswith("YAML 语法错误:") and "未收录" not in message
    assert said_in_chinese(message), message
    assert message.endswith(f"({problem})")


def test_a_problem_not_in_the_table_keeps_a_chinese_lead_in_and_the_english() -> None:
    assert yaml_message("while doing something new", "found a new thing") == \
        "YAML 语法错误(未收录的 PyYAML 提示):while doing something new, found a new thing"
    assert "未收录" in yaml_message("while scanning a simple key", "found a new thing")


BROKEN = ["a: b: c\n", "a:\n\t- b\n", "a: [1, 2\n", "a: {x: 1\n", "a: 'x\n", 'a: "\\d"\n', "a: @x\n",
          "a: 1\n---\nb: 2\n", "- a\nb: 1\n", "a:\n  - b\n c: 1\n", "a: !x!y z\n",
          "a: |0\n  x\n", "a: &\n", "a: \"\\x4g\"\n", "a: [b, c]]\n", "a: |x\n  t\n",
          "%YAML 1.1\n%YAML 1.1\n---\na: 1\n", "%YAML 2.0\n---\na: 1\n", "a: 'b'c\n", "a:\n  b: 1\n  - c\n",
          "a: b\n...\nc\n", "- - a\n  b: 1\n", "a: [b: c: d]\n", 'a: "\\u12"\n']


@pytest.mark.parametrize("libyaml", [True, False], ids=["libyaml", "pure-python"])
def test_what_either_parser_says_about_broken_yaml_is_in_chinese(libyaml: bool,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    if not libyaml:
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    for text in BROKEN:
        found = [d for d in parse(text, "x.yaml").diagnostics if d.code == "yaml-syntax"]
        assert found, text
        for diagnostic in found:
            assert "未收录" not in diagnostic.message and said_in_chinese(diagnostic.message), (text, diagnostic)
            assert diagnostic.line is not None and diagnostic.col is not None


def test_control_characters_are_named_in_chinese_and_english() -> None:
    assert character_name("\x0b") == "U+000B 垂直制表符 VERTICAL TAB"
    assert character_name("\x08") == "U+0008 退格 BACKSPACE"
    assert character_name("\x85") == "U+0085 C1 控制字符 C1 CONTROL"


# --- full-width characters in values pydantic refuses ------------------------------------


@pytest.mark.parametrize(
    ("text", "hint"),
    [("［办公室］", "全角方括号“［”,请改为半角“[”"), ("【办公室】", "中文方括号“【”"), ("Ｔ01", "全角字符“Ｔ”,请改为半角“T”"),
     ("２０２６-０８-３１", "全角字符“２”,请改为半角“2”"), ("“10-31”", "中文引号“"), ("\u200bnote", "零宽空格 U+200B")],
)
def test_a_value_with_a_full_width_or_invisible_character_names_it(text: str, hint: str) -> None:
    assert hint in (lookalike_hint(text) or "")


@pytest.mark.parametrize("text", ["政策解读（上级）", "各处室、单位", "注意,这是", "T01"])
def test_everyday_chinese_text_has_no_lookalike_hint(text: str) -> None:
    assert lookalike_hint(text) is None


def test_the_hint_comes_first_and_the_usual_one_is_kept() -> None:
    detail = {"type": "tuple_type", "loc": ("tasks", 0, "lead"), "msg": "Input should be a valid tuple",
              "input": "［办公室］"}
    message, hint = translate(detail, detail["loc"])
    assert message == "'lead' 应为列表 (expected a list, got '［办公室］')"
    assert hint == "值中有全角方括号“［”,请改为半角“[”; 写成 [甲, 乙] 或分行的 - 列表。"


def test_an_unknown_key_with_a_full_width_colon_says_so() -> None:
    detail = {"type": "extra_forbidden", "loc": ("rule", "kind： deadline"), "msg": "Extra inputs",
              "input": None}
    _, hint = translate(detail, detail["loc"])
    assert (hint or "").startswith("值中有全角冒号“：”,请改为半角冒号“:”")


def test_a_rule_whose_kind_key_is_typed_full_width_says_so() -> None:
    detail = {"type": "union_tag_not_found", "loc": ("rule",), "msg": "Unable to extract tag",
              "input": {"kind： deadline": None}}
    _, hint = translate(detail, detail["loc"])
    assert "全角冒号“：”" in (hint or "") and "kind 可为" in (hint or "")
