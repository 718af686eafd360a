"""Smoke test of the benchmark harness: quick mode, no peers, well-formed rows for every workload.

It checks the harness's plumbing (server, worker, table, JSON), never the figures themselves.
"""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
WORKLOADS = (
    "get_reward",
    "list_rewards",
    "iterate_vouchers",
    "import_time",
    "regenerate",
    "api_diff",
    "async_get_reward",
    "sandbox_server",
)
MEASURED_BY_WORKER = ("get_reward", "list_rewards", "iterate_vouchers", "async_get_reward")


def _overlay_ready() -> bool:
    if importlib.util.find_spec("brevo_loyalty") is None:
        return False
    import brevo_loyalty

    return hasattr(brevo_loyalty, "Rewards") and hasattr(brevo_loyalty, "AsyncRewards")


def _run_quick(tmp_path: Path) -> dict[str, Any]:
    out = tmp_path / "results.json"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--quick",
            "--no-peers",
            "--output",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,  # a hang guard only; the budget is far below it
    )
    assert done.returncode == 0, done.stderr
    assert "| workload |" in done.stdout
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def _is_measured(row: dict[str, Any]) -> bool:
    value = row["value"]
    return isinstance(value, float | int) and math.isfinite(value) and value >= 0


def test_quick_run_without_peers_is_well_formed(tmp_path: Path) -> None:
    result = _run_quick(tmp_path)
    rows: list[dict[str, Any]] = result["rows"]
    meta = result["meta"]
    assert meta["quick"] is True
    assert meta["peers"] == []
    assert {"nproc", "cpu", "python"} <= meta.keys()

    by_workload: dict[str, list[dict[str, Any]]] = {w: [] for w in WORKLOADS}
    for row in rows:
        by_workload[row["workload"].split("[")[0]].append(row)
        assert row["process"] == "ours", "no peer may run under --no-peers"
        if row["value"] is None:
            assert row["note"], "an unmeasured row must say why"
        else:
            assert _is_measured(row)
            assert row["unit"]
        if row["passed"] is not None:
            assert row["target"]

    expected = ["raw", "generated"] + (["overlay"] if _overlay_ready() else [])
    for workload in MEASURED_BY_WORKER:
        measured = {r["impl"] for r in by_workload[workload] if _is_measured(r)}
        assert set(expected) <= measured, (workload, measured)
        for row in by_workload[workload]:
            if row["impl"] != "raw" and _is_measured(row):
                assert row["ratio"] is not None
                assert row["ratio"] > 0

    sizes = {r["extra"]["size"] for r in by_workload["iterate_vouchers"] if r["extra"]}
    assert len(sizes) == 2
    for row in by_workload["iterate_vouchers"]:
        if row["extra"]:
            assert row["extra"]["items"] == row["extra"]["size"]
            assert row["extra"]["peak_bytes"] > 0

    imports = {r["impl"] for r in by_workload["import_time"] if _is_measured(r)}
    assert set(expected) <= imports

    (regen,) = by_workload["regenerate"]
    assert _is_measured(regen)
    assert regen["passed"] is not None
    (diff,) = by_workload["api_diff"]
    assert _is_measured(diff) or diff["note"]

    (server,) = by_workload["sandbox_server"]
    assert _is_measured(server)
    assert server["passed"] is not None
    if _overlay_ready() and importlib.util.find_spec("aiohttp") is not None:
        (aiohttp_row,) = [
            r for r in by_workload["async_get_reward"] if r["impl"] == "overlay-aiohttp"
        ]
        assert _is_measured(aiohttp_row)
        assert aiohttp_row["ratio"] > 0
        assert aiohttp_row["passed"] is not None

    workers = result["workers"]
    assert set(workers) == {"ours"}
    checks = workers["ours"]["impls"]
    assert checks["generated"]["check"]["page_items"] == 1000
    assert checks["generated"]["check"]["reward_untyped_nodes"] == 0
