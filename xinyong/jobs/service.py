"""The jobs, how one runs (one transaction, audited) and the in-process scheduler."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from xinyong.auth import audit
from xinyong.commitments.service import settle_due
from xinyong.db import refresh_statistics, table_of, transaction
from xinyong.errors import DomainError
from xinyong.evaluation.models import EvaluationResult
from xinyong.evaluation.runs import evaluate_due
from xinyong.notices.reminders import send_repair_reminders
from xinyong.notifications.reminders import send_reminders
from xinyong.notifications.service import deliver_job
from xinyong.publication.expiry import expire_due
from xinyong.records.models import Record
from xinyong.subjects.models import Subject, SubjectIdentifier, SubjectName

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    label: str
    run: Callable[[Session], int]  # returns how many things it changed


def refresh_table_statistics(session: Session) -> int:
    """The planner's statistics of the tables searches and archives read (db.refresh_statistics:
    SQLite gathers none by itself)."""
    tables = (Subject, SubjectIdentifier, SubjectName, Record, EvaluationResult)
    refresh_statistics(session, *(table_of(t) for t in tables))
    return 0


JOBS = {
    job.name: job
    for job in [
        Job("expire", "停止公示期满的信用信息", expire_due),
        # Before reminders: a commitment settled today is not reminded of any more.
        Job("commitments", "处理履约期限届满的信用承诺", settle_due),
        Job("reminders", "写入案件期限提醒", send_reminders),
        Job("repair-reminders", "写入信用修复提醒", send_repair_reminders),
        Job("deliver", "发送通知", deliver_job),  # after reminders: today's go out this run
        # Once a day, each model graded again: yesterday's repairs and objections count today.
        Job("evaluate", "重新进行公共信用综合评价", evaluate_due),
        Job("statistics", "更新数据库的表统计信息", refresh_table_statistics),
        # Last, so that an anchor covers what the other jobs wrote.
        Job("audit-anchor", "导出审计日志锚点", audit.anchor_job),
    ]
}


def run_job(sessions: sessionmaker[Session], name: str) -> int:
    """Run one job in one transaction (all or nothing) and audit the run."""
    job = JOBS.get(name)
    if job is None:
        raise DomainError(f"未知的任务：{name}（可用：{'、'.join(JOBS)}）", "jobs.unknown")
    with transaction(sessions) as session:
        changed = job.run(session)
        audit.write(session, f"job:{name}", "job.run", "job", name, {"changed": changed})
    return changed


class Scheduler:
    """Runs every job at start and then every `interval` seconds, in a daemon thread of the
    server. Jobs are idempotent, so several server processes running them do no harm."""

    def __init__(self, sessions: sessionmaker[Session], interval: float) -> None:
        self._sessions = sessions
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="xinyong-jobs", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _loop(self) -> None:
        while True:
            for name in JOBS:
                try:
                    changed = run_job(self._sessions, name)
                    log.info("job %s: %d changed", name, changed)
                except Exception:  # a failed run is retried next time; the server goes on
                    log.exception("job %s failed", name)
            if self._stop.wait(self._interval):
                return
