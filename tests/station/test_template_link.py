"""R13: templates under random ids, and the link between a person and their template out of reach
of a role that may not see it. Real SQLCipher store, real models on real faces.

Ids: new_id's draws are 128 uniform bits in no order, not made from the time nor from a seed, and
enrollment stores exactly those draws, a fresh one at every re-enrollment. The statistical bounds
are ten or more standard deviations wide: a random generator misses them with a probability below
1e-20, so the check gives the same answer on every run; a counter, a clock or an ordered id misses
them by hundreds.

Link: an auditor (READ_AUDIT and READ_REPORTS) is refused the subject record, and nothing any
service answers them, nor any command they can run, holds a template id or a template: not the
audit trail, not a report, not the incident register. The whole trail, read with every right, holds
no template id either, so no event joins a person to their template.
"""

from __future__ import annotations

import dataclasses
import enum
import inspect
import itertools
import json
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import station.services.enrollment as enrollment_service
from station.cli import SECRET_ENV
from station.cli.transfer import PASSPHRASE_ENV
from station.domain import (
    AttemptFactor,
    EnrollStatus,
    NotAllowedError,
    Role,
    Template,
    VerifyStatus,
)
from station.services import Station
from station.services.report_formats import to_csv, to_html
from station.storage.ids import new_id
from tests.conftest import ADMIN, NO_SETTINGS_FILE, STORE_SECRET, FrozenClock, run_cli
from tests.station.test_guards import (
    ANGELINA_ENROLL,
    ANGELINA_PROBE,
    DAMON_ENROLL,
    OPERATOR,
    PARTNER,
    _camera,
    _register,
)
from tests.station.test_incidents import DETAILS

ROOT = Path(__file__).resolve().parents[2]
READER = "Reader"  # the auditor
READER_PASSWORD = "auditor's own password"


# --- ids ------------------------------------------------------------------------------------

DRAWS = 10_000


def test_r13_new_ids_are_128_uniform_bits_in_no_order() -> None:
    ids = [new_id() for _ in range(DRAWS)]
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    assert len(set(ids)) == DRAWS
    bits = np.unpackbits(np.frombuffer(bytes.fromhex("".join(ids)), np.uint8).reshape(DRAWS, 16))
    ones = bits.reshape(DRAWS, 128).sum(axis=0)
    # each bit is set in half the ids, give or take 50 (one standard deviation): 500 is ten
    assert np.all(np.abs(ones - DRAWS / 2) <= 500), ones
    # in a random order each id follows a smaller one half the time, give or take 29: 600 is 20
    ascents = sum(a < b for a, b in itertools.pairwise(ids))
    assert abs(ascents - DRAWS / 2) <= 600, ascents


def test_r13_new_ids_come_from_neither_the_clock_nor_a_seed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With every clock stopped the ids still differ (none is made from the time), and two fresh
    processes draw different ids (none comes from a fixed seed or a counter)."""
    with monkeypatch.context() as frozen:
        for clock in ("time", "time_ns", "monotonic", "monotonic_ns", "perf_counter"):
            frozen.setattr(time, clock, lambda: 1_790_000_000)
        stopped = {new_id() for _ in range(1_000)}
    assert len(stopped) == 1_000
    assert inspect.signature(new_id).parameters == {}  # nothing about a person can go in
    draw = "from station.storage.ids import new_id; print(new_id(), new_id())"
    first, second = (
        subprocess.run(
            [sys.executable, "-c", draw], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
        for _ in range(2)
    )
    assert len(set(first + second)) == 4


# --- a day at the desk ----------------------------------------------------------------------


@dataclass
class DeskDay:
    """A store after a day of real work, and every template id enrollment drew on the way."""

    station: Station
    drawn: list[str]
    enrolled: dict[str, list[str]]  # member -> the template ids their enrollments stored
    subject_ids: dict[str, str]  # member -> their random id, kept too for the one erased
    incident_reference: str


def _enroll(station: Station, faces: Path, member: str, photos: tuple[str, ...]) -> str:
    outcome = station.enrollment.enroll(member, _camera(faces, *photos), OPERATOR)
    assert outcome.status is EnrollStatus.ENROLLED, outcome.message
    assert outcome.template_id is not None
    return outcome.template_id


@pytest.fixture
def desk_day(
    station: Station,
    faces: Path,
    frozen_clock: FrozenClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> DeskDay:
    """Four members enrolled, one of them twice; one template expired, one exported and then
    deleted, one erased with its member at the end of service; a verification; an incident
    recorded for everyone with face data; an auditor's account. Enrollment's id draws are the
    real ones, recorded as they are made."""
    drawn: list[str] = []

    def recorded_draw() -> str:
        drawn.append(new_id())
        return drawn[-1]

    monkeypatch.setattr(enrollment_service, "new_id", recorded_draw)
    _register(station, "M-3")
    enrolled = {"M-3": [_enroll(station, faces, "M-3", DAMON_ENROLL)]}
    # M-3's template outlives a retention shortened to a day: the purge destroys it (R14)
    frozen_clock.advance(timedelta(days=1, hours=1))
    station.configuration.update({"store": {"retention_days": 1}}, ADMIN)
    assert station.administration.purge_expired(ADMIN).destroyed == 1
    station.configuration.update(
        {"store": {"retention_days": 365}, "policy": {"face_export_enabled": True}}, ADMIN
    )
    for member in ("M-1", "M-2", "M-4"):  # consent to the notice these settings render (R3)
        _register(station, member)
    enrolled["M-1"] = [_enroll(station, faces, "M-1", ANGELINA_ENROLL[:3])]
    enrolled["M-2"] = [_enroll(station, faces, "M-2", DAMON_ENROLL)]
    enrolled["M-4"] = [_enroll(station, faces, "M-4", ANGELINA_ENROLL[2:])]
    subject_ids = {m: s.id for m in enrolled if (s := station.subjects.find(m)) is not None}
    enrolled["M-1"].append(_enroll(station, faces, "M-1", ANGELINA_ENROLL[1:4]))  # re-enrolled
    verified = station.verification.face("M-1", _camera(faces, ANGELINA_PROBE), OPERATOR)
    assert verified.status is VerifyStatus.ACCEPTED, verified.message
    station.transfers.record_consent("M-2", PARTNER, ADMIN)
    station.transfers.export_face_data(
        "M-2", PARTNER.recipient, tmp_path / "partner.fsx", "agreed on the phone 7731", ADMIN
    )
    incident = station.incidents.record(DETAILS, ADMIN, all_with_face_data=True)
    assert station.subjects.delete_face_data("M-2", OPERATOR).templates_destroyed == 1
    assert station.erasure.erase("M-4", ADMIN).templates == 1
    station.accounts.add_operator(READER, Role.AUDITOR, READER_PASSWORD, ADMIN, STORE_SECRET)
    return DeskDay(station, drawn, enrolled, subject_ids, incident.reference)


def test_r13_enrollment_stores_fresh_draws_and_no_event_names_a_template(
    desk_day: DeskDay,
) -> None:
    """Each enrollment stores the id new_id drew for it, a new one at re-enrollment, with nothing
    of the person in it. Read with every right, the trail holds enrollment, re-enrollment,
    verification, expiry, export, deletion, erasure and the incident, and not one template id: no
    event joins a person to their template."""
    station, drawn = desk_day.station, desk_day.drawn
    assert len(set(drawn)) == 5
    assert desk_day.enrolled == {
        "M-3": [drawn[0]],
        "M-1": [drawn[1], drawn[4]],
        "M-2": [drawn[2]],
        "M-4": [drawn[3]],
    }
    assert len(desk_day.subject_ids) == 4
    for member, ids in desk_day.enrolled.items():
        subject_id = desk_day.subject_ids[member]
        assert [i for i in ids if subject_id in i or member.lower() in i] == []
    # the one template left is M-1's second; the first is gone, not kept beside it (R15)
    m1 = station.subjects.find("M-1")
    assert m1 is not None and station.repos.templates.id_for(m1.id) == drawn[4]
    assert station.store.execute("SELECT id FROM templates").fetchall() == [(drawn[4],)]

    events = station.repos.audit.events()
    assert {
        "face_enrolled",
        "verify_face",
        "template_expired",
        "face_data_exported",
        "incident_recorded",
        "face_data_deleted",
        "member_erased",
    } <= {event.kind for event in events}
    replaced = [e.detail["replaced_template"] for e in events if e.kind == "face_enrolled"]
    assert replaced == [False, False, False, False, True]
    trail = "\n".join(
        f"{e.kind} {e.subject_id} {e.operator} {json.dumps(e.detail)}" for e in events
    )
    assert [i for i in drawn if i in trail] == []


# --- what an auditor can reach --------------------------------------------------------------


def _link_findings(value: Any, template_ids: set[str], where: str = "") -> Iterator[str]:
    """Where in `value` a template, a vector or a template id is: in a string, a key, a field of
    a dataclass, an item of a list or a mapping, however deep."""
    if isinstance(value, Template):
        yield f"{where}: a template"
    if isinstance(value, np.ndarray):
        yield f"{where}: an array of {value.size}"
    elif isinstance(value, str | bytes):
        text = value if isinstance(value, str) else value.decode("utf-8", "replace")
        yield from (f"{where}: template id {i}" for i in template_ids if i in text)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from _link_findings(
                getattr(value, item.name), template_ids, f"{where}.{item.name}"
            )
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _link_findings(str(key), template_ids, f"{where}[key]")
            yield from _link_findings(inner, template_ids, f"{where}[{key!r}]")
    elif isinstance(value, list | tuple | set | frozenset):
        for index, inner in enumerate(value):
            yield from _link_findings(inner, template_ids, f"{where}[{index}]")
    elif isinstance(value, enum.Enum):
        yield from _link_findings(value.value, template_ids, where)


def _services(station: Station) -> dict[str, Any]:
    return {
        name: service
        for name, service in vars(station).items()
        if type(service).__module__.startswith("station.services.")
    }


def _public_methods(station: Station) -> set[str]:
    """service.method of every public method of every service a session offers."""
    return {
        f"{name}.{method}"
        for name, service in _services(station).items()
        for method, _ in inspect.getmembers(type(service), inspect.isfunction)
        if not method.startswith("_")
    }


def _refused_by_role(call: Callable[[], object]) -> bool:
    try:
        call()
    except NotAllowedError:
        return True
    except Exception:  # refused for another reason: the role itself let the call through
        return False
    return False


def test_r13_an_auditor_reaches_no_template_and_no_template_id(
    desk_day: DeskDay, faces: Path, tmp_path: Path
) -> None:
    """Every public method of every service, called as the auditor: refused, or its answer holds
    no template, vector or template id."""
    admin = desk_day.station
    reader = Station(admin.store, READER, NO_SETTINGS_FILE, admin.clock)
    assert reader.signed_in.role is Role.AUDITOR
    subject = reader.subjects.find("M-1")
    assert subject is not None
    incident = reader.incidents.get(desk_day.incident_reference)
    camera = _camera(faces, ANGELINA_PROBE)
    refused: dict[str, Callable[[], object]] = {
        "subjects.record": lambda: reader.subjects.record(subject.id),
        "subjects.search": lambda: reader.subjects.search("M-1"),
        "subjects.register": lambda: reader.subjects.register("M-9", "X", None, READER),
        "subjects.set_pin": lambda: reader.subjects.set_pin("M-1", "975310", READER),
        "subjects.delete_face_data": lambda: reader.subjects.delete_face_data("M-1", READER),
        "subjects.withdraw_face_consent": lambda: reader.subjects.withdraw_face_consent(
            "M-1", READER
        ),
        "consents.decision": lambda: reader.consents.decision("M-1"),
        "consents.record": lambda: reader.consents.record(
            "M-1", True, reader.notices.current("en"), READER
        ),
        "attempts.states": lambda: reader.attempts.states("M-1"),
        "attempts.reenable": lambda: reader.attempts.reenable("M-1", {AttemptFactor.FACE}, READER),
        "enrollment.enroll": lambda: reader.enrollment.enroll("M-1", camera, READER),
        "verification.face": lambda: reader.verification.face("M-1", camera, READER),
        "verification.identify": lambda: reader.verification.identify(camera, READER),
        "verification.pin": lambda: reader.verification.pin("M-1", "975310", READER),
        "verification.document": lambda: reader.verification.document("M-1", "passport", READER),
        "notices.publish": lambda: reader.notices.publish(READER),
        "accounts.add_operator": lambda: reader.accounts.add_operator(
            "X", Role.AUDITOR, READER_PASSWORD, READER, READER_PASSWORD
        ),
        "accounts.list_operators": reader.accounts.list_operators,
        "accounts.remove_operator": lambda: reader.accounts.remove_operator(ADMIN, READER),
        "accounts.reset_password": lambda: reader.accounts.reset_password(
            ADMIN, "new password 1", READER, READER_PASSWORD
        ),
        "accounts.new_recovery_key": lambda: reader.accounts.new_recovery_key(
            READER, READER_PASSWORD
        ),
        "administration.decommission": lambda: reader.administration.decommission("x", READER),
        "backups.back_up": lambda: reader.backups.back_up(
            tmp_path / "b.fsb", READER, READER_PASSWORD
        ),
        "reports.today": reader.reports.today,
        "incidents.record": lambda: reader.incidents.record(DETAILS, READER, ("M-1",)),
        "incidents.affected": lambda: reader.incidents.affected(incident.id),
        "incidents.affected_csv": lambda: reader.incidents.affected_csv(incident.id, READER),
        "incidents.notices": lambda: reader.incidents.notices(incident.id, "en", READER),
        "transfers.consents": lambda: reader.transfers.consents("M-2"),
        "transfers.record_consent": lambda: reader.transfers.record_consent("M-2", PARTNER, READER),
        "transfers.withdraw_consent": lambda: reader.transfers.withdraw_consent(
            "M-2", "any", READER
        ),
        "transfers.export_face_data": lambda: reader.transfers.export_face_data(
            "M-2", PARTNER.recipient, tmp_path / "x.fsx", "a passphrase 123", READER
        ),
        "configuration.update": lambda: reader.configuration.update(
            {"store": {"retention_days": 30}}, READER
        ),
        "erasure.erase": lambda: reader.erasure.erase("M-1", READER, "M-1"),
        "erasure.inactive": reader.erasure.inactive,
    }
    record = reader.reports.processing_record(READER, ("screen", "csv", "html"))
    answered: dict[str, Callable[[], object]] = {
        "administration.audit_trail": lambda: reader.administration.audit_trail(100_000),
        "administration.audit_head": reader.administration.audit_head,
        "administration.verify_audit": lambda: reader.administration.verify_audit(READER),
        "administration.start_up": lambda: reader.administration.start_up(READER),
        "administration.purge_expired": lambda: reader.administration.purge_expired(READER),
        "administration.prune_records": lambda: reader.administration.prune_records(READER),
        "reports.processing_record": lambda: (record, to_csv(record), to_html(record)),
        "reports.filing_status": reader.reports.filing_status,
        "reenrollment.counts": reader.reenrollment.counts,
        "incidents.list_incidents": reader.incidents.list_incidents,
        "incidents.get": lambda: reader.incidents.get(desk_day.incident_reference),
        "incidents.register_csv": lambda: reader.incidents.register_csv(READER),
        "notices.current": lambda: [reader.notices.current(lang) for lang in ("en", "zh_CN")],
        "notices.site_name": lambda: reader.notices.site_name("en"),
        "notices.publish_if_changed": lambda: reader.notices.publish_if_changed(READER),
        "configuration.for_session": lambda: reader.configuration.for_session(NO_SETTINGS_FILE),
        "configuration.record": lambda: reader.configuration.record(
            reader.configuration.for_session(NO_SETTINGS_FILE)
        ),
        "accounts.change_own_password": lambda: reader.accounts.change_own_password(
            READER, READER_PASSWORD, "auditor's new password"
        ),
        # Who a number names, and what a session asks of a person before acting: identity and
        # decisions, never a template (the record with the template's dates needs DESK).
        "subjects.find": lambda: reader.subjects.find("M-1"),
        "subjects.find_by_card": lambda: reader.subjects.find_by_card("C-1"),
        "subjects.require": lambda: reader.subjects.require("M-1"),
        "consents.decision_to_enroll": lambda: reader.consents.decision_to_enroll(subject),
        "consents.decision_for": lambda: reader.consents.decision_for(subject),
        "consents.is_current": lambda: reader.consents.is_current(subject.id),
        "attempts.limits": lambda: reader.attempts.limits(AttemptFactor.FACE),
        "attempts.check": lambda: reader.attempts.check(subject, AttemptFactor.FACE),
        "attempts.count": lambda: reader.attempts.count(
            subject.id, AttemptFactor.PIN, VerifyStatus.CANCELLED
        ),
    }
    assert set(refused) | set(answered) == _public_methods(reader)  # a new method needs a place

    template_ids = set(desk_day.drawn)
    assert [name for name, call in refused.items() if not _refused_by_role(call)] == []
    answers = {name: call() for name, call in answered.items()}
    assert [
        f for name, answer in answers.items() for f in _link_findings(answer, template_ids, name)
    ] == []
    # the auditor read the whole trail as it was, enrollments included
    trail = answers["administration.audit_trail"]
    assert isinstance(trail, list) and {e.seq for e in trail} == set(range(1, len(trail) + 1))
    assert sum(event.kind == "face_enrolled" for event in trail) == 5
    # the scan sees a template and its id where they are
    template = admin.repos.templates.for_subject(subject.id)
    assert template is not None
    assert list(_link_findings({"x": [template]}, template_ids)) == [
        "['x'][0]: a template",
        f"['x'][0].id: template id {template.id}",
        f"['x'][0].vector: an array of {template.vector.size}",
    ]


def test_r13_the_command_line_as_an_auditor_shows_no_template_id(
    desk_day: DeskDay,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The auditor's own commands answer, without a template id in what they print or write; the
    desk's and the administrator's are refused."""
    monkeypatch.setenv(SECRET_ENV, READER_PASSWORD)
    monkeypatch.setenv(PASSPHRASE_ENV, "a passphrase for nobody 42")  # asked before the role
    store = ["--store", str(desk_day.station.store.path), "--operator", READER]
    out = tmp_path / "auditor"
    out.mkdir()
    answered = [
        ["audit", "show", "--limit", "100000"],
        ["audit", "verify"],
        ["audit", "head"],
        ["report", "processing"],
        ["report", "processing", "--csv", str(out / "r.csv"), "--html", str(out / "r.html")],
        ["report", "filing"],
        ["report", "templates"],
        ["incident", "list", "--csv", str(out / "incidents.csv")],
        ["notice", "show"],
        ["purge"],
    ]
    refused = [
        ["add-subject", "--member", "M-9", "--name", "X"],
        ["verify-pin", "--member", "M-1", "--pin", "864213"],
        ["withdraw", "--member", "M-1"],
        ["delete-face", "--member", "M-1"],
        ["erase-member", "--member", "M-1", "--confirm", "M-1"],
        ["operator", "list"],
        ["incident", "affected", desk_day.incident_reference],
        [
            "export-face",
            "--member",
            "M-2",
            "--recipient",
            PARTNER.recipient,
            "--out",
            str(out / "x"),
        ],
        ["backup", "--out", str(out / "b.fsb")],
        ["set", "store.retention_days=30"],
    ]
    printed = []
    for command in answered:
        assert run_cli([*store, *command]) == 0, command
        printed.append(capsys.readouterr().out)
    for command in refused:
        assert run_cli([*store, *command]) == 1, command
        assert "may not do this" in capsys.readouterr().err, command
    written = [path.read_text(encoding="utf-8") for path in sorted(out.iterdir())]
    assert len(written) == 3  # the two reports and the register; nothing from a refused command
    shown = "\n".join(printed + written)
    assert "face_enrolled" in shown and "replaced_template" in shown  # the trail was printed
    assert [i for i in desk_day.drawn if i in shown] == []
