"""Group commit for checks (decision 0011): concurrent requests hand their findings to one
writer per process, which stores whatever has queued in one transaction and then releases every
request of the group. A check is answered only once it is recorded and audited; when the group's
transaction fails, every request in it gets the error."""

from __future__ import annotations

import queue
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field

from sqlalchemy.orm import Session, sessionmaker

from xinyong.errors import Busy
from xinyong.measures.service import Answer, Finding, keep

GROUP_LIMIT = 200  # checks per transaction: bounds a group's time under the database's lock
WAIT_SECONDS = 30.0  # a request waits this long for its group before it is refused


class WriterStopped(Busy):
    """The process is shutting down: the check was not recorded, so it is not answered."""

    def __init__(self) -> None:
        super().__init__("服务正在停止，核查未记录，请稍后重试", "checks.stopping", 5)


@dataclass
class _Waiting:
    finding: Finding
    kept: Future[list[int]] = field(default_factory=Future)


class CheckWriter:
    """One per process and database. The thread starts on first use (after a server forks its
    workers), so each worker process has its own writer and none is inherited."""

    def __init__(self, sessions: sessionmaker[Session], group_limit: int = GROUP_LIMIT) -> None:
        self._sessions = sessions
        self._group_limit = group_limit
        self._queue: queue.SimpleQueue[_Waiting | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._stopped = False

    def answer(self, finding: Finding) -> list[Answer]:
        """The finding's answers, once its checks and audit entries are committed."""
        waiting = _Waiting(finding)
        self._enqueue(waiting)
        return finding.answers(waiting.kept.result(timeout=WAIT_SECONDS))

    def stop(self) -> None:
        """Store what has queued, then end the thread; later checks are refused."""
        with self._start_lock:
            self._stopped = True
            thread = self._thread
        if thread is not None:
            self._queue.put(None)
            thread.join()

    def _enqueue(self, waiting: _Waiting) -> None:
        with self._start_lock:  # never behind the stop mark, where nothing would store it
            if self._stopped:
                raise WriterStopped()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="check-writer", daemon=True)
                self._thread.start()
            self._queue.put(waiting)

    def _run(self) -> None:
        stopping = False
        while not stopping:
            first = self._queue.get()
            group = [] if first is None else [first]
            stopping = first is None
            size = sum(w.finding.size for w in group)
            # Whatever queued while the last group committed joins this one: no timer, so a
            # lone check is stored at once and a crowd shares one transaction.
            while size < self._group_limit:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stopping = True
                    break
                group.append(more)
                size += more.finding.size
            if group:
                self._store(group)

    def _store(self, group: Sequence[_Waiting]) -> None:
        try:
            with self._sessions() as session, session.begin():
                kept = keep(session, [w.finding for w in group])
        except BaseException as error:  # every waiting request gets it: no answer unrecorded
            for waiting in group:
                waiting.kept.set_exception(error)
            return
        for waiting, (_batch_id, ids) in zip(group, kept, strict=True):
            waiting.kept.set_result(ids)
