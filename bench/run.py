"""`make bench`: every benchmark against a live twinport, printed as one table."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import api, cancel, imports, memory, postgres, sitewise, small, workers  # noqa: E402
from bench.common import print_table  # noqa: E402

SUITES = {
    "imports": lambda work, quick: imports.run(
        work, (10_000, 100_000) if quick else (10_000, 100_000, 1_000_000)
    ),
    "cancel": lambda work, quick: cancel.run(work, (10_000,) if quick else (10_000, 1_000_000)),
    "api": lambda work, quick: api.run(work),
    "memory": lambda work, quick: memory.run(work, (100,) if quick else (100, 1000)),
    "sitewise": lambda work, quick: sitewise.run(work),
    "small": lambda work, quick: small.run(work),
    "postgres": lambda work, quick: postgres.run(work),
    "workers": lambda work, quick: workers.run(work, 20_000 if quick else 100_000),
}


def main() -> int:
    parser = argparse.ArgumentParser(description="twinport benchmarks; prints one table")
    parser.add_argument("--quick", action="store_true", help="small sizes only (minutes)")
    parser.add_argument("only", nargs="*", help=f"run only these: {', '.join(SUITES)}")
    args = parser.parse_args()
    unknown = set(args.only) - set(SUITES)
    if unknown:
        parser.error(f"unknown benchmark {', '.join(sorted(unknown))}; known: {', '.join(SUITES)}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="twinport-bench-") as tmp:
        for name in args.only or SUITES:
            print(f"running {name} ...", file=sys.stderr, flush=True)
            rows += SUITES[name](Path(tmp), args.quick)
    print_table(rows)
    return 0 if all(row.passed for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
