"""What every export shares: write one file from a consistent snapshot, then upload it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from botocore.exceptions import ClientError

from twinport.engine.contract import JobInvalid, template_error
from twinport.engine.control import JobControl
from twinport.store import jobs
from twinport.store.jobs import Job
from twinport.transfer.locations import join_key, s3_location

EXPORT_FILE = "export.json"
_EXPORTED = 1  # the checkpoint of an export whose file is uploaded and counted

# (output file, snapshot connection) -> number of resources written
WriteExport = Callable[[BinaryIO, object], int]


def check_destination_bucket(env, job: Job) -> None:
    location = s3_location(job.destination["s3Configuration"]["location"])
    try:
        env.s3(job.scope).head_bucket(Bucket=location.bucket)
    except ClientError:
        raise JobInvalid(
            [template_error(f"The destination bucket {location.bucket} does not exist")]
        ) from None


def run_export(env, control: JobControl, workdir: Path, write: WriteExport) -> None:
    """Export into `<prefix>/<jobId>.json`; counts commit once the file is in S3.

    The commit that counts the file also moves the checkpoint past it: a job resumed after a
    crash between that commit and its end state finds the file written and counts nothing more.
    """
    job = control.job
    if job.checkpoint >= _EXPORTED:
        return
    control.check()
    path = workdir / EXPORT_FILE
    with env.db.snapshot() as conn, open(path, "wb") as out:
        count = write(out, conn)
    control.check()
    location = s3_location(job.destination["s3Configuration"]["location"])
    key = join_key(location.key, f"{job.job_id}.json")
    env.s3(job.scope).upload_file(
        str(path), location.bucket, key, ExtraArgs={"ContentType": "application/json"}
    )
    with control.batch([_EXPORTED]) as batch:
        jobs.set_total(batch.conn, job.seq, count)
        batch.succeeded = count
