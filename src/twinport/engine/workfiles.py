"""A job's work files on a database that several nodes share: any node can run the job.

On one node, the files an import's validation writes (`twinport.engine.staging`) stay in the
job's work directory until the job ends. On a shared database (`Database.shared`) the node
that validated the job also copies them into the store (`twinport.store.job_files`) before the
job may run, and a node that runs it copies them back when its own work directory lacks them
or holds another validation's. A file named `MARKER`, written last on both sides, names the
validation the files come from.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from twinport.engine.environment import Environment, workdirs_root
from twinport.store import job_files, jobs
from twinport.store.jobs import Job
from twinport.transfer import states

MARKER = "validated-by"
_PART = 4 << 20  # bytes per row: a part is read and written whole


def publish(env: Environment, job: Job, workdir: Path) -> bool:
    """Copy the work directory's files (not its subdirectories) into the store, in
    transactions of one part each, each made only while this engine still validates the job.
    False when it no longer does (cancelled, or taken over)."""
    if not env.db.shared:
        return True
    token = env.owner.encode()

    def parts():
        for path in sorted(p for p in workdir.iterdir() if p.is_file() and p.name != MARKER):
            with open(path, "rb") as file:
                part = 0
                while (data := file.read(_PART)) or part == 0:
                    yield path.name, part, data
                    part += 1
        yield MARKER, 0, token

    with env.db.write(job.scope) as conn:
        if not states.validating(conn, job.seq, env.owner):
            return False
        job_files.delete(conn, job.seq)  # an earlier validation's, which a crash left
    for name, part, data in parts():
        with env.db.write(job.scope) as conn:
            if not states.validating(conn, job.seq, env.owner):
                return False
            job_files.add_part(conn, job.seq, name, part, data)
    (workdir / MARKER).write_bytes(token)
    return True


def fetch(env: Environment, job: Job, workdir: Path) -> None:
    """Make `workdir` hold the files of the validation the job was planned by."""
    if not env.db.shared:
        return
    conn = env.db.connection()
    wanted = job_files.read_part(conn, job.seq, MARKER, 0)
    marker = workdir / MARKER
    if wanted is None or (marker.exists() and marker.read_bytes() == wanted):
        return
    fetching = workdir.with_name(workdir.name + ".fetching")
    shutil.rmtree(fetching, ignore_errors=True)
    fetching.mkdir(parents=True)
    for name, part in job_files.parts_of(conn, job.seq):
        data = job_files.read_part(conn, job.seq, name, part)
        if data is None:
            raise RuntimeError(f"the job's file {name} went while it was copied")
        with open(fetching / name, "ab") as out:
            out.write(data)
    shutil.rmtree(workdir, ignore_errors=True)
    fetching.rename(workdir)


def sweep(env: Environment) -> None:
    """Remove the work directories of jobs that ended or were deleted while this node did not
    run them: a job another node took over and finished leaves its first node's copy."""
    root = workdirs_root(env.settings)
    if not root.is_dir():
        return
    conn = env.db.connection()
    for path in root.iterdir():
        seq = path.name.split(".")[0]
        job = jobs.by_seq(conn, int(seq)) if seq.isdigit() else None
        if job is None or job.state in states.TERMINAL:
            shutil.rmtree(path, ignore_errors=True)
