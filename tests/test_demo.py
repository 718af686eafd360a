"""The demo runs the whole reward lifecycle and tells it step by step."""

from __future__ import annotations

import re

import pytest
from brevo_loyalty.demo import main
from brevo_loyalty.sandbox import DEFAULT_API_KEY, RunningServer, Sandbox


def test_demo_runs_the_lifecycle_on_the_embedded_sandbox(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--seed", "7"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "Brevo Loyalty demo: embedded sandbox (no API key, no network)"
    steps = [line.split(".")[0] for line in lines if re.match(r"\d\. ", line)]
    assert steps == ["1", "2", "3", "4", "5", "6", "7", "8"]
    attributed = re.search(r"3\. Attributed voucher (\w+) to contact 42 \(expires (\S+)\)", out)
    assert attributed is not None
    code = attributed.group(1)
    assert attributed.group(2).endswith("T23:59:59+00:00")  # the last second of next month
    assert "A second voucher was refused: 412 attribute limit per customer exceeded" in out
    assert f"4. Contact 42 holds 1 voucher(s): {code}" in out
    assert f"5. Validating {code}: authorized" in out
    assert re.search(r"6\. Redeem request [0-9a-f-]{36} is pending; completing it", out)
    assert "Redeemed: the request is completed" in out
    assert f"Validating {code} again: refused" in out
    assert "revoked it: the contact now holds 0 voucher(s)" in out
    assert re.search(r"8\. Code pool [0-9a-f-]{36}: 10 codes left \(of 12\)", out)
    assert lines[-1] == "Done."


def test_demo_is_reproducible_with_a_seed(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--seed", "11"])
    first = capsys.readouterr().out
    main(["--seed", "11"])
    assert capsys.readouterr().out == first


def test_demo_against_a_server(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    brevo_sandbox: Sandbox,
    brevo_program_id: str,
    brevo_server: RunningServer,
) -> None:
    """Against a server, nothing is configured behind the client's back: attribution fails.

    The sandbox, its program and the server come from the package's own pytest plugin.
    """
    monkeypatch.setenv("BREVO_API_KEY", DEFAULT_API_KEY)
    status = main(["--base-url", brevo_server.base_url, "--program-id", brevo_program_id])
    captured = capsys.readouterr()
    assert status == 1
    assert f"Brevo Loyalty demo: {brevo_server.base_url}" in captured.out
    assert "1. Created reward 'Free coffee'" in captured.out
    assert "2. Configure and publish the reward in Brevo" in captured.out
    assert "412" in captured.err
    assert "reward attribution not valid" in captured.err
    # The reward really was created on the server.
    rewards = brevo_sandbox.programs[brevo_program_id].rewards.values()
    assert [r.draft.name for r in rewards] == ["Free coffee"]


def test_demo_refuses_a_server_without_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BREVO_API_KEY", raising=False)
    with pytest.raises(SystemExit, match="BREVO_API_KEY"):
        main(["--base-url", "http://127.0.0.1:9/v3", "--program-id", "x"])
