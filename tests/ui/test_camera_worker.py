"""The source the services read from the camera worker: latest frame wins, unread frames are wiped
(R10), a camera that stops sending or fails mid-capture ends the capture with a clear error."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from station.capture import CameraLostError, Frame
from ui.workers import camera
from ui.workers.camera import LatestFrameSource


class Session:
    """Stands in for the GUI-side CameraSession: records what the source asked of it."""

    def __init__(self) -> None:
        self.started: list[LatestFrameSource] = []
        self.stopped = 0

    def request_start(self, sink: LatestFrameSource) -> None:
        self.started.append(sink)

    def request_stop(self) -> None:
        self.stopped += 1


def _frame(value: int, index: int) -> Frame:
    return Frame(np.full((48, 64, 3), value, dtype=np.uint8), index * 33, index)


def test_latest_frame_wins_and_unread_frames_are_wiped() -> None:
    session = Session()
    source = LatestFrameSource(session)  # type: ignore[arg-type]
    with source:
        assert session.started == [source]
        older, newer = _frame(10, 1), _frame(20, 2)
        source.push(older)
        source.push(newer)
        got = source.read()
        assert got is newer and not older.pixels.any()  # overwritten, never queued
        leftover = _frame(30, 3)
        source.push(leftover)
    assert session.stopped == 1 and not leftover.pixels.any()  # close wipes what nobody read


def test_end_of_stream_and_camera_failure() -> None:
    ended = LatestFrameSource(Session())  # type: ignore[arg-type]
    ended.open()
    ended.finish(None)
    assert ended.read() is None
    failed = LatestFrameSource(Session())  # type: ignore[arg-type]
    failed.open()
    failed.push(_frame(5, 1))
    failed.finish("Camera 0 stopped sending images. Check its cable.")
    assert failed.read() is not None  # the frame that arrived before the failure is still used
    with pytest.raises(CameraLostError, match="Check its cable"):
        failed.read()


def test_a_silent_camera_is_reported_lost(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(camera, "FRAME_WAIT_SECONDS", 0.05)
    source = LatestFrameSource(Session())  # type: ignore[arg-type]
    source.open()
    with pytest.raises(CameraLostError, match="stopped sending"):
        source.read()


def test_a_reader_waits_for_the_worker_thread() -> None:
    source = LatestFrameSource(Session())  # type: ignore[arg-type]
    source.open()
    frame = _frame(7, 1)
    timer = threading.Timer(0.05, source.push, args=(frame,))
    timer.start()
    assert source.read() is frame
    timer.join()
