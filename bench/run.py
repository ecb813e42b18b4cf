"""`make bench`: every benchmark against a live twinport, printed as one table."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import imports  # noqa: E402
from bench.common import print_table  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description="twinport benchmarks")
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    args = parser.parse_args()
    sizes = (10_000, 100_000) if args.quick else (10_000, 100_000, 1_000_000)
    with tempfile.TemporaryDirectory(prefix="twinport-bench-") as tmp:
        rows = imports.run(Path(tmp), sizes)
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
