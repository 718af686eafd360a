"""A stateful, in-memory Brevo Loyalty Reward API for tests, demos and local development.

It keeps programs, rewards (draft and active versions), code pools, vouchers and redeem requests,
enforces the reward limits and expiry rules, and answers every request with a status and body
that conform to the package's OpenAPI document. Three ways to use it::

    from brevo_loyalty import Rewards
    from brevo_loyalty.sandbox import DEFAULT_API_KEY, ManualClock, Sandbox, serve

    sandbox = Sandbox(seed=42, clock=ManualClock())  # seed + manual clock: reproducible ids/times
    program_id = sandbox.create_program()

    # 1. In memory, as an httpx transport (sync, or async with sandbox.async_transport()):
    client = Rewards(api_key=DEFAULT_API_KEY, base_url="http://sandbox/v3",
                     transport=sandbox.transport())

    # 2. As a real HTTP server on 127.0.0.1, for the duration of a with-block:
    with serve(sandbox, port=0) as server:
        client = Rewards(api_key=DEFAULT_API_KEY, base_url=server.base_url)

    # ... or from a shell: python -m brevo_loyalty.sandbox --port 8080 --seed 42

    # 3. Embedded in the demo: python -m brevo_loyalty.demo
"""

from ._app import BASE_PATH, Reply
from ._clock import Clock, ManualClock, SystemClock
from ._expiry import end_of_period, expiration, start_of_period
from ._sandbox import DEFAULT_API_KEY, DEFAULT_PARTNER_KEY, Sandbox
from ._server import RunningServer, serve
from ._state import DEFAULT_TTL_SECONDS, ApiProblem
from ._transport import AsyncSandboxTransport, SandboxTransport

__all__ = [
    "BASE_PATH",
    "DEFAULT_API_KEY",
    "DEFAULT_PARTNER_KEY",
    "DEFAULT_TTL_SECONDS",
    "ApiProblem",
    "AsyncSandboxTransport",
    "Clock",
    "ManualClock",
    "Reply",
    "RunningServer",
    "Sandbox",
    "SandboxTransport",
    "SystemClock",
    "end_of_period",
    "expiration",
    "serve",
    "start_of_period",
]
