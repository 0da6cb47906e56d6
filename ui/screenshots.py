"""Screenshots of the real operator window: one PNG per screen and language.

    python -m ui.screenshots --out build/screenshots [--camera PATH] [--languages en zh_CN]
        [--size 1366x768] [--theme dark] [--scale 2] [--private-previews]
    make screenshots            # the same under Xvfb (xvfb-run) when no display is set
    make gallery                # docs/screens.md: both languages at 1366x768 and 1920x1080

``--theme`` (light, dark, high-contrast, system) is the look, through FACE_STATION_THEME, which
outranks the store's ``[display] theme``. ``--scale 2`` draws at 200 % (QT_SCALE_FACTOR): the
window is then ``--size`` screen pixels, half of it in Qt's own units, as on a 200 % screen.
``--private-previews`` pixelates the camera picture in every preview (the guide and the face box
stay sharp over it): the gallery in git shows no one's face (``ui.gallery``).

The real ``MainWindow`` runs on the current display with a throw-away store (a temporary folder,
deleted afterwards), the real models and a file camera playing a clip, and walks the operator's
flows the way ``tests/ui/test_flows.py`` does: create the station, home, the face-data notice, the
live capture (shot when the preview shows frames with a face box), the enrollment result, a face
verification, the PIN path (decline, set a PIN, verify another way), the subject page when the
window has one, erasing the PIN member at the end of service (the question, then the receipt) and
the members with no visit (the station's clock moved on 200 days for it); and the person-facing screen (welcome, notice, capture, result), turned to as a
one-screen desk does and grabbed at the window's size. Each screen is saved as
``NN-name.LANG.png`` from ``QWidget.grab()``, Qt's own rendering of the window.

Languages: each language gets its own window, built in that language with the window's own switch
(``ui.i18n.install_language``, the compiled ``resources/i18n/*.qm`` from ``make setup``); the
notice follows the window's language.

Exit status 0 when every shot was written; 1 with a message naming the step that failed; 2 for bad
arguments (no display, no camera file).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import numpy.typing as npt
import qasync
from PySide6.QtCore import QRect
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from station.capture import FrameSource, PacedSource, open_source
from station.clock import Clock
from station.policy.notice import LANGUAGES
from station.settings import RULE_BOUNDS, THEMES, Bound, Bounds, Settings
from ui.app import station_opener
from ui.gallery import pixelated
from ui.i18n import install_language
from ui.style import THEME_ENV, apply_style
from ui.views.main_window import MainWindow
from ui.views.result_card import ResultCard
from ui.views.subject import SubjectView
from ui.views.widgets import PreviewLabel

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CAMERA = ROOT.parent / "shared" / "faces" / "video" / "short_hamilton_clip.mp4"
DEFAULT_SIZE = "1280x900"

# Every run writes these, per language; SUBJECT_SCREEN too when the window has a subject page.
SCREENS = (
    "01-start",
    "01b-recovery-key",
    "02-home",
    "03-notice",
    "04-capture",
    "04b-challenge",
    "05-enrolled",
    "06-verified",
    "06b-not-live",
    "07-set-pin",
    "08-alternative",
    "09b-erase-confirm",
    "09c-erased",
    "10-admin-settings",
    "11-admin-audit",
    "12-admin-reports",
    "12b-admin-inactive",
    # The person-facing screen (issue 12), turned to on the walk's one screen, at the window's size.
    "13-member-welcome",
    "14-member-notice",
    "15-member-capture",
    "16-member-result",
)
SUBJECT_SCREEN = "09-subject"

ADULT_BIRTH = "1990-05-17"  # face enrollment needs an adult's date of birth (R7)
FACE_MEMBER, FACE_NAME = "LMM-1001", "Lin-Manuel Miranda"
PIN_MEMBER, PIN_NAME, PIN = "M-2002", "Wang Fang", "246813"
OPERATOR, PASSWORD = "Front desk", "front desk screenshot secret"
BOX_PIXELS = 40  # a drawn face box is hundreds of pixels; stray video colours are a few
# One language's walk takes ~40 s with the liveness check (a rendered head answers two movements
# twice); this only stops a hang the steps miss.
WALK_TIMEOUT = 300.0
# The person enrolled and verified: a live head rendered from their photo (R23's check is on), who
# reads each movement off the capture page; and the photo itself, which the check refuses.
FACE_PHOTO = (
    ROOT.parent
    / "shared"
    / "faces"
    / "photos"
    / "lin_manuel_miranda"
    / ("face_recognition_lin-manuel-miranda.png")
)
TRIES = 3  # a challenge the rendered head fails is tried again, as a person would
# Issue 15: members away this long are listed for erasure; the walk moves the clock past it.
INACTIVE_MONTHS, AWAY = 6, timedelta(days=200)
AWAY_MEMBERS = (("M-3003", "Li Na"), ("M-3004", "Chen Jie"))


class StepFailed(Exception):
    """A screen could not be reached or saved; the message names the step."""


class LaterClock:
    """The station's clock moved on by `later`: the walk's members have been away for months."""

    def __init__(self, clock: Clock, later: timedelta) -> None:
        self.clock, self.later = clock, later

    def now(self) -> datetime:
        return self.clock.now() + self.later

    def monotonic(self) -> float:
        return self.clock.monotonic()


# The shared clip's face is small (eyes ~30-45 px apart), under R26's 60 px: this walk (not the
# station) lowers the eye-distance bound, in code, as the UI tests do; no settings file can.
CLIP_BOUNDS: Bounds = dict(
    {
        **RULE_BOUNDS,
        "enroll_gate.min_eye_distance_px": Bound(30, 400, "the shared clip"),
        "verify_gate.min_eye_distance_px": Bound(30, 400, "the shared clip"),
    }
)


def screenshot_settings(language: str = "en") -> Settings:
    """Lower the size limits for the shared clip (CLIP_BOUNDS), and show the notice in
    `language`."""
    base = Settings(bounds=CLIP_BOUNDS)
    return replace(
        base,
        site=replace(base.site, language=language),
        enroll_gate=replace(base.enroll_gate, min_eye_distance_px=30.0, max_yaw=0.25),
        verify_gate=replace(base.verify_gate, min_eye_distance_px=30.0),
    )


@contextmanager
def _install_language(app: QApplication, language: str) -> Iterator[None]:
    """The window's real translator for `language` (ui.i18n), back to English afterwards."""
    install_language(app, language)
    try:
        yield
    finally:
        install_language(app, "en")


def widget_rgb(widget: QWidget) -> npt.NDArray[np.uint8]:
    """Qt's own rendering of `widget` as an H x W x 3 RGB array (a copy)."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    if width == 0 or height == 0:
        return np.zeros((height, width, 3), np.uint8)
    raw = np.frombuffer(image.constBits(), np.uint8, count=stride * height)
    return raw.reshape(height, stride)[:, : width * 3].reshape(height, width, 3).copy()


def face_box_pixels(widget: QWidget) -> tuple[int, int]:
    """How many pixels of the preview are the face box's pure green, and its pure yellow
    (ui.views.face_guide: no colour of the oval guide counts as either)."""
    rgb = widget_rgb(widget).astype(np.int16)
    red, green, blue = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    box_green = (green > 200) & (red < 90) & (blue < 90)
    box_yellow = (red > 200) & (green > 200) & (blue < 90)
    return int(np.count_nonzero(box_green)), int(np.count_nonzero(box_yellow))


@dataclass
class Walk:
    """One window, one language: the steps and where their shots go."""

    window: MainWindow
    out: Path
    language: str
    size: tuple[int, int]  # asked for, in Qt's units
    step: str = "starting the window"

    async def until(self, condition: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise StepFailed(f"timed out after {timeout:.0f} s waiting for {what}")
            await asyncio.sleep(0.02)

    async def settle(self) -> None:
        """Let queued store work finish (one worker: a no-op runs after it) and the window paint."""
        await self.window.executor.run(lambda: None)
        await asyncio.sleep(0.15)

    async def shot(self, name: str) -> Path:
        return self.save(name, self.window.grab())

    def save(self, name: str, pixmap: QPixmap) -> Path:
        path = self.out / f"{name}.{self.language}.png"
        if pixmap.isNull() or pixmap.width() < 200 or pixmap.height() < 200:
            raise StepFailed(f"the window grab for {name} is empty ({pixmap.size()})")
        if not pixmap.save(str(path), "PNG"):
            raise StepFailed(f"cannot write {path}")
        # A screen whose content holds the window larger than asked does not fit that size.
        shown = pixmap.deviceIndependentSize().toSize()
        width, height = shown.width(), shown.height()
        larger = width > self.size[0] or height > self.size[1]
        print(f"  {path}" + (f" (LARGER than asked: {width}x{height})" if larger else ""))
        return path


async def _capture_shot(walk: Walk, preview: QWidget, result: ResultCard) -> Path:
    """The live preview with a face box: a green (accepted) box if one shows within a few seconds,
    else the first yellow one. The capture may end meanwhile, so candidates are kept, not awaited."""
    candidate: QPixmap | None = None
    deadline = time.monotonic() + 20.0
    while time.monotonic() < deadline and not result.isVisible():
        green, yellow = face_box_pixels(preview)
        if green > BOX_PIXELS:
            candidate = walk.window.grab()
            break
        if yellow > BOX_PIXELS and candidate is None:
            candidate = walk.window.grab()
            deadline = min(deadline, time.monotonic() + 4.0)
        await asyncio.sleep(0.02)
    if candidate is None:
        outcome = f": {result.text()!r}" if result.text() else ""
        raise StepFailed(f"no preview frame with a face box before the capture ended{outcome}")
    return walk.save("04-capture", candidate)


async def _member_shot(walk: Walk, name: str, ready: Callable[[], bool] | None = None) -> Path:
    """The person-facing screen as the member sees it: turned to ("turn to the member", the way a
    one-screen desk shows it) and sized like the window, as a member's monitor of that size. With
    `ready` (a capture running) it does not wait for the store thread, which the capture holds."""
    window = walk.window
    display = window.member_display
    member = display.screen
    display.turn()
    try:
        await walk.until(member.isFullScreen, f"the member screen for {name}")
        await asyncio.sleep(0.05)  # the full-screen geometry applied, then the window's size
        member.setGeometry(QRect(member.geometry().topLeft(), window.size()))
        await walk.until(lambda: member.size() == window.size(), f"{name} at the window's size")
        if ready is None:
            await walk.settle()
        else:
            await walk.until(ready, f"the member screen to show {name}")
            await asyncio.sleep(0.15)  # painted
        return walk.save(name, member.grab())
    finally:
        display.give_back()


class LivePerson:
    """A synthetic live head (station.liveness.presentations) in front of the window's camera: it
    learns each movement only from the capture pages (`prompt_shown`), as a person reads them."""

    def __init__(self, window: MainWindow, photo: Path) -> None:
        import cv2

        from station.liveness.presentations import FollowingTask, Portrait

        desk = window.desk
        if desk is None:
            raise StepFailed("no desk for the live head")
        image = cv2.imread(str(photo))
        if image is None:
            raise StepFailed(f"cannot read {photo}")
        models = desk.station.models
        self.portrait = Portrait.from_photo(
            np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2RGB), dtype=np.uint8),
            models.new_detector(),
            models.new_landmarker(),
        )
        self.task = FollowingTask()
        self.visits = 0
        for panel in (window.enroll.capture, window.verify.capture):
            panel.prompt_shown.connect(self._read_screen)

    def _read_screen(self, action: object) -> None:
        self.task.asked = action  # type: ignore[assignment]

    def open_frames(self, _spec: str, _paced: bool) -> FrameSource:
        from station.liveness.presentations import FollowingTask, LiveHead, PresentationSource

        self.visits += 1
        self.task = FollowingTask()
        head = LiveHead(self.portrait, 100 + self.visits)
        return PacedSource(PresentationSource(head, self.task))


async def _walk(walk: Walk, size: tuple[int, int]) -> list[Path]:
    window = walk.window
    shots: list[Path] = []

    walk.step = "showing the window"
    window.resize(*size)
    window.show()
    window.raise_()
    window.activateWindow()
    handle = window.windowHandle()
    await walk.until(lambda: handle is not None and handle.isExposed(), "the window to be shown")
    try:
        await walk.until(window.isActiveWindow, "the window to get the keyboard focus", 2.0)
    except StepFailed:
        print("  note: the window is not active, so no focus ring shows", file=sys.stderr)

    walk.step = "01-start (create the station)"
    start = window.start
    if not start.creating:
        raise StepFailed("the start page is not in 'create' mode although the store is new")
    start.operator.setText(OPERATOR)
    start.password.setText(PASSWORD)
    start.repeat.setText(PASSWORD)
    start.go.setFocus()
    await walk.settle()
    shots.append(await walk.shot("01-start"))
    start.go.click()
    walk.step = "01b-recovery-key (shown once after creating the station)"
    await walk.until(lambda: bool(start.recovery_key.text()), "the recovery key")
    await walk.settle()
    shots.append(await walk.shot("01b-recovery-key"))
    start.written_down.click()
    await walk.until(lambda: window.desk is not None, "the store to be created")

    walk.step = "02-home (load the face models)"
    home = window.home
    try:
        await walk.until(lambda: window.models_ready, "the face models", 30.0)
    except StepFailed:
        raise StepFailed(f"the face models are not ready: {window.banner.text()!r}") from None
    home.search.setText(FACE_MEMBER)
    home.search.setFocus()
    await walk.settle()
    shots.append(await walk.shot("02-home"))
    shots.append(await _member_shot(walk, "13-member-welcome"))

    walk.step = "03-notice (enroll: details, then the notice)"
    home.enroll.click()
    enroll = window.enroll
    enroll.name.setText(FACE_NAME)
    enroll.birth.setText(ADULT_BIRTH)
    enroll.to_notice.click()
    await walk.until(enroll.notice.isVisible, "the face-data notice")
    await walk.settle()
    shots.append(await walk.shot("03-notice"))
    shots.append(await _member_shot(walk, "14-member-notice"))

    walk.step = "04-capture (accept, start the camera)"
    enroll.accept.click()
    capture = enroll.capture
    await walk.until(capture.start.isVisible, "the camera step")
    if window.camera.running:
        raise StepFailed("the camera runs before its explicit start (R25)")
    person = LivePerson(window, FACE_PHOTO)
    window.camera.open_frames = person.open_frames
    capture.start.click()
    shots.append(await _capture_shot(walk, capture.preview, enroll.result))
    member = window.member_display.screen
    frames = member.preview.frames_shown
    shots.append(  # the member's view of the same capture, a frame later
        await _member_shot(
            walk,
            "15-member-capture",
            lambda: member.preview.frames_shown > frames or enroll.result.isVisible(),
        )
    )

    walk.step = "04b-challenge (the movement asked for, its cue and the time left)"
    await walk.until(
        lambda: capture.challenge.isVisible() or enroll.result.isVisible(), "the challenge", 45.0
    )
    if not capture.challenge.isVisible():
        raise StepFailed(f"no challenge was shown: {enroll.result.text()!r}")
    await asyncio.sleep(0.3)  # the cue and the countdown painted
    shots.append(walk.save("04b-challenge", window.grab()))
    walk.step = "05-enrolled (the enrollment result)"
    for _ in range(TRIES):
        await walk.until(enroll.result.isVisible, "the enrollment result", 90.0)
        await walk.until(lambda: not window.camera.running, "the camera to stop")
        if not enroll.retry.isVisible():
            break
        enroll.retry.click()  # the head missed a movement: try again, as a person would
        capture.start.click()
    if window.desk is None:
        raise StepFailed("the desk closed during enrollment")
    station = window.desk.station
    subject = await window.executor.run(station.subjects.find, FACE_MEMBER)
    record = await window.executor.run(station.subjects.record, subject.id) if subject else None
    if record is None or not record.has_template:
        raise StepFailed(f"enrollment stored no template: {enroll.result.text()!r}")
    await walk.until(lambda: not window.camera.running, "the camera to stop")
    await walk.settle()
    shots.append(await walk.shot("05-enrolled"))
    shots.append(await _member_shot(walk, "16-member-result"))
    enroll.finish.click()

    walk.step = "06-verified (verify by face)"
    home.search.setText(FACE_MEMBER)
    home.verify_face.click()
    verify = window.verify
    await walk.until(verify.capture.start.isVisible, "the verify page")
    for _ in range(TRIES):
        verify.capture.start.click()
        await walk.until(verify.result.isVisible, "the verification result", 90.0)
        await walk.until(lambda: not window.camera.running, "the camera to stop")
        if not verify.again.isVisible():
            break
        verify.again.click()
    await walk.settle()
    shots.append(await walk.shot("06-verified"))
    verify.finish.click()

    walk.step = "06b-not-live (the member's photo held up: the liveness refusal)"
    window.camera.open_frames = open_source
    window.set_camera(str(FACE_PHOTO))
    home.search.setText(FACE_MEMBER)
    home.verify_face.click()
    await walk.until(verify.capture.start.isVisible, "the verify page")
    verify.capture.start.click()
    await walk.until(verify.result.isVisible, "the liveness refusal", 60.0)
    await walk.until(lambda: not window.camera.running, "the camera to stop")
    await walk.settle()
    shots.append(await walk.shot("06b-not-live"))
    verify.finish.click()

    walk.step = "07-set-pin (decline face, set a PIN)"
    home.search.setText(PIN_MEMBER)
    home.enroll.click()
    enroll.name.setText(PIN_NAME)
    enroll.birth.setText(ADULT_BIRTH)
    enroll.to_notice.click()
    await walk.until(enroll.notice.isVisible, "the notice")
    enroll.decline.click()
    await walk.until(enroll.pin.isVisible, "the PIN page")
    enroll.pin.setText(PIN)
    enroll.pin_again.setText(PIN)
    await walk.settle()
    shots.append(await walk.shot("07-set-pin"))
    enroll.save_pin.click()
    await walk.until(enroll.result.isVisible, "the PIN to be saved")
    enroll.finish.click()

    walk.step = "08-alternative (verify another way: PIN)"
    home.search.setText(PIN_MEMBER)
    home.verify_other.click()
    alternative = window.alternative
    await walk.until(alternative.pin.isVisible, "the verify-another-way page")
    alternative.pin.setText(PIN)
    alternative.check_pin.click()
    await walk.until(lambda: bool(alternative.result.text()), "the PIN decision")
    await walk.settle()
    shots.append(await walk.shot("08-alternative"))
    alternative.finish.click()

    if hasattr(window, "subject"):  # the subject page: find the member on home, open the match
        walk.step = f"{SUBJECT_SCREEN} (find the member, open the subject page)"
        subject_page = await _open_subject(walk, FACE_MEMBER)
        await walk.settle()
        shots.append(await walk.shot(SUBJECT_SCREEN))
        subject_page.finish.click()

    walk.step = "09b-erase-confirm (the PIN member's subject page, asked to erase them)"
    subject_page = await _open_subject(walk, PIN_MEMBER)
    subject_page.erase.click()
    erasure = subject_page.erasure
    await walk.until(erasure.confirmation.isVisible, "the question before erasing")
    await walk.settle()
    shots.append(await walk.shot("09b-erase-confirm"))
    walk.step = "09c-erased (the erasure receipt)"
    erasure.erase_now.click()
    await walk.until(erasure.receipt_area.isVisible, "the erasure receipt")
    await walk.settle()
    shots.append(await walk.shot("09c-erased"))
    erasure.finish.click()

    walk.step = "10-admin-settings (open the administration screen)"
    window.admin_button.click()
    admin = window.admin_view
    await walk.until(admin.isVisible, "the administration screen")
    await walk.settle()
    shots.append(await walk.shot("10-admin-settings"))
    walk.step = "11-admin-audit (verify the audit trail against the code it shows)"
    admin.show_panel(admin.audit)
    await walk.until(lambda: bool(admin.audit.head_code.text()), "the audit trail's head code")
    admin.audit.codes.setText(admin.audit.head_code.text())  # as if noted earlier (issue 14)
    admin.audit.verify.click()
    await walk.until(lambda: bool(admin.audit.result.text()), "the audit verification")
    await walk.settle()
    shots.append(await walk.shot("11-admin-audit"))
    walk.step = "12-admin-reports (the processing record and filing status)"
    admin.show_panel(admin.reports)
    await walk.until(lambda: admin.reports.record is not None, "the processing record")
    await walk.settle()
    shots.append(await walk.shot("12-admin-reports"))
    walk.step = "12b-admin-inactive (the members with no visit for months)"
    await _away_for_months(walk)
    admin.show_panel(admin.inactive)
    await walk.until(lambda: admin.inactive.table.rowCount() > 0, "the inactive members")
    admin.inactive.table.selectRow(0)
    await walk.settle()
    shots.append(await walk.shot("12b-admin-inactive"))
    admin.finish.click()
    return shots


async def _open_subject(walk: Walk, member: str) -> SubjectView:
    """From home: find `member`, open the match, wait for their page."""
    home, page = walk.window.home, walk.window.subject
    home.search.setText(member)
    home.find_button.click()
    await walk.until(lambda: home.results.count() > 0, f"{member} in the search results")
    home.results.itemActivated.emit(home.results.item(0))

    def shown() -> bool:
        record = page.record
        return page.isVisible() and record is not None and record.subject.member_number == member

    await walk.until(shown, f"the subject page of {member}")
    return page


async def _away_for_months(walk: Walk) -> None:
    """A few more members, then the station's clock moved on past the site's inactivity setting:
    everyone is listed, as at a gym months later."""
    desk = walk.window.desk
    if desk is None:
        raise StepFailed("no desk to list the inactive members")
    station, run = desk.station, walk.window.executor.run
    for member, name in AWAY_MEMBERS:
        await run(station.subjects.register, member, name, None, desk.operator)
    change = {"policy": {"inactive_months": INACTIVE_MONTHS}}
    await run(station.configuration.update, change, desk.operator)
    await run(setattr, station, "clock", LaterClock(station.clock, AWAY))


async def _run_language(
    app: QApplication, language: str, camera: str, out: Path, size: tuple[int, int], scratch: Path
) -> list[Path]:
    """One language in its own window, with its own new store under `scratch`."""
    with _install_language(app, language):
        opener = station_opener(screenshot_settings(language), scratch / "station.db")
        window = MainWindow(camera, opener, language=language)
        walk = Walk(window, out, language, size)
        try:
            return await asyncio.wait_for(_walk(walk, size), WALK_TIMEOUT)
        except TimeoutError:
            raise StepFailed(
                f"[{language}] step {walk.step}: no progress after {WALK_TIMEOUT:.0f} s"
            ) from None
        except StepFailed as exc:
            raise StepFailed(f"[{language}] step {walk.step}: {exc}") from None
        except Exception as exc:
            raise StepFailed(f"[{language}] step {walk.step}: {type(exc).__name__}: {exc}") from exc
        finally:
            window.close()  # stops the camera thread and the store thread, closes the store
            window.deleteLater()


async def _run(
    app: QApplication,
    languages: Sequence[str],
    camera: str,
    out: Path,
    size: tuple[int, int],
    scratch: Path,
) -> list[Path]:
    shots: list[Path] = []
    for language in languages:
        print(f"{language}:")
        shots += await _run_language(app, language, camera, out, size, scratch / language)
    return shots


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not WIDTHxHEIGHT") from None
    if width < 400 or height < 300:
        raise argparse.ArgumentTypeError(f"{text} is too small for the window")
    return width, height


def _scale(text: str) -> float:
    try:
        scale = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 1.0 <= scale <= 4.0:
        raise argparse.ArgumentTypeError(f"{text} is outside 1 to 4")
    return scale


def _pixelate_previews() -> None:
    """Every preview built from now on shows the camera picture pixelated; what the window draws
    over it (the oval, the face box) stays sharp, as the gallery is meant to show."""
    show_frame = PreviewLabel.show_frame

    def show_private_frame(preview: PreviewLabel, image: QImage) -> None:
        show_frame(preview, pixelated(image))

    setattr(PreviewLabel, "show_frame", show_private_frame)  # noqa: B010 (mypy: a method)


def _has_display() -> bool:
    return bool(
        os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
        or not sys.platform.startswith("linux")
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ui.screenshots", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--out", type=Path, default=Path("build/screenshots"))
    parser.add_argument("--camera", default=str(DEFAULT_CAMERA), help="a video file (the clip)")
    parser.add_argument("--languages", nargs="+", default=list(LANGUAGES), choices=LANGUAGES)
    parser.add_argument("--size", type=_size, default=_size(DEFAULT_SIZE), help="window WxH")
    parser.add_argument("--theme", choices=THEMES, help="the look (default: the system's)")
    parser.add_argument("--scale", type=_scale, default=1.0, help="2 for 200 %% (default 1)")
    parser.add_argument(
        "--private-previews", action="store_true", help="pixelate the camera picture (gallery)"
    )
    args = parser.parse_args(argv)

    if not _has_display():
        print(
            "screenshots: no display (DISPLAY is not set). Run `make screenshots`, or "
            "`xvfb-run -a -s '-screen 0 1280x900x24' python -m ui.screenshots ...`.",
            file=sys.stderr,
        )
        return 2
    if not Path(args.camera).is_file():
        print(f"screenshots: no camera file at {args.camera} (--camera PATH)", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    for language in args.languages:  # no stale shot of a screen that is gone survives a run
        for old in args.out.glob(f"[0-9][0-9]-*.{language}.png"):
            old.unlink()

    if args.private_previews:
        _pixelate_previews()
    if args.theme is not None:
        os.environ[THEME_ENV] = args.theme
    if args.scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = f"{args.scale:g}"  # read when the QApplication starts
    size = (round(args.size[0] / args.scale), round(args.size[1] / args.scale))
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)  # one window per language: closing one must not quit
    apply_style(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    began = time.monotonic()
    # The stores' home (FACE_STATION_HOME-like), deleted whatever happens to the event loop.
    scratch = Path(tempfile.mkdtemp(prefix="face-station-screenshots-"))
    try:
        shots = loop.run_until_complete(
            _run(app, args.languages, args.camera, args.out, size, scratch)
        )
    except StepFailed as exc:
        print(f"screenshots: FAILED {exc}", file=sys.stderr)
        return 1
    except RuntimeError as exc:  # e.g. the event loop stopped under the walk
        print(f"screenshots: FAILED {exc}", file=sys.stderr)
        return 1
    finally:
        loop.close()
        asyncio.set_event_loop(None)
        shutil.rmtree(scratch, ignore_errors=True)
    platform = QApplication.platformName()
    print(f"{len(shots)} screenshots in {args.out} ({platform}, {time.monotonic() - began:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
