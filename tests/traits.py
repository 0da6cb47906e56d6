"""The traits R9 forbids the station to estimate, in English and Simplified Chinese: the one
vocabulary every R9 scan looks for (identifiers, model files, store schema, audit and settings keys,
window texts).

The list follows the seed standard (GB/T 41819-2022 and its 2021 draft; the 2025 CAC/MPS measures):
face data must not be used to judge work performance, economic situation, health, preferences or
interests, nor to analyse race, ethnicity, religious belief, social class or other sensitive traits;
age, gender, emotion and expression are the attributes face models most often estimate.

English is matched by whole tokens of a name or a text ("image" never matches "age"). A word that
is ordinary on its own ("performance", "class", "interest", "orientation") is a trait only next to
the word that makes it one, so it is listed as a pair of adjacent tokens. Chinese has no spaces: a
Chinese entry matches as a substring, so each is a whole word whose characters do not occur in
ordinary words (年龄, not 岁; 性别, not 性).
"""

from __future__ import annotations

import itertools
import re

ENGLISH_WORDS = frozenset(
    {
        "age",
        "aged",
        "gender",
        "sex",
        "sexuality",
        "male",
        "female",
        "emotion",
        "emotional",
        "expression",
        "blendshape",
        "mood",
        "smile",
        "smiling",
        "health",
        "healthy",
        "illness",
        "disease",
        "disability",
        "race",
        "racial",
        "ethnicity",
        "ethnic",
        "nationality",
        "religion",
        "religious",
        "faith",
        "wealth",
        "wealthy",
        "income",
        "salary",
        "poverty",
        "socioeconomic",
        "creditworthiness",
        "hobby",
        "hobbies",
        "politics",
        "political",
        "personality",
        "temperament",
        "attractiveness",
        "attractive",
        "beauty",
        "whereabouts",
    }
)

ENGLISH_PAIRS = frozenset(
    {
        ("work", "performance"),
        ("job", "performance"),
        ("employee", "performance"),
        ("economic", "situation"),
        ("economic", "status"),
        ("financial", "situation"),
        ("financial", "status"),
        ("credit", "score"),
        ("social", "class"),
        ("social", "status"),
        ("sexual", "orientation"),
        ("personal", "interest"),
        ("personal", "preference"),
        ("consumer", "preference"),
        ("skin", "colour"),
        ("skin", "color"),
        ("skin", "tone"),
        ("behaviour", "profile"),
        ("behavior", "profile"),
        ("location", "history"),
        ("face", "attribute"),
        ("facial", "attribute"),
    }
)

CHINESE_WORDS = frozenset(
    {
        "年龄",
        "性别",
        "男性",
        "女性",
        "情绪",
        "表情",
        "心情",
        "微笑",
        "笑容",
        "健康",
        "疾病",
        "病史",
        "残疾",
        "种族",
        "肤色",
        "民族",
        "国籍",
        "宗教",
        "信仰",
        "财富",
        "财产状况",
        "经济状况",
        "收入",
        "工资",
        "薪资",
        "工作表现",
        "绩效",
        "兴趣",
        "爱好",
        "偏好",
        "喜好",
        "社会阶层",
        "阶层",
        "性格",
        "人格",
        "颜值",
        "魅力",
        "外貌",
        "长相",
        "性取向",
        "政治",
        "行踪",
        "行为轨迹",
        "画像",
    }
)


def tokens(text: str) -> list[str]:
    """The lower-case words of a name or a text, in order: snake_case, CamelCase, spaces and
    punctuation all separate words ("estimateWorkPerformance" -> estimate, work, performance)."""
    split = re.sub(r"([a-z0-9])([A-Z])|([A-Z])([A-Z][a-z])", r"\1\3_\2\4", text)
    return [word for word in re.split(r"[^a-z0-9]+", split.lower()) if word]


_LISTED = ENGLISH_WORDS | {word for pair in ENGLISH_PAIRS for word in pair}


def _singular(word: str) -> str:
    # "ages", "attributes", "classes": the plural of a listed word is that word
    for ending in ("s", "es"):
        if word.endswith(ending) and word[: -len(ending)] in _LISTED:
            return word[: -len(ending)]
    return word


def traits_in(text: str) -> list[str]:
    """Every trait the name or text names, as listed here ("work performance" for a pair): the
    English words, then the pairs, then the Chinese words; [] when it names none."""
    words = [_singular(word) for word in tokens(text)]
    found = [word for word in words if word in ENGLISH_WORDS]
    found += [f"{a} {b}" for a, b in itertools.pairwise(words) if (a, b) in ENGLISH_PAIRS]
    if not text.isascii():
        found += [word for word in sorted(CHINESE_WORDS) if word in text]
    return found
