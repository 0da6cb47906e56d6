"""The station's face mesh (the pinned landmark model on OpenCV's DNN, from our BlazeFace detection)
finds what MediaPipe 1.2.3's FaceLandmarker found, sits on real faces, is verified before it is
loaded, and computes landmarks and a presence score only, never an expression (R23, R9, R10)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
import pytest

from station.biometrics import assets
from station.biometrics.assets import (
    FACE_LANDMARKS,
    MODEL_ASSETS,
    ModelAssetError,
    read_pinned_bytes,
    verify_assets,
)
from station.biometrics.detector import BlazeFaceDetector, load_detector_model
from station.biometrics.landmarks import (
    LANDMARK_COUNT,
    MIN_PRESENCE,
    FaceLandmarks,
    MeshLandmarker,
)
from station.biometrics.pipeline import BiometricModels
from station.capture import read_image_rgb
from station.domain.capture import FaceDetection
from station.resources import models_dir

Image = npt.NDArray[np.uint8]
ROOT = Path(__file__).resolve().parents[2]

# MediaPipe 1.2.3's FaceLandmarker (IMAGE mode, num_faces 1, the pinned face_landmarker.task) on
# each photo, recorded outside the repo: landmark index -> x, y, z in frame pixels (z scaled like
# x). Nose tip 1, forehead 10, chin 152, eye corners 33/133 and 362/263, eyelids 159/145 and
# 386/374, cheeks 234/454.
REFERENCE: dict[str, dict[int, tuple[float, float, float]]] = {
    "Angelina_Jolie/deepface_img10.jpg": {
        1: (193.21, 281.83, -51.36),
        10: (194.19, 138.25, -21.54),
        33: (128.17, 222.18, 15.68),
        133: (169.01, 225.76, 5.53),
        152: (198.21, 388.5, 14.04),
        159: (144.18, 214.2, 1.08),
        145: (146.09, 227.74, 3.78),
        234: (96.29, 251.56, 105.56),
        263: (263.0, 221.45, 10.26),
        362: (221.53, 225.84, 3.06),
        386: (246.18, 213.64, -3.07),
        374: (244.83, 227.08, -0.28),
        454: (302.89, 249.47, 96.99),
    },
    "Matt_Damon/deepface_img29.jpg": {
        1: (304.05, 289.33, -52.4),
        10: (298.09, 157.54, -2.68),
        33: (228.22, 238.29, 10.47),
        133: (270.14, 238.74, 7.31),
        152: (301.67, 411.32, -3.35),
        159: (246.09, 231.55, -0.37),
        145: (247.65, 242.19, 1.52),
        234: (176.89, 276.65, 90.59),
        263: (359.3, 241.91, 29.42),
        362: (320.2, 240.17, 15.85),
        386: (343.66, 234.83, 13.76),
        374: (342.34, 244.11, 15.55),
        454: (394.09, 278.17, 120.46),
    },
    "Joseph_Biden/face_recognition_biden.jpg": {
        1: (596.97, 409.78, -64.22),
        10: (617.8, 231.69, -0.13),
        33: (509.3, 320.64, 6.06),
        133: (560.77, 331.78, 6.56),
        152: (561.4, 564.2, -8.5),
        159: (533.28, 316.99, -4.61),
        145: (532.77, 331.43, -2.72),
        234: (429.7, 352.51, 97.17),
        263: (674.46, 354.73, 42.69),
        362: (626.29, 345.37, 23.18),
        386: (657.58, 342.81, 23.02),
        374: (652.54, 355.98, 24.46),
        454: (697.3, 406.81, 154.95),
    },
    "George_Clooney/deepface_img38.jpg": {
        1: (517.98, 254.88, -59.39),
        10: (505.93, 118.71, -7.79),
        33: (447.93, 199.32, 26.42),
        133: (489.09, 195.96, 13.22),
        152: (539.53, 385.18, 6.21),
        159: (462.96, 188.77, 11.01),
        145: (467.66, 199.79, 12.4),
        234: (420.37, 238.18, 119.54),
        263: (588.89, 182.58, 8.19),
        362: (546.18, 189.27, 4.97),
        386: (570.61, 176.21, -2.77),
        374: (567.88, 187.37, -1.22),
        454: (649.56, 208.18, 90.55),
    },
    "Eric_Clapton/openface_clapton-1.jpg": {
        1: (246.22, 210.63, -60.97),
        10: (250.15, 34.78, -10.25),
        33: (180.24, 135.7, 39.06),
        133: (226.51, 136.41, 19.03),
        152: (258.13, 360.19, 4.83),
        159: (197.53, 125.15, 19.37),
        145: (201.63, 140.88, 21.18),
        234: (159.64, 172.72, 150.17),
        263: (344.9, 130.25, 0.49),
        362: (292.16, 135.02, 1.81),
        386: (322.6, 121.41, -9.41),
        374: (318.93, 136.4, -7.38),
        454: (426.02, 168.32, 90.4),
    },
}

# Several identities, frontal and not, for the "on the face" checks.
ON_FACE = (
    "Angelina_Jolie/deepface_img1.jpg",
    "Jennifer_Aniston/deepface_img3.jpg",
    "John_Lennon/openface_lennon-2.jpg",
    "obama/face_recognition_obama.jpg",
    "kit_harington/face_recognition_john1.jpeg",
    "adams",
    "carell",
    "lin_manuel_miranda",
)

# Detections BlazeFace makes on pictures without a face (at a low threshold) that the mesh model
# rejects. Not every non-face crop is rejected (skimage_color, _cell and _clock_motion score high):
# presence is a second opinion, the detector and the gate stay the face test.
NON_FACES = (
    "skimage_chelsea.png",
    "mpl_Minduka_Present_Blue_Pack.png",
    "skimage_coffee.png",
    "sklearn_china.jpg",
    "sklearn_flower.jpg",
)


@pytest.fixture(scope="module")
def detector() -> BlazeFaceDetector:
    return BlazeFaceDetector(load_detector_model(verify_assets()["face_detector"]))


@pytest.fixture(scope="module")
def landmarker() -> MeshLandmarker:
    return MeshLandmarker(read_pinned_bytes(FACE_LANDMARKS, verify_assets()["face_landmarks"]))


def _photo(faces: Path, name: str) -> Image:
    path = faces / "photos" / name
    if path.is_dir():
        path = sorted(p for p in path.iterdir() if p.suffix.lower() in {".jpg", ".jpeg", ".png"})[0]
    return read_image_rgb(path)


def _mesh(
    detector: BlazeFaceDetector, landmarker: MeshLandmarker, rgb: Image
) -> tuple[FaceDetection, FaceLandmarks]:
    found = detector.detect(rgb)
    assert found, "BlazeFace found no face"
    face = max(found, key=lambda f: f.width * f.height)
    mesh = landmarker.landmarks(rgb, face)
    assert mesh is not None
    return face, mesh


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_mesh_on_opencv_finds_what_mediapipe_found(
    detector: BlazeFaceDetector, landmarker: MeshLandmarker, faces: Path, name: str
) -> None:
    """Within 2.5% of the inter-ocular distance at every pinned point (x, y and z); the median over
    the 74 shared photos and all 478 points is 0.11% (the station's box is truncated to pixels,
    MediaPipe's is not)."""
    _, mesh = _mesh(detector, landmarker, _photo(faces, name))
    assert mesh.points.shape == (LANDMARK_COUNT, 3) and mesh.points.dtype == np.float32
    assert mesh.presence > 0.99
    expected = REFERENCE[name]
    indices = sorted(expected)
    want = np.array([expected[i] for i in indices])
    inter_ocular = float(np.linalg.norm(want[indices.index(33), :2] - want[indices.index(263), :2]))
    gap = np.abs(mesh.points[indices].astype(np.float64) - want) / inter_ocular
    assert gap.max() < 0.025, dict(zip(indices, gap.max(axis=1).round(4), strict=True))


@pytest.mark.parametrize("name", ON_FACE)
def test_landmarks_sit_on_the_detected_face(
    detector: BlazeFaceDetector, landmarker: MeshLandmarker, faces: Path, name: str
) -> None:
    face, mesh = _mesh(detector, landmarker, _photo(faces, name))
    assert mesh.presence >= MIN_PRESENCE
    nose = mesh.points[1]
    assert face.x <= nose[0] <= face.x + face.width
    assert face.y <= nose[1] <= face.y + face.height
    # BlazeFace's keypoint 0 is the eye on the image's left (the person's right: 33/133), 1 the other.
    for keypoint, corners in ((0, (33, 133)), (1, (362, 263))):
        centre = mesh.points[list(corners), :2].mean(axis=0)
        assert np.linalg.norm(centre - face.keypoints[keypoint]) < 0.15 * face.width
    # the nose tip is nearer the camera than the cheeks (smaller z), and the chin below the brow
    assert nose[2] < min(mesh.points[234, 2], mesh.points[454, 2])
    assert mesh.points[152, 1] > mesh.points[10, 1]


@pytest.mark.parametrize("name", NON_FACES)
def test_a_picture_without_a_face_gets_a_low_presence(
    landmarker: MeshLandmarker, faces: Path, name: str
) -> None:
    rgb = read_image_rgb(faces / "negatives" / name)
    low = BlazeFaceDetector(load_detector_model(verify_assets()["face_detector"]), min_score=0.3)
    try:
        found = low.detect(rgb)
    finally:
        low.close()
    assert found, "the test needs a (false) detection to look at"
    for face in found:
        mesh = landmarker.landmarks(rgb, face)
        assert mesh is not None and mesh.presence < 0.25


def test_a_box_of_no_size_gives_no_landmarks(landmarker: MeshLandmarker) -> None:
    face = FaceDetection(10.0, 10.0, 0.0, 0.0, 0.9, np.zeros((6, 2)))
    assert landmarker.landmarks(np.zeros((64, 64, 3), np.uint8), face) is None


def test_the_landmark_model_is_verified_before_it_is_loaded(tmp_path: Path) -> None:
    """A changed byte: verify_assets refuses it with the operator message of every model file, and
    bytes changed after verification are refused at load."""
    assets.clear_verification_cache()
    real = verify_assets()
    for asset in MODEL_ASSETS:
        if asset is FACE_LANDMARKS:
            shutil.copyfile(real[asset.key], tmp_path / asset.filename)
        else:
            (tmp_path / asset.filename).symlink_to(real[asset.key].resolve())
    path = verify_assets(tmp_path)[FACE_LANDMARKS.key]
    data = bytearray(path.read_bytes())
    data[5000] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelAssetError, match="changed after it was verified"):
        read_pinned_bytes(FACE_LANDMARKS, path)
    with pytest.raises(ModelAssetError) as caught:
        verify_assets(tmp_path)
    message = str(caught.value)
    assert "face_landmarks_detector.tflite is not the pinned version" in message
    assert hashlib.sha256(bytes(data)).hexdigest() in message
    assert "Run `make models` (or `make run`) to fetch the model files." in message
    path.unlink()
    with pytest.raises(ModelAssetError, match=r"face_landmarks_detector\.tflite is missing"):
        verify_assets(tmp_path)
    assets.clear_verification_cache()


def test_r9_the_mesh_net_outputs_only_landmarks_and_presence(landmarker: MeshLandmarker) -> None:
    """Every output the network has: 478 x 3 coordinates, a presence logit and one more scalar
    (unused by MediaPipe and never read). No 52-value blendshape vector exists to be computed."""
    shapes = landmarker.output_shapes()
    assert shapes == {
        "Identity": (1, LANDMARK_COUNT * 3, 1, 1),
        "Identity_1": (1, 1, 1, 1),
        "Identity_2": (1, 1),
    }
    assert all(int(np.prod(shape)) != 52 for shape in shapes.values())
    assert all("blendshape" not in name.lower() for name in shapes)


def test_r9_no_blendshape_file_in_the_models_folder_or_the_package() -> None:
    folder = models_dir()
    names = [p.name for p in folder.rglob("*")]
    assert "face_landmarks_detector.tflite" in names
    shipped = [folder, ROOT / "station", ROOT / "resources", ROOT / "ui", ROOT / "packaging"]
    offenders = [
        str(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p)
        for top in shipped
        if top.exists()
        for p in top.rglob("*")
        if "blendshape" in p.name.lower() or p.name == "face_landmarker.task"
    ]
    assert offenders == []


def test_r10_the_landmarker_leaves_no_copy_of_the_frame_in_its_buffers(
    detector: BlazeFaceDetector,
    landmarker: MeshLandmarker,
    faces: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rgb = _photo(faces, "Angelina_Jolie/deepface_img10.jpg")
    face = detector.detect(rgb)[0]
    kept: list[Image] = []
    remap = cv2.remap

    def keeping_remap(*args: object, **kwargs: object) -> Image:
        crop: Image = remap(*args, **kwargs)  # type: ignore[call-overload]
        kept.append(crop)
        return crop

    monkeypatch.setattr(cv2, "remap", keeping_remap)
    assert landmarker.landmarks(rgb, face) is not None
    assert len(kept) == 1 and kept[0].shape == (256, 256, 3)
    assert not kept[0].any()


def test_biometric_models_give_a_landmarker_per_capture(
    models: BiometricModels, faces: Path
) -> None:
    first, second = models.new_landmarker(), models.new_landmarker()
    assert first is not second
    detector = models.new_detector()
    try:
        rgb = _photo(faces, "Matt_Damon/deepface_img29.jpg")
        face = detector.detect(rgb)[0]
        a, b = first.landmarks(rgb, face), second.landmarks(rgb, face)
        assert a is not None and b is not None
        np.testing.assert_array_equal(a.points, b.points)
    finally:
        first.close()
        second.close()
        detector.close()
