"""Face Station core: enrollment and verification without a screen (no Qt here, by design)."""

from importlib.metadata import PackageNotFoundError, version

APP_NAME = "Face Station"
DISTRIBUTION = "face-station"

try:
    __version__ = version(DISTRIBUTION)
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
