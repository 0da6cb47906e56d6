"""Every tunable number of the station in one documented place (architecture example 6).

Settings load from a TOML file whose tables mirror these dataclasses; unknown keys are an error so a
typo never silently falls back to a default. Every value has a range on both sides, derived from the
rules (RULE_BOUNDS, below); a file, the store's record and an administrator's change are all checked
against it. Which settings are in force at a station, and who may change them, is decided by
`station.services.site_settings` (R12: a settings file is applied only by an administrator).
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Self

from station.biometrics.calibration import DEFAULT_OPERATING_POINT, OPERATING_POINTS


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


# The sections below check only what makes a value meaningful at all (not negative, a known word,
# Argon2id's own limits); the range the rules allow a site is RULE_BOUNDS, checked by Settings.


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
    # R22: a named operating point, the false-match rate the site accepts; the threshold for each
    # template version, and the FNMR measured there, come from the calibration table the station
    # ships (station/biometrics/calibration.py), never from a number typed at a site.
    operating_point: str = DEFAULT_OPERATING_POINT
    one_to_many: bool = False  # R21: 1:1 against a claim by default

    def __post_init__(self) -> None:
        if self.operating_point not in OPERATING_POINTS:
            raise SettingsError(
                f"[match] operating_point must be one of {', '.join(OPERATING_POINTS)}, "
                f"got {_shown(self.operating_point)}"
            )


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
        if not self.timeout_seconds > 0:
            raise SettingsError(
                f"[capture] timeout_seconds must be above 0, got {self.timeout_seconds}"
            )


CHALLENGE_ACTIONS = 2  # R23: two actions drawn per challenge (station.liveness.draw_challenge)
LIVENESS_FRAMES_SECONDS = 4.0  # time a live capture also needs: first good frame, end frames


@dataclass(frozen=True)
class LivenessSettings:
    """Presentation-attack detection (R23): after the first good frame the person answers two
    actions drawn at random, each within `action_seconds` of the frames' own time. On by default;
    only an administrator switches it off. The thresholds that decide a check are measured, not
    tunable: they are set, with their figures, in station/liveness/check.py."""

    enabled: bool = True  # R23: on by default
    action_seconds: float = 4.0  # the time box of each action, in frame timestamps

    def __post_init__(self) -> None:
        if not (math.isfinite(self.action_seconds) and self.action_seconds > 0):
            raise SettingsError(
                f"[liveness] action_seconds must be above 0, got {self.action_seconds}"
            )


@dataclass(frozen=True)
class StoreSettings:
    """Template retention (R14) and the Argon2id parameters that seal key slots (R12). A
    StoreSettings alone may hold any parameters Argon2id and the key file reader accept: tests
    seal with cheap ones (tests/conftest.py FAST_KDF); a station's settings must also stay within
    RULE_BOUNDS, which no settings file can lower."""

    retention_days: int = 365  # R14
    kdf_time_cost: int = 3
    kdf_memory_kib: int = 65536
    kdf_parallelism: int = 2

    def __post_init__(self) -> None:
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


THEMES = ("system", "light", "dark", "high-contrast")
MEMBER_SCREENS = ("auto", "off")


@dataclass(frozen=True)
class DisplaySettings:
    """How the window looks on this desk's screens (issue 12); nothing here touches a rule."""

    # "system" follows the desktop's light/dark and high-contrast choice; the others force one.
    theme: str = "system"
    # "auto": a second monitor, when one is connected, faces the member (notice, preview, result);
    # "off": never (a single-screen desk still has the operator's "turn to the member" mode).
    member_screen: str = "auto"

    def __post_init__(self) -> None:
        if self.theme not in THEMES:
            raise SettingsError(
                f"[display] theme must be one of {', '.join(THEMES)}, got {self.theme!r}"
            )
        if self.member_screen not in MEMBER_SCREENS:
            raise SettingsError(
                f"[display] member_screen must be one of {', '.join(MEMBER_SCREENS)}, "
                f"got {self.member_screen!r}"
            )


MINORS_POLICIES = ("block", "guardian")
FILING_THRESHOLD = 100_000  # R18: people with face data before a filing is due


@dataclass(frozen=True)
class PolicySettings:
    """The site's choices within the rules (R6, R7, R14, R16, R17, R18); RULE_BOUNDS holds them."""

    # R7: "block" = no face enrollment under minor_age; "guardian" = only with guardian consent
    minors_policy: str = "block"
    minor_age: int = 14
    decline_quiet_hours: int = 48  # R6: no face prompt after a decline for at least 48 h
    face_export_enabled: bool = False  # R16: off by default; each person also consents separately
    filing_warning_level: int = 90_000  # R18: warn as the count of people with face data nears this
    record_retention_days: int = 1095  # R17: non-biometric records kept at least 3 years
    purge_interval_minutes: int = 60  # R14: expired templates destroyed at start-up and this often
    vacuum_after_purged: int = 100  # R14: a purge this large also VACUUMs the store file
    # Issue 15: members with no visit for this many months are listed for erasure; 0 = never.
    inactive_months: int = 0

    def __post_init__(self) -> None:
        if self.minors_policy not in MINORS_POLICIES:
            raise SettingsError(
                f"[policy] minors_policy must be one of {', '.join(MINORS_POLICIES)}, "
                f"got {self.minors_policy!r}"
            )


@dataclass(frozen=True)
class Bound:
    """The inclusive range the rules allow one setting; for text, its length in characters.
    `rule` is named in the refusal; the comment beside each bound says how it was derived."""

    low: float
    high: float
    rule: str


Bounds = Mapping[str, Bound]  # "section.key" -> its bound


def _gate_bounds(section: str, min_eye_distance_px: float) -> dict[str, Bound]:
    """Both gates may be tightened, and loosened no further than the verification gate the
    station ships (the loosest it has measured working), except the eye distance (R26)."""
    return {
        # Negatives scored up to 0.62 (stack.md); the shared photos' faces score 0.81 and up.
        f"{section}.min_detection_score": Bound(0.7, 0.8, "R26"),
        # A desk webcam at 1080p sees eyes ~200 px apart at arm's length; twice that is no desk.
        f"{section}.min_eye_distance_px": Bound(min_eye_distance_px, 400, "R26"),
        # A margin of a tenth on each side already asks for the face in the middle 80 %.
        f"{section}.edge_margin_fraction": Bound(0.0, 0.1, "R26"),
        # Tight ends: 90 % of the shared frontal photos show yaw <= 0.15, roll <= 8.3 degrees,
        # pitch deviation <= 0.095; a gate stricter than that refuses frontal faces.
        f"{section}.max_yaw": Bound(0.1, 0.28, "R26"),
        f"{section}.max_roll_degrees": Bound(10.0, 22.0, "R26"),
        f"{section}.max_pitch_deviation": Bound(0.1, 0.3, "R26"),
        # The shared photos' faces measure 62-1,860 (tenth percentile 311); webcam frames are
        # softer, so a limit past 200 would refuse frames a person cannot improve.
        f"{section}.min_sharpness": Bound(35.0, 200.0, "R26"),
        # The shared photos' faces have mean grey levels 76-185: the limits must let them in.
        f"{section}.min_brightness": Bound(45.0, 75.0, "R26"),
        f"{section}.max_brightness": Bound(190.0, 225.0, "R26"),
    }


# A plain dict, typed read-only: Settings cross process boundaries (pickled), mappingproxy does not.
RULE_BOUNDS: Bounds = dict(
    {
        # R2: the notice names who, how to reach them and why; a desk notice, not a contract.
        "site.controller": Bound(1, 200, "R2"),
        "site.controller_zh_cn": Bound(0, 200, "R2"),
        "site.contact": Bound(1, 200, "R2"),
        "site.contact_zh_cn": Bound(0, 200, "R2"),
        "site.purpose": Bound(1, 500, "R2"),
        "site.purpose_zh_cn": Bound(0, 500, "R2"),
        # R12: an unattended desk locks; under 30 s it locks mid-conversation, past an hour the
        # desk is simply unattended.
        "site.idle_lock_seconds": Bound(30, 3_600, "R12"),
        **_gate_bounds("enroll_gate", 60.0),  # R26: eyes about 60 px apart at enrollment
        **_gate_bounds(
            "verify_gate", 40.0
        ),  # the shipped verification gate; nothing looser measured
        # R10: the fewest frames; 3 by default, a few more for a better template, never a film.
        "capture.enroll_frames": Bound(1, 5, "R10"),
        "capture.verify_frames": Bound(1, 3, "R10"),  # R10: ideally one frame decides
        # R25: the camera stops after 60 s at most; under 10 s the slowest enrollment (5 frames,
        # 2 s apart) cannot finish.
        "capture.timeout_seconds": Bound(10.0, 60.0, "R25"),
        "capture.max_frames_read": Bound(30, 3_600, "R25"),  # 60 s at 60 fps; at least 1 s at 30
        # R10: frames closer than 100 ms are near-copies; 2 s apart, 5 frames take 8 s.
        "capture.min_frame_gap_ms": Bound(100, 2_000, "R10"),
        # R23: a person sees the prompt, reacts (about a second) and turns, blinks or looks up
        # (under a second more): under 2 s a slow but live answer runs out. Past 8 s a hand has
        # time to stage a movement, and two actions would take 16 of R25's 60 s.
        "liveness.action_seconds": Bound(2.0, 8.0, "R23"),
        # R14: past five years a template no longer matches an ageing face well; keep it shorter.
        "store.retention_days": Bound(1, 1_825, "R14"),
        # R12: never weaker than the parameters shipped (RFC 9106's second choice: 3 passes over
        # 64 MiB); the ceilings are what the key file reader accepts back.
        "store.kdf_time_cost": Bound(3, MAX_KDF_TIME_COST, "R12"),
        "store.kdf_memory_kib": Bound(65_536, MAX_KDF_MEMORY_KIB, "R12"),
        # Lanes share the memory: more or fewer do not make a guess cheaper.
        "store.kdf_parallelism": Bound(1, MAX_KDF_PARALLELISM, "R12"),
        # R7: 14 is the law's age; a site may protect up to the age of majority.
        "policy.minor_age": Bound(14, 18, "R7"),
        # R6: at least 48 h; a site may wait up to a year before asking again.
        "policy.decline_quiet_hours": Bound(48, 8_760, "R6"),
        # R18: a warning before the filing threshold, not at it.
        "policy.filing_warning_level": Bound(1, FILING_THRESHOLD - 1, "R18"),
        # R17: at least 3 years; ten years is the longest record period a site plausibly keeps.
        "policy.record_retention_days": Bound(1_095, 3_650, "R17"),
        # R14: a periodic purge, at least daily (and a Qt timer cannot wait past ~24 days).
        "policy.purge_interval_minutes": Bound(1, 1_440, "R14"),
        # R14: a purge this large also VACUUMs; past 10,000 a large purge would leave its size.
        "policy.vacuum_after_purged": Bound(1, 10_000, "R14"),
        # R14, issue 15: 0 switches the listing off; ten years is past any membership term.
        "policy.inactive_months": Bound(0, 120, "R14"),
    }
)


_NOT_A_SETTING = MappingProxyType({"not_a_setting": True})


@dataclass(frozen=True)
class Settings:
    """The station's settings, one section per TOML table.

    Three fields are not settings: no TOML key reaches them, and they are neither compared nor
    stored. `bounds` are the ranges the values are checked against: RULE_BOUNDS, always, except in
    tests, which pass a copy with the Argon2id floor and the eye distance lowered
    (tests/conftest.py TEST_BOUNDS) for speed and for the shared clip's small face; a file's
    `[bounds]` or `bounds = ...` is an unknown section. `named` holds the keys a settings file set
    ("section.key"; None: every key, as for settings built in code) and `source` where they came
    from: a station compares those values with its own (station.services.site_settings)."""

    site: SiteSettings = field(default_factory=SiteSettings)
    enroll_gate: GateThresholds = ENROLL_GATE
    verify_gate: GateThresholds = VERIFY_GATE
    match: MatchSettings = field(default_factory=MatchSettings)
    capture: CaptureSettings = field(default_factory=CaptureSettings)
    liveness: LivenessSettings = field(default_factory=LivenessSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    policy: PolicySettings = field(default_factory=PolicySettings)
    display: DisplaySettings = field(default_factory=DisplaySettings)
    bounds: Bounds = field(
        default_factory=lambda: RULE_BOUNDS, compare=False, repr=False, metadata=_NOT_A_SETTING
    )
    named: frozenset[str] | None = field(
        default=None, compare=False, repr=False, metadata=_NOT_A_SETTING
    )
    source: str = field(default="settings", compare=False, repr=False, metadata=_NOT_A_SETTING)

    def __post_init__(self) -> None:
        for dotted, bound in self.bounds.items():
            section, key = dotted.split(".")
            value = getattr(getattr(self, section), key)
            size = len(value) if isinstance(value, str) else value
            what = f"[{section}] {key}" + (" must have" if isinstance(value, str) else " must be")
            unit = " characters" if isinstance(value, str) else ""
            if size < bound.low:
                raise SettingsError(
                    f"{what} at least {bound.low}{unit} ({bound.rule}), got {_shown(value)}"
                )
            if size > bound.high:
                raise SettingsError(
                    f"{what} at most {bound.high}{unit} ({bound.rule}), got {_shown(value)}"
                )
        # R23 within R25: the capture's time limit must leave room for both actions of the
        # challenge and a few seconds for the first and last frames, or no one could pass.
        needed = CHALLENGE_ACTIONS * self.liveness.action_seconds + LIVENESS_FRAMES_SECONDS
        if self.liveness.enabled and self.capture.timeout_seconds < needed:
            raise SettingsError(
                f"[capture] timeout_seconds must be at least {needed:g} while the liveness check "
                f"is on ({CHALLENGE_ACTIONS} actions of [liveness] action_seconds = "
                f"{self.liveness.action_seconds:g}, and {LIVENESS_FRAMES_SECONDS:g} s for the "
                f"first and last frames; R23, R25), got {self.capture.timeout_seconds:g}"
            )

    @classmethod
    def load(cls, path: Path | None, bounds: Bounds = RULE_BOUNDS) -> Self:
        """No file (None): the defaults, naming no key, so a station keeps the settings it has.
        A file: its values over the defaults, naming the keys it sets. `bounds` is for tests."""
        if path is None:
            return cls(bounds=bounds, named=frozenset(), source="no settings file")
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
        raw = _parse_toml(text, path)
        loaded = cls(bounds=bounds).updated(raw, source=str(path))
        named = frozenset(f"{section}.{key}" for section, values in raw.items() for key in values)
        return dataclasses.replace(loaded, named=named, source=str(path))

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any], source: str = "settings") -> Self:
        return cls().updated(raw, source)

    def updated(self, raw: Mapping[str, Any], source: str = "settings") -> Self:
        """These settings with the values in raw ({section: {key: value}}) over them, checked the
        same way as a file (an administrator's changes in the app go through here too)."""
        sections: dict[str, Any] = {}
        for name in SECTIONS:
            section = raw.get(name)
            base = getattr(self, name)
            sections[name] = base if section is None else _merge(base, section, source, name)
        unknown = set(raw) - set(sections)
        if unknown:
            # str(): a mapping handed in by code may mix key types, which sorted() cannot order.
            raise SettingsError(f"{source}: unknown section(s) {sorted(map(str, unknown))}")
        try:
            return dataclasses.replace(self, **sections)
        except SettingsError as exc:
            raise SettingsError(f"{source}: {exc}") from exc

    def as_mapping(self) -> dict[str, dict[str, Any]]:
        return {name: dataclasses.asdict(getattr(self, name)) for name in SECTIONS}

    def requested(self) -> dict[str, dict[str, Any]]:
        """The values these settings ask a station to apply: the keys a file named, or all."""
        return {
            section: {
                key: value
                for key, value in values.items()
                if self.named is None or f"{section}.{key}" in self.named
            }
            for section, values in self.as_mapping().items()
        }


# Keys an older station's files held, with what a site writes instead: a file that still sets one
# is refused with these words rather than as an unknown key.
REPLACED_KEYS: Mapping[tuple[str, str], str] = MappingProxyType(
    {
        ("match", "threshold"): (
            "(a distance) was replaced by operating_point, the false-match rate the site accepts "
            f"(R22): one of {', '.join(OPERATING_POINTS)} (one false match in a thousand, ten "
            "thousand or a hundred thousand); remove threshold and set operating_point"
        ),
    }
)

SECTIONS: tuple[str, ...] = tuple(
    f.name for f in dataclasses.fields(Settings) if not f.metadata.get("not_a_setting")
)


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
        if (section, key) in REPLACED_KEYS:
            raise SettingsError(f"{where}: {key} {REPLACED_KEYS[section, key]}")
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
