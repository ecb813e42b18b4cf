"""`twinport jobs`: list, show, watch and cancel metadata transfer jobs of a running twinport,
through its AWS API, as any client would."""

from __future__ import annotations

import argparse
import json
import sys

from twinport.cli import endpoint, jobview
from twinport.cli.jobwatch import watch
from twinport.transfer.registry import PAIRS

_EXAMPLE = """examples:
  twinport jobs list
  twinport jobs watch 6e5588c5-68a9-4e60-8ec4-ad3e9ee777ed
  twinport jobs get 6e5588c5-68a9-4e60-8ec4-ad3e9ee777ed --json --account 111122223333

exit status: 0 done; 1 the watched job ended in ERROR or CANCELLED;
2 the server could not be reached or refused the request (the reason is on stderr)
"""


def add_parser(commands: argparse._SubParsersAction, name: str, help_text: str) -> None:
    jobs = commands.add_parser(
        name,
        help=help_text,
        description=help_text.capitalize() + ", on a running twinport.",
        epilog=_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = jobs.add_subparsers(dest="action", required=True, metavar="ACTION")

    listing = actions.add_parser("list", help="the jobs of every pair, newest first")
    listing.add_argument(
        "--source", choices=sorted({p.source for p in PAIRS}), help="only jobs from this type"
    )
    listing.add_argument(
        "--destination",
        choices=sorted({p.destination for p in PAIRS}),
        help="only jobs to this type",
    )
    showing = actions.add_parser("get", help="a job's state, progress, error and report URL")
    showing.add_argument("--json", action="store_true", help="print the API's answer as it is")
    watching = actions.add_parser(
        "watch",
        help="follow a job until it ends; exit 0 if it COMPLETED, 1 on ERROR or CANCELLED",
    )
    cancelling = actions.add_parser("cancel", help="cancel a job and print its new state")
    for action in (showing, watching, cancelling):
        action.add_argument("job", metavar="JOB", help="the metadataTransferJobId")
    for action in (listing, showing, watching, cancelling):
        endpoint.add_flags(action)


def run(args: argparse.Namespace) -> int:
    from botocore.exceptions import BotoCoreError, ClientError

    twinmaker = endpoint.twinmaker(args)
    try:
        return _ACTIONS[args.action](twinmaker, args)
    except (BotoCoreError, ClientError) as error:
        print(f"twinport jobs: {endpoint.describe(error, args.endpoint_url)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _list(twinmaker, args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    found = []
    for pair in PAIRS:
        if args.source in (None, pair.source) and args.destination in (None, pair.destination):
            name = jobview.pair(pair.source, pair.destination)
            found += [(name, job) for job in _jobs_of(twinmaker, pair.source, pair.destination)]
    if not found:
        print("no jobs")
        return 0
    found.sort(key=lambda item: item[1]["creationDateTime"], reverse=True)
    table = Table("id", "pair", "state", "progress", "updated")
    for pair, job in found:
        updated = jobview.when(job["updateDateTime"])
        progress = jobview.short_counts(job.get("progress"))
        table.add_row(job["metadataTransferJobId"], pair, job["status"]["state"], progress, updated)
    console = Console()
    if not console.is_terminal:
        console.width = 200  # a pipe gets whole lines, not lines cut to 80 columns
    console.print(table)
    return 0


def _jobs_of(twinmaker, source: str, destination: str) -> list[dict]:
    jobs: list[dict] = []
    token: dict = {}
    while True:
        page = twinmaker.list_metadata_transfer_jobs(
            sourceType=source, destinationType=destination, maxResults=200, **token
        )
        jobs += page["metadataTransferJobSummaries"]
        if not page.get("nextToken"):
            return jobs
        token = {"nextToken": page["nextToken"]}


def _get(twinmaker, args: argparse.Namespace) -> int:
    if args.json:
        print(json.dumps(_raw_answer(twinmaker, args.job), indent=2))
        return 0
    job = twinmaker.get_metadata_transfer_job(metadataTransferJobId=args.job)
    status = job["status"]
    lines = [
        ("job", job["metadataTransferJobId"]),
        ("description", job.get("description")),
        ("pair", jobview.pair(job["sources"][0]["type"], job["destination"]["type"])),
        ("state", status["state"]),
        ("queued", status.get("queuedPosition")),
        ("error", jobview.error(status)),
        ("progress", jobview.counts(job.get("progress"))),
        ("created", jobview.when(job["creationDateTime"])),
        ("updated", jobview.when(job["updateDateTime"])),
        ("report", job.get("reportUrl")),
    ]
    for label, value in lines:
        if value is not None:
            print(f"{label:<12} {value}")
    return 0


def _raw_answer(twinmaker, job_id: str) -> dict:
    """GetMetadataTransferJob's JSON body as the server sent it (boto3 turns its times into
    datetimes and adds metadata of its own)."""
    answer: dict = {}

    def keep(response_dict: dict, **_) -> None:
        if response_dict["status_code"] == 200:
            answer.update(json.loads(response_dict["body"]))

    twinmaker.meta.events.register("before-parse.iottwinmaker.GetMetadataTransferJob", keep)
    twinmaker.get_metadata_transfer_job(metadataTransferJobId=job_id)
    return answer


def _cancel(twinmaker, args: argparse.Namespace) -> int:
    answer = twinmaker.cancel_metadata_transfer_job(metadataTransferJobId=args.job)
    print(f"{answer['metadataTransferJobId']} {answer['status']['state']}")
    return 0


_ACTIONS = {"list": _list, "get": _get, "watch": watch, "cancel": _cancel}
