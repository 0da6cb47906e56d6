"""The operator's window: sign-in, then home and the three flows on one stack.

Language (ui/i18n.py): the window starts in `language` or ui.i18n.default_language(settings); the
button beside the banner switches at run time. Switching installs the other translator and builds
the views again — the signed-in desk and its store stay open, but a flow in progress goes back to
home (the start page is rebuilt empty). It waits while the camera runs or a sign-in is under way.
"""

from __future__ import annotations

import asyncio
import sys

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from station import APP_NAME
from station.domain import Permission, Role, StoreError
from station.services import ModelAssetError, Station, StationOpener
from ui.desk import Desk
from ui.i18n import (
    MissingTranslationError,
    default_language,
    install_language,
    other_language,
)
from ui.style import set_role, set_theme
from ui.views.account import AccountView
from ui.views.admin import AdminView
from ui.views.alternative import AlternativeView
from ui.views.enroll import EnrollView
from ui.views.header import StationHeader
from ui.views.home import HomeView
from ui.views.member_display import MemberDisplay
from ui.views.start import StartView
from ui.views.subject import SubjectView
from ui.views.texts import camera_problem, error_text, filing_text, language_button_text
from ui.views.verify import VerifyFaceView
from ui.workers.camera import CameraSession
from ui.workers.store import StoreExecutor

_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin}


class _Banner(QLabel):
    """The station's messages under the header; takes no room when there is none."""

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setVisible(bool(text))


class MainWindow(QMainWindow):
    def __init__(self, camera: str, opener: StationOpener, language: str | None = None) -> None:
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self.opener = opener
        settings = opener.settings
        self.settings = settings
        self.language = "en"
        if not self._install(language or default_language(settings)):
            print("The translation is missing (run `make setup`): English it is.", file=sys.stderr)
        app = QApplication.instance()
        self.executor = StoreExecutor()
        self.camera = CameraSession(camera)
        self.camera.running_changed.connect(self._camera_running)
        self.desk: Desk | None = None
        self.banner = _Banner()
        self.banner.setWordWrap(True)
        set_role(self.banner, "status")
        self.language_button = QPushButton()
        self.language_button.setObjectName("switchLanguage")
        self.language_button.clicked.connect(self._toggle_language)
        self.admin_button = QPushButton()
        self.admin_button.setObjectName("openAdministration")
        self.admin_button.clicked.connect(self._show_admin)
        self.admin_button.hide()  # until someone signs in
        self.account_button = QPushButton()
        self.account_button.setObjectName("myPassword")
        self.account_button.clicked.connect(self._show_account)
        self.account_button.hide()
        # Issue 12: the person-facing screen, on a second monitor or turned to on this one.
        self.member_display = MemberDisplay(self, self.camera, settings.display.member_screen)
        self.stack = QStackedWidget()
        self.start = StartView(opener, self.executor)
        self.stack.addWidget(self.start)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 4, 8, 4)  # the header's height comes off the views' room
        layout.setSpacing(4)
        # Issue 12: site, operator and the station's state above every signed-in screen; the
        # buttons at its right, the banner (messages) under it.
        self.header = StationHeader()
        self.header.add_button(self.account_button)
        self.header.add_button(self.admin_button)
        self.header.add_button(self.language_button)
        layout.addWidget(self.header)
        # The banner, and at its right during a flow on a one-screen desk the button that turns
        # the screen to the member: the header has no room for a fourth button at 1024 px.
        status = QHBoxLayout()
        status.setSpacing(8)
        status.addWidget(self.banner, 1)
        status.addWidget(
            self.member_display.turn_button,
            0,
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
        )
        layout.addLayout(status)
        layout.addWidget(self.stack, 1)
        self.stack.currentChanged.connect(self._page_changed)
        self.setCentralWidget(body)
        self.start.signed_in.connect(self._open_desk)
        self.models_ready = False
        self.model_error: str | None = None
        self.locked = False
        self._desk_views: list[QWidget] = []
        # Idle lock: any key or click restarts the countdown (see eventFilter).
        self.idle_timer = QTimer(self)  # its interval is the store's setting, set at sign-in
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self.lock)
        if app is not None:
            app.installEventFilter(self)
        # Whether a camera is there is checked without opening it (R25), every few seconds.
        self.camera_timer = QTimer(self)
        self.camera_timer.setInterval(3000)
        self.camera_timer.timeout.connect(self._check_camera)
        self.camera_problem: str | None = None
        self.filing_warning = ""  # R18: shown in the banner once the warning level is reached
        # Expired templates are destroyed at sign-in and then on this timer (R14).
        self.purge_timer = QTimer(self)
        self.purge_timer.timeout.connect(self._purge)
        # The window's own reads (counts, models, filing status): cancelled when it closes.
        self._background: set[asyncio.Task[None]] = set()
        self._retranslate()

    def _retranslate(self) -> None:
        """The window's own texts in the current language (the views are built anew instead)."""
        self.banner.setAccessibleName(self.tr("Station status"))
        self.language_button.setText(language_button_text(self.language))
        self.language_button.setAccessibleName(self.tr("Switch the language of the window"))
        self.language_button.setToolTip(self.tr("Switch the language of the window"))
        self.account_button.setText(self.tr("My password"))
        self.account_button.setAccessibleName(self.tr("Change my password"))
        self.admin_button.setText(self.tr("Administration"))
        self.admin_button.setAccessibleName(self.tr("Open the administration screen"))
        self.member_display.retranslate()
        self.header.retranslate()
        self.header.fit_buttons()
        self._show_header()
        self._show_status()

    def _toggle_language(self) -> None:
        self.set_language(other_language(self.language))

    def set_language(self, language: str) -> None:
        """Install `language` and rebuild the views; a flow in progress goes back to home."""
        if language == self.language:
            return
        if self.camera.running or self.start.busy:
            self.banner.setText(self.tr("Finish the current step, then switch the language."))
            return
        if not self._install(language):
            self.banner.setText(self.tr("The translation is missing: run `make setup`."))
            return
        if self.desk is not None:
            self._build_desk_views(self.desk)
            self.go_home()
        else:
            self._build_start()
        self._retranslate()

    def _install(self, language: str) -> bool:
        app = QApplication.instance()
        if app is None:
            return False
        try:
            install_language(app, language)
        except MissingTranslationError:
            install_language(app, "en")
            self.language = "en"
            return False
        self.language = language
        return True

    def _build_start(self) -> None:
        old = self.start
        self.start = StartView(self.opener, self.executor)
        self.start.signed_in.connect(self._open_desk)
        self.stack.addWidget(self.start)
        self.stack.setCurrentWidget(self.start)
        # The old page stays (hidden) on the stack, as before: taking it off or deleting it
        # while its sign-in coroutine is being finished by qasync crashes at exit.
        del old
        self.start.operator.setFocus()

    def _remove_desk_views(self) -> None:
        for name in ("home", "enroll", "verify", "alternative", "subject", "admin", "account"):
            view = self.__dict__.get(name)
            if view is not None and view in self._desk_views:
                self.stack.removeWidget(view)
                view.deleteLater()
        self._desk_views.clear()

    def _build_desk_views(self, desk: Desk) -> None:
        self._remove_desk_views()
        self.home = HomeView()
        self.enroll = EnrollView(desk, self.language)
        self.verify = VerifyFaceView(desk)
        self.alternative = AlternativeView(desk)
        self.subject = SubjectView(desk)
        self.account = AccountView(desk)
        # The administration screen (six panels) is built when first opened: building it at every
        # sign-in stalled the window for the desk's sake of a screen it may never open.
        self.admin: AdminView | None = None
        self._desk_views = [
            self.home,
            self.enroll,
            self.verify,
            self.alternative,
            self.subject,
            self.account,
        ]
        for view in self._desk_views:
            self.stack.addWidget(view)
        self.home.find_requested.connect(self._find)
        self.home.subject_requested.connect(self._open_subject)
        # Bound methods, not lambdas that capture the window: such a lambda on the language
        # button made the process crash at exit in about one run in three.
        self.subject.enroll_requested.connect(self._show_enroll)
        self.home.enroll_requested.connect(self._show_enroll)
        self.home.verify_face_requested.connect(self._show_verify)
        self.home.verify_other_requested.connect(self._show_alternative)
        self.verify.verify_other_requested.connect(self._show_alternative)
        for view in (self.enroll, self.verify, self.alternative, self.subject, self.account):
            view.done.connect(self.go_home)
        self.member_display.follow(self.enroll, self.verify, self.alternative)

    def _open_desk(self, station: Station, operator: str) -> None:
        self.desk = Desk(
            station, self.executor.reporting_damage_to(self._store_damaged), self.camera, operator
        )
        self.locked = False
        self.model_error = None
        set_theme(station.settings.display.theme)  # issue 12: the store's, as every setting
        self._build_desk_views(self.desk)
        self.member_display.open_desk(
            station.notices.site_name, station.settings.display.member_screen
        )
        self.go_home()
        # The settings in force are the store's (a settings file only asks): R12, issue 16.
        self.idle_timer.start(station.settings.site.idle_lock_seconds * 1000)
        self.camera_timer.start()
        self.purge_timer.start(station.settings.policy.purge_interval_minutes * 60_000)
        role = station.signed_in.role
        self.admin_button.setVisible(role is not Role.OPERATOR)  # R12: the services check too
        self.account_button.show()
        # An auditor reads the audit trail and reports; the desk's actions are not theirs.
        self.home.setEnabled(role is not Role.AUDITOR)
        self._in_background(self._check_filing())
        self._check_camera()
        self._show_status()
        self._in_background(self._load_models())

    @property
    def admin_view(self) -> AdminView:
        """The administration screen, once opened (tests and screenshots reach its panels)."""
        if self.admin is None:
            raise LookupError("the administration screen has not been opened")
        return self.admin

    def _show_account(self) -> None:
        if self.desk is None or self.camera.running:
            return
        self.account.begin()
        self.stack.setCurrentWidget(self.account)

    def _show_admin(self) -> None:
        if self.desk is None or self.camera.running:
            return
        if self.admin is None:
            self.admin = AdminView(self.desk)
            self._desk_views.append(self.admin)
            self.stack.addWidget(self.admin)
            self.admin.done.connect(self.go_home)
            if self.admin.full:
                self.admin.settings.decommissioned.connect(self._decommissioned)
                self.admin.settings.saved.connect(self._show_status)
        self.admin.begin()
        self.stack.setCurrentWidget(self.admin)

    @asyncSlot()
    async def _purge(self) -> None:
        desk = self.desk
        if desk is None:
            return
        await desk.executor.run(desk.station.administration.purge_expired)
        await self._check_filing()

    @asyncSlot()
    async def _check_filing(self) -> None:
        desk = self.desk
        if desk is None:
            return
        status = await desk.executor.run(desk.station.reports.filing_status)
        if self.desk is desk:
            self.filing_warning = filing_text(status)
            self._show_status()

    def _decommissioned(self, report: str) -> None:
        """The store and its keys are gone (the service closed the station): back to first start."""
        self._close_desk()
        self.member_display.forget_site()
        self.locked = False
        self._build_start()
        self._show_status()
        self.banner.setText(report)

    def _close_desk(self) -> None:
        self.desk = None
        self.member_display.close_desk()  # a locked desk shows the member a welcome only
        self.idle_timer.stop()
        self.camera_timer.stop()
        self.purge_timer.stop()
        self.admin_button.hide()
        self.account_button.hide()
        self._remove_desk_views()
        self.models_ready = False
        self.model_error = None
        self.filing_warning = ""

    def _page_changed(self, _index: int) -> None:
        """The member screen can be turned to during the flows a member takes part in."""
        page = self.stack.currentWidget()
        self.member_display.offer_turn(
            self.desk is not None and page in (self.enroll, self.verify, self.alternative)
        )

    def _show_enroll(self, member: str) -> None:
        self._show(self.enroll, member)

    def _show_verify(self, member: str) -> None:
        self._show(self.verify, member)

    def _show_alternative(self, member: str) -> None:
        self._show(self.alternative, member)

    def _show(self, view: EnrollView | VerifyFaceView | AlternativeView, member: str) -> None:
        view.begin(member)
        self.stack.setCurrentWidget(view)

    @asyncSlot(str)
    async def _find(self, text: str) -> None:
        desk = self.desk
        assert desk is not None
        self.home.show_results(await desk.executor.run(desk.station.subjects.search, text))

    def _open_subject(self, subject_id: str) -> None:
        self.stack.setCurrentWidget(self.subject)
        self.subject.show_subject(subject_id)

    def go_home(self) -> None:
        self.home.search.clear()
        self.home.results.clear()
        self.home.results.setVisible(False)
        self.stack.setCurrentWidget(self.home)
        self.home.search.setFocus()
        self.member_display.go_home(self.language)
        self._in_background(self._refresh_counts())

    def _in_background(self, task: asyncio.Task[None]) -> None:
        """Keep a task the window started (an asyncSlot called directly returns it) until done."""
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    @asyncSlot()
    async def _refresh_counts(self) -> None:
        """Today's counts, read again each time home is shown (issue 12); an auditor has no desk."""
        desk = self.desk
        if desk is None or not desk.station.allows(Permission.DESK):
            if desk is not None:
                self.home.show_counts(None)
            return
        home = self.home
        counts = await desk.executor.run(desk.station.reports.today)
        # Not locked, rebuilt (language) or closed meanwhile: a closed window's views are gone.
        if self.desk is desk and self.home is home and shiboken6.isValid(home):
            home.show_counts(counts)

    @asyncSlot()
    async def _load_models(self) -> None:
        """The window is usable at once; face models load on the store thread meanwhile."""
        desk = self.desk
        if desk is None:  # locked before this task started: nothing to load for
            return
        station = desk.station
        try:
            await self.executor.run(lambda: station.models)
        except ModelAssetError as exc:
            if self.desk is desk:
                self.model_error = str(exc)  # technical detail (a file name), shown as given
                self._show_status()
            return
        if self.desk is desk:  # not locked meanwhile: a locked desk's models are being closed
            self.models_ready = True
            self._show_status()

    def set_camera(self, spec: str) -> None:
        self.camera.camera = spec
        self._check_camera()

    def _check_camera(self) -> None:
        problem = self.camera.absent_reason()
        if problem != self.camera_problem:
            self.camera_problem = problem
            self._show_status()

    def _camera_running(self, _running: bool) -> None:
        self._show_header()

    def _show_header(self) -> None:
        """Issue 12: the site in the window's language, who is signed in, and the three states."""
        desk = self.desk
        if desk is None:
            self.header.signed_out()
            return
        station = desk.station
        self.header.signed_in(
            station.notices.site_name(self.language),
            station.signed_in.name,
            station.signed_in.role,
        )
        self.header.show_camera(self.camera_problem is not None, self.camera.running)
        self.header.show_models(self.models_ready, self.model_error)
        self.header.show_store(station.store.path.parent.name)

    def _show_status(self) -> None:
        """No camera: a clear banner and face actions disabled with the reason; PIN stays (R5)."""
        self._show_header()
        if self.desk is None:
            self.banner.setText(
                self.tr("Locked after a period without use. Sign in to continue.")
                if self.locked
                else ""
            )
            return
        problem = camera_problem(self.camera.camera) if self.camera_problem else None
        if self.model_error is not None:
            banner = self.tr(
                "The face models could not be loaded ({0}). Face actions are off; verify another way."
            ).format(self.model_error)
            self.home.set_face_available(False, banner)
        else:
            self.home.set_face_available(problem is None and self.models_ready, problem or "")
            if not self.home.isEnabled():
                banner = self.tr(
                    "Signed in as an auditor: the audit trail and the reports are under "
                    "Administration."
                )
            elif problem is not None:
                banner = self.tr("{0} Face actions are off; verify another way.").format(problem)
            elif self.models_ready:
                banner = ""  # the header says the camera, the models and the store are ready
            else:
                banner = self.tr("Loading the face models…")
        for panel in (self.enroll.capture, self.verify.capture):
            panel.set_unavailable(problem)
        # R23: an administrator switched the liveness check off; every desk sees it, every time.
        liveness_off = (
            ""
            if self.desk.station.settings.liveness.enabled
            else self.tr(
                "The liveness check is off: a photo or a screen of a member's face would not be "
                "refused."
            )
        )
        self.banner.setText(
            " ".join(part for part in (banner, liveness_off, self.filing_warning) if part)
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.desk is not None and event.type() in _ACTIVITY:
            self.idle_timer.start()
        return False

    def lock(self) -> None:
        """Close the store and ask for a sign-in again; a capture in progress finishes first."""
        if self.desk is None:
            return
        if self.camera.running:
            self.idle_timer.start()
            return
        self._sign_out()
        self.locked = True
        self._show_status()

    def _sign_out(self) -> None:
        desk = self.desk
        assert desk is not None
        self._close_desk()
        self.executor.submit(desk.station.close)
        self._build_start()

    def _store_damaged(self, error: StoreError) -> None:
        """A desk action found the store damaged: the operator reads so, never a traceback, and
        the store is closed at once, so nothing more is written to it (after a page that fails
        its HMAC, SQLCipher refuses every statement anyway). Signing in again names it too (R12)."""
        if self.desk is not None:  # a second action failing with the first is told already
            self._sign_out()
        text = error_text(error)
        self.start.error.setText(text)
        self.banner.setText(text)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.member_display.place()  # the window's monitor is known once it is shown

    def closeEvent(self, event: QCloseEvent) -> None:
        self.member_display.close()
        self.idle_timer.stop()
        self.camera_timer.stop()
        self.purge_timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.camera.shutdown()
        self.executor.shutdown()
        _cancel(self._background)
        if self.desk is not None:
            self.desk.station.close()
        super().closeEvent(event)


def _cancel(tasks: set[asyncio.Task[None]]) -> None:
    """Cancel the window's reads still awaiting a store call. Left alone, one would never be
    resumed if the event loop closes first ("Task was destroyed but it is pending"). A running
    loop ends them at its next turn; a stopped one (a test's, after its scenario) is run until
    they have ended. (qasync's asyncClose cannot do this: called from a coroutine, as the
    screenshot tool closes its windows, it would step tasks inside another task.)"""
    pending = [task for task in tasks if not task.done()]
    for task in pending:
        task.cancel()
    if not pending:
        return
    loop = pending[0].get_loop()
    if not loop.is_running() and not loop.is_closed():
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
