"""The incident register (R19): record, list, the people affected, their notices in both languages,
CSV exports, and the audit of each step; on a real store with real enrollments."""

from __future__ import annotations

import csv
import io
import stat
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from station.capture import FrameSource
from station.cli import HOME_ENV, SECRET_ENV
from station.domain import EnrollStatus, ServiceError
from station.domain.incidents import IncidentDetails
from station.services import Station
from station.services.incidents import write_notices
from tests.conftest import ADULT_BIRTH, FrozenClock, run_cli

Camera = Callable[[], FrameSource]
ENROLL_PHOTOS = (
    "Angelina_Jolie/deepface_img1.jpg",
    "Angelina_Jolie/deepface_img10.jpg",
    "Angelina_Jolie/deepface_img2.jpg",
)
DETAILS = IncidentDetails(
    kind="loss",
    occurred_at=datetime(2026, 11, 20, 18, 0, tzinfo=UTC),
    discovered_at=datetime(2026, 11, 21, 8, 30, tzinfo=UTC),
    description="The backup disk of the station was lost in transit.",
    data_affected="Names, member numbers and encrypted face templates.",
    cause="A courier lost the parcel.",
    likely_harm="Low: the store is encrypted and templates cannot be turned back into a face.",
    remedies="The store password was changed and every template was re-protected.",
    advice="Ask the desk to delete your face data or to re-enroll; use your PIN meanwhile.",
)
TEXT_FIELDS = ("description", "data_affected", "cause", "likely_harm", "remedies", "advice")


def enroll_member(station: Station, member: str, photo_camera: Callable[..., Camera]) -> None:
    station.subjects.register(member, f"Member {member}", ADULT_BIRTH, "desk-1")
    station.consents.record(member, True, station.notices.current("en"), "desk-1")
    outcome = station.enrollment.enroll(member, photo_camera(*ENROLL_PHOTOS), "desk-1")
    assert outcome.status is EnrollStatus.ENROLLED, outcome.message


@pytest.fixture
def three_people(station: Station, photo_camera: Callable[..., Camera]) -> Station:
    """M-1 and M-2 have face data; M-3 is registered without any."""
    enroll_member(station, "M-1", photo_camera)
    enroll_member(station, "M-2", photo_camera)
    station.subjects.register("M-3", "Wang Fang", ADULT_BIRTH, "desk-1")
    return station


def test_r19_everyone_with_face_data_is_affected_and_the_record_is_audited(
    three_people: Station,
) -> None:
    incidents = three_people.incidents
    incident = incidents.record(DETAILS, "admin", all_with_face_data=True)
    assert incident.people_affected == 2 and incident.operator == "admin"
    assert [p.member_number for p in incidents.affected(incident.id)] == ["M-1", "M-2"]
    event = three_people.repos.audit.events()[-1]
    assert event.kind == "incident_recorded" and event.operator == "admin"
    assert event.detail == {
        "incident_id": incident.id,
        "kind": "loss",
        "people_affected": 2,
        "scope": "all_with_face_data",
    }
    [listed] = incidents.list_incidents()
    assert listed.id == incident.id and listed.details == DETAILS and listed.people_affected == 2
    assert three_people.reports.processing_record("admin").counts.incidents == 1


def test_r19_listed_members_and_unknown_ones_refused(three_people: Station) -> None:
    incidents = three_people.incidents
    leak = replace(DETAILS, kind="leak", discovered_at=DETAILS.discovered_at + timedelta(days=1))
    incident = incidents.record(leak, "admin", members=["M-3", " M-1 ", "M-3"])
    assert [p.member_number for p in incidents.affected(incident.id)] == ["M-1", "M-3"]
    with pytest.raises(ServiceError, match="No member NOPE"):
        incidents.record(DETAILS, "admin", members=["M-2", "NOPE"])
    with pytest.raises(ServiceError, match="not both"):
        incidents.record(DETAILS, "admin", members=["M-2"], all_with_face_data=True)
    with pytest.raises(ServiceError, match="Name the members"):
        incidents.record(DETAILS, "admin")
    assert [i.id for i in incidents.list_incidents()] == [incident.id]  # refusals stored nothing
    assert incidents.get(incident.reference).id == incident.id  # the short reference finds it


def test_r19_every_field_of_the_notice_is_required(station: Station) -> None:
    station.subjects.register("M-1", "Li Na", ADULT_BIRTH, "desk-1")
    incidents = station.incidents
    for name in TEXT_FIELDS:
        blank: dict[str, Any] = {name: "  "}
        with pytest.raises(ServiceError, match="Fill in"):
            incidents.record(replace(DETAILS, **blank), "admin", members=["M-1"])
    with pytest.raises(ServiceError, match="leak, destruction, loss"):
        incidents.record(replace(DETAILS, kind="hack"), "admin", members=["M-1"])
    backwards = replace(DETAILS, occurred_at=DETAILS.discovered_at + timedelta(hours=1))
    with pytest.raises(ServiceError, match="before it happened"):
        incidents.record(backwards, "admin", members=["M-1"])
    assert incidents.list_incidents() == []


def test_r19_notices_in_both_languages_carry_every_part_and_the_contact(
    three_people: Station,
) -> None:
    site = three_people.settings.site
    three_people.settings = replace(
        three_people.settings,
        site=replace(
            site,
            controller="Harbour Swimming Club",
            controller_zh_cn="海港游泳俱乐部",
            contact="privacy@harbour.example",
            contact_zh_cn="隐私专线 400-000-0000",
        ),
    )
    incidents = three_people.incidents
    incident = incidents.record(DETAILS, "admin", members=["M-1", "M-3"])
    english = incidents.notices(incident.id, "en", "admin")
    chinese = incidents.notices(incident.id, "zh_CN", "admin")
    assert [n.person.member_number for n in english] == ["M-1", "M-3"]
    for notice in english + chinese:
        for name in TEXT_FIELDS:
            assert getattr(DETAILS, name) in notice.text, name
        assert notice.person.display_name in notice.text and incident.reference in notice.text
    wang = english[1].text
    assert "To: Wang Fang (member M-3)" in wang and "loss of personal information" in wang
    assert "privacy@harbour.example" in wang and "Harbour Swimming Club" in wang
    assert "2026-11-2" in wang  # the dates of the incident are there
    wang_zh = chinese[1].text
    assert "个人信息丢失" in wang_zh and "隐私专线 400-000-0000" in wang_zh
    assert "海港游泳俱乐部" in wang_zh and "privacy@harbour.example" not in wang_zh
    # Unknown occurrence time is said in words, in the person's language.
    undated = incidents.record(replace(DETAILS, occurred_at=None), "admin", members=["M-1"])
    assert "尚不确定" in incidents.notices(undated.id, "zh_CN", "admin")[0].text
    with pytest.raises(ServiceError):
        incidents.notices(incident.id, "fr", "admin")


def test_r19_a_chinese_notice_falls_back_to_the_english_contact(three_people: Station) -> None:
    site = three_people.settings.site
    three_people.settings = replace(
        three_people.settings, site=replace(site, contact="privacy@harbour.example")
    )
    incidents = three_people.incidents
    incident = incidents.record(DETAILS, "admin", members=["M-1"])
    [notice] = incidents.notices(incident.id, "zh_CN", "admin")
    assert "联系方式：privacy@harbour.example" in notice.text
    assert "运营本设备的机构" in notice.text  # the controller was left at its default


def test_r19_producing_notices_is_audited_with_the_count_never_the_text(
    three_people: Station,
) -> None:
    incidents = three_people.incidents
    incident = incidents.record(DETAILS, "admin", all_with_face_data=True)
    incidents.notices(incident.id[:10], "zh_CN", "admin")
    event = three_people.repos.audit.events()[-1]
    assert event.kind == "incident_notices_produced"
    assert event.detail == {"incident_id": incident.id, "language": "zh_CN", "count": 2}
    assert "Member" not in str(event.detail)  # no name, no text


def test_r19_notice_files_are_one_per_person_and_private(
    three_people: Station, tmp_path: Path
) -> None:
    incidents = three_people.incidents
    incident = incidents.record(DETAILS, "admin", members=["M-1", "M-2", "M-3"])
    out = tmp_path / "notices"
    paths = write_notices(incidents.notices(incident.id, "en", "admin"), out)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)
    assert len(paths) == 3 and all(p.name.endswith(".en.txt") for p in paths)
    for path in paths:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert DETAILS.advice in path.read_text(encoding="utf-8")
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    (out / paths[0].name).chmod(0o644)  # a file left readable is made private again on rewrite
    write_notices(incidents.notices(incident.id, "en", "admin"), out)
    assert stat.S_IMODE(paths[0].stat().st_mode) == 0o600


def test_r19_register_and_affected_people_export_as_csv(
    three_people: Station, frozen_clock: FrozenClock
) -> None:
    incidents = three_people.incidents
    first = incidents.record(DETAILS, "admin", all_with_face_data=True)
    frozen_clock.advance(timedelta(hours=1))
    second = incidents.record(
        replace(DETAILS, kind="leak", description="-1 printed list left at the desk"),
        "admin",
        members=["M-3"],
    )
    register = list(csv.DictReader(io.StringIO(incidents.register_csv("admin"))))
    # Same discovery time: the one recorded last comes first, as in the window's list.
    assert [row["id"] for row in register] == [second.id, first.id]
    assert register[1]["people_affected"] == "2" and register[1]["kind"] == "loss"
    assert register[0]["description"] == "'-1 printed list left at the desk"  # not a formula
    assert register[1]["occurred_at"] == "2026-11-20T18:00:00+00:00"
    assert three_people.repos.audit.events()[-1].detail == {
        "report": "incident_register",
        "rows": 2,
    }
    people = list(csv.reader(io.StringIO(incidents.affected_csv(first.id, "admin"))))
    assert people == [
        ["incident_id", "member_number", "name"],
        [first.id, "M-1", "Member M-1"],
        [first.id, "M-2", "Member M-2"],
    ]
    event = three_people.repos.audit.events()[-1]
    assert event.kind == "report_generated" and event.detail["rows"] == 2


def test_r19_cli_records_lists_and_writes_notices(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(SECRET_ENV, "front desk secret")
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "home"))
    site = tmp_path / "site.toml"
    site.write_text(
        "[store]\nkdf_time_cost = 1\nkdf_memory_kib = 8192\nkdf_parallelism = 1\n", encoding="utf-8"
    )
    common = ["--settings", str(site), "--operator", "admin"]
    assert run_cli([*common, "init"]) == 0
    for member, name in (("M-1", "Li Na"), ("M-2", "Wang Fang")):
        assert run_cli([*common, "add-subject", "--member", member, "--name", name]) == 0
    fields = [f"--{name.replace('_', '-')}" for name in TEXT_FIELDS]
    values = [getattr(DETAILS, name) for name in TEXT_FIELDS]
    record = ["incident", "record", "--kind", "leak", "--occurred", "2026-11-20T18:00"]
    record += [part for pair in zip(fields, values, strict=True) for part in pair]
    assert run_cli([*common, *record, "--members", "M-1,M-2"]) == 0
    printed = capsys.readouterr().out
    assert "2 people affected" in printed
    incident_id = printed.split("Recorded incident ")[1].split()[0]
    register = tmp_path / "register.csv"
    assert run_cli([*common, "incident", "list", "--csv", str(register)]) == 0
    assert incident_id in capsys.readouterr().out
    assert stat.S_IMODE(register.stat().st_mode) == 0o600
    assert DETAILS.cause in register.read_text(encoding="utf-8")
    out = tmp_path / "notices"
    args = ["incident", "notices", incident_id[:8], "--out", str(out), "--language", "zh_CN"]
    assert run_cli([*common, *args]) == 0
    files = sorted(out.iterdir())
    assert len(files) == 2 and all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert "个人信息泄露" in files[0].read_text(encoding="utf-8")
    assert run_cli([*common, "incident", "affected", incident_id]) == 0
    assert "Wang Fang" in capsys.readouterr().out
    # A refused record is plain words and a non-zero exit.
    assert run_cli([*common, *record, "--members", "NOPE"]) == 1
    assert "No member NOPE" in capsys.readouterr().err
