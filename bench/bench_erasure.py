#!/usr/bin/env python3
"""What erasing a member at the end of service costs (issue 15), beside withdrawing their face.

    python bench/bench_erasure.py [--members 10000 50000] [--visits 10] [--runs 7]

A real SQLCipher store of --members members, each registered with a consent, a PIN, a face
template and --visits verifications in the audit trail. Then, alternated, one member's face
withdrawal (Subjects.withdraw_face_consent, the baseline: one transaction that destroys a template
with secure_delete) and another member's erasure (Erasure.erase: every row of theirs, tallies and
the event); medians over --runs each. Last, the inactivity listing (Erasure.inactive, half the
members absent for seven months) at that size; median over --runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:  # run as a script from a checkout, installed or not
    sys.path.insert(0, str(_ROOT))

from bench._common import emit, environment, say, table  # noqa: E402
from station.biometrics.model_sets import CURRENT  # noqa: E402
from station.domain import AuditKind, Template  # noqa: E402
from station.services import Station  # noqa: E402
from station.settings import Settings, StoreSettings  # noqa: E402
from station.storage import Repositories, Store  # noqa: E402
from station.storage.consents import ConsentAnswer  # noqa: E402
from station.storage.ids import new_id  # noqa: E402

START = datetime(2026, 1, 1, tzinfo=UTC)
ADMIN, PASSWORD = "admin", "x" * 12


class Clock:
    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current

    def monotonic(self) -> float:
        return time.monotonic()


def _fill(store: Store, members: int, visits: int) -> list[str]:
    """Members as the station keeps them, written in one transaction; their numbers."""
    repos = Repositories(store)
    rng = np.random.default_rng(0)
    numbers = [f"M-{index:06d}" for index in range(members)]
    with store.transaction():
        for index, number in enumerate(numbers):
            # Half the members were last seen seven months before the others.
            seen = START + timedelta(days=0 if index % 2 else 214, seconds=index)
            subject = repos.subjects.add(number, f"Member {index}", None, seen, f"C-{index:06d}")
            repos.consents.add(subject.id, True, "1", "0" * 64, "operator_screen", "desk", seen)
            repos.subjects.set_pin_hash(subject.id, "$argon2id$" + "0" * 80, seen)
            vector = rng.standard_normal(CURRENT.size).astype(np.float32)
            template = Template(
                new_id(),
                CURRENT.model_id,
                CURRENT.fingerprint,
                vector,
                3,
                seen,
                seen + timedelta(days=365),
            )
            repos.templates.replace(subject.id, template)
            repos.audit.append(AuditKind.SUBJECT_REGISTERED, "desk", seen, subject.id)
            for visit in range(visits):
                repos.audit.append(
                    AuditKind.VERIFY_PIN,
                    "desk",
                    seen + timedelta(minutes=visit),
                    subject.id,
                    {"status": "accepted"},
                )
    return numbers


def timed(into: list[float], call: Callable[..., object], *member: str) -> None:
    began = time.perf_counter()
    call(*member, ADMIN) if member else call()
    into.append(time.perf_counter() - began)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--visits", type=int, default=10)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    results: dict[str, object] = {"environment": environment(), "visits": args.visits}
    rows: list[list[object]] = []
    with tempfile.TemporaryDirectory() as folder:
        for size in args.members:
            store, _ = Store.create(
                Path(folder) / f"m{size}" / "station.db", ADMIN, PASSWORD, StoreSettings()
            )
            numbers = _fill(store, size, args.visits)
            say(f"{size:,} members written")
            base = Settings()  # the shipped key strength: one sign-in, not timed
            settings = replace(base, policy=replace(base.policy, inactive_months=6))
            clock = Clock(START + timedelta(days=214 + 30))
            station = Station(store, ADMIN, settings, clock)
            timings: dict[str, list[float]] = {"withdraw": [], "erase": [], "inactive": []}
            for run in range(args.runs):
                withdrawing, erasing = numbers[2 * run], numbers[2 * run + 1]
                timed(timings["withdraw"], station.subjects.withdraw_face_consent, withdrawing)
                timed(timings["erase"], station.erasure.erase, erasing)
                timed(timings["inactive"], station.erasure.inactive)
            listed = len(station.erasure.inactive())
            assert listed == size // 2 - args.runs, listed  # the erased ones are gone from it
            withdrawn = station.repos.consents.count(ConsentAnswer.WITHDRAWN)
            assert withdrawn == args.runs, withdrawn
            baseline = statistics.median(timings["withdraw"])
            for label, values in timings.items():
                median = statistics.median(values)
                rows.append(
                    [f"{size:,} members", label, f"{median * 1000:.1f}", f"{median / baseline:.2f}"]
                )
            results[f"{size}_ms"] = {k: statistics.median(v) * 1000 for k, v in timings.items()}
            results[f"{size}_listed"] = listed
            station.close()
    emit("erasure", table(["store", "what", "median ms", "ratio to withdraw"], rows), results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
