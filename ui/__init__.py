"""The operator's window: PySide6 over station.services, never around them."""

import ctypes
import sys

# PySide6 6.12.0 drops a reference to True on every Signal.emit() made from Python, and one to
# None on every call that returns nothing (setText, update, every painter call…): the window
# makes dozens of those per camera frame. On Python 3.11 neither is immortal yet (3.12 makes
# them so): a count reaching zero aborts the interpreter ("bool_dealloc", "none_dealloc") in the
# middle of a desk's day. Each gets a count no session can use up; tests/ui/test_signal_emit.py
# says when PySide6 stops doing this.
if sys.version_info < (3, 12):
    for _singleton in (None, True):
        _count = ctypes.c_ssize_t.from_address(id(_singleton))  # ob_refcnt, the first field
        if _count.value == sys.getrefcount(_singleton) - 1:  # that layout, not a build with more
            _count.value += 1 << 40
    del _count, _singleton
