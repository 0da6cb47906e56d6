#!/usr/bin/env python3
"""What SQLCipher's and SQLite's integrity checks cost on a store of realistic size (issue 16).

    python bench/bench_integrity.py [--members 1000 10000] [--verifications 6] [--runs 5]

Per size, a real SQLCipher store is filled in one transaction: each member with a consent, a
template (128 random float32 from a fixed seed), a PIN hash and their audit events (registered,
consent, enrolled, PIN set, then --verifications face verifications). Then, each on a store just
opened (fast Argon2id, so the open itself is cheap) and as medians of --runs:
  - `PRAGMA cipher_integrity_check`: the HMAC of every page, free pages included (sign-in runs it);
  - `PRAGMA quick_check`: SQLite's b-tree check without matching indexes to tables;
  - `PRAGMA integrity_check`: the full check (backup, restore and `audit verify` run it with the
    first);
  - a whole sign-in (`open_station`: key slot, the page check, the start-up work), models unloaded.
The file is in the OS cache, as on a station that was just used; a cold disk adds its read time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:  # run as a script from a checkout, installed or not
    sys.path.insert(0, str(_ROOT))

import numpy as np  # noqa: E402

from bench._common import emit, say, summary_ms, table  # noqa: E402
from station.domain import AuditKind, Template  # noqa: E402
from station.services.opening import open_station  # noqa: E402
from station.settings import Settings, StoreSettings  # noqa: E402
from station.storage import Repositories, Store  # noqa: E402
from station.storage.ids import new_id  # noqa: E402

SEED = 16
NAME, SECRET = "bench", "bench secret"
FAST_KDF = StoreSettings(kdf_time_cost=1, kdf_memory_kib=8192, kdf_parallelism=1)
CHECKS = ("cipher_integrity_check", "quick_check", "integrity_check")
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
PIN_HASH = "$argon2id$v=19$m=65536,t=3,p=4$" + "x" * 66  # an Argon2id hash's length


def fill(path: Path, members: int, verifications: int) -> int:
    """A store of `members` people; returns its number of audit events."""
    store, _ = Store.create(path, NAME, SECRET, FAST_KDF)
    repos = Repositories(store)
    rng = np.random.default_rng(SEED)
    events = 0
    with store.transaction():
        for index in range(members):
            at = NOW + timedelta(minutes=index)
            subject = repos.subjects.add(f"M{index:07d}", f"Member {index}", None, at)
            repos.consents.add(subject.id, True, "1", "a" * 64, "operator_screen", NAME, at)
            vector = rng.standard_normal(128).astype(np.float32)
            expires = at + timedelta(days=365)
            repos.templates.replace(
                subject.id, Template(new_id(), "dlib", "f" * 64, vector, 3, at, expires)
            )
            repos.subjects.set_pin_hash(subject.id, PIN_HASH, at)
            kinds = [
                AuditKind.SUBJECT_REGISTERED,
                AuditKind.FACE_CONSENT_ACCEPTED,
                AuditKind.FACE_ENROLLED,
                AuditKind.PIN_SET,
            ] + [AuditKind.VERIFY_FACE] * verifications
            for kind in kinds:
                repos.audit.append(kind, NAME, at, subject.id, {"status": "accepted"})
            events += len(kinds)
    store.close()
    return events


def time_check(path: Path, pragma: str, runs: int) -> list[float]:
    durations = []
    for _ in range(runs):
        store = Store.open(path, NAME, SECRET)
        try:
            started = time.perf_counter()
            store.execute(f"PRAGMA {pragma}").fetchall()
            durations.append(time.perf_counter() - started)
        finally:
            store.close()
    return durations


def time_sign_in(path: Path, runs: int) -> list[float]:
    settings = Settings()  # the slot carries its own Argon2id cost; settings only check a file
    durations = []
    for _ in range(runs):
        started = time.perf_counter()
        station = open_station(path, NAME, SECRET, settings)  # models load on first face use
        durations.append(time.perf_counter() - started)
        station.close()
    return durations


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--verifications", type=int, default=6, help="per member (default 6)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each (default 5)")
    args = parser.parse_args()

    results: dict[str, object] = {"seed": SEED, "verifications_per_member": args.verifications}
    rows: list[list[object]] = []
    for members in args.members:
        with tempfile.TemporaryDirectory(prefix="bench-integrity-") as folder:
            path = Path(folder) / "station.db"
            events = fill(path, members, args.verifications)
            size_mb = path.stat().st_size / 1e6
            say(f"{members:,} members, {events:,} audit events: {size_mb:.1f} MB")
            entry: dict[str, object] = {"audit_events": events, "store_size_mb": size_mb}
            timings = {check: time_check(path, check, args.runs) for check in CHECKS}
            timings["sign_in"] = time_sign_in(path, args.runs)
            for name, durations in timings.items():
                entry[name] = summary_ms(durations)
                median = 1000 * statistics.median(durations)
                store = f"{members:,} members ({size_mb:.1f} MB)"
                rows.append([store, name, median, median / size_mb])
            results[f"members_{members}"] = entry
    emit("integrity", table(["store", "check", "median ms", "ms per MB"], rows), results)


if __name__ == "__main__":
    main()
