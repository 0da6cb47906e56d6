"""R10 and R11 for the window in one run: its enroll and verify flow leaves no image on disk and
opens no socket.

The flow (tests/ui/window_privacy_flow.py: Qt offscreen, the camera worker playing the shared clip
into the live preview, then a photo; the real models in their descriptor process; a real store)
runs in a process of its own under strace, with HOME, XDG_CACHE_HOME, XDG_DATA_HOME,
XDG_CONFIG_HOME, XDG_RUNTIME_DIR and TMPDIR in a scratch tree, where Qt's standard locations (its
caches among them), fontconfig's and Mesa's caches and every temporary file then go. Afterwards:

- R11: no network socket, address, name lookup or other program in any process (tests/syscalls.py);
- R10: every file any process wrote is in the scratch tree (or is the null device); every one that
  is gone was renamed into place or is the store's rollback journal; and no file in the tree, the
  store decrypted too, holds an image signature or pixels of a frame the camera delivered
  (tests/imagescan.py).

A control run whose preview leaks its pictures into Qt's cache folder, one as a PNG and one as raw
pixels, is caught by the same scan; the write trace is self-tested on a small program.
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from tests.imagescan import files_under, fragments_found, image_signatures
from tests.pagescan import decrypt_pages, store_key
from tests.syscalls import Trace, run_traced
from tests.ui.conftest import DESK_OPERATOR, DESK_PASSWORD
from tests.ui.window_privacy_flow import LEAK_ENV, LEAKED_PNG, LEAKED_RAW

ROOT = Path(__file__).resolve().parents[2]
FLOW = Path(__file__).with_name("window_privacy_flow.py")
SCRATCH_FOLDERS = {
    "HOME": "home",
    "XDG_CACHE_HOME": "cache",
    "XDG_DATA_HOME": "data",
    "XDG_CONFIG_HOME": "config",
    "XDG_RUNTIME_DIR": "runtime",
    "TMPDIR": "tmp",
}
# Set, these would send a cache elsewhere (MESA_SHADER_CACHE_DIR, __GL_SHADER_DISK_CACHE_PATH,
# PYTHONPYCACHEPREFIX, another XDG folder): the run goes without them.
UNSET_PREFIXES = ("XDG_", "MESA_", "__GL_", "PYTHONPYCACHEPREFIX")


@dataclass(frozen=True)
class WindowRun:
    """One run of the flow: its trace, its scratch tree and what the flow printed."""

    trace: Trace
    scratch: Path
    store: Path
    locations: list[Path]  # where Qt's standard locations pointed
    frames: int  # delivered by the camera
    fragments: list[bytes]  # of those frames' pixels


def _run_window(tmp_path: Path, *, leak: bool) -> WindowRun:
    scratch = (tmp_path / "scratch").resolve()
    env = {name: value for name, value in os.environ.items() if not name.startswith(UNSET_PREFIXES)}
    for variable, folder in SCRATCH_FOLDERS.items():
        (scratch / folder).mkdir(parents=True, mode=0o700)  # Qt takes only a private runtime folder
        env[variable] = str(scratch / folder)
    # No bytecode written beside the sources: the test's files, not the window's.
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    if leak:
        env[LEAK_ENV] = "1"
    command = [
        *(sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider"),
        # Given, the base folder is not named after the user: no user lookup through nscd.
        *("--basetemp", str(scratch / "tmp" / "pytest"), str(FLOW)),
    ]
    trace = run_traced(command, tmp_path / "trace", cwd=ROOT, env=env, timeout=300, files=True)
    assert trace.returncode == 0, f"{trace.stdout[-4000:]}\n{trace.stderr[-4000:]}"
    printed = defaultdict(list)
    for line in trace.stdout.splitlines():
        word, _, value = line.partition(" ")
        printed[word].append(value)
    (store,), (frames,) = printed["store"], printed["frames"]
    return WindowRun(
        trace,
        scratch,
        Path(store),
        [Path(location) for location in printed["location"]],
        int(frames),
        [bytes.fromhex(fragment) for fragment in printed["fragment"]],
    )


def _image_findings(run: WindowRun) -> dict[str, list[str]]:
    """What the scan finds, by file of the scratch tree (the store also decrypted)."""
    contents = {str(p.relative_to(run.scratch)): p.read_bytes() for p in files_under(run.scratch)}
    plain = decrypt_pages(run.store, store_key(run.store, DESK_PASSWORD, DESK_OPERATOR)).plaintext
    assert b"LMM" in plain and b"face_enrolled" in plain  # the scan reads the store's real text
    contents[f"{run.store.relative_to(run.scratch)} (decrypted)"] = plain
    findings = {}
    for name, data in contents.items():
        found = image_signatures(data)
        if pieces := fragments_found(data, run.fragments):
            found.append(f"pixels of delivered frames ({len(pieces)} fragments)")
        if found:
            findings[name] = found
    return findings


def test_r10_r11_the_window_enrolls_and_verifies_leaving_no_image_on_disk_and_no_socket(
    tmp_path: Path,
) -> None:
    run = _run_window(tmp_path, leak=False)
    trace = run.trace
    # R11, in the window, the camera worker and the descriptor process (traced, as its child).
    assert [str(finding) for finding in trace.findings] == []
    assert any("--multiprocessing-fork" in argv for argv in trace.own_children), trace.log[-4000:]

    # R10: Qt was pointed at the scratch tree, and nothing was written anywhere else.
    assert run.locations and all(path.is_relative_to(run.scratch) for path in run.locations)
    assert run.store.is_relative_to(run.scratch) and run.store in trace.written
    outside = {path for path in trace.written if not path.is_relative_to(run.scratch)}
    assert outside <= {Path(os.devnull)}, sorted(outside)
    # A file written and deleted could not be scanned: only SQLite's rollback journal is, and it
    # holds pages of the store, encrypted like the store.
    gone = {path for path in trace.written - trace.moved if not path.exists()}
    assert all(p.parent == run.store.parent and p.name.endswith("-journal") for p in gone), gone

    assert run.frames > 3 and len(run.fragments) > run.frames  # a real scan: many distinct pixels
    assert _image_findings(run) == {}


def test_r10_control_a_preview_leaking_into_qts_cache_is_caught(tmp_path: Path) -> None:
    """The window's preview made to keep its pictures (a PNG, then raw pixels) in Qt's cache
    folder: the scan above names both files."""
    run = _run_window(tmp_path, leak=True)
    findings = _image_findings(run)
    assert sorted(Path(name).name for name in findings) == [LEAKED_PNG, LEAKED_RAW], findings
    png, raw = (
        next(n for n in findings if n.endswith(leaked)) for leaked in (LEAKED_PNG, LEAKED_RAW)
    )
    assert "PNG" in findings[png]
    assert any(found.startswith("pixels of delivered frames") for found in findings[raw])
    assert (run.scratch / png).parent in run.locations  # Qt's cache folder
    assert run.scratch / png in run.trace.written  # Qt's own (native) write, seen by the trace


def test_r10_the_write_trace_names_each_file_a_program_writes(tmp_path: Path) -> None:
    """Opens for writing (plain, relative to a folder's descriptor, unnamed), renames and links
    are listed by the file they reach; a file only read is not. A relative path given to link()
    or rename() stays relative, so no folder a test allows holds it."""
    folder = tmp_path.resolve()
    (folder / "sub").mkdir()
    (folder / "read-only").write_text("x")
    code = (
        "import os, tempfile\n"
        "open('plain', 'w').close()\n"
        "sub = os.open('sub', os.O_RDONLY | os.O_DIRECTORY)\n"
        "os.close(os.open('beside', os.O_WRONLY | os.O_CREAT, dir_fd=sub))\n"
        "os.replace('beside', 'moved-beside', src_dir_fd=sub, dst_dir_fd=sub)\n"
        "open('staged', 'w').close()\n"
        f"os.replace({str(folder / 'staged')!r}, {str(folder / 'sub' / 'moved')!r})\n"
        "os.link('read-only', 'linked')\n"
        "with tempfile.TemporaryFile(dir='.') as unnamed:\n"
        "    unnamed.write(b'x')\n"
        "open('read-only').read()\n"
    )
    trace = run_traced(
        [sys.executable, "-c", code],
        tmp_path / "trace",
        cwd=folder,
        env=os.environ,
        timeout=60,
        files=True,
    )
    assert trace.returncode == 0, trace.stderr
    unnamed = {path for path in trace.written if path.name.startswith("#")}  # O_TMPFILE
    assert [path.parent for path in unnamed] == [folder], trace.written
    assert trace.written - unnamed == {
        folder / "plain",
        folder / "sub" / "beside",
        folder / "sub" / "moved-beside",
        folder / "staged",
        folder / "sub" / "moved",
        Path("linked"),
    }
    assert trace.moved == {folder / "sub" / "beside", folder / "staged"}
