"""The site's settings and their one audited way in (R12, issue 16).

The store keeps every setting in force, so a station never needs its settings file again. A
settings file (`--settings`) is site configuration an administrator owns: at sign-in each value it
names is compared with the value in force in the store. A file that changes nothing is fine for
every role. One that changes something is applied only in an administrator's session, each change
audited in that administrator's name with the rows an administrator's `set` writes; any other role
is refused, the refusal audited, and the store's settings stay in force. The quality gates and the
Argon2id parameters, which no one can change in the app, come in through this door too.

A store kept before issue 13 holds a match threshold (a distance) where the station now keeps a
named operating point (R22): the first sign-in converts it, once, audited as the system's change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from station.biometrics.calibration import (
    OPERATING_POINTS,
    CalibrationTable,
    OperatingPoint,
    shipped_calibration,
)
from station.biometrics.model_sets import CURRENT, DLIB_ONLY
from station.domain import (
    SYSTEM_OPERATOR,
    AuditEvent,
    AuditKind,
    Permission,
    RefusalCode,
    ServiceError,
)
from station.policy.notice import PublishedNotice
from station.settings import REPLACED_KEYS, Settings, SettingsError

if TYPE_CHECKING:
    from station.services.station import Station

# What an administrator may change in the app. Store key parameters and the quality gates belong
# to installation, not to the desk: they come only from a settings file an administrator applies.
EDITABLE_SETTINGS: dict[str, frozenset[str]] = {
    "site": frozenset(
        {"controller", "controller_zh_cn", "contact", "contact_zh_cn", "purpose", "purpose_zh_cn"}
    ),
    "store": frozenset({"retention_days"}),
    # R23: on by default; only an administrator switches it off (update authorizes ADMINISTER and
    # audits the change as settings_changed); the notice, the banner and the record then say so.
    # The time box per action stays with installation: a settings file.
    "liveness": frozenset({"enabled"}),
    "match": frozenset({"operating_point", "one_to_many"}),
    "capture": frozenset({"enroll_frames"}),
    "policy": frozenset(
        {
            "minors_policy",
            "decline_quiet_hours",
            "face_export_enabled",
            "filing_warning_level",
            "record_retention_days",
            "purge_interval_minutes",
            "inactive_months",
        }
    ),
}
FILE_SOURCE = "settings file"  # the audit's name for a change that came from --settings
IN_THE_STORE = "the settings saved in the store"

Changes = dict[str, list[Any]]  # "section.key" -> [in force before, new]
DISTANCE_CONVERTED = (
    "[match] threshold, a distance, was replaced by operating_point (issue 13, R22): the point "
    "whose dlib-only threshold is the distance nearest the one in force"
)


def operating_points() -> tuple[OperatingPoint, ...]:
    """The choices a site has, with what the current model set measured at each (R22)."""
    calibration = shipped_calibration().of(CURRENT)
    return tuple(calibration.points[name] for name in OPERATING_POINTS)


def nearest_operating_point(distance: float, table: CalibrationTable) -> tuple[str, float]:
    """The operating point a station that decided on a dlib distance runs at now, and that
    point's own distance: its template-version-1 threshold (a score in units of the impostor
    distances' spread, matching.score) turned back into a distance."""
    dlib = table.of(DLIB_ONLY)
    scale = dlib.scales[0]
    distances = {
        name: scale.impostor_mean + dlib.threshold(name) * scale.impostor_std
        for name in OPERATING_POINTS
    }
    point = min(OPERATING_POINTS, key=lambda name: abs(distances[name] - distance))
    return point, distances[point]


@dataclass(frozen=True)
class SettingsChange:
    changes: dict[str, tuple[Any, Any]]  # "section.key" -> (old, new)
    audit_event: AuditEvent | None
    notice: PublishedNotice  # the notice in force afterwards (a new version if the text changed)
    notice_republished: bool


@dataclass(frozen=True)
class SessionSettings:
    """The settings a signed-in session runs with, and what its settings file changed."""

    settings: Settings
    changes: Changes  # empty unless an administrator's settings file changed something
    source: str  # the settings file's path


class SiteConfiguration:
    def __init__(self, station: Station) -> None:
        self._station = station

    def for_session(self, given: Settings | None) -> SessionSettings:
        """The settings in force in the store with the values `given` names over them (None: no
        settings file). Refused, and audited, when those values change anything and the
        signed-in role is not an administrator's. SettingsError when the result breaks a bound
        (a store written before the bounds existed): the caller names the store's settings."""
        station = self._station
        recorded = self._converted(station.repos.settings.recorded())
        given = given or Settings(named=frozenset())
        base = Settings(bounds=given.bounds)
        in_force = _over(base.as_mapping(), recorded)
        wanted = _over(in_force, given.requested())
        changes = _differences(in_force, wanted)
        if changes and not station.allows(Permission.ADMINISTER):
            self._refuse(given.source, changes)
        source = f"{given.source} over {IN_THE_STORE}" if changes else IN_THE_STORE
        return SessionSettings(base.updated(wanted, source), changes, given.source)

    def _converted(self, recorded: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """`recorded`, the store's settings, as kept from now on. Issue 13: a store whose settings
        hold `match.threshold` (every store kept before it) holds the operating point nearest that
        distance instead; the change is audited as the system's, old distance to new point (R12,
        R22). Nothing else in the store changes."""
        station = self._station
        distance = recorded.get("match", {}).get("threshold")
        if distance is None:
            return recorded
        point, point_distance = nearest_operating_point(distance, shipped_calibration())
        with station.store.transaction():
            station.repos.settings.replace_key("match", "threshold", "operating_point", point)
            station.repos.audit.append(
                AuditKind.SETTINGS_CHANGED,
                SYSTEM_OPERATOR,
                station.clock.now(),
                None,
                {
                    "source": "conversion",
                    "reason": DISTANCE_CONVERTED,
                    "distance_of_the_point": round(point_distance, 4),
                    "changes": {
                        "match.threshold": [distance, None],
                        "match.operating_point": [None, point],
                    },
                },
            )
        return station.repos.settings.recorded()  # read again once, the store's first sign-in

    def _refuse(self, source: str, changes: Changes) -> None:
        self._station.audit_denial(
            Permission.ADMINISTER, source=FILE_SOURCE, file=source, changes=changes
        )
        keys = ", ".join(sorted(changes))
        raise ServiceError(
            RefusalCode.SETTINGS_FILE_NEEDS_ADMINISTRATOR,
            f"The settings file {source} differs from the station's settings ({keys}): only an "
            "administrator can apply it; sign in as one, or start without --settings. Nothing "
            "was changed.",
            file=source,
            settings=keys,
        )

    def record(self, session: SessionSettings) -> PublishedNotice:
        """At sign-in: keep every setting in force in the store, audit what an administrator's
        settings file changed, and publish the notice those settings render (R3), in one go."""
        station = self._station
        operator = station.signed_in.name if session.changes else SYSTEM_OPERATOR
        _event, notice = self._keep(
            session.settings,
            session.changes,
            operator,
            {"source": FILE_SOURCE, "file": session.source},
        )
        return notice

    def update(self, changes: Mapping[str, Mapping[str, Any]], operator: str) -> SettingsChange:
        """An administrator's change in the app or with `face-station set` (R12)."""
        station = self._station
        station.authorize(Permission.ADMINISTER)
        for section, values in changes.items():
            allowed = EDITABLE_SETTINGS.get(section, frozenset())
            # A replaced key (a distance threshold) is refused below, with what replaced it.
            replaced = {key for key in values if (section, key) in REPLACED_KEYS}
            refused = ", ".join(
                f"{section}.{key}" for key in sorted(set(values) - allowed - replaced)
            )
            if refused:
                raise ServiceError(
                    RefusalCode.SETTING_NOT_EDITABLE,
                    f"These settings cannot be changed from the station: {refused}.",
                    settings=refused,
                )
        old = station.settings
        try:
            new = old.updated(changes, "the new settings")
        except SettingsError as exc:
            raise ServiceError(RefusalCode.SETTING_INVALID, str(exc), problem=exc) from exc
        differences = _differences(old.as_mapping(), new.as_mapping())
        if not differences:
            return SettingsChange({}, None, station.notice, False)
        old_notice = station.notice
        try:
            event, notice = self._keep(new, differences, operator, {"source": "administrator"})
        except BaseException:
            station.settings, station.notice = old, old_notice
            raise
        return SettingsChange(
            {dotted: (values[0], values[1]) for dotted, values in differences.items()},
            event,
            notice,
            notice.version != old_notice.version,
        )

    def _keep(
        self, settings: Settings, changes: Changes, operator: str, detail: dict[str, Any]
    ) -> tuple[AuditEvent | None, PublishedNotice]:
        """One transaction: every value in force in the store, the change's audit event (when
        something changed), and the notice as these settings render it (R3, R12)."""
        station = self._station
        with station.store.transaction():
            station.repos.settings.keep(settings.as_mapping())
            event = None
            if changes:
                event = station.repos.audit.append(
                    AuditKind.SETTINGS_CHANGED,
                    operator,
                    station.clock.now(),
                    None,
                    {**detail, "changes": changes},
                )
            station.settings = settings
            notice = station.notices.publish_if_changed(operator)
        return event, notice


def _over(
    base: Mapping[str, Mapping[str, Any]], values: Mapping[str, Mapping[str, Any]]
) -> dict[str, dict[str, Any]]:
    merged = {section: dict(keys) for section, keys in base.items()}
    for section, keys in values.items():
        merged.setdefault(section, {}).update(keys)
    return merged


def _differences(
    old: Mapping[str, Mapping[str, Any]], new: Mapping[str, Mapping[str, Any]]
) -> Changes:
    changed: Changes = {}
    for section, values in new.items():
        for key, value in values.items():
            before = old.get(section, {}).get(key)
            if before != value:
                changed[f"{section}.{key}"] = [before, value]
    return changed
