"""The only API the UI calls."""

from station.services.station import ServiceError, Station

__all__ = ["ServiceError", "Station"]
