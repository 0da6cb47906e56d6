"""R14 in the window: a template that expires while the window is open is destroyed by the window's
periodic purge, not only by the purge at sign-in; the event is audited and the count of people
with face data the banner shows (R18's warning) goes down with it. The real event loop and store,
the fake clock: time moves only when the test says."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from station.biometrics.model_sets import CURRENT
from station.domain import SYSTEM_OPERATOR, AuditKind, Template
from station.services import Station, StationOpener
from station.settings import Settings
from tests.conftest import ADULT_BIRTH, FrozenClock, store_template
from tests.ui.conftest import (
    DESK_OPERATOR,
    DESK_PASSWORD,
    Drive,
    create_station,
    sign_in,
    until,
)
from ui.app import station_opener
from ui.views.main_window import MainWindow

RETENTION = timedelta(days=365)  # R14's example, and the setting's default
PURGE_MINUTES = 90  # this site's interval, not the default: the timer must take the store's
MEMBERS = ("M-OLD", "M-NEW")


@pytest.fixture
def opener(tmp_path: Path, site_settings: Settings, frozen_clock: FrozenClock) -> StationOpener:
    """The window's stations run on the fake clock; R18's warning from the first person, so the
    banner shows the count of people with face data."""
    policy = replace(
        site_settings.policy, filing_warning_level=1, purge_interval_minutes=PURGE_MINUTES
    )
    settings = replace(site_settings, policy=policy)
    assert settings.store.retention_days == RETENTION.days
    return replace(station_opener(settings, tmp_path / "station.db"), clock=frozen_clock)


def _enrolled(station: Station, member: str, days_ago: int) -> Template:
    """A member whose template was made `days_ago` days ago (the camera flow is tested elsewhere)."""
    made = station.clock.now() - timedelta(days=days_ago)
    subject = station.repos.subjects.add(member, f"Member {member}", ADULT_BIRTH, made)
    return store_template(station.repos.templates, subject.id, CURRENT, made)


def _held(station: Station) -> set[str]:
    """Which of MEMBERS have a template now."""
    subjects = station.repos.subjects
    return {
        member
        for member in MEMBERS
        if (subject := subjects.by_member_number(member)) is not None
        and station.repos.templates.for_subject(subject.id) is not None
    }


def test_r14_the_purge_timer_destroys_a_template_that_expires_while_the_window_is_open(
    window: MainWindow, qtbot: QtBot, drive: Drive[None], frozen_clock: FrozenClock
) -> None:
    async def scenario() -> None:
        await create_station(window, qtbot)
        desk = window.desk
        assert desk is not None
        # One template a day short of its year, one made yesterday: the sign-in's purge keeps both.
        await desk.executor.run(_enrolled, desk.station, "M-OLD", RETENTION.days - 1)
        await desk.executor.run(_enrolled, desk.station, "M-NEW", 1)
        await sign_in(window, qtbot, DESK_OPERATOR, DESK_PASSWORD)
        desk = window.desk
        assert desk is not None
        station = desk.station
        await until(lambda: "2 people have face data" in window.banner.text(), what="R18 count")
        assert await desk.executor.run(_held, station) == {"M-OLD", "M-NEW"}

        timer = window.purge_timer
        assert timer.isActive() and timer.interval() == PURGE_MINUTES * 60_000
        assert not timer.isSingleShot()
        frozen_clock.advance(timedelta(days=2))  # M-OLD's year is over; no tick has come yet
        assert await desk.executor.run(_held, station) == {"M-OLD", "M-NEW"}

        # The next tick, brought forward: the running timer restarts at the shorter interval.
        timer.setInterval(1)
        await until(lambda: "1 people have face data" in window.banner.text(), what="the purge")
        timer.setInterval(PURGE_MINUTES * 60_000)
        assert await desk.executor.run(_held, station) == {"M-NEW"}
        events = await desk.executor.run(station.repos.audit.recent, 50)
        expired = [event for event in events if event.kind == AuditKind.TEMPLATE_EXPIRED.value]
        old = await desk.executor.run(station.subjects.find, "M-OLD")
        assert old is not None
        assert [(e.subject_id, e.operator, e.at) for e in expired] == [
            (old.id, SYSTEM_OPERATOR, frozen_clock.now())
        ]
        assert expired[0].detail["retention_days"] == RETENTION.days

    drive(scenario)
