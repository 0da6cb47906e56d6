"""Identity text, normalised and bounded (issue 16): what a member number, a card number, a name or
a record's free text may hold, and the one form a number is kept and looked up in. Pure: the
services call it before they store a text or look a number up (R12: operator names; R7: the
guardian; R16: transfer consents; R19: incidents).

Member and card numbers. Members in China mostly carry digits and Latin letters, typed from a card
or read aloud, so a number is normalised to what the operator read and refused when it cannot be:
- NFKC (fullwidth "Ｍ１００１" is "M1001") and every dash (U+2010–U+2015, U+2212) is "-";
- spaces and format characters (Cf: zero-width spaces and joiners, the BOM, bidi controls) are
  removed: they are invisible, so never part of the number anyone read; a control character
  (Cc, line separators) is refused, since no keyboard or card reader puts one inside a number;
- upper case: "m-1" and "M-1" are one member; nobody reading a number aloud tells them apart, and
  refusing lower case would only make the desk type it again;
- then Latin letters, digits and - _ . / only, beginning and ending with a letter or digit (a
  separator at an end vanishes in print), at most 32 characters. Other scripts are refused, not
  mapped: Cyrillic "М" looks like "M", and a mapping would need a confusables table to be right.

Names and record texts are kept as written (CJK, Arabic-script and accented names exactly), in
NFC so one name has one form, without a character `visible` would have to escape (controls, bidi
controls, zero-width characters; ZWNJ and ZWJ stay, some scripts need them), and bounded: 100
characters for a name, 2,000 for a record's text. Incident texts may hold line breaks.

A date of birth lies between 1900-01-01 and today (the station's local date).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date

from station.domain import RefusalCode, ServiceError
from station.domain.text import TextField, code_point, is_hidden

MAX_IDENTIFIER_LENGTH = 32
MAX_NAME_LENGTH = 100
MAX_TEXT_LENGTH = 2000
EARLIEST_BIRTH_DATE = date(1900, 1, 1)

IDENTIFIER_FIELDS = frozenset((TextField.MEMBER_NUMBER, TextField.CARD_NUMBER))
# The incident register's texts go into people's notices (R19): paragraphs are allowed.
MULTILINE_FIELDS = frozenset(
    (
        TextField.DESCRIPTION,
        TextField.DATA_AFFECTED,
        TextField.CAUSE,
        TextField.LIKELY_HARM,
        TextField.REMEDIES,
        TextField.ADVICE,
    )
)
LONG_FIELDS = MULTILINE_FIELDS | {TextField.TRANSFER_PURPOSE, TextField.LIKELY_IMPACT}

# After NFKC (which turns U+2011, U+FE63 and U+FF0D into these or into "-").
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))
_IDENTIFIER = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._/-]*[A-Za-z0-9])?")


def max_length(field: TextField) -> int:
    if field in IDENTIFIER_FIELDS:
        return MAX_IDENTIFIER_LENGTH
    return MAX_TEXT_LENGTH if field in LONG_FIELDS else MAX_NAME_LENGTH


def identifier(text: str, field: TextField) -> str:
    """A member or card number in its one kept form ("" when nothing visible was typed), or the
    refusal saying why it cannot be one."""
    folded = unicodedata.normalize("NFKC", text).translate(_DASHES).strip()
    _refuse_hidden((c for c in folded if is_hidden(c) and unicodedata.category(c) != "Cf"), field)
    kept = "".join(c for c in folded if unicodedata.category(c) != "Cf" and not c.isspace())
    _refuse_long(kept, field)
    if kept and not _IDENTIFIER.fullmatch(kept):
        raise ServiceError(
            RefusalCode.IDENTIFIER_FORMAT,
            f"A {field.label} may hold only Latin letters, digits and - _ . /, and must begin and "
            "end with a letter or digit.",
            field=field.value,
        )
    return kept.upper()


def lookup_key(text: str) -> str | None:
    """The kept form a typed number looks up, or None when it cannot be a number at all."""
    try:
        return identifier(text, TextField.MEMBER_NUMBER) or None
    except ServiceError:
        return None


def clean_text(text: str, field: TextField) -> str:
    """A name or a record's text in NFC without surrounding space ("" when blank), or the refusal
    saying why it cannot be kept."""
    multiline = field in MULTILINE_FIELDS
    text = unicodedata.normalize("NFC", text)
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.strip()
    _refuse_long(text, field)
    _refuse_hidden((c for c in text if is_hidden(c) and not (multiline and c == "\n")), field)
    return text


def check_birth_date(born: date | None, today: date) -> None:
    """R7 takes the age from this date: one in the future or before 1900 is a typing error."""
    if born is not None and not EARLIEST_BIRTH_DATE <= born <= today:
        raise ServiceError(
            RefusalCode.BIRTH_DATE_OUT_OF_RANGE,
            f"A date of birth must lie between {EARLIEST_BIRTH_DATE.isoformat()} and today "
            f"({today.isoformat()}).",
            earliest=EARLIEST_BIRTH_DATE.isoformat(),
            latest=today.isoformat(),
        )


def _refuse_long(text: str, field: TextField) -> None:
    limit = max_length(field)
    if len(text) > limit:
        raise ServiceError(
            RefusalCode.TEXT_TOO_LONG,
            f"The {field.label} is too long: at most {limit} characters.",
            field=field.value,
            limit=limit,
        )


def _refuse_hidden(found: Iterable[str], field: TextField) -> None:
    first = next(iter(found), None)
    if first is not None:
        raise ServiceError(
            RefusalCode.TEXT_HIDDEN_CHARACTER,
            f"The {field.label} holds a control, invisible or text-direction character "
            f"({code_point(first)}) that could hide or disguise it; type it again without it.",
            field=field.value,
            character=code_point(first),
        )
