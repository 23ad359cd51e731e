"""zwgk.rules.pinyin and the pinyin tiers of zwgk.rules.owners: items and departments typed as
pinyin initials (zcfgc), full pinyin (zhengcefaguichu) or a mix, after every Chinese spelling.

Chinese keeps priority (exact, then partial, then pinyin); ambiguity is still a LookupFailed
listing the candidates; polyphonic characters accept any reading; a near miss is suggested by
its pinyin; and a lookup that never reaches pinyin never imports pypinyin.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import loaded_dataset

from zwgk.errors import LookupFailed, did_you_mean
from zwgk.load import bundled_data_dir
from zwgk.models import Dataset, Group, Item, OngoingRule, Owner, OwnersFile, Settings
from zwgk.rules.owners import resolve_item, resolve_owner
from zwgk.rules.pinyin import applies, fold, matches, spellings, spoken

MINI = Path(__file__).parents[1] / "fixtures" / "mini"


MINI_DATASET = loaded_dataset(MINI)
BUNDLED = loaded_dataset(bundled_data_dir())


def task(item_id: str, title: str) -> Item:
    return Item(id=item_id, kind="task", title=title, path=(), lead=(), responsible=(),
                requirement=None, rule=OngoingRule(kind="ongoing"))


def column(item_id: str, path: tuple[str, ...]) -> Item:
    return Item(id=item_id, kind="column", title="/".join(path), path=path, lead=(), responsible=(),
                requirement=None, rule=OngoingRule(kind="ongoing"))


def dataset(items: tuple[Item, ...] = (), owners: tuple[Owner, ...] = (),
            groups: tuple[Group, ...] = ()) -> Dataset:
    return Dataset(Settings(unit="测试局", tracking_since=date(2026, 1, 1)),
                   OwnersFile(owners=owners, groups=groups), items)


def department(name: str, *aliases: str) -> Owner:
    return Owner(name=name, kind="department", aliases=aliases)


# --- matching a name --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("zcfgc", "政策法规处"),  # initials
        ("zhengcefaguichu", "政策法规处"),  # full pinyin
        ("zhengcefgc", "政策法规处"),  # a mix, as input methods accept
        ("ZCFGC", "政策法规处"),  # case-insensitive
        ("zc fg c", "政策法规处"),  # spaces ignored
        ("zcfg/flfg", "政策法规/法律法规"),  # a column's 一级/二级
        ("zcfgflfg", "政策法规/法律法规"),  # the slash may be left out
        ("falvfagui", "法律法规"),  # ü typed v
        ("falufagui", "法律法规"),  # or u
        ("zcjdsj", "政策解读(上级)"),  # brackets left out
        ("zcjd(sj)", "政策解读（上级）"),  # or typed, full-width in the name
        ("gcsdw", "各处室、单位"),  # 、 left out
        ("zhcfgch", "政策法规处"),  # two-letter initials zh, ch, sh
        ("政cfgc", "政策法规处"),  # Chinese and pinyin together
        ("ｚｃｆｇｃ", "政策法规处"),  # an input method left in full-width mode
    ],
)
def test_a_whole_name_is_matched_by_initials_full_pinyin_or_a_mix(typed: str, name: str) -> None:
    assert matches(fold(typed), name, "whole")


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("xzspb", "行政审批办"),  # 行 read xing in 行政, the phrase's reading
        ("xingzhengshenpiban", "行政审批办"),
        ("hangzhengshenpiban", "行政审批办"),  # and any reading of the character alone
        ("yinhang", "银行"),  # the phrase gives hang here
        ("luan", "六安"),  # the place name's reading
        ("liuan", "六安"),  # and the character's usual one
        ("zhongdianlingyugongkai", "重点领域公开"),
        ("chongdianlingyugongkai", "重点领域公开"),
        ("bengbu", "蚌埠"),
        ("suzhou", "宿州"),
    ],
)
def test_a_polyphonic_character_accepts_any_of_its_readings(typed: str, name: str) -> None:
    assert matches(fold(typed), name, "whole")


def test_initials_come_from_the_phrase_reading_only() -> None:
    """度 may be read zhai and 查 zha, but z for them would make every z match half the catalogue."""
    assert matches("ndzc", "年度自查", "whole")
    assert not matches("nzzz", "年度自查", "whole")
    assert matches("nianduozicha", "年度自查", "whole")  # a full syllable typed is meant
    assert not matches("cdspb", "重点审批办", "whole")  # 重 zhong here: c is not its initial


def test_a_whole_match_needs_every_character_and_nothing_more() -> None:
    assert not matches("zcfg", "政策法规处", "whole")
    assert not matches("zcfgcc", "政策法规处", "whole")
    assert not matches("zhengcefagu", "政策法规处", "whole")  # gui half typed, 处 missing
    assert matches("zhengcefagu", "政策法规处", "start")


def test_part_matches_a_run_of_whole_characters() -> None:
    assert matches("fgc", "政策法规处", "part")
    assert matches("faguichu", "政策法规处", "part")
    assert matches("flfg", "政策法规/法律法规", "part")
    assert not matches("engce", "政策法规处", "part")  # never from the middle of a syllable
    assert not matches("zcc", "政策法规处", "part")  # nor skipping characters


def test_start_matches_a_beginning_with_the_last_syllable_half_typed() -> None:
    assert matches("zh", "政策法规处", "start")
    assert matches("zhe", "政策法规处", "start")
    assert matches("zhengcef", "政策法规处", "start")
    assert matches("zcfgc", "政策法规处", "start")
    assert not matches("cfgc", "政策法规处", "start")
    assert matches("", "政策法规处", "start") and not matches("", "政策法规处", "whole")


def test_letters_and_digits_in_a_name_are_typed_as_themselves() -> None:
    assert matches("c12zcjd", "C12 政策解读", "whole")
    assert not matches("zcjd", "C12 政策解读", "whole")


def test_only_what_holds_a_latin_letter_may_be_pinyin() -> None:
    assert applies("zcfgc") and applies("政cfgc") and applies("T01") and applies("ｙｊｂ")
    assert not applies("政策法规处") and not applies("一次性任物") and not applies("2026")


def test_spellings_are_the_usual_pinyin_and_its_initials() -> None:
    assert spellings("政策法规处") == ("zhengcefaguichu", "zcfgc")
    assert spellings("政策法规/法律法规") == ("zhengcefaguifalvfagui", "zcfgflfg")
    assert spellings("行政审批办") == ("xingzhengshenpiban", "xzspb")
    assert spellings("六安") == ("luan", "la")


def test_a_name_is_read_once_however_often_it_is_matched() -> None:
    assert spoken("政策法规处") is spoken("政策法规处")
    assert spellings.cache_info().maxsize  # bounded: a long-running process does not grow without end


# --- resolve_item -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("flfg", "C01"),  # a column's own name
        ("FLFG", "C01"),
        ("fl fg", "C01"),
        ("falvfagui", "C01"),
        ("zcfg/flfg", "C01"),  # 一级/二级
        ("zhengcefagui/falvfagui", "C01"),
        ("mtgz", "C02"),
        ("sgkx", "C03"),
        ("ycxrw", "T01"),  # a task's title
        ("yicixingrenwu", "T01"),
        ("ndzc", "T03"),
        ("zicha", "T03"),  # part of a title
    ],
)
def test_resolve_item_finds_an_item_by_the_pinyin_of_its_title_or_column_name(typed: str, found: str) -> None:
    assert resolve_item(MINI_DATASET, typed).id == found


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("flfg", "C07"),
        ("zcfg/flfg", "C07"),
        ("zcjdsj", "C11"),
        ("zcjd(bj)", "C12"),
        ("zdlygk/sgkx", "C35"),
        ("chongdianlingyugongkai/shigukuaixun", "C35"),  # 重 read chong
        ("ysqgk", "C67"),
        ("xzqlqd", "C20"),  # 行政 xingzheng: x
    ],
)
def test_resolve_item_by_pinyin_in_the_bundled_data(typed: str, found: str) -> None:
    assert resolve_item(BUNDLED, typed).id == found


def test_a_pinyin_run_held_by_several_items_is_ambiguous_and_lists_them() -> None:
    with pytest.raises(LookupFailed, match="ambiguous item") as caught:
        resolve_item(MINI_DATASET, "jianchi")
    assert caught.value.candidates == ("T02 先完成后坚持", "T04 长期坚持")
    with pytest.raises(LookupFailed, match="ambiguous item") as bundled:
        resolve_item(BUNDLED, "zcfg")  # the 政策法规 items
    assert [c.split()[0] for c in bundled.value.candidates] == ["C07", "C08", "C09", "C10", "C11", "C12", "C13"]


def test_a_column_name_said_under_two_headings_is_ambiguous_until_the_heading_is_given() -> None:
    items = (column("C01", ("市级", "工作动态")), column("C02", ("县级", "工作动态")))
    with pytest.raises(LookupFailed, match="一级/二级") as caught:
        resolve_item(dataset(items), "gzdt")
    assert caught.value.candidates == ("C01 市级/工作动态", "C02 县级/工作动态")
    assert resolve_item(dataset(items), "xj/gzdt").id == "C02"
    assert resolve_item(dataset(items), "shiji gongzuodongtai").id == "C01"


def test_chinese_written_in_latin_letters_wins_over_pinyin() -> None:
    items = (task("T01", "法律法规"), task("T02", "flfg"))
    assert resolve_item(dataset(items), "flfg").id == "T02"  # an exact title


def test_a_partial_chinese_match_wins_over_an_exact_pinyin_one() -> None:
    """The tiers stay as they were; pinyin comes after all of them."""
    items = (task("T01", "法律法规"), task("T02", "flfg手册"))
    assert resolve_item(dataset(items), "flfg").id == "T02"


def test_an_exact_pinyin_title_wins_over_titles_whose_pinyin_contains_it() -> None:
    items = (task("T01", "法规汇编"), task("T02", "法规"))
    assert resolve_item(dataset(items), "fg").id == "T02"
    assert resolve_item(dataset(items), "fghb").id == "T01"


def test_an_unknown_pinyin_item_suggests_the_nearest_by_pinyin() -> None:
    with pytest.raises(LookupFailed, match="unknown item") as caught:
        resolve_item(MINI_DATASET, "flfgg")
    assert caught.value.candidates == ("C01 政策法规/法律法规",)
    with pytest.raises(LookupFailed, match="unknown item") as bundled:
        resolve_item(BUNDLED, "zcfgx")
    assert bundled.value.candidates[0].split("/")[0].endswith("政策法规")


def test_letters_that_spell_nothing_suggest_nothing() -> None:
    for typed in ("zzz", "qqq", "xyz"):
        with pytest.raises(LookupFailed) as caught:
            resolve_item(BUNDLED, typed)
        assert caught.value.candidates == (), typed


# --- resolve_owner ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "owner"),
    [
        ("zcfgc", "政策法规处"),
        ("zhengcefaguichu", "政策法规处"),
        ("ZhengCe FaGui Chu", "政策法规处"),
        ("ｚｃｆｇｃ", "政策法规处"),  # full-width letters
        ("fgc", "政策法规处"),  # the alias 法规处
        ("bgs", "办公室"),
        ("jbgs", "办公室"),  # the alias 局办公室
        ("zbs", "值班室"),  # a sub-unit
        ("gcs", "各处室"),  # a group
        ("gcsdw", "各处室、单位"),
    ],
)
def test_resolve_owner_by_the_pinyin_of_a_name_or_alias(typed: str, owner: str) -> None:
    assert resolve_owner(MINI_DATASET, typed) == owner


@pytest.mark.parametrize(
    ("typed", "owner"),
    [
        ("yjb", "应急办"),
        ("yingjiban", "应急办"),
        ("zcfgc", "政策法规处"),
        ("xzspb", "行政审批办"),
        ("xingzhengshenpiban", "行政审批办"),
        ("hangzhengshenpiban", "行政审批办"),  # 行 as hang: any reading
        ("luan", "六安市安全监管局"),  # the alias 六安, read lu
        ("liuan", "六安市安全监管局"),
        ("bengbu", "蚌埠市安全监管局"),
        ("chizhou", "池州市安全监管局"),
        ("chuzhou", "滁州市安全监管局"),
        ("jzwgkldxz", "局政务公开领导小组"),
    ],
)
def test_resolve_owner_by_pinyin_in_the_bundled_data(typed: str, owner: str) -> None:
    assert resolve_owner(BUNDLED, typed) == owner


def test_owners_that_sound_alike_are_ambiguous_and_listed() -> None:
    with pytest.raises(LookupFailed, match="ambiguous department") as caught:
        resolve_owner(BUNDLED, "czsaqjgj")  # 滁州 and 池州
    assert caught.value.candidates == ("滁州市安全监管局", "池州市安全监管局")
    owners = (department("监察处"), department("教材处"))
    with pytest.raises(LookupFailed, match="ambiguous department") as made:
        resolve_owner(dataset(owners=owners), "jcc")
    assert made.value.candidates == ("监察处", "教材处")
    assert resolve_owner(dataset(owners=owners), "jiaocaichu") == "教材处"


def test_an_owner_named_in_latin_letters_wins_over_one_whose_pinyin_spells_them() -> None:
    owners = (department("应急办"), department("YJB"))
    assert resolve_owner(dataset(owners=owners), "yjb") == "YJB"


def test_owners_are_matched_whole_in_pinyin_as_in_chinese() -> None:
    """Chinese names are never matched in part, so neither is their pinyin: zcfg is a near miss."""
    with pytest.raises(LookupFailed, match="unknown department") as caught:
        resolve_owner(BUNDLED, "zcfg")
    assert caught.value.candidates == ("政策法规处",)


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("zhengcefagui", "政策法规处"),
        ("yjbb", "应急办"),
        ("hzspb", "行政审批办"),
        ("hefe", "合肥市安全监管局"),  # near an alias's pinyin: the owner it names
    ],
)
def test_an_unknown_department_suggests_the_nearest_by_pinyin(typed: str, suggested: str) -> None:
    with pytest.raises(LookupFailed, match="unknown department") as caught:
        resolve_owner(BUNDLED, typed)
    assert caught.value.candidates == (suggested,)


@pytest.mark.parametrize("owner", [*BUNDLED.owners.owners, *BUNDLED.owners.groups], ids=lambda o: o.name)
def test_every_bundled_owner_is_found_by_its_initials_and_its_full_pinyin(owner: Owner | Group) -> None:
    for typed in spellings(owner.name):
        assert owner.name in heard(typed), typed


def heard(typed: str) -> tuple[str, ...]:
    """The owner found, or the owners listed as ambiguous (initials two names share: 滁州, 池州)."""
    try:
        return (resolve_owner(BUNDLED, typed),)
    except LookupFailed as failure:
        return failure.candidates if "ambiguous" in failure.message else ()


# --- did_you_mean -------------------------------------------------------------------------------


def test_did_you_mean_without_spellings_is_as_before() -> None:
    assert did_you_mean("办工室", ["办公室", "值班室"]) == "办公室"
    assert did_you_mean("财务审计处", ["办公室", "政策法规处"]) is None


def test_did_you_mean_measures_a_word_against_each_candidates_spellings() -> None:
    said = {"政策法规处": ("zhengcefaguichu", "zcfgc"), "办公室": ("bangongshi", "bgs")}
    assert did_you_mean("zcfg", said, said) == "政策法规处"
    assert did_you_mean("BanGong", said, said) == "办公室"  # case and spaces do not count
    assert did_you_mean("zz", said, said) is None  # pinyin needs two letters in three to be near


# --- pypinyin is imported only when a lookup reaches pinyin -----------------------------------

PROBE = """
import json, sys
from pathlib import Path
from zwgk.errors import LookupFailed
from zwgk.load import load_dataset
from zwgk.rules.owners import resolve_item, resolve_owner
dataset = load_dataset(Path(sys.argv[1])).dataset
seen = {}
resolve_item(dataset, "C01"); resolve_item(dataset, "法律法规"); resolve_item(dataset, "自查")
resolve_owner(dataset, "办公室"); resolve_owner(dataset, "法规处")
for miss in ("一次性任物", "办工室"):
    try:
        resolve_item(dataset, miss) if miss.startswith("一") else resolve_owner(dataset, miss)
    except LookupFailed:
        pass
seen["chinese"] = "pypinyin" in sys.modules
seen["zcfgc"] = resolve_owner(dataset, "zcfgc")
seen["pinyin"] = "pypinyin" in sys.modules
print(json.dumps(seen, ensure_ascii=False))
"""


def test_exact_and_chinese_lookups_never_import_pypinyin() -> None:
    result = subprocess.run([sys.executable, "-c", PROBE, str(MINI)], capture_output=True, text=True,
                            check=True, encoding="utf-8")
    assert json.loads(result.stdout) == {"chinese": False, "zcfgc": "政策法规处", "pinyin": True}
