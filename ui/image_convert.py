"""ndarray -> QImage: the only place camera pixels and Qt meet."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from PySide6.QtGui import QImage


def rgb_to_qimage(rgb: npt.NDArray[np.uint8]) -> QImage:
    """A QImage that owns a copy: the camera buffer can be overwritten as soon as this returns."""
    height, width = rgb.shape[:2]
    contiguous = np.ascontiguousarray(rgb)
    return QImage(contiguous.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()
