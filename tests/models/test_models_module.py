"""``brevo_loyalty.models`` is the real, precisely typed public home of the models."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import brevo_loyalty
import brevo_loyalty_api.models as generated
from mypy import api as mypy_api

ROOT = Path(__file__).resolve().parents[2]


def test_it_re_exports_every_generated_model() -> None:
    from brevo_loyalty import models

    public = {name for name in vars(models) if name.isidentifier() and not name.startswith("_")}
    assert public - {"annotations"} == set(generated.__all__)
    for name in generated.__all__:
        assert getattr(models, name) is getattr(generated, name), name
    assert brevo_loyalty.models is models


def test_importing_the_package_does_not_import_the_models() -> None:
    probe = (
        "import sys, brevo_loyalty; "
        "print(sorted(m for m in sys.modules if m.startswith('brevo_loyalty_api.models')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


PROGRAM = textwrap.dedent(
    """
    import brevo_loyalty
    from brevo_loyalty import models
    from brevo_loyalty.models import Reward, RewardPage

    reward = Reward.from_dict({"id": "r", "name": "n"})
    reveal_type(reward.id)
    reveal_type(reward.public_name)
    reveal_type(reward.created_at)
    reveal_type(reward.limits)
    page = RewardPage.from_dict({"items": [], "totalCount": 0})
    reveal_type(page.items)
    reveal_type(page.total_count)
    reveal_type(models.Voucher.from_dict({}).code)
    reveal_type(brevo_loyalty.models.ContactVouchers.from_dict({}).contact_rewards)
    """
)


def test_mypy_strict_sees_precise_types(tmp_path: Path) -> None:
    program = tmp_path / "user_program.py"
    program.write_text(PROGRAM, encoding="utf-8")
    stdout, stderr, status = mypy_api.run(
        [
            "--strict",
            "--no-incremental",
            "--python-version",
            "3.11",
            "--config-file",
            "",  # not the project's config: a user's program sees only the installed packages
            str(program),
        ]
    )
    revealed = [
        line.split("Revealed type is ", 1)[1] for line in stdout.splitlines() if "Revealed" in line
    ]
    assert revealed == [
        '"str"',
        '"str | None"',
        '"datetime.datetime | str | None"',
        '"list[brevo_loyalty_api.models.reward_limit.RewardLimit] | None"',
        '"list[brevo_loyalty_api.models.reward_page_item.RewardPageItem]"',
        '"int"',
        '"str"',
        '"list[brevo_loyalty_api.models.contact_voucher.ContactVoucher]"',
    ], stdout + stderr
    # reveal_type notes only: no error, no Any.
    assert status == 0, stdout + stderr
