"""R15 in the window: the subject page says when a member's face template was made by older models
(it still works; enrolling again moves it on) or by models the station does not have (it cannot be
used), in both languages, and the reports panel counts who should be enrolled again. A real store;
the version-1 template is stored as an old store holds one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from station.biometrics.model_sets import CURRENT, DLIB_ONLY
from station.services import Station
from tests.conftest import ADULT_BIRTH, UNKNOWN_MODELS, MadeBy, store_template
from tests.ui.conftest import Drive, until
from ui.desk import Desk
from ui.i18n import install_language
from ui.views.admin_reports import ReportsPanel
from ui.views.subject import SubjectView
from ui.workers.camera import CameraSession
from ui.workers.store import StoreExecutor

OLDER = "This face template was made by older face models. It still works"
OLDER_ZH = "该人脸特征模板由旧版人脸模型生成，目前仍可使用"
UNKNOWN = (
    "This face template was made by face models this station does not have, so it cannot be used"
)
UNKNOWN_ZH = "该人脸特征模板由本机没有的人脸模型生成，无法使用"
MADE_BY: dict[str, MadeBy] = {
    "M-1": DLIB_ONLY,
    "M-2": UNKNOWN_MODELS,
    "M-3": CURRENT,
    "M-4": DLIB_ONLY,
}


@pytest.fixture
def desk(station: Station) -> Iterator[Desk]:
    now = station.clock.now()
    for seed, (member, models) in enumerate(MADE_BY.items()):
        subject = station.subjects.register(member, f"Member {member}", ADULT_BIRTH, "desk-1")
        store_template(station.repos.templates, subject.id, models, now, seed)
    executor = StoreExecutor()
    yield Desk(station, executor, CameraSession("7"), "admin-1")
    executor.shutdown()


def test_r15_the_subject_page_says_what_an_older_or_unknown_template_means_in_both_languages(
    desk: Desk, qtbot: QtBot, drive: Drive[object], qapp: QApplication
) -> None:
    view = SubjectView(desk)
    qtbot.addWidget(view)
    view.show()
    pages: dict[str, str] = {}

    async def scenario() -> None:
        for member in ("M-1", "M-2", "M-3"):
            subject = desk.station.subjects.find(member)
            assert subject is not None
            view.record = None
            view.show_subject(subject.id)
            await until(lambda: view.record is not None, what=f"the page of {member}")
            await until(lambda: view.details.toPlainText() != "", what="the page text")
            pages[member] = view.details.toPlainText()
            assert view.enroll.text() == "Enroll again"  # the way on, beside withdrawal (R4)
            try:
                install_language(qapp, "zh_CN")
                pages[f"{member} zh_CN"] = view.receipt_html()
            finally:
                install_language(qapp, "en")

    drive(scenario)
    assert OLDER in pages["M-1"] and "enrolling again" in pages["M-1"]
    assert OLDER_ZH in pages["M-1 zh_CN"] and "重新登记人脸" in pages["M-1 zh_CN"]
    assert UNKNOWN in pages["M-2"] and "verify another way" in pages["M-2"]
    assert UNKNOWN_ZH in pages["M-2 zh_CN"] and "其他方式核验" in pages["M-2 zh_CN"]
    # A current template: the page says nothing of models.
    assert "models" not in pages["M-3"] and "模型" not in pages["M-3 zh_CN"]
    assert "One face template (no image)" in pages["M-3"]


def test_r15_the_reports_panel_counts_who_should_be_enrolled_again(
    desk: Desk, qtbot: QtBot, drive: Drive[object]
) -> None:
    panel = ReportsPanel(desk)
    qtbot.addWidget(panel)

    shown: list[list[str]] = []

    def seen() -> None:
        shown.append(panel.versions.text().splitlines())

    async def scenario() -> None:
        panel.show()  # showing it generates the record and reads the versions once
        await until(lambda: panel.template_versions is not None, what="the template versions")
        seen()
        # The people of older and unknown models enrolled again, or their face data deleted.
        station, operator = desk.station, desk.operator
        for member in ("M-1", "M-2", "M-4"):
            await desk.executor.run(station.subjects.delete_face_data, member, operator)
        panel.template_versions = None
        qtbot.mouseClick(panel.refresh_button, Qt.MouseButton.LeftButton)
        await until(lambda: panel.template_versions is not None, what="the versions again")
        seen()

    drive(scenario)
    assert shown == [
        [
            "2 people have a face template made by older models and should be enrolled again; "
            "until then it still works.",
            "1 people have a face template made by models this station does not have: it cannot "
            "be used; enroll them again.",
            f"Version 1 ({DLIB_ONLY.model_id}): 2 people",
            f"Version 2 (current, {CURRENT.model_id}): 1 people",
        ],
        [
            "Nobody has a face template made by older models.",
            f"Version 2 (current, {CURRENT.model_id}): 1 people",
        ],
    ]
    assert panel.versions.accessibleName() == "Face templates to enroll again"
