"""Properties of every parser of outside input and of the matcher, with hypothesis.

Parsers: the settings file (TOML) and mapping, the failed-sign-ins side file, the `--camera`
value. Export packages have their own fuzz tests in test_transfer.py. Each parser either gives a
valid value or its own error with an operator's message, never another exception.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from station.biometrics.calibration import OPERATING_POINTS, shipped_calibration
from station.biometrics.embedder import l2_normalise
from station.biometrics.matching import (
    Gallery,
    distance,
    distances,
    score,
    template_from_descriptors,
    unit_parts,
)
from station.biometrics.model_sets import CURRENT, PART_SIZE
from station.biometrics.protection import TemplateProtection
from station.capture import CameraError, camera_absent_reason, open_source
from station.capture.sources import FrameSourceBase
from station.settings import (
    CHALLENGE_ACTIONS,
    LIVENESS_FRAMES_SECONDS,
    MAX_KDF_MEMORY_KIB,
    MEMBER_SCREENS,
    MINORS_POLICIES,
    RULE_BOUNDS,
    THEMES,
    LivenessSettings,
    Settings,
    SettingsError,
)
from station.storage.keys import (
    KEY_BYTES,
    PASSWORD,
    KeyFile,
    KeySlot,
    key_file_bytes,
    parse_key_file,
)
from station.storage.signins import (
    note_failed_sign_in,
    pending_path,
    read_failed_sign_ins,
)
from tests.conftest import share_of_examples

# Shares of the profile's example count (tests/conftest.py): the parsers' fuzz targets are cheap
# and get twice as many; round trips and the matcher, whose bodies cost more, fewer.
FUZZ = share_of_examples(2)
FAST = share_of_examples(0.6)


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    # One folder for the whole module: hypothesis runs a test body many times per function-scoped
    # fixture, so each example writes to a fresh name inside this folder instead.
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


_counter = iter(range(10**9))


def _fresh(folder: Path, suffix: str) -> Path:
    return folder / f"case-{next(_counter)}{suffix}"


# ------------------------------------------------------------------------------------------
# Settings: strategies for valid values of every field, and for anything at all
# ------------------------------------------------------------------------------------------

# Every other value comes from its documented bound (station.settings.RULE_BOUNDS).
CHOICES: dict[str, st.SearchStrategy[Any]] = {
    "site.language": st.sampled_from(["en", "zh_CN"]),
    "match.operating_point": st.sampled_from(OPERATING_POINTS),  # R22: named, not a distance
    "match.one_to_many": st.booleans(),
    "policy.minors_policy": st.sampled_from(MINORS_POLICIES),
    "policy.face_export_enabled": st.booleans(),
    "liveness.enabled": st.booleans(),  # R23: on or off, only an administrator switches it
    "display.theme": st.sampled_from(THEMES),  # issue 12: the desk's look
    "display.member_screen": st.sampled_from(MEMBER_SCREENS),
}


def _kind(dotted: str) -> type:
    section, key = dotted.split(".")
    return type(getattr(getattr(Settings(), section), key))


def _within(dotted: str) -> st.SearchStrategy[Any]:
    """Values the rules allow this setting."""
    bound = RULE_BOUNDS[dotted]
    kind = _kind(dotted)
    if kind is str:  # text: its length is bounded; a required field must not be blank
        text = st.text(min_size=int(bound.low), max_size=min(int(bound.high), 40))
        return text.filter(lambda s: s.strip() != "") if bound.low else text
    if kind is int:
        return st.integers(int(bound.low), int(bound.high))
    return st.floats(bound.low, bound.high)


def _around(dotted: str) -> st.SearchStrategy[Any]:
    """Values on, inside, just past and far past the bound, of the setting's own type."""
    bound = RULE_BOUNDS[dotted]
    kind = _kind(dotted)
    span = bound.high - bound.low + 1
    if kind is str:
        return st.integers(0, int(bound.high) + 3).map(lambda n: "x" * n)
    if kind is int:
        low, high = int(bound.low), int(bound.high)
        return (
            st.sampled_from([low - 1, low, high, high + 1])
            | st.integers(low - int(span), high + int(span))
            | st.integers(-(2**70), 2**70)
        )
    return (
        st.sampled_from([bound.low, bound.high])
        | st.floats(bound.low - span, bound.high + span, allow_nan=False)
        | st.floats(-1e9, 1e9)
    )


def _by_section(strategies: dict[str, st.SearchStrategy[Any]]) -> dict[str, dict[str, Any]]:
    sections: dict[str, dict[str, Any]] = {}
    for dotted, strategy in strategies.items():
        section, key = dotted.split(".")
        sections.setdefault(section, {})[key] = strategy
    return sections


VALID = _by_section({**{d: _within(d) for d in RULE_BOUNDS}, **CHOICES})
AROUND = _by_section({d: _around(d) for d in RULE_BOUNDS})


@st.composite
def valid_changes(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    """Some sections with some keys, each holding a value the rules allow."""
    changes: dict[str, dict[str, Any]] = {}
    for section in draw(st.lists(st.sampled_from(sorted(VALID)), unique=True)):
        keys = draw(st.lists(st.sampled_from(sorted(VALID[section])), unique=True, min_size=1))
        changes[section] = {key: draw(VALID[section][key]) for key in keys}
    # R23 within R25 (Settings.__post_init__): with the liveness check on, the capture's time
    # limit must leave room for the challenge; a shorter one is no valid choice.
    liveness = changes.get("liveness", {})
    if liveness.get("enabled", True):
        action = liveness.get("action_seconds", LivenessSettings().action_seconds)
        needed = CHALLENGE_ACTIONS * action + LIVENESS_FRAMES_SECONDS
        if changes.get("capture", {}).get("timeout_seconds", math.inf) < needed:
            changes["capture"]["timeout_seconds"] = needed
    return changes


_any_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | st.datetimes(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)


@st.composite
def any_changes(draw: st.DrawFn) -> dict[Any, Any]:
    """Known and unknown sections and keys, with values of any type."""
    sections = st.sampled_from(sorted(VALID)) | st.text(max_size=10)
    out: dict[Any, Any] = {}
    for section in draw(st.lists(sections, unique=True, max_size=4)):
        known = sorted(VALID.get(section, {}))
        keys = st.sampled_from(known) | st.text(max_size=10) if known else st.text(max_size=10)
        values = st.dictionaries(keys, _any_value, max_size=4)
        out[section] = draw(values | _any_value)
    return out


def _toml_string(text: str) -> str:
    # TOML basic strings: escape quote, backslash and every control character (DEL too).
    escaped = "".join(
        f"\\u{ord(c):04x}" if ord(c) < 0x20 or ord(c) == 0x7F or c in '"\\' else c for c in text
    )
    return f'"{escaped}"'


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return _toml_string(value)


def _toml(changes: dict[str, dict[str, Any]]) -> str:
    lines = []
    for section, values in changes.items():
        lines.append(f"[{section}]")
        lines.extend(f"{key} = {_toml_value(value)}" for key, value in values.items())
    return "\n".join(lines) + "\n"


def _key_names(changes: dict[str, dict[str, Any]]) -> set[str]:
    return {key for values in changes.values() for key in values}


@FAST
@given(valid_changes())
def test_valid_settings_round_trip_through_the_mapping(changes: dict[str, dict[str, Any]]) -> None:
    settings = Settings.from_mapping(changes)
    for section, values in changes.items():
        for key, value in values.items():
            assert getattr(getattr(settings, section), key) == value
    assert Settings.from_mapping(settings.as_mapping()) == settings
    assert Settings().updated(settings.as_mapping()) == settings
    assert settings.updated({}) == settings


@st.composite
def changes_around_the_bounds(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    """Some bounded settings, each on, inside or outside its bound."""
    changes: dict[str, dict[str, Any]] = {}
    for section in draw(st.lists(st.sampled_from(sorted(AROUND)), unique=True, min_size=1)):
        keys = draw(st.lists(st.sampled_from(sorted(AROUND[section])), unique=True, min_size=1))
        changes[section] = {key: draw(AROUND[section][key]) for key in keys}
    return changes


def test_every_setting_has_a_documented_bound_or_a_fixed_set_of_values() -> None:
    """Issue 16: no setting is left open-ended (`enroll_frames = 10**20` was accepted)."""
    settings = {f"{s}.{k}" for s, values in Settings().as_mapping().items() for k in values}
    assert settings == set(RULE_BOUNDS) | set(CHOICES)
    for dotted, bound in RULE_BOUNDS.items():
        assert bound.low <= bound.high and bound.rule, dotted
        section, key = dotted.split(".")
        default = getattr(getattr(Settings(), section), key)
        assert bound.low <= (len(default) if isinstance(default, str) else default) <= bound.high


@FUZZ
@given(changes_around_the_bounds())
@example({"capture": {"enroll_frames": 10**20}})
@example({"liveness": {"action_seconds": 99.0}})
@example({"store": {"kdf_time_cost": 1, "kdf_memory_kib": 8192}})
@example({"enroll_gate": {"min_eye_distance_px": 30.0}})
def test_every_value_settings_accept_lies_within_its_documented_bound(
    changes: dict[str, dict[str, Any]],
) -> None:
    """Issue 16, R6-R26: whatever Settings.updated accepts is within RULE_BOUNDS, both sides."""
    try:
        settings = Settings().updated(changes, "site.toml")
    except SettingsError as exc:
        assert str(exc).startswith("site.toml: [")
        return
    for section, values in settings.as_mapping().items():
        for key, value in values.items():
            bound = RULE_BOUNDS.get(f"{section}.{key}")
            if bound is not None:
                size = len(value) if isinstance(value, str) else value
                assert bound.low <= size <= bound.high, (section, key, value)


@FAST
@given(valid_changes())
def test_valid_settings_round_trip_through_a_toml_file(
    scratch: Path, changes: dict[str, dict[str, Any]]
) -> None:
    path = _fresh(scratch, ".toml")
    path.write_text(_toml(changes), encoding="utf-8")
    assert Settings.load(path) == Settings.from_mapping(changes)


@FUZZ
@given(any_changes())
@example({"liveness": {"action_seconds": math.nan}})
@example({"match": {"threshold": 0.32}})  # a distance: replaced by operating_point (R22)
@example({"match": {"operating_point": "1e-2"}})
@example({"capture": {"enroll_frames": 0}})
@example({"store": {"retention_days": 10**18}})
@example({"store": {"kdf_memory_kib": 4}})
@example({"site": {"idle_lock_seconds": 10**12}})
@example({"capture": {"timeout_seconds": 10**400}})
@example({1: {}, "x": {}})
def test_any_mapping_gives_settings_or_a_settings_error_naming_the_key(
    changes: dict[Any, Any],
) -> None:
    try:
        settings = Settings.from_mapping(changes, source="site.toml")
    except SettingsError as exc:
        message = str(exc)
        assert message.startswith("site.toml: ")
        named = {str(s) for s in changes} | {
            str(key) for values in changes.values() if isinstance(values, dict) for key in values
        }
        # Named as typed, or quoted (repr) when it holds control characters or is long.
        assert any(n[:20] in message or repr(n)[:20] in message for n in named), message
    else:
        # Accepted: every value is a finite number of the right type inside the rules.
        assert Settings.from_mapping(settings.as_mapping()) == settings
        for section in settings.as_mapping().values():
            for value in section.values():
                assert not isinstance(value, float) or math.isfinite(value)


_toml_scalar = st.one_of(
    st.integers(-(2**63), 2**63 - 1).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(
        lambda f: (
            "nan" if math.isnan(f) else ("inf" if f > 0 else "-inf") if math.isinf(f) else repr(f)
        )
    ),
    st.booleans().map(lambda b: "true" if b else "false"),
    st.text(max_size=20).map(_toml_string),
    st.just("[1, 2]"),
    st.just("{ a = 1 }"),
    st.just("1979-05-27T07:32:00Z"),
    st.integers(1, 6_000).map(lambda digits: "9" * digits),  # past int()'s 4,300-digit limit
)


@st.composite
def toml_texts(draw: st.DrawFn) -> str:
    """Well-formed TOML of settings shape: real and made-up sections and keys, any value."""
    lines = []
    for section in draw(
        st.lists(
            st.sampled_from(sorted(VALID)) | st.from_regex(r"[a-z_]{1,8}", fullmatch=True),
            max_size=3,
            unique=True,
        )
    ):
        lines.append(f"[{section}]")
        known = sorted(VALID.get(section, {})) or ["x"]
        for key in draw(st.lists(st.sampled_from(known), max_size=4, unique=True)):
            lines.append(f"{key} = {draw(_toml_scalar)}")
    return "\n".join(lines) + "\n"


def _load_or_error(path: Path) -> Settings | SettingsError:
    try:
        return Settings.load(path)
    except SettingsError as exc:
        return exc


@FUZZ
@given(toml_texts())
def test_toml_settings_files_give_settings_or_an_error_naming_the_file(
    scratch: Path, text: str
) -> None:
    path = _fresh(scratch, ".toml")
    path.write_text(text, encoding="utf-8")
    result = _load_or_error(path)
    if isinstance(result, SettingsError):
        assert str(path) in str(result)


@FUZZ
@given(st.binary(max_size=2048))
@example(b"")
@example(b"\xef\xbb\xbf[match]\noperating_point = '1e-3'\n")  # a BOM from a Windows editor
@example(b"\xff\xfe[match]")
@example(b"a = " + b"[" * 5000)
@example(b"a = " + b"{b=" * 5000)
@example(b"a." * 5000 + b"b = 1")
@example(b"[capture]\ntimeout_seconds = nan\n")
@example(b"[match]\nthreshold = 0.32\n")  # an older station's file (R22)
@example(b"x" * (64 * 1024 + 1))
@example(b"[store]\nretention_days = " + b"9" * 5000)  # tomllib raised int()'s ValueError
def test_fuzz_settings_file_bytes(scratch: Path, data: bytes) -> None:
    """The fuzz target for the settings file: any bytes give valid Settings or SettingsError."""
    path = _fresh(scratch, ".toml")
    path.write_bytes(data)
    result = _load_or_error(path)
    if isinstance(result, SettingsError):
        assert str(path) in str(result)
    else:
        assert Settings.from_mapping(result.as_mapping()) == result


@FUZZ
@given(valid_changes(), st.data())
def test_fuzz_mutated_settings_files(
    scratch: Path, changes: dict[str, dict[str, Any]], data: st.DataObject
) -> None:
    """Near-valid files (one byte changed, dropped or cut) are the likely damage in practice."""
    good = bytearray(_toml(changes).encode("utf-8"))
    assume(good)
    where = data.draw(st.integers(0, len(good) - 1))
    action = data.draw(st.sampled_from(["flip", "drop", "cut"]))
    if action == "flip":
        good[where] ^= data.draw(st.integers(1, 255))
    elif action == "drop":
        del good[where]
    else:
        del good[where:]
    path = _fresh(scratch, ".toml")
    path.write_bytes(bytes(good))
    result = _load_or_error(path)
    assert isinstance(result, Settings) or str(path) in str(result)


@FUZZ
@given(
    st.fixed_dictionaries(
        {
            "kdf_time_cost": st.integers(0, 200),
            "kdf_memory_kib": st.integers(0, 8 * 1024 * 1024),
            "kdf_parallelism": st.integers(0, 128),
        }
    )
)
@example({"kdf_time_cost": 21, "kdf_memory_kib": 8192, "kdf_parallelism": 1})
@example({"kdf_time_cost": 1, "kdf_memory_kib": 8192, "kdf_parallelism": 17})
@example({"kdf_time_cost": 1, "kdf_memory_kib": MAX_KDF_MEMORY_KIB + 1, "kdf_parallelism": 1})
def test_any_store_settings_allowed_seal_a_key_file_that_reads_back(store: dict[str, Any]) -> None:
    """The store's key slots are sealed with the site's Argon2id settings (R12): a setting the
    reader refuses would lock the station out of its own store at the next sign-in. (The slot is
    built directly: the property is about its fields, not Argon2id's work.)"""
    try:
        params = Settings.from_mapping({"store": store}).store
    except SettingsError:
        return  # refused when loaded, before anything is sealed
    slot = KeySlot(
        "slot",
        PASSWORD,
        "label",
        bytes(16),
        params.kdf_time_cost,
        params.kdf_memory_kib,
        params.kdf_parallelism,
        bytes(12),
        bytes(KEY_BYTES + 16),
    )
    key_file = KeyFile(bytes(16), bytes(16), (slot,))
    assert parse_key_file(key_file_bytes(key_file), Path("station.db.key.json")) == key_file


# ------------------------------------------------------------------------------------------
# The failed-sign-ins side file
# ------------------------------------------------------------------------------------------

PSEUDONYM = KeyFile(bytes(range(16)), bytes(16), ()).label  # as a station's key file labels names


@FUZZ
@given(st.binary(max_size=4096))
@example(b"[" * 100_000)
@example(b'{"at": 1, "operator": "x"}\n[]\n"text"\n{"at": "2026-13-01", "operator": "x"}\n')
@example('{"at": "2026-01-01T00:00:00", "operator": "a\u2028b"}\n'.encode())
def test_fuzz_failed_sign_ins_file_never_raises(scratch: Path, data: bytes) -> None:
    store = _fresh(scratch, ".db")
    pending_path(store).write_bytes(data)
    entries = read_failed_sign_ins(store, PSEUDONYM)
    text = data.decode("utf-8", errors="replace")
    # One entry per written line, readable or marked as not: nothing silently dropped.
    assert len(entries) == min(len([s for s in text.split("\n") if s]), 2000)
    for entry in entries:
        assert entry.at.tzinfo is not None
        assert isinstance(entry.label, str)


@FAST
@given(
    st.lists(
        st.tuples(
            st.text(max_size=100),
            st.datetimes(
                min_value=datetime(2000, 1, 1),
                max_value=datetime(2100, 1, 1),
                timezones=st.just(UTC),
            ),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_failed_sign_ins_read_back_as_written(
    scratch: Path, attempts: list[tuple[str, datetime]]
) -> None:
    store = _fresh(scratch, ".db")
    for name, at in attempts:
        assert note_failed_sign_in(store, PSEUDONYM(name), at)
    entries = read_failed_sign_ins(store, PSEUDONYM)
    assert [(e.at, e.label) for e in entries] == [(at, PSEUDONYM(name)) for name, at in attempts]


# ------------------------------------------------------------------------------------------
# The --camera value
# ------------------------------------------------------------------------------------------


# Anything typed: digits, "~user" home folders, and names repeated past the file system's limits.
camera_values = st.one_of(
    st.text(max_size=30),
    st.integers(0, 10**40).map(str),
    st.text(max_size=30).map(lambda text: "~" + text),
    st.tuples(st.text(min_size=1, max_size=8), st.integers(1, 600)).map(lambda p: p[0] * p[1]),
)


@FUZZ
@given(camera_values)
@example("~no-such-user-xyz/clip.mp4")
@example("9" * 5000)
@example("99999999999")
@example("frames/frame_%0999999999d.png")
@example("a\x00b")
@example("~\x00")  # no user can be named with a NUL: expanduser() raised ValueError
@example("x" * 256)  # longer than a file name may be: exists() raised OSError (ENAMETOOLONG)
@example("/x" * 2100)  # longer than a path may be (PATH_MAX): the same
def test_any_camera_value_gives_a_source_or_a_camera_error(spec: str) -> None:
    reason = camera_absent_reason(spec)
    assert reason is None or reason.endswith(".")
    try:
        source = open_source(spec)
    except CameraError as exc:
        assert str(exc).strip()
    else:
        assert isinstance(source, FrameSourceBase) and not source.is_open


@FUZZ
@given(
    st.from_regex(r"[a-z_]{0,6}%0?[0-9]{0,12}d[a-z_.]{0,6}", fullmatch=True),
    st.lists(st.from_regex(r"[a-z_]{0,6}[0-9]{1,12}[a-z_.]{0,6}", fullmatch=True), max_size=4),
)
@example("frame_%0999999999d.png", ["frame_1.png"])
@example("frame_%099999999999999999999d.png", ["frame_1.png"])
@example("x" * 256 + "/frame_%04d.png", [])  # is_dir() on the folder raised OSError (ENAMETOOLONG)
def test_any_image_pattern_opens_or_gives_a_camera_error(
    scratch: Path, pattern: str, names: list[str]
) -> None:
    folder = _fresh(scratch, "")
    folder.mkdir()
    for name in names:
        (folder / name).write_bytes(b"")
    source = open_source(str(folder / pattern))
    try:
        source.open()
    except CameraError as exc:
        assert str(exc).strip()
    else:
        source.close()


# ------------------------------------------------------------------------------------------
# Matcher and template protection
# ------------------------------------------------------------------------------------------

Vec = npt.NDArray[np.float32]
# distances() works as sqrt(2 - 2 a.b) in float32: a.a is 1 only to ~1e-7, so a distance that
# should be 0 comes out up to ~5e-4. Decisions are made at 0.32, three orders of magnitude away.
TOLERANCE = 2e-3


@st.composite
def unit_vectors(draw: st.DrawFn) -> Vec:
    vector = draw(arrays(np.float32, PART_SIZE, elements=st.floats(-1, 1, width=32)))
    assume(float(np.linalg.norm(vector)) > 1e-3)
    return l2_normalise(vector)


@st.composite
def descriptors(draw: st.DrawFn) -> Vec:
    """A current descriptor: one unit vector per part (dlib, SFace)."""
    return np.concatenate([draw(unit_vectors()) for _ in CURRENT.parts])


def fused_by_hand(template: Vec, probe: Vec) -> float:
    """The current version's score in float64: each part's distance standardised, averaged."""
    scales = shipped_calibration().of(CURRENT).scales
    total = 0.0
    for part, scale in enumerate(scales):
        span = slice(part * PART_SIZE, (part + 1) * PART_SIZE)
        gap = float(np.linalg.norm(template[span].astype(np.float64) - probe[span]))
        total += (gap - scale.impostor_mean) / scale.impostor_std
    return total / len(scales)


@FAST
@given(unit_vectors(), unit_vectors(), unit_vectors())
def test_distance_is_a_metric_within_float_tolerance(a: Vec, b: Vec, c: Vec) -> None:
    assert distance(a, a) == pytest.approx(0.0, abs=TOLERANCE)
    assert distance(a, b) == pytest.approx(distance(b, a), abs=1e-6)
    assert 0.0 <= distance(a, b) <= 2.0 + 1e-6
    assert distance(a, c) <= distance(a, b) + distance(b, c) + TOLERANCE
    exact = float(np.linalg.norm(a.astype(np.float64) - b.astype(np.float64)))
    assert distance(a, b) == pytest.approx(exact, abs=TOLERANCE)


@FAST
@given(st.lists(unit_vectors(), min_size=1, max_size=12), unit_vectors())
def test_distances_are_euclidean_by_brute_force(gallery: list[Vec], probe: Vec) -> None:
    brute = [float(np.linalg.norm(v.astype(np.float64) - probe)) for v in gallery]
    assert np.allclose(distances(np.stack(gallery), probe), brute, atol=TOLERANCE)


@FAST
@given(st.lists(descriptors(), min_size=1, max_size=12), descriptors())
def test_gallery_best_is_the_lowest_fused_score_by_brute_force(
    gallery: list[Vec], probe: Vec
) -> None:
    """Issue 13: 1:N ranks by the fused score and reports it."""
    calibration = shipped_calibration().of(CURRENT)
    ids = [f"id-{i}" for i in range(len(gallery))]
    match = Gallery(ids, np.stack(gallery), calibration).best(probe)
    assert match is not None
    brute = [fused_by_hand(template, probe) for template in gallery]
    # a distance's float32 error, divided by the smallest spread
    tolerance = TOLERANCE / min(scale.impostor_std for scale in calibration.scales)
    assert match.score == pytest.approx(min(brute), abs=tolerance)
    assert brute[match.index] <= min(brute) + tolerance
    assert score(gallery[0], probe, calibration) == pytest.approx(brute[0], abs=tolerance)


def test_an_empty_gallery_finds_no_one() -> None:
    calibration = shipped_calibration().of(CURRENT)
    empty = Gallery([], np.zeros((0, CURRENT.size), dtype=np.float32), calibration)
    assert len(empty) == 0
    assert empty.best(unit_parts(np.ones(CURRENT.size, dtype=np.float32))) is None


def test_a_gallery_of_the_wrong_width_is_refused() -> None:
    """A version-1 template (128 numbers) is never mixed into a current gallery (R15)."""
    with pytest.raises(ValueError, match="vectors"):
        Gallery(["a"], np.zeros((1, 128), dtype=np.float32), shipped_calibration().of(CURRENT))


@FAST
@given(st.lists(descriptors(), min_size=1, max_size=5), st.randoms(use_true_random=False))
def test_template_parts_are_unit_length_and_independent_of_frame_order(
    frames: list[Vec], shuffler: Any
) -> None:
    parts = np.stack(frames).astype(np.float64).reshape(len(frames), -1, PART_SIZE)
    # opposite frames average to nothing
    assume(all(float(np.linalg.norm(part)) > 1e-2 for part in parts.mean(axis=0)))
    template = template_from_descriptors(frames)
    assert template.dtype == np.float32 and template.shape == (CURRENT.size,)
    for part in template.reshape(-1, PART_SIZE):
        assert float(np.linalg.norm(part)) == pytest.approx(1.0, abs=1e-5)
    shuffled = list(frames)
    shuffler.shuffle(shuffled)
    assert np.allclose(template_from_descriptors(shuffled), template, atol=1e-5)


def test_a_template_needs_a_descriptor() -> None:
    with pytest.raises(ValueError, match="at least one"):
        template_from_descriptors([])


_secrets = st.binary(min_size=32, max_size=64)


@FAST
@given(_secrets, st.sampled_from([1, len(CURRENT.parts)]), st.data())
def test_r15_protection_keeps_each_parts_distance_and_unprotect_inverts_it(
    secret: bytes, parts: int, data: st.DataObject
) -> None:
    """Version-1 templates (one part) and current ones (two) alike."""
    a = np.concatenate([data.draw(unit_vectors()) for _ in range(parts)])
    b = np.concatenate([data.draw(unit_vectors()) for _ in range(parts)])
    protection = TemplateProtection(secret)
    pa, pb = protection.protect(a), protection.protect(b)
    assert pa.dtype == np.float32 and pa.shape == a.shape
    for part in range(parts):
        span = slice(part * PART_SIZE, (part + 1) * PART_SIZE)
        assert float(np.linalg.norm(pa[span])) == pytest.approx(1.0, abs=1e-5)
        assert distance(pa[span], pb[span]) == pytest.approx(
            distance(a[span], b[span]), abs=TOLERANCE
        )
    assert np.allclose(protection.unprotect(pa), a, atol=1e-5)


@FAST
@given(_secrets, _secrets, unit_vectors())
def test_r15_two_installations_rotate_differently(first: bytes, second: bytes, a: Vec) -> None:
    assume(first != second)
    moved = distance(TemplateProtection(first).protect(a), TemplateProtection(second).protect(a))
    # Two random rotations of the same vector land far apart: unlinkable across stations.
    assert moved > 0.5


@share_of_examples(0.2)
@given(st.binary(max_size=31))
def test_r15_a_short_secret_is_refused(secret: bytes) -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        TemplateProtection(secret)
