"""Whether the station may use a person's face today: consent to the current notice (R1, R3), or to
the older one that still describes their older template word for word (R3, R15); no nagging after a
decline (R6), and the minors rule (R7). Pure: the caller passes the records and now.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from station.domain import ConsentRecord, FaceDecision, FaceEligibility, Subject
from station.policy.notice import PublishedNotice, sha256_text
from station.settings import PolicySettings


def age_on(date_of_birth: date, day: date) -> int:
    """Whole years completed on `day` (someone born on 29 February turns a year older on 1 March)."""
    years = day.year - date_of_birth.year
    return years - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def is_current(consent: ConsentRecord, notice: PublishedNotice) -> bool:
    """Accepted, and to the exact text of the version in force (in either language)."""
    return (
        consent.accepted
        and consent.notice_version == notice.label
        and consent.notice_sha256 in {sha256_text(text) for text in notice.texts.values()}
    )


def consent_counts(
    consent: ConsentRecord, notice: PublishedNotice, template_notice: PublishedNotice | None
) -> bool:
    """Accepted, to the version in force or to `template_notice`: an older version that still
    describes the person's stored template (still_describes); None when that does not count."""
    return is_current(consent, notice) or (
        template_notice is not None and is_current(consent, template_notice)
    )


def still_describes(
    published: Sequence[PublishedNotice], renderings: Sequence[dict[str, str]]
) -> bool:
    """Whether the first of `published` still says word for word what is kept of a person whose
    template is of an older model set (R3, R15).

    `published`: the version they agreed to and every version after it, oldest first;
    `renderings`: the notice the live settings render for their template's model set and for each
    newer model set, oldest first. It does when that version is the first rendering, and every later
    version only the notice for a model set newer than the one before: nothing but the template size
    of new enrollments changed since. Any other change (a setting, a wording), or publishing the
    same words again to ask everyone again, breaks the chain (R3).
    """
    # Model sets whose notices read alike never published a version of their own.
    distinct: list[dict[str, str]] = []
    for texts in renderings:
        if texts not in distinct:
            distinct.append(texts)
    if not published or published[0].texts != distinct[0]:
        return False
    position = 0
    for notice in published[1:]:
        later = distinct[position + 1 :]
        if notice.texts not in later:
            return False
        position += 1 + later.index(notice.texts)
    return True


def face_decision(
    subject: Subject,
    latest: ConsentRecord | None,
    notice: PublishedNotice,
    policy: PolicySettings,
    now: datetime,
    template_notice: PublishedNotice | None = None,
) -> FaceDecision:
    """`notice`: the version in force; `template_notice`: an older version whose consent also
    covers using the person's stored template (consent_counts); None when asking about a new one."""
    if subject.date_of_birth is None:
        return FaceDecision(
            FaceEligibility.NEEDS_DATE_OF_BIRTH,
            "A date of birth is needed before face enrollment (the rules for minors depend on it).",
        )
    age = age_on(subject.date_of_birth, now.date())  # on the day of capture (R7)
    minor = age < policy.minor_age
    if minor and policy.minors_policy == "block":
        return FaceDecision(
            FaceEligibility.MINOR_BLOCKED,
            f"Under {policy.minor_age}: this site does not enroll faces of minors. "
            "Use a PIN or an ID document instead.",
            age,
        )
    if latest is not None and not latest.accepted:
        quiet_until = latest.recorded_at + timedelta(hours=policy.decline_quiet_hours)
        if now < quiet_until:
            return FaceDecision(
                FaceEligibility.DECLINED_RECENTLY,
                f"Face use was declined on {latest.recorded_at:%Y-%m-%d %H:%M}. Do not ask again "
                f"before {quiet_until:%Y-%m-%d %H:%M}; start only if the person asks.",
                age,
                quiet_until,
            )
    if latest is not None and consent_counts(latest, notice, template_notice):
        if minor and not latest.guardian_name:
            return _guardian_needed(age, policy)
        return FaceDecision(FaceEligibility.CONSENTED, "Face consent is current.", age)
    if minor:
        return _guardian_needed(age, policy)
    if latest is not None and latest.accepted:
        return FaceDecision(
            FaceEligibility.RENEW,
            f"The notice has changed (now version {notice.label}) since this person agreed: "
            "show the new notice and ask again, or verify another way.",
            age,
        )
    return FaceDecision(FaceEligibility.ASK, "No face consent yet: show the notice and ask.", age)


def _guardian_needed(age: int, policy: PolicySettings) -> FaceDecision:
    return FaceDecision(
        FaceEligibility.NEEDS_GUARDIAN,
        f"Under {policy.minor_age}: a parent or guardian must read the notice and consent; "
        "record their name and relation.",
        age,
    )
