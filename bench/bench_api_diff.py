"""Time scripts/api-diff: the median wall time of several full runs (a fresh process each).

    python bench/bench_api_diff.py [BASE [HEAD]] [--runs N]

Defaults compare HEAD with HEAD, which exports and loads both revisions from git (the slowest
path; the working tree is read from disk instead). The target is under 2 s.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    """Print the median, minimum and maximum of ``--runs`` runs."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("revisions", nargs="*", default=["HEAD", "HEAD"])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    command = [sys.executable, str(ROOT / "scripts" / "api_diff.py"), *args.revisions]
    times, cpu = [], []
    for _ in range(args.runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([*command, "--fail-on", "never"], cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        # CPU time (git included) does not grow when other jobs share the machine; wall time does.
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    print(
        f"api-diff {' '.join(args.revisions)}: median {statistics.median(times):.3f} s wall "
        f"(min {min(times):.3f}, max {max(times):.3f}), median {statistics.median(cpu):.3f} s CPU, "
        f"{args.runs} runs"
    )


if __name__ == "__main__":
    main()
