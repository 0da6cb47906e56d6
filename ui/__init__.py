"""The operator's window: PySide6 over station.services, never around them."""

import ctypes
import sys

# PySide6 6.12.0 drops a reference to True on every Signal.emit() made from Python, and the window
# emits two per camera frame. On Python 3.11 True is not immortal yet (3.12 makes it so): its count
# reaches zero after a few thousand frames and the interpreter aborts ("bool_dealloc"). True gets a
# count no session can use up; tests/ui/test_signal_emit.py says when PySide6 stops doing this.
if sys.version_info < (3, 12):
    _count = ctypes.c_ssize_t.from_address(id(True))  # ob_refcnt, the object's first field
    if _count.value == sys.getrefcount(True) - 1:  # that layout, not a build that adds fields
        _count.value += 1 << 40
    del _count
