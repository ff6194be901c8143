"""Periodic work: run by name (`xinyong jobs run expire`) or by the server's own scheduler."""

from xinyong.jobs.service import JOBS, Job, Scheduler, run_job

__all__ = ["JOBS", "Job", "Scheduler", "run_job"]
