"""Which PINs a member may choose (R5): long enough, and not one a guesser tries first. Pure.

Checked when a PIN is set, never when one is verified: a PIN set before these rules (4 or 5 digits,
or trivial) keeps working, so an upgrade locks nobody out; the PIN attempt limit bounds guessing
it, and the next PIN set for that member follows the rules.
"""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise

from station.domain import MAX_PIN_DIGITS, MIN_PIN_DIGITS, RefusalCode

PIN_PATTERN = re.compile(f"[0-9]{{{MIN_PIN_DIGITS},{MAX_PIN_DIGITS}}}")
# The date of birth as people key it in: year first, day first, month first; 4- and 2-digit years.
BIRTH_DATE_FORMS = ("%Y%m%d", "%d%m%Y", "%m%d%Y", "%y%m%d", "%d%m%y", "%m%d%y")


def pin_refusal(pin: str, date_of_birth: date | None) -> RefusalCode | None:
    """Why `pin` may not be chosen by someone born on `date_of_birth`; None when it may."""
    if not PIN_PATTERN.fullmatch(pin):
        return RefusalCode.PIN_FORMAT
    steps = {(int(after) - int(before)) % 10 for before, after in pairwise(pin)}
    if steps == {0}:
        return RefusalCode.PIN_REPEATED
    if steps in ({1}, {9}):  # up or down by one, 9 to 0 and 0 to 9 included
        return RefusalCode.PIN_SEQUENCE
    if date_of_birth is not None and pin in {date_of_birth.strftime(f) for f in BIRTH_DATE_FORMS}:
        return RefusalCode.PIN_BIRTH_DATE
    return None
