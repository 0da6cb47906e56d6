"""The station's models as they were before issue 13, for comparisons in the same run (the verify
benchmark) and for a store enrolled before the change (tests/station/test_template_upgrade.py)."""

from __future__ import annotations

from station.biometrics.assets import verify_assets
from station.biometrics.embedder import DlibDescriber, alignment_box
from station.biometrics.model_sets import DLIB_ONLY
from station.biometrics.pipeline import BiometricModels
from station.capture import RGBImage
from station.domain.capture import FaceDetection
from station.domain.models import Vector


class DlibOnlyModels(BiometricModels):
    """dlib's descriptor alone, making version-1 templates: the same loaded files (detector,
    landmarker) as `loaded`, without the second network."""

    def __init__(self, loaded: BiometricModels) -> None:  # no super().__init__: nothing reloaded
        vars(self).update(vars(loaded))
        paths = verify_assets()
        self.model_id = DLIB_ONLY.model_id
        self.fingerprint = DLIB_ONLY.fingerprint
        self.embedder = _DlibPart(
            DlibDescriber(paths["shape_predictor_5"], paths["face_recognition_resnet"])
        )


class _DlibPart:
    def __init__(self, dlib: DlibDescriber) -> None:
        self._dlib = dlib

    def embed(self, rgb: RGBImage, face: FaceDetection) -> Vector:
        return self._dlib.describe(rgb, alignment_box(face))
