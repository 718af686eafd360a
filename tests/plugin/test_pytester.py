"""The pytest plugin, as a user meets it: test files run by pytester in a fresh pytest session.

The plugin is not named anywhere here: pytest loads it through the package's ``pytest11`` entry
point, exactly as in a user's project where brevo-loyalty is installed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]


def test_the_sync_client_works_on_a_fresh_seeded_sandbox(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_create_then_read(brevo_client, brevo_program_id):
            created = brevo_client.create_reward(program_id=brevo_program_id, name="Mug")
            reward = brevo_client.get_reward(program_id=brevo_program_id, reward_id=created.id)
            assert reward.name == "Mug"

        def test_each_test_gets_a_fresh_sandbox(brevo_client, brevo_program_id, brevo_sandbox):
            brevo_client.create_reward(program_id=brevo_program_id, name="Only me")
            page = brevo_client.list_rewards(program_id=brevo_program_id)
            assert [r.name for r in page.items] == ["Only me"]
            assert list(brevo_sandbox.programs) == [brevo_program_id]
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=2)


def test_the_async_client_needs_no_async_plugin(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import asyncio

        def test_async(brevo_async_client, brevo_program_id):
            async def main():
                created = await brevo_async_client.create_reward(
                    program_id=brevo_program_id, name="Async mug"
                )
                return [r.name async for r in brevo_async_client.iter_rewards(
                    program_id=brevo_program_id
                )], created.id

            names, reward_id = asyncio.run(main())
            assert names == ["Async mug"]
        """
    )
    result = pytester.runpytest("-p", "no:asyncio", "-W", "error")
    result.assert_outcomes(passed=1)


def test_fault_injection_reaches_the_users_error_handling(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        from brevo_loyalty import InternalServerError, RateLimitError

        def test_one_failure_then_success(brevo_client, brevo_program_id, brevo_fail_next):
            brevo_fail_next(status=503)
            client = brevo_client.with_options(max_retries=0)
            with pytest.raises(InternalServerError) as info:
                client.list_rewards(program_id=brevo_program_id)
            assert info.value.status_code == 503
            assert client.list_rewards(program_id=brevo_program_id).total_count == 0

        def test_retry_after_header(brevo_client, brevo_program_id, brevo_fail_next):
            brevo_fail_next(2, status=429, headers={"Retry-After": "7"})
            with pytest.raises(RateLimitError) as info:
                brevo_client.with_options(max_retries=0).list_rewards(program_id=brevo_program_id)
            assert info.value.headers["retry-after"] == "7"
        """
    )
    pytester.runpytest().assert_outcomes(passed=2)


def test_the_loopback_server_serves_the_same_sandbox(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import httpx
        from brevo_loyalty import Rewards
        from brevo_loyalty.sandbox import DEFAULT_API_KEY

        def test_over_http(brevo_server, brevo_sandbox, brevo_program_id):
            assert brevo_server.sandbox is brevo_sandbox
            assert brevo_server.base_url.startswith("http://127.0.0.1:")
            with Rewards(api_key=DEFAULT_API_KEY, base_url=brevo_server.base_url) as client:
                created = client.create_reward(program_id=brevo_program_id, name="Over HTTP")
            assert brevo_sandbox.programs[brevo_program_id].rewards[created.id].draft.name == (
                "Over HTTP"
            )
            url = f"{brevo_server.base_url}/loyalty/offer/programs/{brevo_program_id}/offers"
            assert httpx.get(url, headers={"api-key": DEFAULT_API_KEY}).status_code == 200
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_the_seed_fixture_makes_ids_reproducible_and_overridable(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
        import pytest

        SEEN = []

        def test_first(brevo_program_id):
            SEEN.append(brevo_program_id)

        def test_second(brevo_program_id):
            SEEN.append(brevo_program_id)
            assert SEEN[0] == SEEN[1]  # the same seed, the same ids, in a fresh sandbox

        class TestOtherSeed:
            @pytest.fixture
            def brevo_sandbox_seed(self):
                return 12345

            def test_other_ids(self, brevo_program_id):
                assert brevo_program_id != SEEN[0]
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=3)


def test_the_plugin_is_loaded_by_its_entry_point(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_nothing(): pass")
    listed = pytester.runpytest("--fixtures")
    listed.stdout.fnmatch_lines(["*fixtures defined from brevo_loyalty.pytest_plugin*"])
    for name in ("brevo_sandbox", "brevo_client", "brevo_async_client", "brevo_server"):
        listed.stdout.fnmatch_lines([f"{name} -- *"])
    pytester.makepyfile(test_uses="def test_uses(brevo_client): pass")
    disabled = pytester.runpytest("-p", "no:brevo_loyalty", "test_uses.py")
    disabled.assert_outcomes(errors=1)
    disabled.stdout.fnmatch_lines(["*fixture 'brevo_client' not found*"])


def test_the_clients_are_closed_after_the_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import asyncio
        import pytest
        from brevo_loyalty import APIConnectionError

        KEPT = {}

        def test_keep(brevo_client, brevo_async_client):
            KEPT["sync"], KEPT["async"] = brevo_client, brevo_async_client

        def test_closed(brevo_program_id):
            with pytest.raises(RuntimeError, match="closed"):
                KEPT["sync"].list_rewards(program_id=brevo_program_id)

            async def use_async():
                await KEPT["async"].list_rewards(program_id=brevo_program_id)

            with pytest.raises(RuntimeError, match="closed"):
                asyncio.run(use_async())
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=2)


def test_the_readme_example_passes(pytester: pytest.Pytester) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Testing your code against the sandbox", 1)[1].split("\n## ", 1)[0]
    (example,) = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    pytester.makepyfile(test_readme_example=example)
    pytester.runpytest("-p", "no:asyncio").assert_outcomes(passed=3)
