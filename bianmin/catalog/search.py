"""Search keys: what a name can be found by, computed once when the item is saved.

People type Chinese (养老保险), full pinyin (yanglao), pinyin initials (ylbx), or the everyday
name of a thing (社保卡 for 社会保障卡, 低保 for 最低生活保障). All of these are folded into one
lowercase column, ``ServiceItem.search_keys``; a query matches when every one of its words is
contained in it. Names with characters of several readings (长三角: cháng, not zhǎng; 参保: cān)
get each reading's variant, capped, so the common reading is never missed.
"""

from __future__ import annotations

import itertools
import re

from pypinyin import Style, lazy_pinyin, pinyin

# Everyday names people type for the words in official item names.
ALIASES: dict[str, tuple[str, ...]] = {
    "社会保障卡": ("社保卡",),
    "最低生活保障": ("低保",),
    "基本医疗保险": ("医保",),
    "基本养老保险": ("养老保险", "社保"),
    "特困人员": ("五保",),
    "残疾人证": ("残疾证",),
    "居民身份证": ("身份证",),
    "个体工商户": ("个体户", "营业执照"),
    "法律援助": ("法援",),
    "退役军人": ("老兵",),
    "计划生育": ("计生",),
    "高龄津贴": ("老年补贴",),
    "异地就医": ("外地看病",),
}

MAX_VARIANTS = 16
_NON_WORD = re.compile(r"[\s'’·\-（）()《》“”\"、，,。.]+")
_HAN = re.compile(r"[\u3400-\u9fff]")


def normalize_query(text: str) -> list[str]:
    """The words of a query, lowercased, pinyin apostrophes and punctuation removed."""
    joined = re.sub(r"['’·]", "", (text or "").strip().lower())
    return [w for w in _NON_WORD.split(joined) if w]


def _variants(text: str, style: Style) -> list[str]:
    """The phrase-aware reading first, then other readings of polyphonic characters (capped)."""
    first = "".join(lazy_pinyin(text, style=style, errors="ignore"))
    readings = pinyin(text, style=style, heteronym=True, errors="ignore")
    choices = [sorted(set(r)) for r in readings]
    out = [first]
    if any(len(c) > 1 for c in choices):
        for combo in itertools.islice(itertools.product(*choices), MAX_VARIANTS * 4):
            joined = "".join(combo)
            if joined not in out:
                out.append(joined)
            if len(out) >= MAX_VARIANTS:
                break
    return [v for v in out if v]


def aliases_for(name: str) -> list[str]:
    return [alias for word, names in ALIASES.items() if word in name for alias in names]


def search_keys(name: str, *extra: str) -> tuple[str, str]:
    """(all keys separated by spaces, the main initials) for a name and its other names."""
    texts = [name, *[e for e in extra if e], *aliases_for(name)]
    keys: list[str] = []
    for text in texts:
        clean = _NON_WORD.sub("", text.lower())
        keys.append(clean)
        if _HAN.search(text):
            keys.extend(_variants(text, Style.NORMAL))
            keys.extend(_variants(text, Style.FIRST_LETTER))
    unique = list(dict.fromkeys(k for k in keys if k))
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore"))
    return " ".join(unique), initials


def split_keywords(value: str) -> list[str]:
    return [k for k in re.split(r"\s*[、,，;；]\s*", (value or "").strip()) if k]


FREQUENCY_ORDER = {"high": 0, "seasonal": 1, "low": 2, "forwarded": 3}


def rank(name: str, initials: str, words: list[str], frequency: str = "") -> tuple:
    """Sort key: the name starting with the query first, then the name containing it, then
    initials starting with it, then the rest; within each, high-frequency items first, then
    shorter names before longer ones."""
    q = words[0] if words else ""
    lower = name.lower()
    if lower.startswith(q):
        tier = 0
    elif q in lower:
        tier = 1
    elif initials.startswith(q):
        tier = 2
    elif q in initials:
        tier = 3
    else:
        tier = 4
    return (tier, FREQUENCY_ORDER.get(frequency, 9), len(name), name)
