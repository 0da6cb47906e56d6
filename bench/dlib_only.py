"""The station's models as they were before issue 13, for comparisons in the same run (the verify
benchmark) and for a store enrolled before the change (tests/station/test_template_upgrade.py)."""

from __future__ import annotations

from station.biometrics.assets import verify_assets
from station.biometrics.detector import FaceDetector
from station.biometrics.embedder import DlibDescriber, alignment_box
from station.biometrics.landmarks import FaceLandmarker
from station.biometrics.model_sets import DLIB_ONLY
from station.biometrics.pipeline import BiometricModels
from station.capture import RGBImage
from station.domain.capture import FaceDetection
from station.domain.models import Vector


class DlibOnlyModels:
    """dlib's descriptor alone, making version-1 templates: the same loaded files, without the
    second network."""

    def __init__(self, loaded: BiometricModels) -> None:
        self._loaded = loaded
        paths = verify_assets()
        self.model_id = DLIB_ONLY.model_id
        self.fingerprint = DLIB_ONLY.fingerprint
        self._dlib = DlibDescriber(paths["shape_predictor_5"], paths["face_recognition_resnet"])
        self.embedder = self

    def embed(self, rgb: RGBImage, face: FaceDetection) -> Vector:
        return self._dlib.describe(rgb, alignment_box(face))

    def new_detector(self) -> FaceDetector:
        return self._loaded.new_detector()

    def new_landmarker(self) -> FaceLandmarker:
        return self._loaded.new_landmarker()
