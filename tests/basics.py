"""The tests' plain values and stand-ins, importable without pytest (tests/conftest.py re-exports
them): the crash-safety driver's child process, started for every kill, uses them without paying
for pytest's and hypothesis's imports."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from station.settings import RULE_BOUNDS, Bound, Bounds, LivenessSettings, Settings, StoreSettings

FACES_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "faces"
ADULT_BIRTH = date(1990, 5, 17)  # an adult on every test date (R7)
STORE_SECRET = "correct horse battery staple"
ADMIN = "admin"  # the first administrator of every test store
# Argon2id at test strength: the real parameters cost ~0.2 s per open, which adds up over a suite.
FAST_KDF = StoreSettings(kdf_time_cost=1, kdf_memory_kib=8192, kdf_parallelism=1)
# The tests' only way below the rules' bounds (station.settings.Settings.bounds; a settings file has
# none): Argon2id down to FAST_KDF, and the eye distance down to the shared clip's small face
# (eyes ~30-45 px apart). Production passes RULE_BOUNDS, always.
TEST_BOUNDS: Bounds = dict(
    {
        **RULE_BOUNDS,
        "store.kdf_time_cost": Bound(1, RULE_BOUNDS["store.kdf_time_cost"].high, "tests"),
        "store.kdf_memory_kib": Bound(8192, RULE_BOUNDS["store.kdf_memory_kib"].high, "tests"),
        "enroll_gate.min_eye_distance_px": Bound(30, 400, "tests"),
        "verify_gate.min_eye_distance_px": Bound(30, 400, "tests"),
    }
)


class FrozenClock:
    """Wall time that moves only when told; monotonic time advances a little on every read so
    capture timeouts still progress."""

    def __init__(self, start: datetime = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)) -> None:
        self.current = start
        self.ticks = 0.0

    def now(self) -> datetime:
        return self.current

    def monotonic(self) -> float:
        self.ticks += 0.001
        return self.ticks

    def advance(self, delta: timedelta) -> None:
        self.current += delta
        self.ticks += delta.total_seconds()


# The liveness check (R23) is built to refuse still photos, and most tests enroll and verify from
# photo files to test something else (consent, storage, limits, the window's steps): they run with
# the check off. A test of liveness passes fast_settings(liveness=LIVENESS_ON) and a synthetic live
# person (station.liveness.presentations); the default, on, is tested in test_liveness_flows.py.
LIVENESS_OFF = LivenessSettings(enabled=False)
LIVENESS_ON = LivenessSettings()


def fast_settings(**sections: Any) -> Settings:
    """Settings with FAST_KDF and the liveness check off (LIVENESS_OFF), checked against
    TEST_BOUNDS; `sections` replace the defaults'."""
    return replace(Settings(store=FAST_KDF, liveness=LIVENESS_OFF, bounds=TEST_BOUNDS), **sections)
