"""Where the person-facing screen shows, and what feeds it (issue 12).

Two ways, both full-screen:

- **A second monitor** (``[display] member_screen = auto``, the default): when the desk has a
  screen other than the operator window's, the member screen stays on it, full-screen, from start
  to close; it never takes the keyboard or the focus from the operator's window. A monitor plugged
  in or out, or the operator window moved to another monitor, places it again; a flow in progress
  goes on whatever happens.
- **Turn to the member** (one screen, or ``off``): a button beside the banner, during the enroll
  and verify flows, covers the operator's screen with the member screen, application-modal, so no
  operator control is visible or takes a key; capture goes on underneath and its outcome shows. The operator comes back with RETURN_KEY
  (Ctrl+Alt+O), and the keyboard focus returns to where it was in the operator's window.

The feed is the views' own signals: the enrollment notice and answer (EnrollView), every capture
panel's progress (CapturePanel.progress_shown), the camera's preview frames and its start, and every
result card (ResultCard.result_changed) — of which only the kind is used: the operator's messages
name the member. The operator's home, a lock or a sign-out shows the welcome.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QApplication, QMainWindow, QPushButton

from station.settings import DisplaySettings
from ui.i18n import LANGUAGES
from ui.views.alternative import AlternativeView
from ui.views.enroll import EnrollView
from ui.views.member_screen import (
    DECLINED,
    RETURN_KEY,
    Flow,
    MemberScreen,
    Page,
    result_phrases,
)
from ui.views.result_card import ResultKind
from ui.views.verify import VerifyFaceView
from ui.workers.camera import CameraSession

Screens = Callable[[], list[QScreen]]


class MemberDisplay(QObject):
    def __init__(
        self,
        window: QMainWindow,
        camera: CameraSession,
        member_screen: str = DisplaySettings.member_screen,
        screens: Screens = QGuiApplication.screens,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.mode = member_screen
        self.screens = screens  # the monitors there are (tests give their own list)
        self.screen = MemberScreen()
        self.screen.return_requested.connect(self.give_back)
        self.turned = False
        self._desk_open = False
        self._offered = False  # the operator's window shows a flow the member takes part in
        self._watching_window = False
        self._closed = False
        self.turn_button = QPushButton()
        self.turn_button.setObjectName("turnToMember")
        self.turn_button.setAutoDefault(True)  # Enter presses it, as Space does (R8)
        self.turn_button.clicked.connect(self.turn)
        self.turn_button.hide()  # until a flow is shown on a one-screen desk
        camera.preview.connect(self.screen.show_frame)
        camera.running_changed.connect(self._camera_running)
        app = QApplication.instance()
        if isinstance(app, QGuiApplication):
            app.screenAdded.connect(self._screen_added)
            app.screenRemoved.connect(self._screen_removed)
        self.retranslate()

    def retranslate(self) -> None:
        """The turn button's words in the window's language (the screen has its own two)."""
        self.turn_button.setText(self.tr("To member"))
        self.turn_button.setAccessibleName(self.tr("Turn the screen to the member"))
        tip = self.tr(
            "Shows the member's screen full-screen: the notice, the camera and the result, nothing "
            "else. Press {0} to come back."
        ).format(RETURN_KEY)
        self.turn_button.setToolTip(tip)
        self.turn_button.setAccessibleDescription(tip)

    # -- the desk ---------------------------------------------------------------------------------

    def open_desk(self, site_name: Callable[[str], str], member_screen: str) -> None:
        """A desk signed in: its site's name in a language, and the store's [display]
        member_screen."""
        self._desk_open = True
        self.mode = member_screen
        self.screen.set_site({language: site_name(language) for language in LANGUAGES})
        self.place()

    def close_desk(self) -> None:
        """Locked or signed out: the operator gets the screen back, the member a welcome."""
        self._desk_open = False
        self.give_back()
        self.screen.show_welcome()
        self._show_turn_button()

    def forget_site(self) -> None:
        """The station is gone (decommissioned): its name goes from the welcome too."""
        self.screen.set_site(None)

    def go_home(self, language: str) -> None:
        """The operator's home: the welcome, in the window's language until a member chooses."""
        self.screen.set_language(language)
        self.screen.show_welcome()

    def follow(
        self, enroll: EnrollView, verify: VerifyFaceView, alternative: AlternativeView
    ) -> None:
        """Mirror a desk's flows (called again when the views are rebuilt; the old connections go
        with the old views)."""
        enroll.notice_shown.connect(self.screen.show_notice)
        enroll.consent_answered.connect(self._answered)
        for panel in (enroll.capture, verify.capture):
            panel.progress_shown.connect(self.screen.show_progress)
        enroll.result.result_changed.connect(self._enroll_result)
        verify.result.result_changed.connect(self._verify_result)
        alternative.result.result_changed.connect(self._verify_result)

    def _answered(self, accepted: bool) -> None:
        if accepted:
            self.screen.show_camera_soon()
        else:
            self.screen.show_result(ResultKind.OTHER_WAY, *DECLINED)

    def _camera_running(self, running: bool) -> None:
        if running:
            self.screen.show_camera_started()

    def _enroll_result(self, kind: ResultKind | None, _message: str) -> None:
        self._result(Flow.ENROLL, kind)

    def _verify_result(self, kind: ResultKind | None, _message: str) -> None:
        self._result(Flow.VERIFY, kind)

    def _result(self, flow: Flow, kind: ResultKind | None) -> None:
        if kind is not None:
            self.screen.show_result(kind, *result_phrases(flow, kind))
        elif self.screen.page is Page.RESULT:
            self.screen.show_welcome()  # the operator cleared it to try again

    # -- placement --------------------------------------------------------------------------------

    def second_screen(self) -> QScreen | None:
        """The monitor facing the member: one that is not the operator window's, when the setting
        allows it."""
        if self.mode != "auto":
            return None
        own = self.window.screen()
        return next((screen for screen in self.screens() if screen is not own), None)

    def place(self) -> None:
        """Show the member screen on the second monitor if there is one, else keep it hidden
        unless turned; the turn button only where it is the way to show it."""
        if not self._watching_window and self.window.windowHandle() is not None:
            self._watching_window = True
            self.window.windowHandle().screenChanged.connect(self._window_moved)
        target = self.second_screen()
        if target is not None:
            self.give_back()
            self._show_on(target, turned=False)
        elif not self.turned:
            self.screen.hide()
        self._show_turn_button()

    def offer_turn(self, offered: bool) -> None:
        """Whether the operator's window shows a flow the member takes part in (enroll, verify):
        the turn button is offered there, on a one-screen desk."""
        self._offered = offered
        self._show_turn_button()

    def _show_turn_button(self) -> None:
        self.turn_button.setVisible(
            self._desk_open and self._offered and self.second_screen() is None
        )

    def _show_on(self, screen: QScreen, turned: bool) -> None:
        member = self.screen
        flags = Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint
        if not turned:  # on its own monitor it never takes the operator's keyboard
            flags |= Qt.WindowType.WindowDoesNotAcceptFocus
        modality = Qt.WindowModality.ApplicationModal if turned else Qt.WindowModality.NonModal
        if member.windowFlags() != flags or member.windowModality() != modality:
            member.hide()  # flags and modality apply from the next show
            member.setWindowFlags(flags)
            member.setWindowModality(modality)
        member.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, not turned)
        if member.screen() is not screen:
            member.setScreen(screen)
        member.setGeometry(screen.geometry())
        operator_active = self.window.isActiveWindow()
        member.showFullScreen()
        if not turned and operator_active and not self.window.isActiveWindow():
            self.window.activateWindow()  # for a window system that activates it all the same

    def turn(self) -> None:
        """One screen: the member screen over the operator's, until RETURN_KEY."""
        if self.turned or not self._desk_open or self.second_screen() is not None:
            return
        self.turned = True
        self._show_on(self.window.screen(), turned=True)
        self.screen.raise_()
        self.screen.activateWindow()

    def give_back(self) -> None:
        """The operator's key: the operator's window, its focus where it was."""
        if not self.turned:
            return
        self.turned = False
        self.screen.hide()
        self.screen.setWindowModality(Qt.WindowModality.NonModal)
        self.window.raise_()
        self.window.activateWindow()
        if self.window.focusWidget() is None and self.turn_button.isVisible():
            self.turn_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _screen_added(self, _screen: QScreen) -> None:
        self.place()

    def _screen_removed(self, screen: QScreen) -> None:
        if not self.turned and self.screen.screen() is screen:
            self.screen.hide()  # Qt would move it onto the operator's monitor next
        # Placed again once Qt has moved the windows of the monitor that went.
        QTimer.singleShot(0, self, self.place)

    def _window_moved(self, _screen: QScreen) -> None:
        self.place()

    def close(self) -> None:
        """The operator's window closes: the member's goes too, and no monitor change reaches it."""
        if self._closed:
            return
        self._closed = True
        app = QApplication.instance()
        if isinstance(app, QGuiApplication):
            app.screenAdded.disconnect(self._screen_added)
            app.screenRemoved.disconnect(self._screen_removed)
        self.screen.close()
        self.screen.deleteLater()
