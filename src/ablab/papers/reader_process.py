"""A separate process that reads paper files: :class:`ReaderProcess` runs
``python -m ablab.papers.reader_process`` and asks it for one paper at a time.

Parsing is CPU work; in a process of its own it does not hold the GIL of the caller's event loop.
The child is a fresh interpreter started on this module (not ``multiprocessing``'s spawn, which
runs the caller's main script again in the child: a script without a ``__main__`` guard would
plan its batch twice). Requests and answers are pickled over a socket pair that only the two
processes hold; the child leaves when the parent closes its end or dies.
"""

from __future__ import annotations

import os
import pickle
import socket
import subprocess
import sys
from multiprocessing.connection import Connection
from pathlib import Path

from ablab.errors import PaperError
from ablab.papers.loader import load_paper
from ablab.schema import Paper

_PACKAGE_ROOT = Path(__file__).resolve().parents[2]
"""The folder holding the ``ablab`` package."""
_READY = "ready"
_EXIT_WAIT_S = 2.0


class ReaderCrashed(Exception):
    """The reader process died (or could not start) while reading a paper."""


def supported() -> bool:
    """Whether papers can be read in a separate process here (POSIX: file descriptors are passed
    to the child)."""
    return os.name == "posix"


class ReaderProcess:
    """One reader process; :meth:`read` from one thread at a time."""

    def __init__(self) -> None:
        """Start the process (it imports the readers meanwhile: see :meth:`poll_ready`)."""
        ours, theirs = socket.socketpair()
        # The child imports the very ablab the caller runs, wherever it was imported from.
        search_path = (str(_PACKAGE_ROOT), os.environ.get("PYTHONPATH", ""))
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(part for part in search_path if part)}
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", __name__, str(theirs.fileno())],
                pass_fds=(theirs.fileno(),),
                # Whatever a library prints must not land in the caller's output; a failure
                # to start is seen on the socket and reads go on in threads.
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env,
            )
        except OSError:
            ours.close()
            raise
        finally:
            theirs.close()
        self._connection = Connection(ours.detach())
        self._ready = False

    def poll_ready(self) -> bool:
        """Whether the process is up, without waiting (ReaderCrashed if it could not start)."""
        if not self._ready and self._connection.poll():
            self._take_ready()
        return self._ready

    def _take_ready(self) -> None:
        try:
            message = self._connection.recv()
        except (EOFError, OSError) as exc:
            raise ReaderCrashed("the reader process did not start") from exc
        if message != (_READY, None):
            raise ReaderCrashed(f"the reader process said {message!r} on starting")
        self._ready = True

    def read(self, path: Path, paper_id: str) -> Paper:
        """The paper of ``path`` (what :func:`load_paper` raises; ReaderCrashed if the process
        died reading it)."""
        if not self._ready:
            self._take_ready()
        try:
            self._connection.send((str(path), paper_id))
            kind, value = self._connection.recv()
        except (EOFError, OSError) as exc:
            raise ReaderCrashed(str(exc) or type(exc).__name__) from exc
        if kind == "error":
            raise value
        assert isinstance(value, Paper)
        return value

    def close(self) -> None:
        """Stop the process (it leaves when its end of the socket closes)."""
        self._connection.close()
        try:
            self._process.wait(timeout=_EXIT_WAIT_S)
        except subprocess.TimeoutExpired:  # stuck in a read: nothing of it is needed any more
            self._process.kill()
            self._process.wait()


def _portable(exc: Exception) -> Exception:
    """``exc`` when it survives pickling, else a RuntimeError naming it (same message)."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(repr(exc))
    return exc


def serve(fd: int) -> None:
    """The child's loop: read the papers asked for on socket ``fd`` until it closes."""
    connection = Connection(fd)
    connection.send((_READY, None))
    while True:
        try:
            path, paper_id = connection.recv()
        except (EOFError, OSError):
            return
        try:
            answer: tuple[str, object] = ("paper", load_paper(Path(path), paper_id=paper_id))
        except Exception as exc:  # the caller's in-thread read would have raised it: so do we
            answer = ("error", _portable(exc))
        try:
            payload = pickle.dumps(answer)
        except Exception as exc:  # pickling fails before anything is sent
            payload = pickle.dumps(("error", PaperError(f"{path}: could not be read ({exc!r})")))
        try:
            connection.send_bytes(payload)
        except OSError:
            return


if __name__ == "__main__":
    serve(int(sys.argv[1]))
