"""Worker processes: every job runs once, in this process and in the spawned helpers."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from brochure_press.build.pool import Workers
from brochure_press.core.jobs import Job
from brochure_press.core.project import Project, load_project


def where(project: Project, job: Job) -> tuple[Job, int]:
    return job, os.getpid()


def slowly_where(project: Project, job: Job) -> tuple[Job, int]:
    time.sleep(0.2)  # as long as a helper's job, so that this process takes jobs too
    return where(project, job)


def test_every_job_runs_once_here_and_in_a_helper(sample_dir: Path) -> None:
    project = load_project(sample_dir)
    # Jobs of many brochures (the function only names them): the helper is started and busy for most of them.
    editions = [(f"b{n}", edition) for n in range(6) for edition in ("en", "ar", "bilingual")]
    jobs = [Job(brochure, edition, variant) for brochure, edition in editions for variant in ("print", "proof")]
    with Workers(slowly_where, project, workers=2, jobs=len(jobs)) as workers:
        results = list(workers.map(jobs))
    assert sorted(job for job, _ in results) == sorted(jobs)
    pids = {pid for _, pid in results}
    assert os.getpid() in pids and len(pids) == 2
    # The print file and the proof of an edition are made by one process (the second reuses what the first learnt).
    made_by = {edition: {pid for job, pid in results if (job.brochure, job.edition) == edition} for edition in editions}
    assert all(len(pids) == 1 for pids in made_by.values()), made_by


def slow_in_a_helper(project: Project, job: Job) -> tuple[Job, int]:
    if os.environ["POOL_TEST_PARENT"] != str(os.getpid()):
        time.sleep(0.5)
    return where(project, job)


def test_a_helper_holds_one_batch_at_a_time(sample_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Jobs left go to whichever process is free first: none waits in a busy helper while this process is idle (at
    the end of a build, one core would wait for the other)."""
    monkeypatch.setenv("POOL_TEST_PARENT", str(os.getpid()))
    project = load_project(sample_dir)
    jobs = [Job(f"b{n}", "en", variant) for n in range(8) for variant in ("print", "proof")]
    with Workers(slow_in_a_helper, project, workers=2, jobs=len(jobs)) as pool:
        results = list(pool.map(jobs))
    helped = sorted(job for job, pid in results if pid != os.getpid())
    assert sorted(job for job, _ in results) == sorted(jobs)
    assert helped == [Job("b0", "en", "print"), Job("b0", "en", "proof")]


def test_one_worker_or_one_job_runs_here(sample_dir: Path) -> None:
    project = load_project(sample_dir)
    job = Job("sample", "en", "proof")
    for workers, jobs in ((1, [job, job]), (4, [job])):
        with Workers(where, project, workers=workers, jobs=len(jobs)) as pool:
            assert list(pool.map(jobs)) == [(job, os.getpid())] * len(jobs)
