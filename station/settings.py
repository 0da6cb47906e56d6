"""Every tunable number of the station in one documented place (architecture example 6).

Settings load from a TOML file whose tables mirror these dataclasses; unknown keys are an error so a
typo never silently falls back to a default.
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self


class SettingsError(ValueError):
    """A settings file that cannot be used; the message names the file and the key."""


# A real settings file is a few KB; the cap keeps a wrong file (a video picked by mistake) from
# being read whole.
MAX_SETTINGS_BYTES = 64 * 1024
# tomllib needs memory quadratic in the depth of a dotted key (a.a.a...: 10,000 levels, 400 MB);
# settings use one dot (site.language), so anything much deeper is refused before parsing.
MAX_KEY_DOTS = 8


# Periods past this overflow Python's dates (year 9999) when added to today.
MAX_DAYS = 36_500

# Argon2id ceilings (R12): what a desk computer can pay on every sign-in, and what the key file
# reader (station/storage/keys.py) accepts back. A slot sealed past them would make the whole key
# file unreadable: the station locked out of its own store.
MAX_KDF_TIME_COST = 20
MAX_KDF_PARALLELISM = 16
MAX_KDF_MEMORY_KIB = 2 * 1024 * 1024  # 2 GiB


def _at_least(section: str, key: str, value: float, minimum: float) -> None:
    if value < minimum:
        raise SettingsError(f"[{section}] {key} must be at least {minimum}, got {value}")


def _at_most(section: str, key: str, value: float, maximum: float) -> None:
    if value > maximum:
        raise SettingsError(f"[{section}] {key} must be at most {maximum}, got {value}")


@dataclass(frozen=True)
class GateThresholds:
    """Quality gate limits (R26). Sizes are in pixels of the camera frame."""

    min_detection_score: float = 0.7  # negatives scored up to 0.62, real faces >= 0.87 (stack.md)
    min_eye_distance_px: float = 60.0  # R26: ~60 px between the eyes at enrollment
    edge_margin_fraction: float = (
        0.02  # face box must keep this fraction of the frame from each edge
    )
    max_yaw: float = 0.18  # nose offset from the eye midpoint, as a fraction of eye distance
    max_roll_degrees: float = 15.0
    max_pitch_deviation: float = 0.2  # (nose - eye line) / (mouth - eye line) away from 0.55
    min_sharpness: float = 60.0  # variance of the Laplacian on the face resized to 128 px
    min_brightness: float = 60.0  # mean grey level of the face, 0..255
    max_brightness: float = 210.0

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            _at_least("gate", f.name, getattr(self, f.name), 0)
        if self.edge_margin_fraction >= 0.5:
            raise SettingsError(
                f"[gate] edge_margin_fraction must be below 0.5, got {self.edge_margin_fraction}"
            )


ENROLL_GATE = GateThresholds()
VERIFY_GATE = GateThresholds(
    min_eye_distance_px=40.0,
    edge_margin_fraction=0.0,
    max_yaw=0.28,
    max_roll_degrees=22.0,
    max_pitch_deviation=0.3,
    min_sharpness=35.0,
    min_brightness=45.0,
    max_brightness=225.0,
)


@dataclass(frozen=True)
class MatchSettings:
    # Euclidean distance between L2-normalised descriptors (R22). Calibrated with
    # `face-station eval ../shared/faces/lfw` (LFW DevTrain, 430 three-image templates, 1,519 genuine
    # and 1,385,661 impostor pairs): FMR 1.0e-4 at 0.3213 with FNMR 6.8 % on 57-px thumbnails.
    threshold: float = 0.32
    one_to_many: bool = False  # R21: 1:1 against a claim by default

    def __post_init__(self) -> None:
        # Unit vectors are 0..2 apart: 0 would accept no one, 2 everyone.
        if not 0 < self.threshold < 2:
            raise SettingsError(f"[match] threshold must be between 0 and 2, got {self.threshold}")


@dataclass(frozen=True)
class CaptureSettings:
    enroll_frames: int = 3  # R10: fewest good frames, default <= 3
    verify_frames: int = 1  # R10: ideally one frame decides
    timeout_seconds: float = 60.0  # R25: the camera stops after 60 s at most
    max_frames_read: int = 1800  # a hard cap even if the clock stalls
    # Enrollment frames at least this far apart in time: frames a few ms apart are near-copies, and
    # spread-out frames average into a better template (the clip's own face: 0.32 -> 0.29 to a photo).
    min_frame_gap_ms: int = 500

    def __post_init__(self) -> None:
        _at_least("capture", "enroll_frames", self.enroll_frames, 1)
        _at_least("capture", "verify_frames", self.verify_frames, 1)
        _at_least("capture", "max_frames_read", self.max_frames_read, 1)
        _at_least("capture", "min_frame_gap_ms", self.min_frame_gap_ms, 0)
        if not 0 < self.timeout_seconds <= 60:
            raise SettingsError(
                f"[capture] timeout_seconds must be above 0 and at most 60 (R25), "
                f"got {self.timeout_seconds}"
            )


@dataclass(frozen=True)
class StoreSettings:
    retention_days: int = 365  # R14
    kdf_time_cost: int = 3
    kdf_memory_kib: int = 65536
    kdf_parallelism: int = 2

    def __post_init__(self) -> None:
        _at_least("store", "retention_days", self.retention_days, 1)
        _at_most("store", "retention_days", self.retention_days, MAX_DAYS)
        # Argon2's own minimums, and ceilings a desk computer can pay on every sign-in.
        _at_least("store", "kdf_time_cost", self.kdf_time_cost, 1)
        _at_most("store", "kdf_time_cost", self.kdf_time_cost, MAX_KDF_TIME_COST)
        _at_least("store", "kdf_parallelism", self.kdf_parallelism, 1)
        _at_most("store", "kdf_parallelism", self.kdf_parallelism, MAX_KDF_PARALLELISM)
        _at_least("store", "kdf_memory_kib", self.kdf_memory_kib, 8 * self.kdf_parallelism)
        _at_most("store", "kdf_memory_kib", self.kdf_memory_kib, MAX_KDF_MEMORY_KIB)


DEFAULT_CONTROLLER = "The organisation operating this station"
DEFAULT_CONTACT = "the front desk"
DEFAULT_PURPOSE = "only to confirm that you are the member you say you are when you arrive"


@dataclass(frozen=True)
class SiteSettings:
    """Who runs the station and why, shown in the notice (R2) in both languages. A Chinese field
    left empty shows the English one when the site set it (a name is often the same), or a Chinese
    default otherwise."""

    controller: str = DEFAULT_CONTROLLER
    controller_zh_cn: str = ""
    contact: str = DEFAULT_CONTACT
    contact_zh_cn: str = ""
    purpose: str = DEFAULT_PURPOSE
    purpose_zh_cn: str = ""
    language: str = "en"  # or "zh_CN"
    idle_lock_seconds: int = 300  # an unattended desk locks; the next operator signs in again

    def __post_init__(self) -> None:
        if self.language not in ("en", "zh_CN"):
            raise SettingsError(f"[site] language must be en or zh_CN, got {self.language!r}")
        if not self.controller.strip() or not self.contact.strip() or not self.purpose.strip():
            raise SettingsError("[site] controller, contact and purpose must not be empty (R2)")
        _at_least("site", "idle_lock_seconds", self.idle_lock_seconds, 30)
        # Qt timers count int32 milliseconds (~24 days); a day is already more than a desk needs.
        _at_most("site", "idle_lock_seconds", self.idle_lock_seconds, 86_400)


MINORS_POLICIES = ("block", "guardian")
FILING_THRESHOLD = 100_000  # R18: people with face data before a filing is due


@dataclass(frozen=True)
class PolicySettings:
    """The site's choices within the rules (R6, R7, R14, R16, R17, R18); minimums are enforced."""

    # R7: "block" = no face enrollment under minor_age; "guardian" = only with guardian consent
    minors_policy: str = "block"
    minor_age: int = 14
    decline_quiet_hours: int = 48  # R6: no face prompt after a decline for at least 48 h
    face_export_enabled: bool = False  # R16: off by default; each person also consents separately
    filing_warning_level: int = 90_000  # R18: warn as the count of people with face data nears this
    record_retention_days: int = 1095  # R17: non-biometric records kept at least 3 years
    purge_interval_minutes: int = 60  # R14: expired templates destroyed at start-up and this often
    vacuum_after_purged: int = 100  # R14: a purge this large also VACUUMs the store file

    def __post_init__(self) -> None:
        if self.minors_policy not in MINORS_POLICIES:
            raise SettingsError(
                f"[policy] minors_policy must be one of {', '.join(MINORS_POLICIES)}, "
                f"got {self.minors_policy!r}"
            )
        _at_least("policy", "minor_age", self.minor_age, 14)
        _at_most("policy", "minor_age", self.minor_age, 150)
        _at_least("policy", "decline_quiet_hours", self.decline_quiet_hours, 48)
        _at_most("policy", "decline_quiet_hours", self.decline_quiet_hours, MAX_DAYS * 24)
        _at_least("policy", "filing_warning_level", self.filing_warning_level, 1)
        if self.filing_warning_level > FILING_THRESHOLD:
            raise SettingsError(
                f"[policy] filing_warning_level must not exceed the threshold {FILING_THRESHOLD}"
            )
        _at_least("policy", "record_retention_days", self.record_retention_days, 1095)
        _at_most("policy", "record_retention_days", self.record_retention_days, MAX_DAYS)
        _at_least("policy", "purge_interval_minutes", self.purge_interval_minutes, 1)
        # R14 wants a periodic purge, and a Qt timer cannot wait past ~24 days.
        _at_most("policy", "purge_interval_minutes", self.purge_interval_minutes, 1_440)
        _at_least("policy", "vacuum_after_purged", self.vacuum_after_purged, 1)


@dataclass(frozen=True)
class Settings:
    site: SiteSettings = field(default_factory=SiteSettings)
    enroll_gate: GateThresholds = ENROLL_GATE
    verify_gate: GateThresholds = VERIFY_GATE
    match: MatchSettings = field(default_factory=MatchSettings)
    capture: CaptureSettings = field(default_factory=CaptureSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    policy: PolicySettings = field(default_factory=PolicySettings)

    @classmethod
    def load(cls, path: Path | None) -> Self:
        """Defaults when path is None; otherwise the file's values over the defaults."""
        if path is None:
            return cls()
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_SETTINGS_BYTES + 1)
        except OSError as exc:
            raise SettingsError(
                f"Cannot read settings file {path}: {exc.strerror or exc}. Check the path given "
                "with --settings; nothing was changed."
            ) from exc
        if len(data) > MAX_SETTINGS_BYTES:
            raise SettingsError(
                f"Settings file {path} is larger than {MAX_SETTINGS_BYTES // 1024} KB, so it is not "
                "a settings file. Check the path given with --settings; nothing was changed."
            )
        try:
            text = data.decode("utf-8-sig")  # -sig: Windows editors put a BOM first
        except UnicodeDecodeError as exc:
            raise SettingsError(
                f"Settings file {path} is not UTF-8 text (byte {exc.start}). Save it as UTF-8 "
                "and start again; nothing was changed."
            ) from exc
        return cls.from_mapping(_parse_toml(text, path), source=str(path))

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any], source: str = "settings") -> Self:
        return cls().updated(raw, source)

    def updated(self, raw: Mapping[str, Any], source: str = "settings") -> Self:
        """These settings with the values in raw ({section: {key: value}}) over them, checked the
        same way as a file (an administrator's changes in the app go through here too)."""
        sections: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            section = raw.get(f.name)
            base = getattr(self, f.name)
            sections[f.name] = base if section is None else _merge(base, section, source, f.name)
        unknown = set(raw) - set(sections)
        if unknown:
            # str(): a mapping handed in by code may mix key types, which sorted() cannot order.
            raise SettingsError(f"{source}: unknown section(s) {sorted(map(str, unknown))}")
        return dataclasses.replace(self, **sections)

    def as_mapping(self) -> dict[str, dict[str, Any]]:
        return {f.name: dataclasses.asdict(getattr(self, f.name)) for f in dataclasses.fields(self)}


def _parse_toml(text: str, path: Path) -> dict[str, Any]:
    for number, line in enumerate(text.splitlines(), 1):
        key, equals, _ = line.partition("=")
        if equals and key.count(".") > MAX_KEY_DOTS:
            raise SettingsError(
                f"Settings file {path}, line {number}: the key is nested far deeper than any "
                "setting; correct it and start again. Nothing was changed."
            )
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(
            f"Settings file {path} is not valid TOML: {exc}. Correct it and start again; "
            "nothing was changed."
        ) from exc
    except RecursionError as exc:  # tomllib recurses once per nested [ or {
        raise SettingsError(
            f"Settings file {path} nests arrays or tables far deeper than any setting; correct "
            "it and start again. Nothing was changed."
        ) from exc
    except ValueError as exc:  # int() refuses a whole number of over 4,300 digits
        raise SettingsError(
            f"Settings file {path} holds a number thousands of digits long, far larger than any "
            "setting; correct it and start again. Nothing was changed."
        ) from exc


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _merge(base: Any, values: Any, source: str, section: str) -> Any:
    where = f"{source}: [{section}]"
    if not isinstance(values, dict):
        raise SettingsError(f"{where} must be a table")
    known = {f.name: f for f in dataclasses.fields(base)}
    updates: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known:
            raise SettingsError(f"{where}: unknown key {_shown(key)}")
        expected = type(getattr(base, key))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            try:
                value = float(value)
            except OverflowError:  # only code can hand in an int past 1e308; TOML stops at 2**63
                raise SettingsError(f"{where}: {key} is far too large") from None
        if type(value) is not expected:
            raise SettingsError(f"{where}: {key} must be {expected.__name__}, got {_shown(value)}")
        if expected is float and not math.isfinite(value):
            raise SettingsError(f"{where}: {key} must be a finite number, got {value}")
        updates[key] = value
    try:
        return dataclasses.replace(base, **updates)
    except SettingsError as exc:
        # The range checks name the key; add the file (and which gate: both share one class).
        raise SettingsError(f"{source}: {str(exc).replace('[gate]', f'[{section}]', 1)}") from exc
