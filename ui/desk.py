"""What every view of a signed-in desk shares: the services, their thread, the camera, who is on duty."""

from __future__ import annotations

from dataclasses import dataclass

from station.services import Station
from ui.workers.camera import CameraSession
from ui.workers.store import StoreExecutor


@dataclass
class Desk:
    station: Station
    executor: StoreExecutor
    camera: CameraSession
    operator: str
