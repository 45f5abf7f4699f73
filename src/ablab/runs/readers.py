"""Reading a batch's papers away from its event loop.

Parsing a paper is CPU work under the GIL (milliseconds for Markdown, up to a second for a long
PDF): in a batch sent to a language model, parsing in the main process takes the CPU the event
loop needs to send the requests of the papers already read. Model batches of at least
:data:`PROCESS_MIN_PAPERS` paper files read them in reader processes
(:mod:`ablab.papers.reader_process`). Until the first one is up (it takes about half a second to
start), and for references (arXiv, OpenReview), papers are read in a thread. A reader process
that dies (a crash in a PDF library) fails only the paper it was reading; a new one takes its
place.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from pathlib import Path

from ablab.errors import PaperError
from ablab.papers import Source, load_source
from ablab.papers.reader_process import ReaderCrashed, ReaderProcess, supported
from ablab.schema import Paper

PROCESS_MIN_PAPERS = 16
"""Smallest number of paper files a batch reads in reader processes: below it, starting one
costs more than it saves."""


def _process_count() -> int:
    # One core stays with the event loop; two readers at most (see ablab.runs.engine.READERS).
    return max(1, min(2, (os.cpu_count() or 1) - 1))


class PaperReader:
    """Reads the sources of one batch: in reader processes for large batches of files, in a
    thread otherwise. :meth:`close` it at the end of the batch."""

    def __init__(self, sources: Sequence[Source | Paper], *, model: bool) -> None:
        """``sources``: the batch's; ``model``: whether a language model plans or digests them.

        Offline work spends its time analysing, not reading: there a reader process only adds a
        trip (measured on small papers: no gain, 25 against 21 ms per paper). With a model, it
        keeps the event loop's CPU for the requests in flight."""
        files = sum(not isinstance(source, Paper) for source in sources)
        self._wanted = model and files >= PROCESS_MIN_PAPERS and supported()
        self._processes: list[ReaderProcess] = []
        self._idle: asyncio.Queue[ReaderProcess] = asyncio.Queue()
        self._up = False

    async def read(self, source: Source, paper_id: str) -> Paper:
        """The paper of ``source``, with id ``paper_id`` (raises what :func:`load_source`
        raises)."""
        if not isinstance(source, Path) or not self._processes_up():
            return await asyncio.to_thread(load_source, source, paper_id=paper_id)
        process = await self._idle.get()
        try:
            return await asyncio.to_thread(process.read, source, paper_id)
        except ReaderCrashed:
            # One paper at a time per process: the paper it was reading is the cause.
            process.close()
            self._processes.remove(process)
            process = ReaderProcess()
            self._processes.append(process)
            raise PaperError(
                f"{source}: reading it crashed the reader (a damaged or hostile file)"
            ) from None
        finally:
            self._idle.put_nowait(process)

    def _processes_up(self) -> bool:
        """Whether reads go to reader processes; starts them on the first call (a rerun that
        finds every paper done never starts one)."""
        if self._up or not self._wanted:
            return self._up
        try:
            if not self._processes:
                self._processes = [ReaderProcess() for _ in range(_process_count())]
            if not self._processes[0].poll_ready():
                return False
        except (OSError, ReaderCrashed):  # no reader process here: read in threads
            self.close()
            return False
        for process in self._processes:
            self._idle.put_nowait(process)
        self._up = True
        return True

    def close(self) -> None:
        """Stop the reader processes; later reads run in threads."""
        self._wanted = self._up = False
        for process in self._processes:
            process.close()
        self._processes = []
