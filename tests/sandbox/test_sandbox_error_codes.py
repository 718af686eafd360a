"""Injected failures answer the same error code on every Python (3.13 renamed some phrases)."""

from __future__ import annotations

import pytest
from brevo_loyalty import APIStatusError, Rewards, UnprocessableEntityError
from brevo_loyalty.sandbox import DEFAULT_API_KEY, Sandbox, serve


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (422, "unprocessable_entity"),  # "Unprocessable Content" on Python 3.13
        (413, "request_entity_too_large"),  # "Content Too Large" on Python 3.13
        (429, "too_many_requests"),
        (503, "service_unavailable"),
        (499, "http_499"),  # a status Python does not name
    ],
)
def test_injected_failure_codes_do_not_depend_on_the_python_version(status: int, code: str) -> None:
    sandbox = Sandbox(seed=1)
    program_id = sandbox.create_program()
    sandbox.fail_next(status=status, message="boom")
    with (
        serve(sandbox) as server,
        Rewards(api_key=DEFAULT_API_KEY, base_url=server.base_url, max_retries=0) as client,
        pytest.raises(APIStatusError) as info,
    ):
        client.list_rewards(program_id=program_id)
    assert info.value.code == code
    assert info.value.message == "boom"


def test_a_422_is_typed_and_named_alike_everywhere() -> None:
    sandbox = Sandbox(seed=1)
    program_id = sandbox.create_program()
    sandbox.fail_next(status=422)
    with (
        Rewards(
            api_key=DEFAULT_API_KEY, base_url="http://sandbox/v3", transport=sandbox.transport()
        ) as client,
        pytest.raises(UnprocessableEntityError) as info,
    ):
        client.list_rewards(program_id=program_id)
    assert info.value.code == "unprocessable_entity"


@pytest.mark.parametrize("status", [399, 600])
def test_fail_next_refuses_a_non_error_status(status: int) -> None:
    with pytest.raises(ValueError, match=r"400\.\.599"):
        Sandbox().fail_next(status=status)
