"""Fixtures named for what they give: real faces, a real SQLCipher store, real models, a fake clock."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from station.biometrics.assets import ModelAssetError
from station.biometrics.model_sets import PART_SIZE, ModelSet
from station.biometrics.pipeline import BiometricModels
from station.capture import Frame, FrameSource, ImageFolderSource, PassThroughSource
from station.cli import HOME_ENV, SECRET_ENV, main
from station.domain import Template
from station.services import Station
from station.settings import Settings
from station.storage import Store
from station.storage.ids import new_id
from station.storage.templates import TemplateRepository
from tests.basics import (
    ADMIN,
    FACES_DIR,
    FAST_KDF,
    STORE_SECRET,
    TEST_BOUNDS,
    FrozenClock,
    fast_settings,
)
from tests.basics import ADULT_BIRTH as ADULT_BIRTH  # the tests import these from here too
from tests.basics import LIVENESS_OFF as LIVENESS_OFF
from tests.basics import LIVENESS_ON as LIVENESS_ON

# Hypothesis profiles (issue 9), chosen with HYPOTHESIS_PROFILE. Loaded here, before pytest imports
# a test module: a settings(...) object built at import takes what it does not name from the
# profile loaded at that moment.
#   ci (the default; `make pytest`): the same examples on every run and no example database, so a
#       red build means the code changed, never that a new random input was drawn.
#   fuzz (`make fuzz`): a random search FUZZ_FACTOR times as long per run; a failure found is kept
#       in .hypothesis/ and replayed first on the next run.
# Neither has a deadline or the too_slow health check: both would time the shared machine.
CI_EXAMPLES = 100
FUZZ_FACTOR = 5
hypothesis_settings.register_profile(
    "ci",
    max_examples=CI_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.register_profile(
    "fuzz",
    max_examples=FUZZ_FACTOR * CI_EXAMPLES,
    derandomize=False,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def share_of_examples(share: float) -> hypothesis_settings:
    """`share` times the loaded profile's example count: a test with a slow body gets fewer and a
    cheap parser more, in the same proportion under every profile."""
    count = round(share * hypothesis_settings().max_examples)
    return hypothesis_settings(max_examples=max(1, count))


@pytest.fixture(scope="session")
def faces() -> Path:
    """The shared real-face set (../shared/faces beside the project); never copied into the repo."""
    if not (FACES_DIR / "lfw").is_dir():
        pytest.fail(
            f"Real face data not found at {FACES_DIR}: the tests need ../shared/faces next to the "
            "project checkout (lfw/, photos/, video/, negatives/)."
        )
    return FACES_DIR


@pytest.fixture(scope="session")
def models() -> BiometricModels:
    try:
        return BiometricModels()
    except ModelAssetError as exc:
        pytest.fail(f"{exc} (the tests run the real MediaPipe and dlib models)")


@pytest.fixture
def frozen_clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "station.db"


def create_store(path: Path) -> Store:
    """A real store whose first administrator is ADMIN with STORE_SECRET."""
    store, _recovery_key = Store.create(path, ADMIN, STORE_SECRET, FAST_KDF)
    return store


def open_store(path: Path) -> Store:
    return Store.open(path, ADMIN, STORE_SECRET)


@pytest.fixture
def tmp_store(store_path: Path) -> Iterator[Store]:
    store = create_store(store_path)
    yield store
    store.close()


# Starting without --settings, in a test: nothing asked for, so the store's settings stay in force.
NO_SETTINGS_FILE = Settings.load(None, TEST_BOUNDS)


@pytest.fixture
def settings() -> Settings:
    return fast_settings()


def run_cli(argv: Sequence[str]) -> int:
    """`face-station ARGV` in this process, checked against TEST_BOUNDS: a test's settings file
    may then ask for FAST_KDF and the shared clip's gates, which a real one cannot."""
    return main(argv, bounds=TEST_BOUNDS)


@pytest.fixture
def cli_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The command line's arguments for a store in tmp_path/home, opened with STORE_SECRET from
    the environment and sealed with FAST_KDF: `run_cli([*cli_site, "init"])`."""
    monkeypatch.setenv(SECRET_ENV, STORE_SECRET)
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "home"))
    site = tmp_path / "site.toml"
    site.write_text("[store]\nkdf_time_cost = 1\nkdf_memory_kib = 8192\nkdf_parallelism = 1\n")
    return ["--settings", str(site)]


@pytest.fixture
def station(
    tmp_store: Store, settings: Settings, frozen_clock: FrozenClock, models: BiometricModels
) -> Station:
    return Station(tmp_store, ADMIN, settings, frozen_clock, models=lambda: models)


@pytest.fixture
def photo_camera(faces: Path) -> Callable[..., Callable[[], FrameSource]]:
    """A file camera that shows the given photos, in order, as its frames."""

    def make(*relative: str) -> Callable[[], FrameSource]:
        paths = [faces / "photos" / r for r in relative]
        return lambda: ImageFolderSource.from_files(
            paths, fps=1
        )  # one photo a second: all distinct

    return make


class CountingCamera:
    """A camera factory that records whether the station ever asked for the camera (R1, R24)."""

    def __init__(self, inner: Callable[[], FrameSource]) -> None:
        self.inner = inner
        self.opened = 0

    def __call__(self) -> FrameSource:
        self.opened += 1
        return self.inner()


class FailingAfterOnePhoto(PassThroughSource):
    """One good frame from a real photo, then the device fails with `error` (unplugged, I/O)."""

    description = "webcam 0"

    def __init__(self, photo: Path, error: Exception) -> None:
        super().__init__(ImageFolderSource.from_files([photo], fps=1))
        self.error = error

    def read(self) -> Frame | None:
        frame = super().read()
        if frame is None:
            raise self.error
        return frame


# What made a stored template: a model set, or a (model id, fingerprint) pair (R15).
MadeBy = ModelSet | tuple[str, str]
# What a template of models this station never had stores: never compared, never used.
UNKNOWN_MODELS: tuple[str, str] = ("another-station-models", "0" * 64)


def store_template(
    templates: TemplateRepository,
    subject_id: str,
    models: MadeBy,
    now: datetime,
    seed: int = 0,
) -> Template:
    """A template as a store holds one that `models` made (a model set, or a (model id,
    fingerprint) pair such as UNKNOWN_MODELS): random 128-d unit parts, one per descriptor,
    stored through the repository as enrollment stores it (R15). Stands for an enrollment made
    with models that are not this run's: no image is kept to make one for real."""
    if isinstance(models, ModelSet):
        model_id, fingerprint, parts = models.model_id, models.fingerprint, len(models.parts)
    else:
        (model_id, fingerprint), parts = models, 1
    rng = np.random.default_rng(seed)
    vector = np.concatenate(
        [part / np.linalg.norm(part) for part in rng.standard_normal((parts, PART_SIZE))]
    ).astype(np.float32)
    template = Template(new_id(), model_id, fingerprint, vector, 3, now, now + timedelta(days=365))
    with templates.store.transaction():
        templates.replace(subject_id, template)
    return template
