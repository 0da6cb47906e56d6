"""Bilingual window: the .ts is complete, no text bypasses tr(), and the language switches live."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from pytestqt.qtbot import QtBot

from station.domain import QualityIssue
from station.resources import resources_dir
from tests.ui.conftest import Drive, submit_first_start, until
from ui.i18n import catalog_path, current_language, default_language, install_language
from ui.views.main_window import MainWindow
from ui.views.texts import quality_hint

ROOT = Path(__file__).resolve().parents[2]
TS_FILE = resources_dir() / "i18n" / "face_station_zh_CN.ts"

# Calls whose (first) argument is shown to the operator.
TEXT_METHODS = {
    "setText",
    "setPlaceholderText",
    "setToolTip",
    "setAccessibleName",
    "setAccessibleDescription",
    "setStatusTip",
    "setWindowTitle",
    "setTitle",
    "addItem",
    "insertItem",
    "addRow",
    "setPlainText",
    "setHtml",
    "showMessage",
}
TEXT_CONSTRUCTORS = {
    "QLabel",
    "QPushButton",
    "QCheckBox",
    "QRadioButton",
    "QGroupBox",
    "QListWidgetItem",
    "QMessageBox",
    "action_button",
}
# Shown as is in both languages: formats and the language switch's own names.
ALLOWED = {"YYYY-MM-DD", "中文", "English"}
WORDS = re.compile(r"[A-Za-z\u4e00-\u9fff]")


def _literal_words(node: ast.expr) -> str | None:
    """The words of a string literal (or of an f-string's literal parts) that are not allowed."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(
            part.value
            for part in node.values
            if isinstance(part, ast.Constant) and isinstance(part.value, str)
        )
    else:
        return None
    if text.strip() in ALLOWED or not WORDS.search(text):
        return None
    return text


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def hard_coded_texts(source: str, filename: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = _name(node.func)
        if name in TEXT_METHODS or name in TEXT_CONSTRUCTORS:
            words = _literal_words(node.args[0])
            if words is not None:
                found.append(f"{filename}:{node.lineno}: {name}({words!r})")
    return found


def test_the_scan_catches_a_hard_coded_text() -> None:
    sample = (
        'label.setText("Ready")\n'
        'QPushButton(f"Frame {n}")\n'
        'label.setText(self.tr("Ready"))\n'
        'box.setPlaceholderText("YYYY-MM-DD")\n'
        'button.setText("中文")\n'
        'item = QListWidgetItem(f"{a} — {b}")\n'
    )
    assert [line.split(": ", 1)[1] for line in hard_coded_texts(sample, "x.py")] == [
        "setText('Ready')",
        "QPushButton('Frame ')",
    ]


def test_no_user_visible_string_bypasses_tr() -> None:
    found: list[str] = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        found += hard_coded_texts(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert not found, "texts shown without tr():\n" + "\n".join(found)


def test_every_message_has_a_finished_translation() -> None:
    root = ET.parse(TS_FILE).getroot()
    assert root.get("language") == "zh_CN"
    messages = list(root.iter("message"))
    assert len(messages) > 100
    problems = []
    for message in messages:
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None or not (translation.text or "").strip():
            problems.append(f"empty: {source!r}")
        elif translation.get("type") in {"unfinished", "obsolete", "vanished"}:
            problems.append(f"{translation.get('type')}: {source!r}")
        elif sorted(re.findall(r"\{\w*\}", source)) != sorted(
            re.findall(r"\{\w*\}", translation.text or "")
        ):
            problems.append(f"placeholders differ: {source!r}")
    assert not problems, "\n".join(problems)


def _catalog_entries(path: Path) -> set[tuple[str, str]]:
    return {
        (context.findtext("name") or "", message.findtext("source") or "")
        for context in ET.parse(path).getroot().iter("context")
        for message in context.iter("message")
    }


def test_the_catalog_holds_exactly_the_strings_of_ui(tmp_path: Path) -> None:
    """A tr() string missing from the .ts would show in English on a Chinese screen."""
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(path) for path in (ROOT / "ui").rglob("*.py"))
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    subprocess.run(
        [str(lupdate), "-no-obsolete", "-locations", "none", *sources, "-ts", str(fresh)],
        check=True,
        capture_output=True,
    )
    wanted, catalog = _catalog_entries(fresh), _catalog_entries(TS_FILE)
    assert len(wanted) > 100
    missing = sorted(wanted - catalog)
    assert not missing, "run `make translations-update`, then translate:\n" + "\n".join(
        f"{context}: {source!r}" for context, source in missing
    )
    assert not sorted(catalog - wanted), "stale entries: run `make translations-update`"


def test_the_compiled_catalog_is_there() -> None:
    assert Path(catalog_path("zh_CN")).is_file(), "run `make setup` to compile the .ts"


def test_the_environment_chooses_the_start_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACE_STATION_LANGUAGE", "zh_CN")
    assert default_language() == "zh_CN"
    monkeypatch.setenv("FACE_STATION_LANGUAGE", "en")
    assert default_language() == "en"


def test_quality_hints_follow_the_language(qapp: QCoreApplication) -> None:
    try:
        install_language(qapp, "zh_CN")
        hints = {issue: quality_hint(issue) for issue in QualityIssue}
        assert hints[QualityIssue.TOO_SMALL] == "请靠近摄像头。"
        assert all(
            WORDS.search(hint) and not re.search("[A-Za-z]", hint) for hint in hints.values()
        )
    finally:
        install_language(qapp, "en")
    assert quality_hint(QualityIssue.TOO_SMALL) == QualityIssue.TOO_SMALL.hint


def test_switching_the_language_at_run_time(
    window: MainWindow, qtbot: QtBot, drive: Drive[None]
) -> None:
    button = window.language_button
    assert window.language == "en" and button.text() == "中文"
    assert button.accessibleName()
    # On the start page: the sign-in texts follow.
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    try:
        assert current_language() == "zh_CN" and button.text() == "English"
        assert window.start.go.text() == "创建工作站"

        async def scenario() -> None:
            await submit_first_start(window, qtbot)

        drive(scenario)
        assert window.home.verify_other.text() == "其他方式核验"
        assert window.home.enroll.accessibleName() == "登记"
        desk = window.desk
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert window.desk is desk  # still signed in, the store still open
        assert window.home.verify_other.text() == "Verify another way"
        assert button.text() == "中文"
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert window.home.verify_other.text() == "其他方式核验"
        assert window.stack.currentWidget() is window.home
        # The notice follows the window's language and keeps its own switch.
        window.home.search.setText("M-5")
        qtbot.mouseClick(window.home.enroll, Qt.MouseButton.LeftButton)
        window.enroll.name.setText("Li Na")
        window.enroll.birth.setText("1990-05-17")
        qtbot.mouseClick(window.enroll.to_notice, Qt.MouseButton.LeftButton)

        async def notice() -> None:
            await until(lambda: window.enroll.pages.currentIndex() == 1, what="the notice")

        drive(notice)
        assert "人脸" in window.enroll.notice.toPlainText()
        assert window.enroll.switch_language.text() == "告知书：English"
    finally:
        window.set_language("en")
    assert current_language() == "en"
    assert window.home.verify_other.text() == "Verify another way"
