"""Every repository over one open store, built once; callers own the transaction."""

from __future__ import annotations

from station.storage.attempts import AttemptRepository
from station.storage.audit import AuditRepository
from station.storage.consents import ConsentRepository
from station.storage.erasure import ErasureRepository
from station.storage.incidents import IncidentRepository
from station.storage.notices import NoticeRepository
from station.storage.operators import OperatorRepository
from station.storage.site_settings import SettingsRepository
from station.storage.store import Store
from station.storage.subjects import SubjectRepository
from station.storage.templates import TemplateRepository
from station.storage.transfers import TransferRepository


class Repositories:
    def __init__(self, store: Store) -> None:
        self.subjects = SubjectRepository(store)
        self.consents = ConsentRepository(store)
        self.templates = TemplateRepository(store)
        self.attempts = AttemptRepository(store)
        self.notices = NoticeRepository(store)
        self.settings = SettingsRepository(store)
        self.operators = OperatorRepository(store)
        self.audit = AuditRepository(store)
        self.incidents = IncidentRepository(store)
        self.transfers = TransferRepository(store)
        self.erasure = ErasureRepository(store)
