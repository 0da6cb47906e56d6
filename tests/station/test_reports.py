"""The processing record (R17), the filing status (R18) and the siting checklist (R20), on a real
store with real enrollments."""

from __future__ import annotations

import csv
import io
import re
import stat
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from station.biometrics.calibration import shipped_calibration
from station.biometrics.model_sets import CURRENT
from station.capture import FrameSource
from station.cli import HOME_ENV, SECRET_ENV
from station.domain import AuditKind, EnrollStatus
from station.domain.reports import DayCounts, FilingLevel, ProcessingRecord
from station.services import Station
from station.services.accuracy_record import accuracy_items
from station.services.report_formats import to_csv, to_html
from station.services.reports import filing_status
from station.settings import FILING_THRESHOLD, Settings
from tests.conftest import ADULT_BIRTH, FrozenClock, run_cli

Camera = Callable[[], FrameSource]
ENROLL_PHOTOS = (
    "Angelina_Jolie/deepface_img1.jpg",
    "Angelina_Jolie/deepface_img10.jpg",
    "Angelina_Jolie/deepface_img2.jpg",
)
README = Path(__file__).resolve().parents[2] / "README.md"
FAST_SITE = """
[site]
controller = "Harbour Swimming Club"
contact = "privacy@harbour.example"

[store]
kdf_time_cost = 1
kdf_memory_kib = 8192
kdf_parallelism = 1
"""


def enroll_member(station: Station, member: str, photo_camera: Callable[..., Camera]) -> None:
    """Register, consent and enroll through the real services and models."""
    station.subjects.register(member, f"Member {member}", ADULT_BIRTH, "desk-1")
    station.consents.record(member, True, station.notices.current("en"), "desk-1")
    outcome = station.enrollment.enroll(member, photo_camera(*ENROLL_PHOTOS), "desk-1")
    assert outcome.status is EnrollStatus.ENROLLED, outcome.message


def _assert_calibrated_figures(record: ProcessingRecord, point: str) -> None:
    """The record's accuracy items say what the shipped calibration table says (R22)."""
    table = shipped_calibration()
    for version, calibration in table.sets.items():
        parts = " + ".join(calibration.model_set.parts)
        figures = record.item("Accuracy", f"Template version {version} ({parts})").value
        measured = calibration.points[point]
        assert f"Models {calibration.model_set.model_id};" in figures
        assert f"Threshold {measured.threshold:g} on the match score" in figures
        assert f"FNMR {measured.fnmr * 100:.1f} %" in figures
        assert (
            f"{calibration.genuine_pairs:,} genuine and {calibration.impostor_pairs:,}" in figures
        )
        assert ("new enrollments make this version" in figures) == (version == CURRENT.version)
    assert record.item("Accuracy", "Calibration data").value == table.data
    assert record.item("Accuracy", "Calibration method").value == table.method
    assert record.item("Accuracy", "Calibrated on").value == table.measured_on


def test_r17_record_is_drawn_from_the_live_settings(station: Station) -> None:
    base = station.settings
    station.settings = replace(
        base,
        site=replace(
            base.site,
            controller="Harbour Swimming Club",
            controller_zh_cn="海港游泳俱乐部",
            contact="privacy@harbour.example",
            purpose="to let members in at the pool gate",
        ),
        store=replace(base.store, retention_days=200),
        capture=replace(base.capture, enroll_frames=2, verify_frames=1),
        match=replace(base.match, one_to_many=True, operating_point="1e-3"),
        policy=replace(base.policy, minors_policy="guardian", face_export_enabled=True),
    )
    record = station.reports.processing_record("admin")

    def value(section: str, item: str) -> str:
        return record.item(section, item).value

    assert value("Controller", "Controller") == "Harbour Swimming Club"
    assert value("Controller", "Controller (Chinese)") == "海港游泳俱乐部"
    assert value("Controller", "Contact for requests and incidents") == "privacy@harbour.example"
    assert value("Purpose", "Purpose") == "to let members in at the pool gate"
    assert value("Processing", "Template retention (days)") == "200"
    assert value("Processing", "Frames per enrollment") == "2"
    assert value("Processing", "Frames per verification") == "1"
    assert "1:N identification is switched on" in value("Processing", "Processing method")
    assert "On this device only" in value("Processing", "Processing method")
    assert f"{CURRENT.size} numbers" in value("Processing", "Data types")
    assert "no images" in value("Processing", "Data types")
    assert "guardian" in value("Processing", "Minors policy")
    assert value("Processing", "Export of face data").startswith("enabled")
    assert value("Accuracy", "Model").startswith("mediapipe")
    # R22: the point the site chose, and what it means for every template version.
    assert value("Accuracy", "Operating point").startswith("1e-3: at most one false match in 1,000")
    _assert_calibrated_figures(record, "1e-3")
    for safeguard in ("Encryption at rest", "Template protection", "Secure deletion", "Network"):
        assert value("Safeguards", safeguard)
    assert "hash-chained" in value("Safeguards", "Audit trail")
    # The key slots as they are: a random data key kept only sealed (R12).
    assert "random data key" in value("Safeguards", "Encryption at rest")
    assert "recovery key" in value("Safeguards", "Encryption at rest")
    completed_by_site = {item.item for _, item in record.to_complete}
    assert {"Necessity", "Installation site", "Review"} <= completed_by_site


def test_r17_default_settings_name_1_to_1_and_the_calibration(station: Station) -> None:
    record = station.reports.processing_record("admin")
    assert "1:1 verification" in record.item("Processing", "Processing method").value
    assert record.item("Processing", "Export of face data").value == "disabled"
    assert record.item("Processing", "Minors policy").value.startswith(
        "No face enrollment under 14"
    )
    assert record.item("Accuracy", "Operating point").value.startswith(
        "1e-4: at most one false match in 10,000 comparisons"
    )
    _assert_calibrated_figures(record, "1e-4")
    # Every figure comes from the shipped table: nothing about accuracy is left to the site.
    assert not [item for section, item in record.to_complete if section == "Accuracy"]
    assert record.item("Processing", "Non-biometric records kept (days)").value == "1095"


def test_r17_r22_a_point_with_too_few_impostor_pairs_says_so() -> None:
    """A point the calibration data cannot establish (fewer impostor pairs than its rate needs,
    `reliable` false in the table) is stated as such, with the figures still shown."""
    table = shipped_calibration()
    current = table.sets[CURRENT.version]
    unreliable = replace(current.points["1e-5"], reliable=False)
    table = replace(
        table,
        sets={
            **table.sets,
            CURRENT.version: replace(current, points={**current.points, "1e-5": unreliable}),
        },
    )
    items = {item.item: item.value for item in accuracy_items("1e-5", table)}
    figures = items[f"Template version {CURRENT.version} ({' + '.join(CURRENT.parts)})"]
    assert figures.endswith(
        "Too few impostor pairs for an FMR of 1e-5 to be measured: the false-match rate at this "
        "point is not established."
    )
    assert f"FNMR {unreliable.fnmr * 100:.1f} %" in figures
    versions = [value for name, value in items.items() if name.startswith("Template version")]
    said = sum("Too few impostor pairs" in value for value in versions)
    assert said == sum(not c.points["1e-5"].reliable for c in table.sets.values())


def test_r17_counts_come_from_the_store(
    station: Station, photo_camera: Callable[..., Camera], frozen_clock: FrozenClock
) -> None:
    station.subjects.register("OLD", "Old Visit", ADULT_BIRTH, "desk-1")
    station.verification.document("OLD", "national_id", "desk-1")
    enroll_member(station, "M-0", photo_camera)
    frozen_clock.advance(timedelta(days=400))  # that check falls outside the 12 months counted
    assert station.administration.purge_expired().destroyed == 1  # M-0's template expired
    enroll_member(station, "M-1", photo_camera)
    enroll_member(station, "M-2", photo_camera)
    enroll_member(station, "M-3", photo_camera)
    station.subjects.withdraw_face_consent("M-3", "desk-1")
    station.subjects.register("M-4", "Member M-4", ADULT_BIRTH, "desk-1")
    station.consents.record("M-4", False, station.notices.current("en"), "desk-1")
    station.subjects.set_pin("M-4", "432187", "desk-1")
    station.verification.pin("M-4", "432187", "desk-1")
    station.verification.pin("M-4", "000001", "desk-1")
    station.verification.document("M-4", "passport", "desk-1")
    station.verification.face("M-1", photo_camera("Angelina_Jolie/deepface_img4.jpg"), "desk-1")
    # An export as the transfer service audits it (its own tests drive the encrypted file).
    with station.store.transaction():
        station.repos.audit.append(
            AuditKind.FACE_DATA_EXPORTED, "admin", frozen_clock.now(), None, {"recipient": "X"}
        )

    record = station.reports.processing_record("admin")
    counts = record.counts
    assert counts.subjects == 6
    assert counts.people_with_face_data == 2  # M-0 expired, M-3 withdrew, M-4 declined
    consents = (counts.consents_accepted, counts.consents_declined, counts.consents_withdrawn)
    assert consents == (4, 1, 1)
    assert counts.verifications == {"face": 1, "pin": 2, "document": 1}
    assert counts.exports == 1 and counts.templates_expired == 1 and counts.incidents == 0
    assert record.item("Counts", "People with face data").value == "2"
    assert record.item("Counts", "ID document checks").value == "1"
    assert record.filing.people_with_face_data == 2 and record.filing.level is FilingLevel.OK


def test_r17_generating_the_record_is_audited_without_its_content(station: Station) -> None:
    station.reports.processing_record("admin", ("csv", "pdf"))
    event = station.repos.audit.events()[-1]
    assert event.kind == "report_generated" and event.operator == "admin"
    assert event.detail == {"report": "processing_record", "outputs": ["csv", "pdf"]}
    with pytest.raises(ValueError):
        station.reports.processing_record("admin", ("fax",))


def test_r17_csv_rows_are_section_item_value_and_formulas_are_defused(station: Station) -> None:
    station.settings = replace(
        station.settings,
        site=replace(station.settings.site, controller='=HYPERLINK("http://x","click")'),
    )
    record = station.reports.processing_record("admin")
    rows = list(csv.reader(io.StringIO(to_csv(record))))
    assert rows[0] == ["section", "item", "value"]
    assert all(len(row) == 3 for row in rows)
    assert ["Counts", "Registered people", "0"] in rows
    controller = next(row for row in rows if row[1] == "Controller")
    assert controller[2] == '\'=HYPERLINK("http://x","click")'  # a spreadsheet shows it as text
    assert sum(row[2].startswith("TO COMPLETE") for row in rows) == len(record.to_complete)


def test_r17_html_escapes_text_and_marks_parts_to_complete(station: Station) -> None:
    station.settings = replace(
        station.settings, site=replace(station.settings.site, controller="<b>Pool & Gym</b>")
    )
    page = to_html(station.reports.processing_record("admin"))
    assert "&lt;b&gt;Pool &amp; Gym&lt;/b&gt;" in page and "<b>Pool" not in page
    assert page.count("background-color:#fff3b0") == len(
        station.reports.processing_record("admin").to_complete
    )
    assert "http" not in page  # self-contained: nothing to fetch when printed (R11)


def test_r18_filing_status_warns_from_the_configured_level(
    station: Station, photo_camera: Callable[..., Camera]
) -> None:
    station.settings = replace(
        station.settings, policy=replace(station.settings.policy, filing_warning_level=2)
    )
    reports = station.reports
    enroll_member(station, "M-1", photo_camera)
    status = reports.filing_status()
    assert (status.people_with_face_data, status.level) == (1, FilingLevel.OK)
    assert (status.threshold, status.warning_level) == (100_000, 2)
    enroll_member(station, "M-2", photo_camera)
    status = reports.filing_status()
    assert status.level is FilingLevel.WARNING
    assert "2 people have face data stored" in status.message and "100,000" in status.message
    station.subjects.delete_face_data("M-2", "desk-1")
    assert reports.filing_status().level is FilingLevel.OK  # counts what is stored now


def test_r18_default_levels_and_filing_due_at_the_threshold() -> None:
    settings = Settings()
    assert settings.policy.filing_warning_level == 90_000 and FILING_THRESHOLD == 100_000
    assert filing_status(89_999, settings).level is FilingLevel.OK
    assert filing_status(90_000, settings).level is FilingLevel.WARNING
    due = filing_status(100_000, settings)
    assert due.level is FilingLevel.FILING_DUE
    assert (
        "100,000 people have face data stored" in due.message and "30 working days" in due.message
    )


@pytest.fixture
def cli_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv(SECRET_ENV, "front desk secret")
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "home"))
    site = tmp_path / "site.toml"
    site.write_text(FAST_SITE, encoding="utf-8")
    common = ["--settings", str(site)]
    assert run_cli([*common, "init"]) == 0
    return common


def test_r17_cli_writes_the_record_as_private_csv_and_html(
    cli_site: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli([*cli_site, "add-subject", "--member", "M-1", "--name", "Li Na"]) == 0
    out_csv, out_html = tmp_path / "record.csv", tmp_path / "record.html"
    assert (
        run_cli([*cli_site, "report", "processing", "--csv", str(out_csv), "--html", str(out_html)])
        == 0
    )
    printed = capsys.readouterr().out
    assert "to complete: Purpose / Necessity" in printed
    rows = list(csv.reader(io.StringIO(out_csv.read_text(encoding="utf-8"))))
    assert ["Controller", "Controller", "Harbour Swimming Club"] in rows
    assert ["Counts", "Registered people", "1"] in rows
    assert "Harbour Swimming Club" in out_html.read_text(encoding="utf-8")
    for path in (out_csv, out_html):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_r18_cli_prints_the_filing_status(
    cli_site: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli([*cli_site, "report", "filing"]) == 0
    assert re.search(r"^ok: 0 people have face data stored", capsys.readouterr().out, re.M)


def test_r20_readme_says_where_the_station_may_not_be_installed() -> None:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^## Deployment checklist \(R20\)\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, "README has no 'Deployment checklist (R20)' section"
    section = match.group(1).lower()
    for place in (
        "hotel room",
        "public bathroom",
        "changing room",
        "toilet",
        "private space",
        "public street",
        "unattended",
        "cannot see the notice",
    ):
        assert place in section, place
    for check in ("notice", "alternative", "trained", "filing threshold", "incident contact"):
        assert check in section, check


def test_home_counts_today_are_numbers_from_the_audit_trail(
    station: Station, photo_camera: Callable[..., Camera], frozen_clock: FrozenClock
) -> None:
    """Issue 12: the home screen's counts of the day: accepted decisions by path, face
    enrollments and refusals; a cancel is no refusal; yesterday's work is not counted."""
    station.subjects.register("Y-1", "Yesterday Visit", ADULT_BIRTH, "desk-1")
    station.verification.document("Y-1", "national_id", "desk-1")
    frozen_clock.advance(timedelta(days=1))
    assert station.reports.today() == DayCounts(0, 0, 0, 0)
    enroll_member(station, "M-1", photo_camera)
    station.verification.face("M-1", photo_camera("Angelina_Jolie/deepface_img4.jpg"), "desk-1")
    station.subjects.register("M-2", "Member Two", ADULT_BIRTH, "desk-1")
    station.subjects.set_pin("M-2", "432187", "desk-1")
    station.verification.pin("M-2", "432187", "desk-1")
    station.verification.pin("M-2", "000001", "desk-1")  # refused
    station.verification.pin("M-2", "000002", "desk-1")  # refused
    station.verification.document("M-2", "passport", "desk-1")
    events = len(station.repos.audit.events())

    assert station.reports.today() == DayCounts(
        verified_face=1, verified_other=2, enrolled=1, refused=2
    )
    assert len(station.repos.audit.events()) == events  # reading the counts writes nothing
    frozen_clock.advance(timedelta(days=1))
    assert station.reports.today() == DayCounts(0, 0, 0, 0)
