"""Issue 16: the non-face path is defended like the face path. Wrong PINs (with a member number or
a card number) are limited per member with the same rule as face attempts (R24's rule, the PIN's
own limits, R5), through the real services on a real store with an injected clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Literal

import pytest
from argon2 import PasswordHasher

from station.biometrics.pipeline import BiometricModels
from station.domain import (
    AttemptFactor,
    AttemptState,
    AttemptVerdict,
    NotAllowedError,
    Role,
    VerificationOutcome,
    VerifyMethod,
    VerifyStatus,
)
from station.policy.attempts import PIN, after_outcome, check_attempt
from station.services import Station
from station.settings import Settings
from tests.conftest import ADMIN, ADULT_BIRTH, STORE_SECRET, FrozenClock, open_store

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
MEMBER, CARD = "M-16", "CARD-1616"
RIGHT, WRONG = "482913", "482914"  # never in an audit event
FREE = PIN.free_failures


# the pure rule
def test_r5_pin_limits_3_free_then_30_s_doubling_to_an_hour_then_off_at_100() -> None:
    state = AttemptState()
    waits = []
    for failure in range(1, 13):
        state = after_outcome(state, VerifyStatus.REJECTED, NOW, PIN)
        assert state.consecutive_failures == failure
        waits.append(check_attempt(state, NOW, PIN).wait_seconds)
    assert waits == [0, 0, 30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]
    waiting = check_attempt(AttemptState(4, NOW), NOW + timedelta(seconds=59.5), PIN)
    assert waiting.verdict is AttemptVerdict.WAIT and waiting.wait_seconds == 1
    assert check_attempt(AttemptState(4, NOW), NOW + timedelta(seconds=60), PIN).allowed

    ninety_nine = after_outcome(AttemptState(98, NOW), VerifyStatus.REJECTED, NOW, PIN)
    assert ninety_nine.disabled_at is None
    assert check_attempt(ninety_nine, NOW + timedelta(hours=1), PIN).allowed
    hundred = after_outcome(ninety_nine, VerifyStatus.REJECTED, NOW, PIN)
    assert hundred.disabled_at == NOW
    assert check_attempt(hundred, NOW + timedelta(days=365), PIN).verdict is AttemptVerdict.DISABLED
    assert after_outcome(AttemptState(7, NOW), VerifyStatus.ACCEPTED, NOW, PIN) == AttemptState()


# through the services
class CountingHasher(PasswordHasher):
    """The real Argon2id check, counted: proves a refusal came before the PIN hash was checked."""

    checks = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        CountingHasher.checks += 1
        return super().verify(hash, password)


@pytest.fixture
def member(station: Station, monkeypatch: pytest.MonkeyPatch) -> Station:
    station.subjects.register(MEMBER, "Li Na", ADULT_BIRTH, "desk-1", card_number=CARD)
    station.subjects.set_pin(MEMBER, RIGHT, "desk-1")
    monkeypatch.setattr(CountingHasher, "checks", 0)
    monkeypatch.setattr(station.subjects, "pins", CountingHasher())
    return station


def _pin(station: Station, pin: str, claim: str = MEMBER) -> VerificationOutcome:
    return station.verification.pin(claim, pin, "desk-1")


def _wrong(station: Station, times: int, claim: str = MEMBER) -> None:
    for _ in range(times):
        assert _pin(station, WRONG, claim).status is VerifyStatus.REJECTED


def _refused(outcome: VerificationOutcome, status: VerifyStatus, wait: int, failures: int) -> None:
    assert outcome.status is status, outcome.message
    assert outcome.method is VerifyMethod.PIN and outcome.subject is None
    assert outcome.wait_seconds == wait
    event = outcome.audit_event
    assert event is not None and event.kind == "verify_pin"
    assert event.detail == {
        "status": status.value,
        "wait_seconds": wait,
        "consecutive_failures": failures,
    }


def _state(station: Station) -> AttemptState:
    subject = station.subjects.find(MEMBER)
    assert subject is not None
    return station.repos.attempts.get(subject.id, AttemptFactor.PIN)


def test_r5_after_three_wrong_pins_even_the_right_one_waits_and_is_not_checked(
    member: Station, frozen_clock: FrozenClock
) -> None:
    """The adversarial run of issue 16: wrong PINs in a row, then the right one. Past the free
    failures the right PIN is refused, its hash unchecked, until the wait is over."""
    _wrong(member, FREE)
    checked = CountingHasher.checks
    refused = _pin(member, RIGHT)
    _refused(refused, VerifyStatus.TOO_SOON, 30, FREE)
    assert "wait 30 s" in refused.message and "ID document" in refused.message
    frozen_clock.advance(timedelta(seconds=29))
    _refused(_pin(member, RIGHT), VerifyStatus.TOO_SOON, 1, FREE)
    assert CountingHasher.checks == checked  # refused before the hash was read
    assert _state(member).consecutive_failures == FREE  # a refusal is not a failure

    frozen_clock.advance(timedelta(seconds=1))
    _wrong(member, 1)  # the fourth failure: the next wait is twice as long
    _refused(_pin(member, RIGHT), VerifyStatus.TOO_SOON, 60, FREE + 1)
    frozen_clock.advance(timedelta(seconds=60))
    accepted = _pin(member, RIGHT)
    assert accepted.status is VerifyStatus.ACCEPTED, accepted.message
    assert _state(member) == AttemptState()  # a success resets the count
    _wrong(member, FREE)  # three free failures again
    events = member.repos.audit.events()
    assert all(RIGHT not in str(e.detail) and WRONG not in str(e.detail) for e in events)


def test_r5_a_hundred_wrong_pins_switch_pin_off_until_an_administrator_re_enables_it(
    member: Station,
    frozen_clock: FrozenClock,
    settings: Settings,
    models: BiometricModels,
) -> None:
    """The 99 failures before the last are stored directly: 99 real Argon2id checks would cost
    half a minute, and the pure rule above already counts them one by one."""
    subject = member.subjects.find(MEMBER)
    assert subject is not None
    with member.store.transaction():
        member.repos.attempts.set(
            subject.id, AttemptFactor.PIN, AttemptState(PIN.disable_after - 1, frozen_clock.now())
        )
    frozen_clock.advance(PIN.longest_wait)
    _wrong(member, 1, CARD)
    disabled = [e for e in member.repos.audit.events() if e.kind == "pin_disabled"]
    assert [e.detail for e in disabled] == [{"consecutive_failures": PIN.disable_after}]

    frozen_clock.advance(timedelta(days=30))  # no wait ends it
    station = _reopen(member, settings, frozen_clock, models)  # nor a restart
    try:
        station.subjects.pins = CountingHasher()
        checked = CountingHasher.checks
        refused = _pin(station, RIGHT)
        _refused(refused, VerifyStatus.PIN_DISABLED, 0, PIN.disable_after)
        assert "administrator" in refused.message and "ID document" in refused.message
        assert CountingHasher.checks == checked
        assert station.verification.document(MEMBER, "passport", "desk-1").status is (
            VerifyStatus.ACCEPTED  # R5: the document check stays
        )

        desk = _signed_in_as_operator(station)
        with pytest.raises(NotAllowedError):
            desk.attempts.reenable(MEMBER, [AttemptFactor.PIN], "Desk")
        assert station.attempts.states(MEMBER)[AttemptFactor.PIN].verdict is (
            AttemptVerdict.DISABLED
        )
        (event,) = station.attempts.reenable(MEMBER, [AttemptFactor.PIN], "admin-1")
        assert event.kind == "pin_reenabled" and event.operator == "admin-1"
        assert event.detail == {"consecutive_failures": PIN.disable_after, "was_disabled": True}
        assert station.repos.audit.events()[-1] == event
        assert _pin(station, RIGHT).status is VerifyStatus.ACCEPTED
    finally:
        station.close()


def test_r5_the_pin_count_survives_closing_and_reopening_the_store(
    member: Station, frozen_clock: FrozenClock, settings: Settings, models: BiometricModels
) -> None:
    _wrong(member, FREE)
    frozen_clock.advance(timedelta(seconds=10))
    station = _reopen(member, settings, frozen_clock, models)
    try:
        assert _state(station) == AttemptState(FREE, frozen_clock.now() - timedelta(seconds=10))
        _refused(_pin(station, RIGHT), VerifyStatus.TOO_SOON, 20, FREE)
    finally:
        station.close()


def test_r5_card_and_pin_counts_against_the_same_member_as_the_member_number(
    member: Station,
) -> None:
    """Switching between the card number and the member number gives no fresh allowance."""
    _wrong(member, 1, CARD)
    _wrong(member, 1, MEMBER)
    _wrong(member, 1, CARD)
    assert _state(member).consecutive_failures == FREE
    _refused(_pin(member, RIGHT, CARD), VerifyStatus.TOO_SOON, 30, FREE)
    _refused(_pin(member, RIGHT, MEMBER), VerifyStatus.TOO_SOON, 30, FREE)


def test_r5_an_unknown_member_or_card_is_audited_and_counts_against_nobody(
    member: Station,
) -> None:
    """Guessing at numbers that belong to nobody says only what it said before ("No member"),
    is audited each time, and neither creates a count nor touches a real member's."""
    for claim in ("CARD-404", "M-404", "CARD-404", "M-404"):
        outcome = _pin(member, WRONG, claim)
        assert outcome.status is VerifyStatus.UNKNOWN_SUBJECT
        assert outcome.message == f"No member {claim}."
        event = outcome.audit_event
        assert event is not None and event.subject_id is None
        assert event.detail == {"status": "unknown_subject"}
    assert CountingHasher.checks == 0
    assert member.store.execute("SELECT count(*) FROM attempts").fetchone()[0] == 0
    assert _state(member) == AttemptState()


def test_r5_the_pin_count_is_written_with_the_verify_pin_event_or_not_at_all(
    member: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    events_before = len(member.repos.audit.events())

    def store_full(subject_id: str, factor: AttemptFactor, state: AttemptState) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(member.repos.attempts, "set", store_full)
    with pytest.raises(OSError, match="disk full"):
        _pin(member, WRONG)
    assert len(member.repos.audit.events()) == events_before  # the verify event rolled back


def _signed_in_as_operator(station: Station) -> Station:
    station.accounts.add_operator("Desk", Role.OPERATOR, "desk password 1", ADMIN, STORE_SECRET)
    return Station(station.store, "Desk", station.settings, station.clock)


def _reopen(
    station: Station, settings: Settings, clock: FrozenClock, models: BiometricModels
) -> Station:
    path = station.store.path
    station.close()
    return Station(open_store(path), ADMIN, settings, clock, lambda: models)
