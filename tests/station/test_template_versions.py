"""R15 template versions on a real store: how many people hold a template of each version and should
be enrolled again, which models made one person's template, and the command that reports it. A
template of version 1 is stored as an old store holds one (DLIB_ONLY's model id and fingerprint)."""

from __future__ import annotations

from pathlib import Path

import pytest

from station.biometrics.model_sets import CURRENT, DLIB_ONLY
from station.cli import HOME_ENV, SECRET_ENV
from station.domain import NotAllowedError, Role, TemplateModels
from station.domain.reports import TemplateVersions, VersionCount
from station.services import Station
from station.storage import Repositories, Store
from tests.conftest import (
    ADMIN,
    ADULT_BIRTH,
    STORE_SECRET,
    UNKNOWN_MODELS,
    FrozenClock,
    MadeBy,
    run_cli,
    store_template,
)


def register(station: Station, member: str) -> str:
    return station.subjects.register(member, f"Member {member}", ADULT_BIRTH, "desk-1").id


def test_r15_people_are_counted_per_template_version(station: Station) -> None:
    now = station.clock.now()
    templates = station.repos.templates
    old = [register(station, member) for member in ("M-1", "M-2")]
    for seed, subject_id in enumerate(old):
        store_template(templates, subject_id, DLIB_ONLY, now, seed)
    store_template(templates, register(station, "M-3"), CURRENT, now, 3)
    store_template(templates, register(station, "M-4"), UNKNOWN_MODELS, now, 4)
    register(station, "M-5")  # no face data: in no count

    assert templates.count_by_model() == {
        DLIB_ONLY.fingerprint: 2,
        CURRENT.fingerprint: 1,
        UNKNOWN_MODELS[1]: 1,
    }
    counts = station.reenrollment.counts()
    assert counts == TemplateVersions(
        (
            VersionCount(1, "mediapipe-blazeface-short+dlib-5pt+dlib-resnet-v1", 2, False),
            VersionCount(2, CURRENT.model_id, 1, True),
        ),
        unknown_models=1,
    )
    assert counts.older == 2

    # Enrolled again: the new template replaces the old one and the person leaves the count.
    store_template(templates, old[0], CURRENT, now, 5)
    with station.store.transaction():
        templates.destroy(old[1])  # consent withdrawn: no face data, nothing to enroll again
    after = station.reenrollment.counts()
    assert [c.people for c in after.versions] == [0, 2] and after.unknown_models == 1
    assert after.older == 0


def test_r15_an_empty_store_lists_every_version_with_nobody(station: Station) -> None:
    counts = station.reenrollment.counts()
    assert [(c.version, c.people, c.current) for c in counts.versions] == [
        (1, 0, False),
        (2, 0, True),
    ]
    assert counts.older == 0 and counts.unknown_models == 0


def test_r15_the_subject_record_says_which_models_made_the_template(station: Station) -> None:
    now = station.clock.now()
    made_by: dict[str, MadeBy] = {"M-1": DLIB_ONLY, "M-2": CURRENT, "M-3": UNKNOWN_MODELS}
    for seed, (member, models) in enumerate(made_by.items()):
        store_template(station.repos.templates, register(station, member), models, now, seed)
    register(station, "M-4")

    def models_of(member: str) -> TemplateModels | None:
        subject = station.subjects.find(member)
        assert subject is not None
        return station.subjects.record(subject.id).template_models

    assert [models_of(m) for m in ("M-1", "M-2", "M-3", "M-4")] == [
        TemplateModels.OLDER,
        TemplateModels.CURRENT,
        TemplateModels.UNKNOWN,
        None,
    ]


def test_r15_r12_the_counts_are_a_report_an_operator_may_not_read(station: Station) -> None:
    station.accounts.add_operator("Desk", Role.OPERATOR, "desk password 1", ADMIN, STORE_SECRET)
    desk = Station(station.store, "Desk", station.settings, station.clock)
    with pytest.raises(NotAllowedError):
        desk.reenrollment.counts()
    denied = station.repos.audit.events()[-1]
    assert denied.kind == "access_denied" and denied.detail["permission"] == "read_reports"


def test_r15_cli_reports_who_should_be_enrolled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(SECRET_ENV, "front desk secret")
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "home"))
    assert run_cli(["init"]) == 0
    for member in ("M-1", "M-2", "M-3"):
        assert run_cli(["add-subject", "--member", member, "--name", "Li Na"]) == 0
    store = Store.open(tmp_path / "home" / "station.db", "admin", "front desk secret")
    try:
        repos, now = Repositories(store), FrozenClock().now()
        made_by: dict[str, MadeBy] = {"M-1": DLIB_ONLY, "M-2": DLIB_ONLY, "M-3": UNKNOWN_MODELS}
        for seed, (member, models) in enumerate(made_by.items()):
            subject = repos.subjects.by_member_number(member)
            assert subject is not None
            store_template(repos.templates, subject.id, models, now, seed)
    finally:
        store.close()
    capsys.readouterr()

    assert run_cli(["report", "templates"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"version 1 ({DLIB_ONLY.model_id}): 2 people, older: still works, enroll again",
        f"version 2 ({CURRENT.model_id}): 0 people, current",
        "unknown models: 1 people, cannot be used: enroll again",
        "to enroll again: 3 people",
    ]
