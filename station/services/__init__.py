"""The use cases: the only API the window and the CLI call (architecture.md).

`Station` is the composition root of one signed-in session and holds one service per use case;
`StationOpener` creates a station or signs in to one. Values and errors come from station.domain."""

from station.biometrics.assets import ModelAssetError
from station.biometrics.calibration import OperatingPoint
from station.biometrics.pipeline import SourceFactory
from station.services.opening import NewStation, SignInThrottledError, StationOpener
from station.services.station import Station

__all__ = [
    "ModelAssetError",
    "NewStation",
    "OperatingPoint",
    "SignInThrottledError",
    "SourceFactory",
    "Station",
    "StationOpener",
]
