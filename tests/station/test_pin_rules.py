"""Issue 16: a PIN is long enough and not one a guesser tries first (R5). `set_pin` refuses short
PINs, one digit repeated, digits in a row and the member's date of birth, each with its own
reason; PINs set before these rules keep working."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from station.domain import (
    MAX_PIN_DIGITS,
    MIN_PIN_DIGITS,
    RefusalCode,
    ServiceError,
    VerifyStatus,
)
from station.services import Station
from tests.conftest import ADULT_BIRTH, share_of_examples

MEMBER = "M-16"
BORN = ADULT_BIRTH  # 1990-05-17
DIGITS = "0123456789"
IN_A_ROW = DIGITS * 3  # every ascending run, wrapping round from 9 to 0, up to MAX_PIN_DIGITS
BIRTH_FORMS = ("19900517", "17051990", "05171990", "900517", "170590", "051790")


@pytest.fixture
def member(station: Station) -> Station:
    station.subjects.register(MEMBER, "Li Na", BORN, "desk-1")
    return station


def _trivial(pin: str) -> bool:
    """The test's own reading of the rule, apart from the station's code."""
    return (
        pin == pin[0] * len(pin)
        or pin in IN_A_ROW
        or pin in IN_A_ROW[::-1]
        or pin in {f"{BORN:%Y%m%d}", f"{BORN:%d%m%Y}", f"{BORN:%m%d%Y}"}
        or pin in {f"{BORN:%y%m%d}", f"{BORN:%d%m%y}", f"{BORN:%m%d%y}"}
    )


def _pin_set_events(station: Station) -> int:
    return sum(1 for event in station.repos.audit.events() if event.kind == "pin_set")


@pytest.mark.parametrize(
    ("pin", "code"),
    [
        ("48291", RefusalCode.PIN_FORMAT),  # 5 digits: one short
        ("4829", RefusalCode.PIN_FORMAT),  # the old minimum
        ("4829137560184", RefusalCode.PIN_FORMAT),  # 13 digits
        ("48291a", RefusalCode.PIN_FORMAT),
        ("000000", RefusalCode.PIN_REPEATED),
        ("77777777", RefusalCode.PIN_REPEATED),
        ("123456", RefusalCode.PIN_SEQUENCE),
        ("654321", RefusalCode.PIN_SEQUENCE),
        ("890123", RefusalCode.PIN_SEQUENCE),  # round from 9 to 0
        ("0123456789", RefusalCode.PIN_SEQUENCE),
        ("210987", RefusalCode.PIN_SEQUENCE),
        *[(form, RefusalCode.PIN_BIRTH_DATE) for form in BIRTH_FORMS],
    ],
)
def test_r5_a_short_or_trivial_pin_is_refused_with_its_reason(
    member: Station, pin: str, code: RefusalCode
) -> None:
    with pytest.raises(ServiceError) as refused:
        member.subjects.set_pin(MEMBER, pin, "desk-1")
    assert refused.value.code is code
    message = str(refused.value)
    assert message.endswith(".")
    if code is RefusalCode.PIN_FORMAT:
        assert refused.value.details == {"minimum": "6", "maximum": "12"}
        assert message == "A PIN is 6 to 12 digits."
    else:  # the reason's fixed sentence, never the PIN typed
        assert refused.value.details == {} and "choose another" in message
    subject = member.subjects.find(MEMBER)
    assert subject is not None and member.repos.subjects.pin_hash(subject.id) is None
    assert _pin_set_events(member) == 0


def test_r5_only_the_members_own_date_of_birth_is_refused(member: Station) -> None:
    member.subjects.register("M-17", "Wang Fang", date(1985, 1, 2), "desk-1")
    member.subjects.set_pin("M-17", "19900517", "desk-1")  # Li Na's birthday, not Wang Fang's
    with pytest.raises(ServiceError) as refused:
        member.subjects.set_pin("M-17", "020185", "desk-1")
    assert refused.value.code is RefusalCode.PIN_BIRTH_DATE
    member.subjects.register("M-18", "No Birthday Given", None, "desk-1")
    member.subjects.set_pin("M-18", "17051990", "desk-1")
    assert _pin_set_events(member) == 2


def test_r5_a_pin_set_before_the_rules_keeps_working(member: Station) -> None:
    """No forced reset: a 4-digit PIN stored by an earlier version still verifies."""
    subject = member.subjects.find(MEMBER)
    assert subject is not None
    with member.store.transaction():
        member.repos.subjects.set_pin_hash(
            subject.id, member.subjects.pins.hash("2468"), member.clock.now()
        )
    assert member.verification.pin(MEMBER, "2468", "desk-1").status is VerifyStatus.ACCEPTED


pins = st.one_of(
    st.text(alphabet=DIGITS, max_size=MAX_PIN_DIGITS + 2),
    st.text(max_size=MAX_PIN_DIGITS + 2),  # anything typed, letters and other digits included
    st.builds(lambda digit, size: digit * size, st.sampled_from(DIGITS), st.integers(1, 14)),
    st.builds(
        lambda start, size, ascending: (IN_A_ROW if ascending else IN_A_ROW[::-1])[
            start : start + size
        ],
        st.integers(0, 9),
        st.integers(1, 14),
        st.booleans(),
    ),
    st.sampled_from(BIRTH_FORMS),
)


@hypothesis_settings(
    share_of_examples(1),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(pin=pins)
@example(pin="135792")
@example(pin="٤٨٢٩١٣")  # digits, but not the ten a keypad has
def test_r5_property_every_pin_set_pin_accepts_is_long_enough_and_not_trivial(
    member: Station, pin: str
) -> None:
    """Every PIN accepted has MIN_PIN_DIGITS to MAX_PIN_DIGITS keypad digits and is not one digit
    repeated, a run either way or the date of birth; and every such PIN is accepted."""
    try:
        member.subjects.set_pin(MEMBER, pin, "desk-1")
        accepted = True
    except ServiceError as refused:
        assert refused.code in {
            RefusalCode.PIN_FORMAT,
            RefusalCode.PIN_REPEATED,
            RefusalCode.PIN_SEQUENCE,
            RefusalCode.PIN_BIRTH_DATE,
        }
        accepted = False
    keypad = MIN_PIN_DIGITS <= len(pin) <= MAX_PIN_DIGITS and all(c in DIGITS for c in pin)
    assert accepted == (keypad and not _trivial(pin))
