"""The composition root of one signed-in session: an open store, its repositories, the settings in
force, the clock, the models (loaded on first face use) and the operator who signed in; it builds
every service over them and checks each request against that operator's role (R12).

The services are the only API the window and the CLI call (architecture.md); each writes its audit
event in the same transaction as the change it records (architecture example 3).
"""

from __future__ import annotations

from collections.abc import Callable

from station.biometrics.matching import Gallery
from station.biometrics.pipeline import BiometricModels
from station.biometrics.protection import TemplateProtection
from station.clock import Clock, SystemClock
from station.domain import AuditKind, NotAllowedError, Operator, Permission
from station.policy.notice import PublishedNotice
from station.policy.roles import allowed
from station.services.accounts import Accounts
from station.services.administration import Administration
from station.services.attempts import Attempts
from station.services.backup import Backups
from station.services.consent import Consents
from station.services.enrollment import Enrollment
from station.services.erasure import Erasure
from station.services.face_evidence import galleries
from station.services.incidents import Incidents
from station.services.notice import Notices
from station.services.reenrollment import Reenrollment
from station.services.reports import Reports
from station.services.site_settings import SiteConfiguration
from station.services.subjects import Subjects
from station.services.transfer import Transfers
from station.services.verification import Verification
from station.settings import Settings
from station.storage import Repositories, Store, WrongKeyError

ModelsFactory = Callable[[], BiometricModels]


class Station:
    """`operator` must have an active account in the store; every service acts with its role.

    The settings in force are the store's. `settings` are what a settings file (or a test) asks
    for: applied and audited in an administrator's session, refused in any other that they would
    change (station.services.site_settings, R12); None asks for nothing. Building a Station
    publishes the notice as the settings in force render it, if it changed (R3). Call it on one
    thread only (architecture example 4).
    """

    def __init__(
        self,
        store: Store,
        operator: str,
        settings: Settings | None = None,
        clock: Clock | None = None,
        models: ModelsFactory = BiometricModels,
    ) -> None:
        self.store = store
        self.repos = Repositories(store)
        account = self.repos.operators.account(operator)
        if account is None or not account.active:
            raise WrongKeyError(f"{operator} has no account at this station.")
        self.signed_in = Operator(account.display_name, account.role)
        self.clock: Clock = clock or SystemClock()
        self.configuration = SiteConfiguration(self)
        session = self.configuration.for_session(settings)
        self.settings = session.settings
        self.protection = TemplateProtection(bytes.fromhex(store.meta("template_secret")))
        self._load_models = models
        self._models: BiometricModels | None = None
        # 1:N galleries, one per template version, loaded once (~0.5 s at 100k) and dropped
        # whenever a template changes.
        self._galleries: list[Gallery] | None = None

        self.notices = Notices(self)
        self.consents = Consents(self)
        self.subjects = Subjects(self)
        self.erasure = Erasure(self)
        self.attempts = Attempts(self)
        self.enrollment = Enrollment(self)
        self.verification = Verification(self)
        self.accounts = Accounts(self)
        self.administration = Administration(self)
        self.backups = Backups(self)
        self.reports = Reports(self)
        self.reenrollment = Reenrollment(self)
        self.incidents = Incidents(self)
        self.transfers = Transfers(self)
        self.notice: PublishedNotice = self.configuration.record(session)

    def allows(self, permission: Permission) -> bool:
        """Whether the signed-in role may do this (the window hides what it may not)."""
        return allowed(self.signed_in.role, permission)

    def authorize(self, permission: Permission) -> None:
        """Refuse, and audit the refusal, unless the signed-in role has the permission (R12)."""
        if self.allows(permission):
            return
        self.audit_denial(permission)
        raise NotAllowedError(self.signed_in.role.value)

    def audit_denial(self, permission: Permission, **detail: object) -> None:
        """Record that the signed-in account was refused `permission` (R12), with `detail`."""
        who = self.signed_in
        with self.store.transaction():
            self.repos.audit.append(
                AuditKind.ACCESS_DENIED,
                who.name,
                self.clock.now(),
                None,
                {"role": who.role.value, "permission": permission.value, **detail},
            )

    @property
    def models(self) -> BiometricModels:
        """Loaded on first use, before any camera opens (R25: the camera is on no longer than
        needed); ModelAssetError names a missing or altered file."""
        if self._models is None:
            self._models = self._load_models()
        return self._models

    def galleries(self) -> list[Gallery]:
        """Every usable template, one gallery per version, for 1:N search (R21), cached until one
        changes."""
        if self._galleries is None:
            self._galleries = galleries(self)
        return self._galleries

    def templates_changed(self) -> None:
        """Drop the cached 1:N galleries after templates were added or destroyed."""
        self._galleries = None

    def close(self) -> None:
        """Close the store and stop the models' helper process, if any."""
        if self._models is not None:
            self._models.close()
        self.store.close()
