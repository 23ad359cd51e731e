"""Names typed in pinyin: initials (zcfgc), whole syllables (zhengcefaguichu) or a mix of the two
(zhengcefgc), for the clerk at a keyboard without a Chinese input method, and for shell completion.

Lookups come here only once every Chinese spelling has failed, and pypinyin is imported on that
first use: an exact lookup never pays for its dictionaries. A character with several readings
(行 xing/hang, 重 zhong/chong, 六安 Lu'an) may be typed in any of them: the reading pypinyin picks
from the phrase, and every reading of the character alone, since people type whichever they say;
initials come from the phrase's reading only. ü may be typed v or u (律 lv, lu). Brackets, slashes
and 、 may be typed or left out, so a column's 一级/二级 is zcfg/flfg or zcfgflfg.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from types import MappingProxyType
from typing import Literal

from zwgk.models import normalise_name

Reach = Literal["whole", "part", "start"]
_TWO_LETTER_INITIALS = frozenset({"zh", "ch", "sh"})


@dataclass(frozen=True, slots=True)
class Sound:
    """One character of a name and every way it may be typed, by the letter each begins with."""

    ways: Mapping[str, tuple[str, ...]]
    optional: bool = False  # punctuation: typed or left out

    @classmethod
    def of(cls, ways: Iterable[str], optional: bool = False) -> Sound:
        by_first: dict[str, list[str]] = {}
        for way in sorted(ways):
            by_first.setdefault(way[0], []).append(way)
        return cls(MappingProxyType({first: tuple(w) for first, w in by_first.items()}), optional)


def applies(text: str) -> bool:
    """Whether what was typed may be pinyin: it holds a Latin letter. Chinese alone never is, so
    a Chinese lookup, found or not, never imports pypinyin."""
    return any("a" <= c <= "z" for c in fold(text))


def fold(text: str) -> str:
    """What was typed, as it is compared: spaces dropped, lower case, and full-width letters and
    brackets made ASCII (an input method left in full-width mode types ｚｃｆｇｃ)."""
    return normalise_name(unicodedata.normalize("NFKC", text)).lower()


def matches(typed: str, name: str, reach: Reach) -> bool:
    """Whether `typed` (already folded) spells all of `name` ("whole"), a run of its characters
    ("part"), or its beginning with the last syllable perhaps half typed ("start", for completion).

    Walks the name once, keeping the set of places in `typed` reached so far — a handful, since
    syllables rarely overlap — so it costs no more than the name is long, however it is segmented."""
    if not typed:
        return reach != "whole"
    end = len(typed)
    reached = {0}
    for sound in spoken(name):
        if reach == "part":
            reached.add(0)  # a run may start at any character
        after = set(reached) if sound.optional else set()
        for at in reached:
            rest = typed[at:]
            for way in sound.ways.get(rest[0], ()) if rest else ():
                if rest.startswith(way):
                    after.add(at + len(way))
                elif reach == "start" and way.startswith(rest):
                    return True
        if reach != "whole" and end in after:
            return True
        reached = after
        if not reached and reach != "part":
            return False
    return reach == "whole" and end in reached


@lru_cache(maxsize=65536)
def spoken(name: str) -> tuple[Sound, ...]:
    """The name character by character, each with the ways it may be typed. Kept per name, not per
    dataset: the catalogue's titles recur in every unit that follows it, and one process (a
    completion, a command) looks a name up many times."""
    sounds: list[Sound] = []
    for is_han, chars in groupby(fold(name), key=_is_han):
        run = "".join(chars)
        if is_han:
            sounds += [_sound(char, said) for char, said in zip(run, _in_phrase(run), strict=True)]
        else:
            sounds += [Sound.of((c,), optional=not (c.isascii() and c.isalnum())) for c in run]
    return tuple(sounds)


@lru_cache(maxsize=65536)
def spellings(name: str) -> tuple[str, str]:
    """The name's usual pinyin and its initials (zhengcefaguichu, zcfgc), punctuation left out:
    what a near miss is measured against for "did you mean"."""
    said: list[str] = []
    for is_han, chars in groupby(fold(name), key=_is_han):
        run = "".join(chars)
        said += _in_phrase(run) if is_han else [c for c in run if c.isascii() and c.isalnum()]
    return "".join(said), "".join(s[0] for s in said if s.isascii() and s.isalpha())


@lru_cache(maxsize=65536)
def _in_phrase(run: str) -> tuple[str, ...]:
    """Each character's reading in this run of Chinese, as pypinyin segments it into phrases
    (行政 xing, 银行 hang; 六安 lu); a character without any reading stands for itself."""
    from pypinyin import Style, lazy_pinyin

    said = lazy_pinyin(run, style=Style.NORMAL)
    if len(said) != len(run):  # characters without a reading come back merged into one string
        said = [lazy_pinyin(c, style=Style.NORMAL)[0] for c in run]
    return tuple(said)


@lru_cache(maxsize=16384)
def _alone(char: str) -> tuple[str, ...]:
    """Every reading of the character by itself (行 xing, hang, heng)."""
    from pypinyin import Style, pinyin

    return tuple(pinyin(char, style=Style.NORMAL, heteronym=True)[0])


@lru_cache(maxsize=16384)
def _sound(char: str, said: str) -> Sound:
    """The character itself (政cfgc), every reading in full, and the initials of the reading the
    phrase gives: initials of rare readings (度 zhai, 查 zha) would make every z an abbreviation
    for half the catalogue, while a full syllable typed is meant."""
    ways = {char}
    for reading in {said, *_alone(char)}:
        if reading.isascii() and reading.isalpha():  # else no reading: pypinyin gave the character back
            ways |= {reading, reading.replace("v", "u")}
    if said.isascii() and said.isalpha():
        ways.add(said[0])
        if said[:2] in _TWO_LETTER_INITIALS:
            ways.add(said[:2])
    return Sound.of(ways)


def _is_han(char: str) -> bool:
    return ("\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"
            or "\U00020000" <= char <= "\U0003134f" or char == "\u3007")  # 〇
