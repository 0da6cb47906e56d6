"""Template versions (R15): which models made a template, what it holds, and how it is compared.

A template is one or more 128-d parts, one per descriptor network, each L2-normalised; a probe
made by the current model set holds every part the older sets had, in the same order, so a
template of an older version keeps working with the models it was made with (the probe's first
parts) until its person is enrolled again. No image is kept to re-derive a template (R10).

How a template and a probe are compared is matching.py's; what an operating point means for each
version is calibration.py's (R22).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from station.biometrics.assets import (
    FACE_DETECTOR,
    FACE_RECOGNITION_RESNET,
    MODEL_ID,
    SHAPE_PREDICTOR_5,
    TEMPLATE_ASSETS,
    ModelAsset,
    fingerprint_of_hashes,
)

PART_SIZE: Final = 128  # every part: a 128-d unit vector (dlib's ResNet, SFace)


@dataclass(frozen=True)
class ModelSet:
    """The models that made one template version, and the parts its templates hold."""

    version: int
    model_id: str
    assets: tuple[ModelAsset, ...]  # the files whose hashes make the fingerprint
    parts: tuple[str, ...]  # descriptor networks, in the order their parts are stored

    @property
    def size(self) -> int:
        return PART_SIZE * len(self.parts)

    @property
    def fingerprint(self) -> str:
        """What a template of this version stores: the pinned files' hashes (assets.py)."""
        return fingerprint_of_hashes({asset.key: asset.sha256 for asset in self.assets})


DLIB_ONLY: Final = ModelSet(
    version=1,
    model_id="mediapipe-blazeface-short+dlib-5pt+dlib-resnet-v1",
    assets=(FACE_DETECTOR, SHAPE_PREDICTOR_5, FACE_RECOGNITION_RESNET),
    parts=("dlib",),
)
DLIB_AND_SFACE: Final = ModelSet(
    version=2, model_id=MODEL_ID, assets=TEMPLATE_ASSETS, parts=("dlib", "sface")
)

MODEL_SETS: Final = (DLIB_ONLY, DLIB_AND_SFACE)
CURRENT: Final = DLIB_AND_SFACE
"""What enrollment makes now; every other version is kept working until re-enrollment."""


def model_set_of(fingerprint: str) -> ModelSet | None:
    """The version a stored template's fingerprint names; None: models this station never had,
    never compared (R15)."""
    for model_set in MODEL_SETS:
        if model_set.fingerprint == fingerprint:
            return model_set
    return None
