"""A program run under strace, and what R11 forbids in its system calls.

The audit hook of tests/station/test_guards.py sees only what Python does; native libraries open
sockets and start programs below it. strace follows every process and thread of the program
(-f) and logs the calls that open a socket, reach an address, or start a program. The rules:

- a socket of any family but AF_UNIX (local pipes: multiprocessing, D-Bus) and AF_NETLINK (the
  kernel itself) is forbidden, whether or not the call succeeds;
- so is a connect or a send to an address of such a family, and a connect to nscd's or
  systemd-resolved's socket (a name lookup those services send on to the network);
- the traced program itself is its first execve; any other execve is another program, unless it
  is the station's own child: the same interpreter re-run by multiprocessing with its bootstrap
  (`-c 'from multiprocessing.spawn import spawn_main; ...' --multiprocessing-fork`, or its
  resource tracker `-c 'from multiprocessing.resource_tracker import main;main(N)'`). The window
  describes faces in such a child; a compiler, ldconfig or `true` is another program.

With `files`, the trace also lists every file the program and its children wrote (R10): each
open that could write (O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND; creat) and succeeded, named by
the kernel (strace -y decodes the new descriptor to its path, however the path was given), and the
destination of each rename or hard link; a rename's source is noted as moved, its bytes now at the
destination.

strace missing or not allowed to trace is a test failure that says what to install or allow.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import pytest

LOCAL_FAMILIES = frozenset({"AF_UNIX", "AF_NETLINK"})
RESOLVER_SOCKETS = ("/var/run/nscd/", "/run/nscd/", "/run/systemd/resolve/")
MULTIPROCESSING_BOOTSTRAPS = (
    "from multiprocessing.spawn import spawn_main; spawn_main(",
    "from multiprocessing.resource_tracker import main;main(",
)
EXECS = ("execve", "execveat")
TRACED_CALLS = "socket,connect,sendto,sendmsg,sendmmsg,execve,execveat"
OPENS = ("open", "openat", "openat2", "creat")
MOVES = ("rename", "renameat", "renameat2", "link", "linkat")
FILE_CALLS = ",".join((*OPENS, *MOVES))

# "1234  socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 3": a call's first line holds its arguments; a
# call another thread interrupted goes on in a "<... socket resumed>" line, which is skipped.
_CALL = re.compile(r"^(?P<pid>\d+)\s+(?P<name>[a-z_0-9]+)\((?P<args>.*)$")
_FAMILY = re.compile(r"sa_family=(?P<family>\w+)")
_PATH = re.compile(r'sun_path=@?"(?P<path>(?:[^"\\]|\\.)*)"')
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
# With -y: "openat(AT_FDCWD</cwd>, ..." goes on in "1234  <... openat resumed>) = 5</path>".
_UNFINISHED = " <unfinished ...>"
_RESUMED = re.compile(r"^(?P<pid>\d+)\s+<\.\.\. (?P<name>[a-z_0-9]+) resumed>(?P<rest>.*)$")
_WRITE_FLAG = re.compile(r"\bO_(?:WRONLY|RDWR|CREAT|TRUNC|APPEND)\b")
# "= 4</dir/#1234>(deleted)" is an unnamed file (O_TMPFILE); "= -1 ENOENT (...)" a failure.
_RESULT = re.compile(r"\) += (?P<value>-?\d+)(?:<(?P<path>.*)>(?:\(deleted\))?)?(?: .*)?$")
# A path argument with the directory it is relative to: AT_FDCWD</cwd> or 7</dir>, then "name".
_AT_PATH = re.compile(r'(?:AT_FDCWD|\d+)<(?P<dir>[^>]*)>, "(?P<name>(?:[^"\\]|\\.)*)"')


@dataclass(frozen=True)
class Finding:
    """One forbidden call: what it is ("network socket", "network address", "name lookup",
    "program") and the strace line that shows it."""

    kind: str
    line: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.line}"


@dataclass(frozen=True)
class Trace:
    """The traced program's result and its strace log, judged by the rules above."""

    returncode: int
    stdout: str
    stderr: str
    log: str

    @cached_property
    def calls(self) -> list[tuple[str, str, str]]:
        """(pid, call name, arguments) of every call logged, in order; the first is the traced
        program's own execve."""
        found = (_CALL.match(line) for line in self.log.splitlines())
        return [(m["pid"], m["name"], m["args"]) for m in found if m]

    @cached_property
    def interpreter(self) -> str:
        _, name, args = self.calls[0]
        assert name == "execve", f"the log does not start with the traced program: {name}({args}"
        return _execution(args)[0]

    @property
    def own_children(self) -> list[list[str]]:
        """argv of each child that is the station's interpreter re-run by multiprocessing."""
        executions = [_execution(a) for _, name, a in self.calls[1:] if name in EXECS]
        return [argv for path, argv in executions if self._is_own_child(path, argv)]

    @property
    def findings(self) -> list[Finding]:
        findings = []
        for pid, name, args in self.calls[1:]:
            line = f"{pid} {name}({args}"
            if name == "socket":
                if args.split(",", 1)[0].strip() not in LOCAL_FAMILIES:
                    findings.append(Finding("network socket", line))
            elif name in EXECS:
                if not self._is_own_child(*_execution(args)):
                    findings.append(Finding("program", line))
            elif any(family not in LOCAL_FAMILIES for family in _FAMILY.findall(args)):
                findings.append(Finding("network address", line))
            elif name == "connect" and any(
                m["path"].startswith(RESOLVER_SOCKETS) for m in _PATH.finditer(args)
            ):
                findings.append(Finding("name lookup", line))
        return findings

    @cached_property
    def _file_calls(self) -> list[tuple[str, str, str]]:
        """(name, arguments, path of the new descriptor or "") of each file call that succeeded,
        its two lines joined when another thread's call cut it in two."""
        started: dict[str, tuple[str, str]] = {}
        complete = []
        for line in self.log.splitlines():
            if match := _CALL.match(line):
                if match["name"] not in OPENS + MOVES:
                    continue
                if match["args"].endswith(_UNFINISHED):
                    started[match["pid"]] = (match["name"], match["args"][: -len(_UNFINISHED)])
                else:
                    complete.append((match["name"], match["args"]))
            elif (match := _RESUMED.match(line)) and match["pid"] in started:
                name, args = started.pop(match["pid"])
                complete.append((name, args + match["rest"]))
        succeeded = []
        for name, args in complete:
            result = _RESULT.search(args)
            assert result, f"strace's result not understood: {name}({args}"
            if int(result["value"]) >= 0:
                succeeded.append((name, args, _unescape(result["path"] or "")))
        return succeeded

    @property
    def written(self) -> set[Path]:
        """Every file opened to be written, and every rename's or link's destination (`files`)."""
        found = set()
        for name, args, opened in self._file_calls:
            if name in OPENS and (name == "creat" or _WRITE_FLAG.search(args)):
                assert opened, f"strace -y named no file for {name}({args}"
                found.add(Path(opened))
            elif name in MOVES:
                found.add(_moved(name, args)[1])
        return found

    @property
    def moved(self) -> set[Path]:
        """Every file renamed away, its bytes now at the rename's destination (`files`)."""
        return {
            _moved(name, args)[0] for name, args, _ in self._file_calls if name.startswith("rename")
        }

    def _is_own_child(self, path: str, argv: list[str]) -> bool:
        if path != self.interpreter or "-c" not in argv[:-1]:
            return False
        return argv[argv.index("-c") + 1].startswith(MULTIPROCESSING_BOOTSTRAPS)


def _execution(args: str) -> tuple[str, list[str]]:
    """(path, argv) from an execve's or execveat's arguments: their quoted strings, in order."""
    path, *argv = (_unescape(text) for text in _STRING.findall(args))
    return path, argv


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _moved(name: str, args: str) -> tuple[Path, Path]:
    """(source, destination) of a rename or a link, each against its directory (strace -y); a
    relative path of rename() or link() stays relative (it names a file in the caller's cwd)."""
    if name in ("rename", "link"):
        paths = [Path(_unescape(text)) for text in _STRING.findall(args)]
    else:
        paths = [Path(m["dir"], _unescape(m["name"])) for m in _AT_PATH.finditer(args)]
    source, destination = paths[:2]
    return source, destination


@cache  # once per test session, when it succeeds
def strace_or_fail() -> str:
    """strace's path, after checking it can trace a program here; otherwise the test fails with
    what to install or allow."""
    strace = shutil.which("strace")
    if strace is None:
        pytest.fail(
            "strace is not installed, and the R11 test needs it to see every socket and program "
            "the station opens. Install it with `make setup` as root, or `apt-get install strace`.",
            pytrace=False,
        )
    probe = subprocess.run(
        [strace, "-f", "-qq", "-o", os.devnull, "--", "true"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if probe.returncode != 0:
        pytest.fail(
            f"strace cannot trace a program here ({probe.stderr.strip()}). Allow ptrace: in a "
            "container add the SYS_PTRACE capability (docker run --cap-add SYS_PTRACE), and on "
            "the host set kernel.yama.ptrace_scope to 1 or lower.",
            pytrace=False,
        )
    return strace


def run_traced(
    command: Sequence[str],
    log: Path,
    *,
    cwd: Path,
    env: Mapping[str, str],
    timeout: float,
    files: bool = False,
) -> Trace:
    """Run `command` under strace, following every child and thread, and read its log; with
    `files`, the files it writes too (Trace.written)."""
    strace = strace_or_fail()
    calls = f"{TRACED_CALLS},{FILE_CALLS}" if files else TRACED_CALLS
    run = subprocess.run(
        [
            strace,
            *("-f", "-qq", "--seccomp-bpf", "-s", "400", "-e", "signal=none"),
            *(("-y",) if files else ()),
            *("-e", f"trace={calls}", "-o", str(log), "--", *command),
        ],
        cwd=cwd,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Trace(run.returncode, run.stdout, run.stderr, log.read_text(errors="replace"))
