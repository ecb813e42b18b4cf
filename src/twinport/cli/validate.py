"""`twinport validate FILE`: a bulk file checked offline by the scans an import job validates with.

The problems printed are the messages the job's report would list, in its order. What the job
checks against the workspace or the account (resources the file names but does not hold)
cannot be checked offline: they are warnings, or problems with `--self-contained`.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from twinport.domain.twinmaker.builtins import BUILT_IN_TYPES
from twinport.engine.transfers.twinmaker import keys_of
from twinport.formats import sitewise, twinmaker
from twinport.formats.idindex import IdIndex
from twinport.formats.jsonstream import iter_root_arrays
from twinport.formats.plan import ScanPlan

_EXAMPLE = """formats:
  twinmaker  {"componentTypes": [...], "entities": [...], "entityComponents": [...]}
  sitewise   {"assetModels": [...], "assets": [...]}
Without --format, the file's first key decides (TwinMaker when it names neither).

Problems are the messages, as many as it lists, that a metadata transfer job's report
lists when its validation fails. Resources the file names but does not hold cannot be
looked up offline in the workspace (TwinMaker: component types of extendsFrom and of
components, parentEntityId, the entity of an entityComponents item) or in the account
(SiteWise: asset models, child assets): they are warnings, as the import checks them, or
problems with --self-contained.

exit status: 0 valid, 1 problems found, 2 a usage error or a file that cannot be read.

example:
  twinport validate plant.json
  twinport validate --format sitewise --self-contained export.json
"""
# Warnings name at most as many resources outside the file as a job's report lists problems.
_SHOWN = twinmaker.DEFAULT_MAX_ERRORS
_FIRST_KEY = re.compile(r'\ufeff?[ \t\n\r]*\{[ \t\n\r]*"([^"\\]*)"')
_DETECT_CHARS = 1 << 16
_KINDS = {"ComponentType": "component type", "Entity": "entity"}
_NOUNS = {
    twinmaker.COMPONENT_TYPES: ("component type", "component types"),
    twinmaker.ENTITIES: ("entity", "entities"),
    twinmaker.ENTITY_COMPONENTS: ("entity component", "entity components"),
    sitewise.ASSET_MODELS: ("asset model", "asset models"),
    sitewise.ASSETS: ("asset", "assets"),
}


def add_parser(commands: argparse._SubParsersAction, name: str, help_text: str) -> None:
    parser = commands.add_parser(
        name,
        help=help_text,
        description="Check a bulk file offline with the checks of an import job's validation.",
        epilog=_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", metavar="FILE", type=Path, help="the bulk file (JSON)")
    parser.add_argument(
        "--format",
        choices=["twinmaker", "sitewise"],
        help="read the file as this format (default: from its first key)",
    )
    parser.add_argument(
        "--self-contained",
        action="store_true",
        help="a resource the file names must be in it, as for an import into an empty"
        " workspace or account (default: such names are warnings)",
    )


def run(args: argparse.Namespace) -> int:
    path: Path = args.file
    try:
        fmt = args.format or _detect(path)
        check = _check_sitewise if fmt == "sitewise" else _check_twinmaker
        plan, outside = check(path, args.self_contained)
    except OSError as exc:
        print(f"twinport validate: error: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 2
    for line in (*plan.report_messages(), *outside.lines()):
        print(line)
    problems = len(plan.errors) + (len(outside.shown) + outside.more if outside.problems else 0)
    if problems:
        print(f"invalid: {_counted(problems, 'problem', 'problems')}")
        return 1
    counts = ", ".join(_counted(n, *_NOUNS[section]) for section, n in plan.counts.items())
    print(f"valid: {counts}" + (" (see the warnings)" if outside else ""))
    return 0


def _detect(path: Path) -> str:
    """The format the file's first key belongs to: SiteWise's, else TwinMaker's."""
    with open(path, encoding="utf-8", errors="replace") as text:
        found = _FIRST_KEY.match(text.read(_DETECT_CHARS))
    return "sitewise" if found and found.group(1) in sitewise.SECTIONS else "twinmaker"


@dataclass
class _Outside:
    """Resources the file names but does not hold: the first few, each with the first place
    that names it, and how many more times others are named."""

    lookup: str  # where the import looks them up
    problems: bool = False  # with --self-contained they are problems, else warnings
    shown: dict[tuple[str, str], str | None] = field(default_factory=dict)  # (kind, id) -> place
    more: int = 0

    def add(self, kind: str, name: str, where: str | None) -> None:
        if (kind, name) in self.shown:
            return
        if len(self.shown) < _SHOWN:
            self.shown[kind, name] = where
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.shown)

    def lines(self) -> Iterator[str]:
        prefix = "" if self.problems else "warning: "
        tail = "" if self.problems else f"; the import needs it in {self.lookup}"
        for (kind, name), where in self.shown.items():
            at = f"{where}: " if where else ""
            yield f"{prefix}{at}{kind} {name!r} is not in the file{tail}"
        if self.more:
            yield f"{prefix}and {self.more:,} more references to resources not in the file"


def _check_twinmaker(path: Path, self_contained: bool) -> tuple[ScanPlan, _Outside]:
    """The job's scan, then (for a valid file) a second pass for names of resources outside
    it, which the job resolves only when it writes, against the workspace."""
    scan = twinmaker.TwinMakerScan(path)
    defined = IdIndex()  # "<resource type>\0<id>" of every component type and entity
    for section, index, doc in scan:
        if section != twinmaker.ENTITY_COMPONENTS:
            # An item without its id is left out: the scan reports it.
            with suppress(KeyError, TypeError, AttributeError):
                defined.setdefault("\0".join(keys_of(section, doc)[0]), index)
    plan = scan.plan()
    outside = _Outside("the workspace", self_contained)
    if plan.ok:
        for section, index, doc in iter_root_arrays(path, twinmaker.SECTIONS):
            for kind, name in keys_of(section, doc)[1]:
                if name not in BUILT_IN_TYPES and defined.get(f"{kind}\0{name}") < 0:
                    outside.add(_KINDS[kind], name, f"{section}[{index}]")
    return plan, outside


class _Offline:
    """The account a SiteWise file is checked against offline. Self-contained, it is empty,
    and the scan reports a name outside the file as a job importing into an empty account
    would; otherwise it holds whatever it is asked about, and notes the name for a warning."""

    def __init__(self, outside: _Outside, self_contained: bool):
        self._outside = outside
        self._empty = self_contained

    def has_asset_model(self, model_id: str | None, external_id: str | None) -> bool:
        return self._has("asset model", model_id, external_id)

    def has_asset(self, asset_id: str | None, external_id: str | None) -> bool:
        return self._has("asset", asset_id, external_id)

    def _has(self, kind: str, resource_id: str | None, external_id: str | None) -> bool:
        if self._empty:
            return False
        self._outside.add(kind, sitewise.resource_key(resource_id, external_id), None)
        return True


def _check_sitewise(path: Path, self_contained: bool) -> tuple[ScanPlan, _Outside]:
    outside = _Outside("SiteWise")
    plan = sitewise.validate_and_plan(path, known=_Offline(outside, self_contained))
    # Names outside a file with problems would only hide them.
    return plan, outside if plan.ok else _Outside("SiteWise")


def _counted(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"
