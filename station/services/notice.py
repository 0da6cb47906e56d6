"""The face-data notice (R2, R3): the text shown, exactly, and a new published version whenever the
live settings render it differently, or when an administrator publishes it again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from station.domain import AuditKind, Permission
from station.policy.notice import (
    NOTICE_TEMPLATE_VERSION,
    PublishedNotice,
    RenderedNotice,
    notice_texts,
    site_field,
)

if TYPE_CHECKING:
    from station.services.station import Station


class Notices:
    def __init__(self, station: Station) -> None:
        self._station = station

    def current(self, language: str) -> RenderedNotice:
        """The text to show, exactly; Consents.record checks the answer was to this."""
        return self._station.notice.rendered(language)

    def site_name(self, language: str) -> str:
        """Who runs the station (the notice's controller, R2) in `language`: the window's header
        names the site with it (issue 12)."""
        return site_field(self._station.settings, "controller", language)

    def publish_if_changed(self, operator: str, force: bool = False) -> PublishedNotice:
        """Publish the notice as the live settings render it, unless the current version already
        says exactly that. Every earlier consent becomes stale (R3). Caller may hold a transaction."""
        station = self._station
        texts = notice_texts(station.settings)
        current = station.repos.notices.current()
        if current is not None and current.texts == texts and not force:
            station.notice = current
            return current
        now = station.clock.now()
        with station.store.transaction():
            published = station.repos.notices.publish(texts, NOTICE_TEMPLATE_VERSION, operator, now)
            station.repos.audit.append(
                AuditKind.NOTICE_PUBLISHED,
                operator,
                now,
                None,
                {
                    "version": published.label,
                    "template_version": NOTICE_TEMPLATE_VERSION,
                    "replaces": current.label if current else None,
                },
            )
        station.notice = published
        return published

    def publish(self, operator: str) -> PublishedNotice:
        """Publish a new version even if the words did not change: everyone is asked again (R3)."""
        self._station.authorize(Permission.ADMINISTER)
        return self.publish_if_changed(operator, force=True)
