"""The contract between the core and the window (issue 9): every outcome, audit kind, refusal and
store problem the core can report has a sentence in English and in 简体中文, with every name and
number it carries filled in. A new member of any of these enums without a text fails here."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from PySide6.QtCore import QCoreApplication

import station.services.opening
import station.storage.backup_file
import station.storage.errors
from station.domain import (
    AnchorVerdict,
    AuditKind,
    AuditProblemKind,
    EnrollmentOutcome,
    EnrollStatus,
    FaceDecision,
    FaceEligibility,
    QualityIssue,
    RefusalCode,
    ServiceError,
    StoreError,
    StoreProblem,
    Subject,
    VerificationOutcome,
    VerifyMethod,
    VerifyStatus,
)
from station.domain.errors import REFUSAL_DETAILS
from station.domain.progress import ProgressStep
from station.domain.reports import FilingLevel, FilingStatus
from station.domain.text import TextField
from station.domain.transfer import TransferProblem
from station.services import SignInThrottledError
from station.services.transfer import TransferRefused
from ui.i18n import install_language
from ui.views.texts import (
    anchor_verdict_text,
    audit_problem_text,
    enroll_result,
    error_text,
    event_label,
    face_decision_text,
    filing_text,
    quality_hint,
    refusal_text,
    store_problem_text,
    text_field_label,
    transfer_problem_text,
    verify_result,
)
from ui.views.work_progress import step_text

CJK = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"\{\w*\}")
NOW = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
LI_NA = Subject("s1", "M-1", "Li Na", None, NOW)


# Where the core defines its store errors: imported, so every subclass is known here.
ERROR_MODULES = (station.storage.errors, station.storage.backup_file, station.services.opening)


def _store_errors() -> Iterator[type[StoreError]]:
    assert ERROR_MODULES
    pending = list(StoreError.__subclasses__())
    while pending:
        error = pending.pop()
        pending += error.__subclasses__()
        yield error


def _refusal(code: RefusalCode) -> ServiceError:
    return ServiceError(
        code, "English", **{name: f"<{name}>" for name in REFUSAL_DETAILS.get(code, ())}
    )


def _store_error(problem: StoreProblem) -> StoreError:
    for error in _store_errors():
        if error.problem is problem and error is not SignInThrottledError:
            return error("English")
    return SignInThrottledError("English", 30)


def _refused(code: RefusalCode) -> str:
    return refusal_text(_refusal(code))


def _store_problem(problem: StoreProblem) -> str:
    return store_problem_text(_store_error(problem))


def _label(kind: AuditKind) -> str:
    return event_label(kind.value)


def _texts() -> dict[str, Callable[[], str]]:
    """Every sentence the window can show for what the core reports, by a readable key."""
    texts: dict[str, Callable[[], str]] = {}
    for issue in QualityIssue:
        texts[f"hint {issue}"] = partial(quality_hint, issue)
    for enroll_status in EnrollStatus:
        outcome = EnrollmentOutcome(enroll_status, "", expires_at=NOW, good_frames=1)
        texts[f"enroll {enroll_status}"] = partial(enroll_result, outcome, "M-1", 3)
    for status in VerifyStatus:
        for method in VerifyMethod:
            verdict = VerificationOutcome(status, method, "", LI_NA, wait_seconds=30)
            texts[f"verify {status} {method}"] = partial(verify_result, verdict, "M-1")
    for eligibility in FaceEligibility:
        decision = FaceDecision(eligibility, "", 12, NOW + timedelta(hours=48))
        texts[f"decision {eligibility}"] = partial(face_decision_text, decision)
    for level in FilingLevel:
        if level is not FilingLevel.OK:  # nothing is said while below the warning level
            filing = FilingStatus(95_000, 100_000, 90_000, level, "")
            texts[f"filing {level}"] = partial(filing_text, filing)
    for kind in AuditKind:
        texts[f"event {kind}"] = partial(_label, kind)
    for code in RefusalCode:
        texts[f"refusal {code}"] = partial(_refused, code)
    for problem in StoreProblem:
        texts[f"store {problem}"] = partial(_store_problem, problem)
    for problem_kind in AuditProblemKind:
        texts[f"audit {problem_kind}"] = partial(audit_problem_text, problem_kind, 7)
    for anchor_verdict in AnchorVerdict:
        texts[f"anchor {anchor_verdict}"] = partial(
            anchor_verdict_text, anchor_verdict, "7-0123", 7
        )
    for transfer in TransferProblem:
        texts[f"transfer {transfer}"] = partial(transfer_problem_text, transfer)
    for field in TextField:
        texts[f"field {field}"] = partial(text_field_label, field.value)
    for step in ProgressStep:
        texts[f"progress {step}"] = partial(step_text, step)
    return texts


def test_every_store_error_names_its_problem_and_every_problem_has_an_error() -> None:
    errors = list(_store_errors())
    assert len(errors) >= len(StoreProblem)
    missing = [error.__name__ for error in errors if not hasattr(error, "problem")]
    assert not missing, f"StoreError subclasses without a problem: {missing}"
    assert {error.problem for error in errors} == set(StoreProblem)


def test_every_refusal_names_exactly_the_details_it_declares() -> None:
    with pytest.raises(TypeError):
        ServiceError(RefusalCode.MEMBER_EXISTS, "English")  # its member number is missing
    assert set(REFUSAL_DETAILS) <= set(RefusalCode)


def test_every_report_of_the_core_has_a_text_in_both_languages(qapp: QCoreApplication) -> None:
    texts = _texts()
    english = {key: text() for key, text in texts.items()}
    try:
        install_language(qapp, "zh_CN")
        chinese = {key: text() for key, text in texts.items()}
    finally:
        install_language(qapp, "en")
    problems = []
    for key, text in english.items():
        if not text.strip() or PLACEHOLDER.search(text):
            problems.append(f"{key}: English {text!r}")
        if not CJK.search(chinese[key]) or chinese[key] == text or PLACEHOLDER.search(chinese[key]):
            problems.append(f"{key}: Chinese {chinese[key]!r}")
    assert not problems, "\n".join(problems)


def test_the_texts_carry_the_names_and_numbers_the_core_gives(qapp: QCoreApplication) -> None:
    refused = ServiceError(RefusalCode.MEMBER_EXISTS, "English", member="M-1234")
    throttled = SignInThrottledError("English", 45)
    try:
        install_language(qapp, "zh_CN")
        assert "M-1234" in refusal_text(refused)
        assert "45" in error_text(throttled)
    finally:
        install_language(qapp, "en")
    assert refusal_text(refused) == "Member number M-1234 is already registered."
    assert error_text(throttled) == "Too many wrong passwords: wait 45 s, then try again."
    both = TransferRefused([TransferProblem.MISSING_RECIPIENT, TransferProblem.BAD_COUNTRY])
    assert refusal_text(both) == " ".join(
        transfer_problem_text(p)
        for p in (TransferProblem.MISSING_RECIPIENT, TransferProblem.BAD_COUNTRY)
    )


def test_an_audit_kind_this_version_does_not_know_is_shown_as_stored() -> None:
    assert event_label("a_future_kind") == "a future kind"
    assert event_label(AuditKind.ACCESS_DENIED.value) != "access denied"


def test_r12_a_text_refusal_names_its_field_in_the_windows_words() -> None:
    """Issue 16: the operator is told which field to correct, in the window's language."""
    too_long = ServiceError(RefusalCode.TEXT_TOO_LONG, "English", field="name", limit=100)
    assert refusal_text(too_long) == "The name is too long: at most 100 characters."
    hidden = ServiceError(
        RefusalCode.TEXT_HIDDEN_CHARACTER, "English", field="card_number", character="U+202E"
    )
    assert refusal_text(hidden).startswith("The card number holds a control, invisible or")


def test_r12_names_and_numbers_a_text_repeats_are_shown_written_out() -> None:
    """Issue 16: a name or number repeated by a refusal or a decision (typed, or kept before the
    rules) cannot drive or disguise the label."""
    unknown = ServiceError(RefusalCode.NO_SUCH_MEMBER, "English", member="M-1\x1b[2J\u202e")
    assert refusal_text(unknown) == "No member with the number M-1\\x1b[2J\\u202e."
    hostile = Subject("s1", "M-1", "Evil\u202eeman", None, NOW)
    verdict = VerificationOutcome(VerifyStatus.ACCEPTED, VerifyMethod.PIN, "", hostile)
    assert verify_result(verdict, "M-1") == "Verified by PIN: Evil\\u202eeman (M-1)"
