#!/usr/bin/env python3
"""What keyed audit links cost (issue 14): writing an event, and verifying a whole trail.

    python bench/bench_audit.py [--events 200] [--trail 10000 100000] [--runs 5]

Writing: --events audit events, one transaction each (as the station writes them), on a real
SQLCipher store with keyed links and on the same kind of store without them (a store set up before
them: no recipient, so no link is written), alternated in one process; median per event over --runs.
Verifying: a trail of --trail events written in one transaction, then `verify_audit_chain` alone
(the chain), with a head anchor, and with the recovery key (every link re-derived); medians.
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

from bench._common import emit, environment, say, table  # noqa: E402
from station.domain import AuditKind  # noqa: E402
from station.settings import StoreSettings  # noqa: E402
from station.storage import Repositories, Store  # noqa: E402
from station.storage.audit_chain import verify_audit_chain  # noqa: E402
from station.storage.audit_links import LINK_RECIPIENT, LINK_STATE  # noqa: E402

FAST_KDF = StoreSettings(kdf_time_cost=1, kdf_memory_kib=8192, kdf_parallelism=1)
START = datetime(2026, 1, 1, tzinfo=UTC)


def _store(folder: Path, name: str, linked: bool) -> tuple[Store, str]:
    store, recovery_key = Store.create(folder / name / "station.db", "admin", "x" * 12, FAST_KDF)
    if not linked:
        store.execute("DELETE FROM station_meta WHERE key IN (?, ?)", (LINK_RECIPIENT, LINK_STATE))
    return store, recovery_key


def _append(store: Store, count: int, offset: int) -> float:
    audit = Repositories(store).audit
    began = time.perf_counter()
    for index in range(count):
        with store.transaction():
            audit.append(
                AuditKind.VERIFY_FACE,
                "desk-1",
                START + timedelta(seconds=offset + index),
                "subject",
                {"status": "accepted"},
            )
    return (time.perf_counter() - began) / count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--trail", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    results: dict[str, object] = {"environment": environment()}
    rows: list[list[object]] = []
    with tempfile.TemporaryDirectory() as folder:
        linked, _ = _store(Path(folder), "linked", True)
        plain, _ = _store(Path(folder), "plain", False)
        per_event: dict[str, list[float]] = {"linked": [], "plain": []}
        for run in range(args.runs):
            per_event["linked"].append(_append(linked, args.events, run * args.events))
            per_event["plain"].append(_append(plain, args.events, run * args.events))
        with_links = statistics.median(per_event["linked"]) * 1000
        without = statistics.median(per_event["plain"]) * 1000
        rows.append(["write one event", "without links", f"{without:.2f}", "1.00"])
        rows.append(
            ["write one event", "keyed links", f"{with_links:.2f}", f"{with_links / without:.2f}"]
        )
        results["append_ms"] = {"linked": with_links, "plain": without}
        linked.close()
        plain.close()
        for size in args.trail:
            store, recovery_key = _store(Path(folder), f"trail-{size}", True)
            audit = Repositories(store).audit
            with store.transaction():
                for index in range(size):
                    audit.append(
                        AuditKind.VERIFY_FACE, "desk-1", START + timedelta(seconds=index), "s", {}
                    )
            head = audit.head()
            assert head is not None
            timings: dict[str, list[float]] = {"chain": [], "anchor": [], "recovery key": []}
            for _ in range(args.runs):
                for label, anchors, key in (
                    ("chain", (), None),
                    ("anchor", ((head, "bench"),), None),
                    ("recovery key", (), recovery_key),
                ):
                    began = time.perf_counter()
                    result = verify_audit_chain(audit, anchors, key)
                    timings[label].append(time.perf_counter() - began)
                    assert result.ok, result.summary
            base = statistics.median(timings["chain"])
            for label, values in timings.items():
                median = statistics.median(values)
                rows.append(
                    [
                        f"verify {size:,} events",
                        label,
                        f"{median * 1000:.0f}",
                        f"{median / base:.2f}",
                    ]
                )
            results[f"verify_{size}_s"] = {k: statistics.median(v) for k, v in timings.items()}
            say(f"{size:,} events verified")
            store.close()
    emit("audit", table(["what", "how", "median ms", "ratio"], rows), results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
