"""The README's promises: its code runs, and CI runs the same test command the README shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from brevo_loyalty_api._surface import OPERATIONS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)


def _bash_commands() -> list[str]:
    first_block = re.search(r"```bash\n(.*?)```", README, flags=re.DOTALL)
    assert first_block is not None
    return [line for line in first_block.group(1).splitlines() if line and not line.startswith("#")]


def test_quickstart_runs_every_operation(capsys: pytest.CaptureFixture[str]) -> None:
    quickstart = _python_blocks()[0]
    for operation in OPERATIONS:
        assert f"client.{operation.name}(" in quickstart, operation.name
    exec(compile(quickstart, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "redeemed: completed" in out
    assert "codes left: 8" in out  # two vouchers took two of the pool's ten codes
    assert "412 precondition_failed" in out
    assert "not found:" in out


def test_sandbox_snippet_runs() -> None:
    namespace: dict[str, object] = {}
    exec(compile(_python_blocks()[1], "README.md", "exec"), namespace)
    assert repr(namespace["client"]).startswith("<Rewards")


def test_first_screen_has_the_two_fresh_machine_commands() -> None:
    commands = _bash_commands()
    assert len(commands) == 2
    assert "brevo-loyalty-demo" in commands[0]
    assert "pytest" in commands[1]
    assert README.index("```bash") < 600  # on the first screen


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _bash_commands()[1] in ci.splitlines()


def test_retry_table_matches_the_spec() -> None:
    """The README's idempotency table says what the spec (x-idempotent, by method) says."""
    table = README.split("### Retries", 1)[1].split("\n\n", 2)[1]
    idempotent: dict[str, bool] = {}
    for row in table.splitlines()[2:]:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        for name in re.findall(r"`([a-z_]+)`", cells[0]):
            assert name not in idempotent, f"{name} is in two rows"
            idempotent[name] = not cells[1].startswith("**no**")
    assert idempotent == {op.name: op.idempotent for op in OPERATIONS}
