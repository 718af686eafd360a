"""Run a sandbox as a local HTTP server: ``python -m brevo_loyalty.sandbox --port 8080 --seed 42``.

It prints the base URL, the API key to send and the ids of the seeded program and code pool,
then serves until interrupted. ``--start`` freezes time at that instant (a manual clock, moved
forward by ``--step`` seconds per operation) so that a seeded run is reproducible.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import threading
from collections.abc import Sequence
from datetime import timedelta

from dateutil.parser import isoparse

from ._clock import Clock, ManualClock
from ._sandbox import DEFAULT_API_KEY, Sandbox
from ._server import serve


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="brevo-loyalty-sandbox", description="Serve a Brevo Loyalty Reward API sandbox."
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port; 0 picks a free one")
    parser.add_argument("--seed", type=int, help="seed for ids and codes (reproducible runs)")
    parser.add_argument("--start", help="freeze the clock at this RFC 3339 instant")
    parser.add_argument(
        "--step", type=float, default=0.0, help="with --start: seconds added per operation"
    )
    parser.add_argument("--codes", type=int, default=50, help="size of the seeded code pool")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Serve a seeded sandbox until interrupted; return the exit status."""
    args = _parser().parse_args(argv)
    clock: Clock | None = None
    if args.start is not None:
        clock = ManualClock(isoparse(args.start), step=timedelta(seconds=args.step))
    sandbox = Sandbox(seed=args.seed, clock=clock)
    program_id = sandbox.create_program()
    pool_id = sandbox.add_code_pool(program_id, size=args.codes)
    with serve(sandbox, host=args.host, port=args.port) as server:
        print(f"base URL:   {server.base_url}")
        print(f"api-key:    {DEFAULT_API_KEY}")
        print(f"program id: {program_id}")
        print(f"code pool:  {pool_id}")
        sys.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()  # the server thread does the work until Ctrl-C
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
