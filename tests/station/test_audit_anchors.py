"""Issue 14 (R12): an audit trail an insider cannot quietly rewrite.

The insider here can do everything an operator's password and the key file allow: open the store,
rewrite any event, recompute every later hash and the head. The plain chain then verifies. What
must catch them: a head printed on something that left the station (a report, a notice, a backup,
an export, a code on paper), and the keyed links checked with the recovery key.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

import pytest

from station.biometrics.model_sets import CURRENT
from station.cli.common import RECOVERY_ENV
from station.domain import AnchorVerdict, AuditHead, AuditProblemKind
from station.domain.audit import AnchorCodeError, parse_head_code
from station.domain.incidents import IncidentDetails
from station.domain.transfer import TransferConsentRequest
from station.services import Station
from station.services.audit_anchors import anchors_from
from station.services.backup import restore_backup
from station.services.incidents import write_notices
from station.services.report_formats import to_csv, to_html, write_private_text
from station.storage import Repositories, Store, WrongKeyError
from station.storage.audit_chain import verify_audit_chain
from station.storage.audit_links import LINK_EPOCHS, LINK_STATE, advance, link_of, sealed_epoch
from tests.conftest import (
    ADMIN,
    ADULT_BIRTH,
    FAST_KDF,
    STORE_SECRET,
    FrozenClock,
    fast_settings,
    run_cli,
    store_template,
)
from tests.insider import rewrite, truncate
from tests.pagescan import decrypt_pages, store_key

SETTINGS = fast_settings()


@dataclass
class Desk:
    station: Station
    recovery_key: str
    path: Path

    @property
    def store(self) -> Store:
        return self.station.store

    def verify(self, *anchors: tuple[AuditHead, str], recovery_key: str | None = None) -> object:
        return self.station.administration.verify_audit(ADMIN, anchors, recovery_key)


@pytest.fixture
def desk(store_path: Path, frozen_clock: FrozenClock) -> Iterator[Desk]:
    store, recovery_key = Store.create(store_path, ADMIN, STORE_SECRET, FAST_KDF)
    station = Station(store, ADMIN, SETTINGS, frozen_clock)
    notice = station.notices.current("en")
    for number in range(1, 6):
        frozen_clock.advance(timedelta(minutes=1))
        member = f"M-{number}"
        station.subjects.register(member, f"Member {number}", ADULT_BIRTH, "desk-1")
        station.consents.record(member, True, notice, "desk-1")
    yield Desk(station, recovery_key, store_path)
    station.close()


def head_of(desk: Desk) -> AuditHead:
    head = desk.station.administration.audit_head()
    assert head is not None
    return head


# anchors
def test_head_codes_are_short_checked_and_name_a_typo_as_a_typo() -> None:
    head = AuditHead(1204, "3f9a27c10bd4e812" + "0" * 48)
    code = head.code
    assert code.startswith("1204-3F9A-27C1-0BD4-E812-") and len(code) == len("1204-") + 22
    assert parse_head_code(code) == AuditHead(1204, "3f9a27c10bd4e812")
    assert parse_head_code(code.lower().replace("-", " ")) == parse_head_code(code)
    assert parse_head_code(head.field) == head  # the full form files carry
    with pytest.raises(AnchorCodeError, match="mistyped"):
        parse_head_code(code.replace("3F9A", "3F9B"))
    with pytest.raises(AnchorCodeError, match="mistyped"):
        parse_head_code(code.replace("1204", "1205"))
    with pytest.raises(AnchorCodeError, match="looks like"):
        parse_head_code("yesterday's code")


def test_an_unchanged_trail_holds_every_anchor_it_ever_issued(
    desk: Desk, tmp_path: Path, frozen_clock: FrozenClock
) -> None:
    issued = issue_every_anchor(desk, tmp_path, frozen_clock)
    anchors = [anchor for path in issued for anchor in anchors_from(str(path))]
    anchors += anchors_from(head_of(desk).code)
    assert len(anchors) >= 6
    result = desk.station.administration.verify_audit(ADMIN, anchors, desk.recovery_key)
    assert result.ok, result.summary
    assert [check.verdict for check in result.anchors] == [AnchorVerdict.HELD] * len(anchors)
    assert result.links is not None and result.links.checked == result.events_checked
    assert "holds" in result.summary and str(len(anchors)) in result.summary


def issue_every_anchor(desk: Desk, tmp_path: Path, clock: FrozenClock) -> list[Path]:
    """A processing record (CSV and HTML), a backup, an export, incident notices: each carries
    the head it was made at."""
    station = desk.station
    record = station.reports.processing_record(ADMIN, ("csv", "html"))
    csv_path = write_private_text(tmp_path / "record.csv", to_csv(record))
    clock.advance(timedelta(minutes=1))
    station.subjects.register("M-9", "Member 9", ADULT_BIRTH, "desk-1")
    html_path = write_private_text(tmp_path / "record.html", to_html(record))
    backup = station.backups.back_up(tmp_path / "station.backup", ADMIN, STORE_SECRET).path
    clock.advance(timedelta(minutes=1))
    incident = station.incidents.record(
        IncidentDetails(
            kind="loss",
            discovered_at=clock.now(),
            description="a printed list went missing",
            data_affected="names",
            cause="left on the desk",
            likely_harm="low",
            remedies="list recalled",
            advice="none needed",
        ),
        ADMIN,
        ["M-1"],
    )
    notices = write_notices(
        station.incidents.notices(incident.id, "en", ADMIN), tmp_path / "notices"
    )
    export = export_one(desk, tmp_path)
    return [csv_path, html_path, backup, *notices, export]


def export_one(desk: Desk, tmp_path: Path) -> Path:
    station = desk.station
    station.settings = replace(
        station.settings, policy=replace(station.settings.policy, face_export_enabled=True)
    )
    subject = station.subjects.require("M-2")
    store_template(station.repos.templates, subject.id, CURRENT, station.clock.now())
    request = TransferConsentRequest(
        recipient="Head office",
        recipient_country="CN",
        purpose="one card for every branch",
        data_types=("face_template", "member_number"),
        likely_impact="none expected",
    )
    consent = station.transfers.record_consent("M-2", request, ADMIN)
    out = tmp_path / "export.fsx"
    outcome = station.transfers.export_face_data(
        "M-2", consent.recipient, out, "a passphrase told on the phone", ADMIN
    )
    return outcome.path


def test_a_rewritten_past_event_is_named_against_an_earlier_report_backup_and_code(
    desk: Desk, tmp_path: Path, frozen_clock: FrozenClock
) -> None:
    record = desk.station.reports.processing_record(ADMIN, ("html",))
    report = write_private_text(tmp_path / "record.html", to_html(record))
    backup = desk.station.backups.back_up(tmp_path / "b.backup", ADMIN, STORE_SECRET).path
    noted = head_of(desk).code
    frozen_clock.advance(timedelta(minutes=1))
    desk.station.subjects.register("M-7", "Member 7", ADULT_BIRTH, "desk-1")
    later = head_of(desk)
    # The insider hides who registered member 3: the plain chain still verifies.
    registered = [
        e for e in Repositories(desk.store).audit.events() if e.kind == "subject_registered"
    ]
    victim = registered[2].seq
    rewrite(desk.store, victim, detail={"note": "nothing to see"})
    assert verify_audit_chain(Repositories(desk.store).audit).ok

    for given in (str(report), str(backup), noted):
        result = desk.station.administration.verify_audit(ADMIN, anchors_from(given))
        assert not result.ok
        (check,) = result.anchors
        assert check.verdict is AnchorVerdict.REWRITTEN, given
        assert str(check.anchor.seq) in check.message and "rewritten" in result.summary
    # A later anchor that still holds would have proved the events before it; here none does,
    # so the rewrite is placed between the start and the oldest broken anchor.
    anchors = anchors_from(str(report)) + anchors_from(noted) + [(later, "later")]
    result = desk.station.administration.verify_audit(ADMIN, anchors)
    assert result.rewritten_between == (1, anchors[0][0].seq)
    # With the recovery key the keyed links name the very event.
    linked = desk.station.administration.verify_audit(ADMIN, (), desk.recovery_key)
    assert linked.problems[0].seq == victim
    assert linked.problems[0].kind is AuditProblemKind.FORGED


def test_truncating_the_newest_events_is_named_against_an_earlier_anchor(
    desk: Desk, tmp_path: Path
) -> None:
    record = desk.station.reports.processing_record(ADMIN, ("csv",))
    report = write_private_text(tmp_path / "record.csv", to_csv(record))
    anchored = head_of(desk)
    truncate(desk.store, anchored.seq - 3)
    assert verify_audit_chain(Repositories(desk.store).audit).ok  # the chain alone cannot tell
    linked = verify_audit_chain(Repositories(desk.store).audit, (), desk.recovery_key)
    assert [p.kind for p in linked.problems] == [AuditProblemKind.TRUNCATED]
    result = desk.station.administration.verify_audit(ADMIN, anchors_from(str(report)))
    (check,) = result.anchors
    assert check.verdict is AnchorVerdict.TRUNCATED and not result.ok
    assert f"events {anchored.seq - 2}–{anchored.seq}" in check.message
    # The next event (that verification's own) cannot be linked on from the key in force: its
    # links restart there, and the recovery key names that too.
    linked = verify_audit_chain(Repositories(desk.store).audit, (), desk.recovery_key)
    assert [p.seq for p in linked.problems] == [anchored.seq - 2]


def test_an_anchor_older_than_the_retention_prune_is_named_as_not_checkable(desk: Desk) -> None:
    old = head_of(desk)
    desk.store.execute("DELETE FROM audit_events WHERE seq <= ?", (old.seq,))
    desk.store.set_meta_value("audit_anchor", f"{old.seq + 1}:{old.hash}")
    just_before = desk.station.administration.verify_audit(ADMIN, [(old, "old")])
    assert just_before.anchors[0].verdict is AnchorVerdict.HELD  # the prune kept its hash
    older = AuditHead(old.seq - 1, "0" * 16)
    result = desk.station.administration.verify_audit(ADMIN, [(older, "older")])
    assert result.anchors[0].verdict is AnchorVerdict.PRUNED and result.ok
    assert "not checkable" in result.summary


# keyed links
def test_an_insider_with_the_key_in_force_cannot_relink_the_past(desk: Desk) -> None:
    audit = Repositories(desk.store).audit
    target = 4
    rewrite(desk.store, target, detail={"note": "hidden"})
    # Re-link everything from the target on, stepping from the only key the store holds.
    state = audit.link_state()
    assert state is not None
    key = state[1]
    for row in audit.rows():
        if row[0] >= target:
            desk.store.execute(
                "UPDATE audit_events SET link = ? WHERE seq = ?", (link_of(key, row[7]), row[0])
            )
            key = advance(key)
    result = verify_audit_chain(audit, (), desk.recovery_key)
    assert result.problems and result.problems[0].seq == target
    assert {p.kind for p in result.problems} == {AuditProblemKind.FORGED}
    assert "recovery key" in result.summary


def test_a_faked_restore_to_start_new_keys_is_named(desk: Desk) -> None:
    audit = Repositories(desk.store).audit
    target = 4
    rewrite(desk.store, target, detail={"note": "hidden"})
    epoch, key = sealed_epoch(audit.link_epochs()[0].recipient, target)
    desk.store.set_meta_value(
        LINK_EPOCHS, json.dumps([*json.loads(desk.store.meta(LINK_EPOCHS)), epoch.__dict__])
    )
    for row in audit.rows():
        if row[0] >= target:
            desk.store.execute(
                "UPDATE audit_events SET link = ? WHERE seq = ?", (link_of(key, row[7]), row[0])
            )
            key = advance(key)
    desk.store.set_meta_value(LINK_STATE, f"{audit.rows()[-1][0] + 1}:{key.hex()}")
    result = verify_audit_chain(audit, (), desk.recovery_key)
    assert [p.seq for p in result.problems] == [target]
    assert "without a restore" in result.problems[0].message


def test_a_wrong_recovery_key_is_refused_and_a_replaced_one_keeps_its_epoch(desk: Desk) -> None:
    with pytest.raises(WrongKeyError):
        desk.verify(recovery_key="AAAA-" * 12 + "AAAA")
    before = head_of(desk)
    new_key = desk.station.accounts.new_recovery_key(ADMIN, STORE_SECRET)
    desk.station.subjects.register("M-8", "Member 8", ADULT_BIRTH, "desk-1")
    with_new = desk.station.administration.verify_audit(ADMIN, (), new_key)
    with_old = desk.station.administration.verify_audit(ADMIN, (), desk.recovery_key)
    assert with_new.ok and with_old.ok
    assert with_old.links is not None and with_new.links is not None
    # The old key checks up to and including the replacement's own event; the new one after it.
    assert with_old.links.checked == before.seq + 1
    assert with_new.links.other_key == before.seq + 1
    assert with_new.links.checked == with_new.events_checked - before.seq - 1


def test_a_restore_seals_new_keys_and_no_backup_carries_the_key_in_force(
    desk: Desk, tmp_path: Path, frozen_clock: FrozenClock
) -> None:
    audit = Repositories(desk.store).audit
    made = desk.station.backups.back_up(tmp_path / "b.backup", ADMIN, STORE_SECRET)
    state = audit.link_state()
    assert state is not None
    desk.station.close()
    target = tmp_path / "restored" / "station.db"
    restore_backup(
        made.path, target, replace=False, name=ADMIN, password=STORE_SECRET, clock=frozen_clock
    )
    pages = decrypt_pages(target, store_key(target, STORE_SECRET))
    # The key the backup's next event would have been linked with is in no page of the copy.
    assert state[1].hex().encode() not in pages.plaintext
    restored = Store.open(target, ADMIN, STORE_SECRET)
    try:
        result = verify_audit_chain(Repositories(restored).audit, (), desk.recovery_key)
        assert result.ok, result.summary
        assert result.links is not None and result.links.restores == (result.last_seq,)
        assert result.links.checked == result.events_checked
    finally:
        restored.close()
    desk.station = Station(
        Store.open(desk.path, ADMIN, STORE_SECRET), ADMIN, SETTINGS, frozen_clock
    )


def test_audit_verify_against_from_the_command_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    cli_site: list[str],
) -> None:
    common = cli_site
    assert run_cli([*common, "init"]) == 0
    recovery_key = capsys.readouterr().out.split("shown only now):")[1].split()[0]
    for number in range(3):
        assert run_cli([*common, "add-subject", "--member", f"M-{number}", "--name", "A B"]) == 0
    report = tmp_path / "record.html"
    assert run_cli([*common, "report", "processing", "--html", str(report)]) == 0
    assert run_cli([*common, "audit", "head"]) == 0
    code = capsys.readouterr().out.splitlines()[-2]
    assert parse_head_code(code).seq > 3

    assert run_cli([*common, "audit", "verify", "--against", str(report), "--against", code]) == 0
    assert "holds 2 of 2 anchor(s)" in capsys.readouterr().out
    assert run_cli([*common, "audit", "verify", "--against", code[:-1] + "X"]) == 2
    assert "is not an audit head code" in capsys.readouterr().err

    store = Store.open(tmp_path / "home" / "station.db", ADMIN, STORE_SECRET)
    rewrite(store, 2, detail={"note": "rewritten"})
    store.close()
    assert run_cli([*common, "audit", "verify"]) == 0  # the chain alone is fooled
    assert run_cli([*common, "audit", "verify", "--against", str(report)]) == 3
    assert "rewritten" in capsys.readouterr().out
    monkeypatch.setenv(RECOVERY_ENV, recovery_key)
    assert run_cli([*common, "audit", "verify", "--recovery-key"]) == 3
    out = capsys.readouterr().out
    assert "event 2: forged" in out


def test_an_anchor_a_restore_replaced_is_named_with_the_restore(
    desk: Desk, tmp_path: Path, frozen_clock: FrozenClock
) -> None:
    made = desk.station.backups.back_up(tmp_path / "b.backup", ADMIN, STORE_SECRET)
    desk.station.subjects.register("M-8", "Member 8", ADULT_BIRTH, "desk-1")
    lost = head_of(desk)  # e.g. a receipt printed after the backup
    desk.station.close()
    restore_backup(
        made.path, desk.path, replace=True, name=ADMIN, password=STORE_SECRET, clock=frozen_clock
    )
    desk.station = Station(
        Store.open(desk.path, ADMIN, STORE_SECRET), ADMIN, SETTINGS, frozen_clock
    )
    result = desk.station.administration.verify_audit(ADMIN, [(lost, "the receipt")])
    (check,) = result.anchors
    assert check.verdict in (AnchorVerdict.REWRITTEN, AnchorVerdict.TRUNCATED)
    assert "records a restore from a backup at event" in check.message
    # Everything up to the backup still holds, and the keyed links go on across the restore.
    assert made.audit_head is not None
    again = desk.station.administration.verify_audit(
        ADMIN, [(made.audit_head, "the backup")], desk.recovery_key
    )
    assert again.ok and again.anchors[0].ok, again.summary
