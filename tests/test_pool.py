"""Worker processes: every job runs once, in this process and in the spawned helpers."""

from __future__ import annotations

import os
from pathlib import Path

from brochure_press.build.pool import Workers
from brochure_press.core.jobs import Job
from brochure_press.core.project import Project, load_project


def where(project: Project, job: Job) -> tuple[Job, int]:
    return job, os.getpid()


def test_every_job_runs_once_here_and_in_a_helper(sample_dir: Path) -> None:
    project = load_project(sample_dir)
    jobs = [Job("sample", edition, variant) for edition in ("en", "ar", "bilingual") for variant in ("print", "proof")]
    with Workers(where, project, workers=2, jobs=len(jobs)) as workers:
        results = list(workers.map(jobs))
    assert sorted(job for job, _ in results) == sorted(jobs)
    pids = {pid for _, pid in results}
    assert os.getpid() in pids and len(pids) == 2


def test_one_worker_or_one_job_runs_here(sample_dir: Path) -> None:
    project = load_project(sample_dir)
    job = Job("sample", "en", "proof")
    for workers, jobs in ((1, [job, job]), (4, [job])):
        with Workers(where, project, workers=workers, jobs=len(jobs)) as pool:
            assert list(pool.map(jobs)) == [(job, os.getpid())] * len(jobs)
