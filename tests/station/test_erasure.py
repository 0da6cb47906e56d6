"""Issue 15 (R4, R12, R14, R17, R19): a member erased at the end of service leaves no identifying
byte in the decrypted store, the audit chain and its keyed links still verify, the counts the
rules keep still count, and members with no visit are listed, never erased, by the setting.

Real SQLCipher stores, the real models on real faces; the clock is the only fake."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from station.capture import FrameSource
from station.domain import (
    SYSTEM_OPERATOR,
    AuditKind,
    EnrollStatus,
    Guardian,
    RefusalCode,
    Role,
    ServiceError,
    VerifyStatus,
)
from station.services import Station
from station.services.backup import restore_backup
from station.settings import Settings
from station.storage import Store
from tests.basics import FAST_KDF, fast_settings
from tests.conftest import ADMIN, STORE_SECRET, FrozenClock, run_cli
from tests.pagescan import decrypt_journal, decrypt_pages, store_key
from tests.station.test_guards import ANGELINA_ENROLL, PARTNER
from tests.station.test_incidents import DETAILS

PhotoCamera = Callable[..., Callable[[], FrameSource]]  # the photo_camera fixture
OPERATOR = "desk-1"
DESK_PASSWORD = "desk password 1"
# Distinctive values, so finding one in a decrypted page cannot be chance.
MEMBER = "M-ERASE-7731"
NAME = "Quintessa Zhuravleva-Okonkwo"
CARD = "C-99812-XQ"
BIRTH = date(2013, 3, 29)  # a minor, so a guardian's name is kept too (R7)
GUARDIAN = "Bartholomew Okonkwo-Lindqvist"
PIN = "482916"
LISTING = "Members with no visit listed for erasure after (months)"
STAYER = ("M-STAY-1", "Staying Member")


def _settings(inactive_months: int = 0) -> Settings:
    base = fast_settings()
    policy = replace(
        base.policy,
        minors_policy="guardian",
        face_export_enabled=True,
        inactive_months=inactive_months,
    )
    return replace(base, policy=policy)


class Site:
    """A store made with its recovery key (to check the keyed links), signed in as ADMIN."""

    def __init__(self, path: Path, clock: FrozenClock, settings: Settings) -> None:
        store, self.recovery_key = Store.create(path, ADMIN, STORE_SECRET, FAST_KDF)
        self.path, self.clock, self.settings = path, clock, settings
        self.station = Station(store, ADMIN, settings, clock)

    def sign_in(self, name: str, password: str, settings: Settings | None = None) -> Station:
        store = Store.open(self.path, name, password)
        return Station(store, name, settings or self.settings, self.clock)

    def pages(self) -> bytes:
        key = store_key(self.path, STORE_SECRET)
        plain = decrypt_pages(self.path, key).plaintext
        journal = self.path.with_name(self.path.name + "-journal")
        if journal.exists():
            plain += decrypt_journal(journal, key, self.path.read_bytes()[:16]).plaintext
        return plain


@pytest.fixture
def site(store_path: Path, frozen_clock: FrozenClock) -> Iterator[Site]:
    made = Site(store_path, frozen_clock, _settings())
    yield made
    made.station.close()


def _identifying(template: bytes) -> dict[str, bytes]:
    """Every form in which the leaver could be found in a page."""
    return {
        "member number": MEMBER.encode(),
        "name": NAME.encode(),
        "card number": CARD.encode(),
        "date of birth": BIRTH.isoformat().encode(),
        "guardian's name": GUARDIAN.encode(),
        "face template": template,
    }


def _register_everything(site: Site, photo_camera: PhotoCamera) -> bytes:
    """The leaver with every kind of record the station keeps about a person; their template."""
    station = site.station
    station.subjects.register(MEMBER, NAME, BIRTH, OPERATOR, CARD)
    station.subjects.register(*STAYER, date(1980, 1, 1), OPERATOR)
    notice = station.notices.current("en")
    guardian = Guardian(GUARDIAN, "father")
    station.consents.record(MEMBER, True, notice, OPERATOR, guardian=guardian)
    station.consents.record(STAYER[0], False, notice, OPERATOR)
    station.subjects.set_pin(MEMBER, PIN, OPERATOR)
    outcome = station.enrollment.enroll(MEMBER, photo_camera(*ANGELINA_ENROLL[:3]), OPERATOR)
    assert outcome.status is EnrollStatus.ENROLLED, outcome.message
    template = station.repos.templates.for_subject(outcome.subject_id or "")
    assert template is not None
    station.transfers.record_consent(MEMBER, PARTNER, ADMIN)
    assert station.verification.pin(MEMBER, PIN, OPERATOR).status is VerifyStatus.ACCEPTED
    station.incidents.record(DETAILS, ADMIN, [MEMBER, STAYER[0]])
    return np.asarray(template.vector, "<f4").tobytes()


def test_r14_an_erased_member_leaves_no_identifying_byte_in_the_decrypted_store(
    site: Site, photo_camera: PhotoCamera
) -> None:
    template = _register_everything(site, photo_camera)
    station = site.station
    subject = station.subjects.find(MEMBER)
    assert subject is not None
    events_before = len(station.repos.audit.events(subject.id))
    # The scan sees every form while the person is kept, so "absent" below means something.
    before = site.pages()
    assert [what for what, data in _identifying(template).items() if data not in before] == []

    receipt = station.erasure.erase(MEMBER, ADMIN)

    after = site.pages()
    assert [what for what, data in _identifying(template).items() if data in after] == []
    # Nothing in SQL either, and the person can no longer be found or verified.
    assert station.subjects.find(MEMBER) is None
    assert station.subjects.find_by_card(CARD) is None
    assert station.subjects.search("Zhuravleva") == []
    assert station.verification.pin(MEMBER, PIN, OPERATOR).status is VerifyStatus.UNKNOWN_SUBJECT
    # The trail keeps its events under the random id, which nothing in the store ties to anyone.
    events = station.repos.audit.events(subject.id)
    assert len(events) == events_before + 1 and events[-1].kind == AuditKind.MEMBER_ERASED
    assert station.repos.subjects.by_id(subject.id) is None
    for table in ("subjects", "consents", "transfer_consents", "pins", "attempts"):
        column = "id" if table == "subjects" else "subject_id"
        rows = station.store.execute(
            f"SELECT count(*) FROM {table} WHERE {column} = ?", (subject.id,)
        ).fetchone()[0]
        assert rows == 0, table
    assert station.repos.templates.count() == 0
    # The other member is untouched.
    assert station.subjects.find(STAYER[0]) is not None
    # The receipt says what went, from the record as it was.
    assert (receipt.member_number, receipt.display_name, receipt.card_number) == (
        MEMBER,
        NAME,
        CARD,
    )
    assert (receipt.templates, receipt.consents, receipt.transfer_consents) == (1, 1, 1)
    assert receipt.had_pin and receipt.had_date_of_birth and receipt.incidents == 1
    assert receipt.reference == subject.id and receipt.erased_at == site.clock.now()
    assert receipt.audit_event.detail == {
        "templates_destroyed": 1,
        "consents": 1,
        "transfer_consents": 1,
        "incidents": 1,
        "pin": True,
        "confirmed_twice": False,
    }


def test_r14_control_without_secure_delete_the_erased_name_survives(
    site: Site, photo_camera: PhotoCamera
) -> None:
    """The scan above depends on secure_delete: off, the erased rows stay in the pages."""
    template = _register_everything(site, photo_camera)
    site.station.store.execute("PRAGMA secure_delete = OFF")
    site.station.erasure.erase(MEMBER, ADMIN)
    after = site.pages()
    assert NAME.encode() in after and template in after


def test_r12_r14_after_an_erasure_the_chain_and_its_keyed_links_verify(
    site: Site, photo_camera: PhotoCamera
) -> None:
    _register_everything(site, photo_camera)
    head = site.station.administration.audit_head()
    assert head is not None
    site.station.erasure.erase(MEMBER, ADMIN)
    result = site.station.administration.verify_audit(
        ADMIN, [(head, "code noted before")], site.recovery_key
    )
    assert result.ok, result.summary
    assert result.links is not None and result.links.checked == result.events_checked


def test_r17_r19_the_counts_the_rules_keep_still_count(
    site: Site, photo_camera: PhotoCamera
) -> None:
    _register_everything(site, photo_camera)
    station = site.station
    station.subjects.withdraw_face_consent(STAYER[0], OPERATOR)  # a withdrawal is counted apart
    before = station.reports.processing_record(ADMIN).counts
    incident_before = station.incidents.list_incidents()[0]
    assert (before.subjects, before.members_erased, before.people_with_face_data) == (2, 0, 1)
    assert (before.consents_accepted, before.consents_declined, before.consents_withdrawn) == (
        1,
        1,
        1,
    )

    station.erasure.erase(MEMBER, ADMIN)

    after = station.reports.processing_record(ADMIN).counts
    assert (after.subjects, after.members_erased, after.people_with_face_data) == (1, 1, 0)
    # R17: the answers given are history; erasing the person keeps them as counts.
    assert (after.consents_accepted, after.consents_declined, after.consents_withdrawn) == (
        before.consents_accepted,
        before.consents_declined,
        before.consents_withdrawn,
    )
    assert after.verifications == before.verifications and after.exports == before.exports
    # R19: the incident still affected two people; only one can still be named.
    incident = station.incidents.list_incidents()[0]
    assert (incident_before.people_affected, incident_before.people_erased) == (2, 0)
    assert (incident.people_affected, incident.people_erased) == (2, 1)
    assert [p.member_number for p in station.incidents.affected(incident.id)] == [STAYER[0]]
    record = station.reports.processing_record(ADMIN)
    assert record.item("Counts", "Members erased at the end of service").value == "1"
    assert record.item("Processing", LISTING).value == "never (the listing is off)"


def test_r14_an_operator_confirms_by_typing_the_number_again(
    site: Site, photo_camera: PhotoCamera
) -> None:
    _register_everything(site, photo_camera)
    site.station.accounts.add_operator(
        "Desk One", Role.OPERATOR, DESK_PASSWORD, ADMIN, STORE_SECRET
    )
    desk = site.sign_in("Desk One", DESK_PASSWORD)
    try:
        for typed in (None, "", "M-ERASE-7732", "not a number at all!"):
            with pytest.raises(ServiceError) as refused:
                desk.erasure.erase(MEMBER, "Desk One", typed)
            assert refused.value.code is RefusalCode.ERASURE_UNCONFIRMED
            assert desk.subjects.find(MEMBER) is not None  # nothing erased
        # Typed again as people type it (lower case, fullwidth dash): the same member (issue 16).
        receipt = desk.erasure.erase(MEMBER, "Desk One", " m－erase－7731 ")
        assert receipt.audit_event.detail["confirmed_twice"] is True
        assert desk.subjects.find(MEMBER) is None
    finally:
        desk.close()


def test_r12_an_auditor_can_neither_erase_nor_list(site: Site) -> None:
    site.station.subjects.register(*STAYER, None, OPERATOR)
    site.station.accounts.add_operator("Audit", Role.AUDITOR, DESK_PASSWORD, ADMIN, STORE_SECRET)
    auditor = site.sign_in("Audit", DESK_PASSWORD)
    try:
        for attempt in (
            lambda: auditor.erasure.erase(STAYER[0], "Audit", STAYER[0]),
            auditor.erasure.inactive,
        ):
            with pytest.raises(ServiceError) as refused:
                attempt()
            assert refused.value.code is RefusalCode.NOT_ALLOWED
        assert auditor.repos.subjects.count() == 1
    finally:
        auditor.close()


def test_r14_members_with_no_visit_are_listed_only_when_the_site_asks(
    site: Site, frozen_clock: FrozenClock
) -> None:
    station = site.station
    for member in ("M-GONE", "M-BACK", "M-EXPIRED"):
        station.subjects.register(member, f"Member {member}", date(1980, 1, 1), OPERATOR)
        station.subjects.set_pin(member, PIN, OPERATOR)
    frozen_clock.advance(timedelta(days=200))
    station.verification.pin("M-BACK", PIN, OPERATOR)  # a visit
    frozen_clock.advance(timedelta(days=10))
    station.subjects.register("M-LATE", "Member M-LATE", date(1980, 1, 1), OPERATOR)
    # The station's own work is no visit: a template expiring names the member as "system".
    station.repos.audit.append(
        AuditKind.TEMPLATE_EXPIRED, SYSTEM_OPERATOR, frozen_clock.now(), _id(station, "M-EXPIRED")
    )
    frozen_clock.advance(timedelta(days=1))
    assert station.erasure.inactive() == []  # off by default: nothing listed
    station.close()

    # 6 months is 183 days: M-GONE and M-EXPIRED (211 days; the expiry is no visit) are listed,
    # the longest absent first, then by number; M-BACK (a verification 11 days ago) and M-LATE
    # (registered a day ago) are not.
    site.station = station = site.sign_in(ADMIN, STORE_SECRET, _settings(inactive_months=6))
    listed = station.erasure.inactive()
    assert [m.member_number for m in listed] == ["M-EXPIRED", "M-GONE"]
    assert {m.last_visit for m in listed} == {frozen_clock.now() - timedelta(days=211)}
    assert station.repos.subjects.count() == 4  # listing erases nothing
    record = station.reports.processing_record(ADMIN)  # R17: the record names the setting
    assert record.item("Processing", LISTING).value == "6"
    station.erasure.erase("M-GONE", ADMIN)
    assert [m.member_number for m in station.erasure.inactive()] == ["M-EXPIRED"]
    kinds = [e.kind for e in station.repos.audit.events()]
    assert kinds.count(AuditKind.MEMBER_ERASED) == 1


def _id(station: Station, member: str) -> str:
    subject = station.subjects.find(member)
    assert subject is not None
    return subject.id


def test_r14_the_command_line_erases_and_prints_the_receipt(
    cli_site: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli([*cli_site, "init"]) == 0
    assert (
        run_cli(
            [*cli_site, "add-subject", "--member", "M-9", "--name", "Cli Leaver", "--card", "C-9"]
        )
        == 0
    )
    capsys.readouterr()
    receipt = tmp_path / "receipt.txt"
    assert run_cli([*cli_site, "erase-member", "--member", "M-9", "--receipt", str(receipt)]) == 0
    printed = capsys.readouterr().out
    for text in ("Cli Leaver", "M-9", "C-9", "Erased", "Reference"):
        assert text in printed
    assert receipt.read_text(encoding="utf-8") in printed
    assert receipt.stat().st_mode & 0o077 == 0  # the receipt names the person: private
    assert run_cli([*cli_site, "erase-member", "--member", "M-9"]) == 1  # gone: refused
    assert "No member M-9." in capsys.readouterr().err


def test_r14_a_restore_over_the_store_keeps_its_erasures(
    site: Site, photo_camera: PhotoCamera, tmp_path: Path
) -> None:
    """A backup made before an erasure still holds the member; restoring it over the store that
    erased them erases them again, in the restore's own transaction, with the chain intact."""
    template = _register_everything(site, photo_camera)
    station = site.station
    backup = station.backups.back_up(tmp_path / "before.backup", ADMIN, STORE_SECRET).path
    station.erasure.erase(MEMBER, ADMIN)
    station.close()

    report = restore_backup(
        backup, site.path, replace=True, name=ADMIN, password=STORE_SECRET, clock=site.clock
    )

    assert report.erased_again == 1 and "1 member(s) erased" in report.message
    after = site.pages()
    assert [what for what, data in _identifying(template).items() if data in after] == []
    site.station = station = site.sign_in(ADMIN, STORE_SECRET)
    assert station.subjects.find(MEMBER) is None and station.subjects.find(STAYER[0]) is not None
    kinds = [e.kind for e in station.repos.audit.events()]
    assert kinds[-2:] == [AuditKind.STORE_RESTORED, AuditKind.MEMBER_ERASED]
    assert station.reports.processing_record(ADMIN).counts.members_erased == 1
    result = station.administration.verify_audit(ADMIN, (), site.recovery_key)
    assert result.ok, result.summary


def test_r14_a_restore_that_cannot_read_the_replaced_store_says_erasures_may_be_back(
    site: Site, photo_camera: PhotoCamera, tmp_path: Path
) -> None:
    _register_everything(site, photo_camera)
    station = site.station
    backup = station.backups.back_up(tmp_path / "before.backup", ADMIN, STORE_SECRET).path
    station.erasure.erase(MEMBER, ADMIN)
    station.accounts.change_own_password(ADMIN, STORE_SECRET, "a password only today knows")
    station.close()

    report = restore_backup(
        backup, site.path, replace=True, name=ADMIN, password=STORE_SECRET, clock=site.clock
    )

    assert report.erased_again is None and "erase them again" in report.message
    site.station = station = site.sign_in(ADMIN, STORE_SECRET)
    assert station.subjects.find(MEMBER) is not None  # back, and the report said so
