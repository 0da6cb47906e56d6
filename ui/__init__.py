"""The operator's window: PySide6 over station.services, never around them."""
