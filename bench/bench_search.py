#!/usr/bin/env python3
"""1:N search (Gallery.best) at 10k and 100k templates, and loading 100k templates from SQLCipher.

    python bench/bench_search.py [--queries 25] [--rounds 5] [--store-loads 5]

Synthetic templates of the current version: two random L2-normalised float32 128-d parts each
(dlib's, SFace's; issue 13), from a fixed seed (no real face is needed to time matrix-vector
products). Per gallery size, three variants are timed per query,
interleaved round by round so drift hits all of them alike:
  - `Gallery.best` as the station calls it (BLAS limited to one thread inside, plus sqrt/argmin);
  - the bare `M @ q` with BLAS limited to one thread (the limit held around the loop);
  - the bare `M @ q` with BLAS at its default thread count: the in-run baseline for the limit;
  - `Gallery.best` again right after those, while OpenBLAS's idle workers still spin (each round
    then pauses 0.3 s so the spinning does not leak into the next round's figures).
Then 100k templates go into a real SQLCipher store in one transaction, and
`Repository.templates_of_model` is timed on the open connection and right after re-opening the store.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:  # run as a script from a checkout, installed or not
    sys.path.insert(0, str(_ROOT))

import numpy as np  # noqa: E402
import numpy.typing as npt  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from bench._common import blas_threads, emit, percentile, say, summary_ms, table  # noqa: E402
from station.biometrics.calibration import shipped_calibration  # noqa: E402
from station.biometrics.matching import Gallery  # noqa: E402
from station.biometrics.model_sets import CURRENT, PART_SIZE  # noqa: E402
from station.domain import Template  # noqa: E402
from station.settings import StoreSettings  # noqa: E402
from station.storage import Repositories, Store  # noqa: E402
from station.storage.ids import new_id  # noqa: E402

SEED = 20261127
SIZES = (10_000, 100_000)
DIM = CURRENT.size
FAST_KDF = StoreSettings(kdf_time_cost=1, kdf_memory_kib=8192, kdf_parallelism=1)
IDLE_SECONDS = 0.3  # > the ~50 ms OpenBLAS worker threads spin after a multi-threaded call

Matrix = npt.NDArray[np.float32]


def unit_rows(rng: np.random.Generator, rows: int) -> Matrix:
    parts = rng.standard_normal((rows, len(CURRENT.parts), PART_SIZE), dtype=np.float32)
    parts /= np.linalg.norm(parts, axis=2, keepdims=True)
    return parts.reshape(rows, DIM)


def time_search(matrix: Matrix, queries: Matrix, rounds: int) -> dict[str, list[float]]:
    calibration = shipped_calibration().of(CURRENT)
    gallery = Gallery([f"s{i}" for i in range(len(matrix))], matrix, calibration)
    inner = np.ascontiguousarray(matrix)

    def each(call: Callable[[npt.NDArray[np.float32]], object]) -> list[float]:
        times = []
        for query in queries:
            started = time.perf_counter()
            call(query)
            times.append(time.perf_counter() - started)
        return times

    samples: dict[str, list[float]] = {
        "gallery_best": [],
        "matmul_1_thread": [],
        "matmul_default_threads": [],
        "gallery_best_after_multithreaded_blas": [],
    }
    for _ in range(2):  # warm-up: page the matrix in, start the BLAS threads
        gallery.best(queries[0])
        _ = inner @ queries[0]
    time.sleep(IDLE_SECONDS)
    for number in range(1, rounds + 1):
        samples["gallery_best"] += each(gallery.best)
        with threadpool_limits(limits=1, user_api="blas"):
            samples["matmul_1_thread"] += each(lambda q: inner @ q)
        samples["matmul_default_threads"] += each(lambda q: inner @ q)
        # OpenBLAS workers keep spinning for tens of ms after a multi-threaded call and slow a
        # single-threaded product meanwhile: measured once on purpose, then let them go idle so the
        # next round's figures are not skewed.
        samples["gallery_best_after_multithreaded_blas"] += each(gallery.best)
        time.sleep(IDLE_SECONDS)
        say(f"{len(matrix)} templates: round {number}/{rounds}")
    return samples


def store_load(vectors: Matrix, loads: int) -> dict[str, object]:
    now = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    with tempfile.TemporaryDirectory(prefix="bench-search-") as temporary:
        path = Path(temporary) / "station.db"
        store, _ = Store.create(path, "bench", "bench secret", FAST_KDF)
        repo = Repositories(store)
        subject_ids: list[str] = []
        started = time.perf_counter()
        with store.transaction():
            for index, vector in enumerate(vectors):
                subject = repo.subjects.add(f"M{index:07d}", f"Synthetic {index}", None, now)
                repo.templates.replace(
                    subject.id,
                    Template(
                        new_id(),
                        CURRENT.model_id,
                        CURRENT.fingerprint,
                        vector,
                        3,
                        now,
                        now + timedelta(days=365),
                    ),
                )
                subject_ids.append(subject.id)
        insert_seconds = time.perf_counter() - started
        say(f"inserted {len(vectors)} subjects + templates in {insert_seconds:.2f} s")
        size_mb = path.stat().st_size / 1e6

        warm: list[float] = []
        for _ in range(loads):
            started = time.perf_counter()
            ids, loaded = repo.templates.of_model(CURRENT)
            warm.append(time.perf_counter() - started)
        # Same vectors back, whatever the row order.
        position = {subject_id: index for index, subject_id in enumerate(subject_ids)}
        order = np.array([position[i] for i in ids])
        if loaded.shape != vectors.shape or not np.array_equal(loaded, vectors[order]):
            sys.exit("templates_of_model did not return the vectors that were stored")
        store.close()

        reopened: list[float] = []
        for _ in range(loads):
            store = Store.open(path, "bench", "bench secret")
            try:
                started = time.perf_counter()
                Repositories(store).templates.of_model(CURRENT)
                reopened.append(time.perf_counter() - started)
            finally:
                store.close()
        say(f"loaded {len(ids)} templates {2 * loads} times")
    return {
        "templates": len(vectors),
        "insert_one_transaction_s": insert_seconds,
        "store_size_mb": size_mb,
        "load_open_connection": summary_ms(warm),
        "load_after_reopen": summary_ms(reopened),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--queries", type=int, default=25, help="queries per round (default 25)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of all variants (default 5)")
    parser.add_argument("--store-loads", type=int, default=5)
    args = parser.parse_args()

    rng = np.random.default_rng(SEED)
    gallery_vectors = unit_rows(rng, max(SIZES))
    queries = unit_rows(rng, args.queries)
    default_threads = blas_threads()

    results: dict[str, object] = {"seed": SEED, "dim": DIM, "blas_default": default_threads}
    rows: list[list[object]] = []
    for size in SIZES:
        samples = time_search(np.ascontiguousarray(gallery_vectors[:size]), queries, args.rounds)
        medians = {name: statistics.median(times) for name, times in samples.items()}
        entry: dict[str, object] = {name: summary_ms(times) for name, times in samples.items()}
        entry["ratio_default_threads_over_1_thread"] = (
            medians["matmul_default_threads"] / medians["matmul_1_thread"]
        )
        entry["ratio_gallery_best_over_matmul_1_thread"] = (
            medians["gallery_best"] / medians["matmul_1_thread"]
        )
        results[f"search_{size}"] = entry
        for name, label in (
            ("gallery_best", "Gallery.best (station)"),
            ("matmul_1_thread", "M @ q, BLAS 1 thread"),
            ("matmul_default_threads", "M @ q, BLAS default threads"),
            ("gallery_best_after_multithreaded_blas", "Gallery.best right after those"),
        ):
            times = samples[name]
            rows.append(
                [
                    f"{size:,} x {DIM}: {label}",
                    len(times),
                    1000 * medians[name],
                    1000 * percentile(times, 90),
                    f"{medians[name] / medians['matmul_1_thread']:.2f}x",
                ]
            )

    store = store_load(gallery_vectors, args.store_loads)
    results["store_load"] = store
    warm = store["load_open_connection"]
    reopened = store["load_after_reopen"]
    assert isinstance(warm, dict) and isinstance(reopened, dict)
    rows.append(
        [
            f"{max(SIZES):,} templates_of_model, open connection",
            warm["n"],
            warm["median_ms"],
            warm["p90_ms"],
            "-",
        ]
    )
    rows.append(
        [
            f"{max(SIZES):,} templates_of_model, after re-open",
            reopened["n"],
            reopened["median_ms"],
            reopened["p90_ms"],
            "-",
        ]
    )
    text = table(["operation", "samples", "median ms", "p90 ms", "vs 1 thread"], rows)
    threads = ", ".join(f"{b['api']}={b['threads']}" for b in default_threads)
    text += (
        f"\nBLAS default threads: {threads}; insert of {max(SIZES):,} subjects+templates in one "
        f"transaction: {store['insert_one_transaction_s']:.2f} s, store {store['store_size_mb']:.0f} MB"
    )
    emit("search", text, results)


if __name__ == "__main__":
    main()
