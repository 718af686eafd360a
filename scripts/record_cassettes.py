"""Re-record the replay tests' cassettes (tests/cassettes/) from a seeded sandbox or the live API.

    scripts/record-cassettes                                   # the sandbox (the normal case)
    BREVO_API_KEY=xkeysib-... scripts/record-cassettes --live --program-id <uuid>   # never in CI

Sandbox mode serves a ``brevo_loyalty.sandbox.Sandbox`` on 127.0.0.1 with a fixed seed and a
manual clock (one second per operation), seeds it (``seed_world``), writes the ids the scenarios
need to ``tests/cassettes/world.json``, deletes every cassette and runs the replay tests with
``--record-mode=rewrite``, pointing them at the server through ``BREVO_REPLAY_URL``
(``--output DIR`` records into another directory, through ``BREVO_REPLAY_CASSETTES``). The tests
store every URI under ``http://sandbox.local/v3`` and drop volatile headers, so recording twice
gives byte-identical cassettes (check with ``git diff --exit-code tests/cassettes``).

Live mode records the same scenarios from ``https://api.brevo.com/v3`` (or ``--base-url``) with
``BREVO_API_KEY``, against your program ``--program-id``. The key is never written to a cassette,
and the live program id is rewritten to the one in world.json so that replays stay unchanged.
Scenarios that need sandbox-only seeding (code pools, limits, a locked or broken program) are
skipped in live mode and keep their sandbox recordings. Live mode needs both the variable and the
two flags, so it cannot start by accident.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import sys
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from brevo_loyalty.sandbox import DEFAULT_API_KEY, ManualClock, Sandbox, serve

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "tests" / "cassettes"
WORLD_FILE = "world.json"
SEED = 20250101
START = datetime(2025, 1, 1, 9, 0, tzinfo=UTC)
STEP = timedelta(seconds=1)
PAGING_CONTACT_ID = 500
LIVE_URL = "https://api.brevo.com/v3"
# The replay modules whose tests each record one cassette (the others check the cassettes).
SCENARIO_MODULES = ("test_replay_overlay.py", "test_replay_generated.py")
# Every scenario starts on the seeded world, at this instant, with ids drawn from its own name.
SCENARIO_START = START + timedelta(days=1)
SCENARIO_FILE = ".scenario"


class _ScenarioSandbox(Sandbox):
    """A sandbox that restarts from the seeded world whenever the recorded scenario changes.

    The replay conftest writes the running test's name to ``scenario_file``; each scenario then
    sees the same world, clock and id sequence whatever ran before it, so re-recording after a
    change to one scenario rewrites only that scenario's cassette.
    """

    def __init__(self, scenario_file: Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._scenario_file = scenario_file
        self._scenario = ""
        self._baseline: dict[str, Any] = {}

    def freeze(self) -> None:
        """Take the seeded world as every scenario's starting point."""
        self._baseline = copy.deepcopy(self.programs)

    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Any:
        scenario = self._scenario_file.read_text() if self._scenario_file.exists() else ""
        if scenario != self._scenario:
            with self.lock:
                self._scenario = scenario
                self.programs = copy.deepcopy(self._baseline)
                clock = ManualClock(SCENARIO_START, step=STEP)
                self.restart(seed=f"{SEED}:{scenario}", clock=clock)
        return super().handle(method, target, headers, body)


def seed_world(sandbox: Sandbox) -> dict[str, Any]:
    """Create what the scenarios need beyond the ten operations; return the ids they use."""
    program_id = sandbox.create_program()
    pool_id = sandbox.add_code_pool(program_id, size=40)
    empty_pool_id = sandbox.add_code_pool(program_id)

    def reward(name: str, **config: Any) -> str:
        reward_id = sandbox.create_reward(program_id, name=name, public_name=name).id
        sandbox.configure_reward(program_id, reward_id, **config)
        return reward_id

    # The coffee reward carries every field the sandbox models, so that the cassettes hold
    # every response field (tests/replay/test_field_coverage.py).
    coffee = sandbox.create_reward(
        program_id,
        name="Free coffee",
        public_name="Free coffee",
        public_description="One coffee, any size.",
        public_image="https://images.sandbox.invalid/coffee.png",
    ).id
    sandbox.configure_reward(
        program_id,
        coffee,
        code_pool_id=pool_id,
        expiration_value=1,
        expiration_unit="month",
        expiration_modifier="endOfPeriod",
        value=1.0,
        unit="cups",
        attribution_per_consumer=1000,
        redeem_per_consumer=1000,
        total_attribution=100_000,
        total_redeem=100_000,
        products={"espresso": "1", "latte": "2"},
        start_date=START - timedelta(days=30),
        end_date=START + timedelta(days=3650),
    )
    world: dict[str, Any] = {
        "program_id": program_id,
        "code_pool_id": pool_id,
        "coffee_reward_id": coffee,
        "limited_reward_id": reward("Welcome gift", attribution_per_consumer=1),
        "empty_pool_reward_id": reward("Sold out", code_pool_id=empty_pool_id),
        "draft_reward_id": sandbox.create_reward(program_id, name="Coming soon").id,
        "retired_reward_id": reward("Retired", disabled=True),
        "locked_program_id": sandbox.create_program(allowed_keys=["another-account-key"]),
        "broken_program_id": sandbox.create_program(),
        "paging_contact_id": PAGING_CONTACT_ID,
    }
    sandbox.fail_program(world["broken_program_id"], status=500, message="database unavailable")
    for season in ("Spring", "Summer", "Autumn"):
        reward(f"{season} treat")
    sandbox.add_subscription(program_id, PAGING_CONTACT_ID)
    for _ in range(5):
        sandbox.attribute(program_id, reward_id=coffee, contact_id=PAGING_CONTACT_ID)
    return world


def _record(env: dict[str, str]) -> int:
    command = [
        sys.executable,
        "-m",
        "pytest",
        *(str(ROOT / "tests" / "replay" / name) for name in SCENARIO_MODULES),
        "--record-mode=rewrite",
        "-p",
        "no:cacheprovider",
        "-q",
    ]
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


def main(argv: list[str] | None = None) -> int:
    """Record the cassettes; return pytest's exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--live", action="store_true", help="record from the live API")
    parser.add_argument("--program-id", help="live mode: your loyalty program id")
    parser.add_argument("--base-url", default=LIVE_URL, help="live mode: the API base URL")
    parser.add_argument(
        "--output", type=Path, default=CASSETTES, help="sandbox mode: where to write the cassettes"
    )
    args = parser.parse_args(argv)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BREVO_REPLAY_")}
    if args.live:
        key = os.environ.get("BREVO_API_KEY")
        if not key or not args.program_id:
            parser.error("--live needs BREVO_API_KEY in the environment and --program-id")
        env |= {
            "BREVO_REPLAY_URL": args.base_url,
            "BREVO_REPLAY_KEY": key,
            "BREVO_REPLAY_PROGRAM_ID": args.program_id,
        }
        return _record(env)
    output: Path = args.output.resolve()
    clock = ManualClock(START, step=STEP)
    sandbox = _ScenarioSandbox(output / SCENARIO_FILE, seed=SEED, clock=clock)
    world = seed_world(sandbox)
    sandbox.freeze()
    output.mkdir(parents=True, exist_ok=True)
    for stale in output.glob("*.yaml"):
        stale.unlink()
    (output / WORLD_FILE).write_text(json.dumps(world, indent=2, sort_keys=True) + "\n")
    with serve(sandbox) as server:
        env |= {"BREVO_REPLAY_URL": server.base_url, "BREVO_REPLAY_KEY": DEFAULT_API_KEY}
        env["BREVO_REPLAY_CASSETTES"] = str(output)
        env["BREVO_REPLAY_SCENARIO_FILE"] = str(output / SCENARIO_FILE)
        try:
            status = _record(env)
        finally:
            (output / SCENARIO_FILE).unlink(missing_ok=True)
    print(f"recorded {len(list(output.glob('*.yaml')))} cassettes into {output}")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
