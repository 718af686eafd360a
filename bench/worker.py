"""One benchmark process: times client implementations against the loopback server, prints JSON.

``bench/run.py`` starts this script once in the project venv (implementations ``raw``, ``generated``
and ``overlay``) and once inside each peer SDK's venv (``raw`` plus that SDK), so every ratio is
taken against raw httpx + ``json.loads`` measured in the same process, against the same server, in
the same rounds. It needs only the standard library and httpx; each implementation's package is
imported on demand, so the script runs unchanged in any of those venvs.

Output (stdout): one JSON object ``{"impls": {name: {"available": bool, "error": str | None}},
"workloads": {workload: {impl: {...measurements...}}}}``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib
import json
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Coroutine, Iterator
from typing import Any
from uuid import UUID

PROGRAM_ID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
REWARD_ID = "7d6a1c0e-5f6b-4e38-9d8e-2b9c0f1a2b3c"
API_KEY = "bench-key"
PAGE_SIZE = 100
ROUND_BUDGET_S = 0.25
"""Upper bound on one impl's share of a timing round, in seconds."""
SLICES = 5
"""How many interleaved slices a per-call timing round is cut into."""
PREFIX = f"/loyalty/offer/programs/{PROGRAM_ID}"
AIOHTTP = "overlay-aiohttp"
"""The async-only row: ``AsyncRewards(http_client=DefaultAioHttpClient())``."""


def untyped_nodes(obj: object, _seen: set[int] | None = None) -> int:
    """How many JSON objects in a parsed result were left as plain dicts instead of models.

    Free-form ``meta``/``additional_properties`` maps are untyped by design and are not counted.
    A "fully typed" rule is one where this returns 0.
    """
    seen = _seen if _seen is not None else set()
    if id(obj) in seen:
        return 0
    seen.add(id(obj))
    if isinstance(obj, dict):
        return 1 + sum(untyped_nodes(v, seen) for v in obj.values())
    if isinstance(obj, list | tuple):
        return sum(untyped_nodes(v, seen) for v in obj)
    if isinstance(obj, str | bytes | int | float | bool) or obj is None:
        return 0
    fields: dict[str, Any]
    if hasattr(obj, "__attrs_attrs__"):
        fields = {a.name: getattr(obj, a.name) for a in obj.__attrs_attrs__}
    elif hasattr(obj, "model_dump") and hasattr(obj, "__dict__"):
        fields = dict(vars(obj))
    elif hasattr(obj, "swagger_types"):
        fields = {k: getattr(obj, k) for k in obj.swagger_types}
    elif hasattr(obj, "__dict__"):
        fields = dict(vars(obj))
    elif hasattr(obj, "__slots__"):
        fields = {k: getattr(obj, k, None) for k in obj.__slots__}
    else:
        return 0
    return sum(
        untyped_nodes(v, seen)
        for k, v in fields.items()
        if k.lstrip("_") not in {"meta", "additional_properties", "discriminator"}
    )


class Impl:
    """One client implementation: sync calls, voucher iteration and an async get-reward."""

    name = ""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def get_reward(self) -> object:
        """Fetch and parse the seed reward."""
        raise NotImplementedError

    def list_rewards(self) -> object:
        """Fetch and parse the 1000-item reward page."""
        raise NotImplementedError

    def iter_vouchers(self, contact_id: int) -> Iterator[object]:
        """Yield every voucher of ``contact_id`` (pages of ``PAGE_SIZE``)."""
        raise NotImplementedError

    def async_runner(self) -> Callable[[int, int], Coroutine[Any, Any, float]] | None:
        """A coroutine function timing ``n`` concurrent get-reward calls, or None if unsupported."""
        return None

    def close(self) -> None:
        """Release the connection pool."""


class RawHttpx(Impl):
    """The baseline: httpx.Client with default pool settings, ``json.loads`` on the body."""

    name = "raw"

    def __init__(self, base_url: str) -> None:
        super().__init__(base_url)
        import httpx

        self.httpx = httpx
        self.client = httpx.Client(base_url=base_url, headers={"api-key": API_KEY})

    def get_reward(self) -> object:
        return json.loads(self.client.get(f"{PREFIX}/rewards/{REWARD_ID}").content)

    def list_rewards(self) -> object:
        return json.loads(self.client.get(f"{PREFIX}/offers").content)

    def iter_vouchers(self, contact_id: int) -> Iterator[object]:
        offset = 0
        while True:
            params = {"contactId": contact_id, "limit": PAGE_SIZE, "offset": offset}
            page = json.loads(self.client.get(f"{PREFIX}/vouchers", params=params).content)
            items = page["contactRewards"]
            yield from items
            offset += len(items)
            if not items or offset >= page["count"]:
                return

    def async_runner(self) -> Callable[[int, int], Coroutine[Any, Any, float]]:
        httpx = self.httpx

        async def run(n: int, warmup: int) -> float:
            async with httpx.AsyncClient(
                base_url=self.base_url, headers={"api-key": API_KEY}
            ) as client:

                async def one() -> object:
                    r = await client.get(f"{PREFIX}/rewards/{REWARD_ID}")
                    return json.loads(r.content)

                await asyncio.gather(*(one() for _ in range(warmup)))
                start = time.perf_counter()
                await asyncio.gather(*(one() for _ in range(n)))
                return time.perf_counter() - start

        return run

    def close(self) -> None:
        self.client.close()


class Generated(Impl):
    """The plain generated functions of ``brevo_loyalty_api`` (no overlay)."""

    name = "generated"

    def __init__(self, base_url: str) -> None:
        super().__init__(base_url)
        self.mod_client = importlib.import_module("brevo_loyalty_api.client")
        self.get_op = importlib.import_module("brevo_loyalty_api.api.rewards.get_reward")
        self.list_op = importlib.import_module("brevo_loyalty_api.api.rewards.list_rewards")
        self.vouchers_op = importlib.import_module(
            "brevo_loyalty_api.api.rewards.list_contact_vouchers"
        )
        self.client = self._make_client()
        self.pid = UUID(PROGRAM_ID)
        self.rid = UUID(REWARD_ID)

    def _make_client(self) -> Any:
        return self.mod_client.AuthenticatedClient(
            base_url=self.base_url, token=API_KEY, prefix="", auth_header_name="api-key"
        )

    def get_reward(self) -> object:
        return self.get_op.sync(self.pid, self.rid, client=self.client)

    def list_rewards(self) -> object:
        return self.list_op.sync(self.pid, client=self.client)

    def iter_vouchers(self, contact_id: int) -> Iterator[object]:
        offset = 0
        while True:
            page = self.vouchers_op.sync(
                self.pid, client=self.client, contact_id=contact_id, limit=PAGE_SIZE, offset=offset
            )
            items = page.contact_rewards
            yield from items
            offset += len(items)
            if not items or offset >= page.count:
                return

    def async_runner(self) -> Callable[[int, int], Coroutine[Any, Any, float]]:
        async def run(n: int, warmup: int) -> float:
            client = self._make_client()
            async with client:
                await asyncio.gather(
                    *(self.get_op.asyncio(self.pid, self.rid, client=client) for _ in range(warmup))
                )
                start = time.perf_counter()
                await asyncio.gather(
                    *(self.get_op.asyncio(self.pid, self.rid, client=client) for _ in range(n))
                )
                return time.perf_counter() - start

        return run

    def close(self) -> None:
        self.client.get_httpx_client().close()


class Overlay(Impl):
    """The public client users import: ``brevo_loyalty.Rewards`` / ``AsyncRewards``."""

    name = "overlay"

    def __init__(self, base_url: str) -> None:
        super().__init__(base_url)
        self.mod = importlib.import_module("brevo_loyalty")
        self.client = self.mod.Rewards(api_key=API_KEY, base_url=base_url)

    def get_reward(self) -> object:
        return self.client.get_reward(program_id=PROGRAM_ID, reward_id=REWARD_ID)

    def list_rewards(self) -> object:
        return self.client.list_rewards(program_id=PROGRAM_ID)

    def iter_vouchers(self, contact_id: int) -> Iterator[object]:
        it: Iterator[object] = self.client.iter_contact_vouchers(
            program_id=PROGRAM_ID, contact_id=contact_id, page_size=PAGE_SIZE
        )
        return it

    def async_runner(self) -> Callable[[int, int], Coroutine[Any, Any, float]]:
        async def run(n: int, warmup: int) -> float:
            async with self.mod.AsyncRewards(api_key=API_KEY, base_url=self.base_url) as c:
                kw = {"program_id": PROGRAM_ID, "reward_id": REWARD_ID}
                await asyncio.gather(*(c.get_reward(**kw) for _ in range(warmup)))
                start = time.perf_counter()
                await asyncio.gather(*(c.get_reward(**kw) for _ in range(n)))
                return float(time.perf_counter() - start)

        return run

    def aiohttp_runner(self) -> Callable[[int, int], Coroutine[Any, Any, float]] | None:
        """The async runner on the aiohttp backend, or None without the ``aiohttp`` extra."""
        try:
            backend = self.mod.DefaultAioHttpClient
        except ImportError:
            return None

        async def run(n: int, warmup: int) -> float:
            async with (
                backend() as http,
                self.mod.AsyncRewards(
                    api_key=API_KEY, base_url=self.base_url, http_client=http
                ) as c,
            ):
                kw = {"program_id": PROGRAM_ID, "reward_id": REWARD_ID}
                await asyncio.gather(*(c.get_reward(**kw) for _ in range(warmup)))
                start = time.perf_counter()
                results = await asyncio.gather(*(c.get_reward(**kw) for _ in range(n)))
                elapsed = float(time.perf_counter() - start)
                # Like check(): a backend that parses nothing must not post a fast time.
                assert all(type(r).__name__ == "Reward" for r in results)
                return elapsed

        return run

    def close(self) -> None:
        self.client.close()


class SwaggerSdk(Impl):
    """brevo-python 1.2.0 (swagger-codegen, urllib3): ``brevo_python.RewardApi``."""

    name = "brevo-python-1.2.0"

    def __init__(self, base_url: str) -> None:
        super().__init__(base_url)
        sdk = importlib.import_module("brevo_python")
        conf = sdk.Configuration()
        conf.host = base_url
        conf.api_key["api-key"] = API_KEY
        self.api_client = sdk.ApiClient(conf)
        self.api = sdk.RewardApi(self.api_client)

    def get_reward(self) -> object:
        return self.api.loyalty_offer_programs_pid_rewards_rid_get(PROGRAM_ID, REWARD_ID)

    def list_rewards(self) -> object:
        return self.api.loyalty_offer_programs_pid_offers_get(PROGRAM_ID)

    def iter_vouchers(self, contact_id: int) -> Iterator[object]:
        offset = 0
        while True:
            page = self.api.loyalty_offer_programs_pid_vouchers_get(
                PROGRAM_ID, contact_id, limit=PAGE_SIZE, offset=offset
            )
            items = page.contact_rewards or []
            yield from items
            offset += len(items)
            if not items or offset >= page.count:
                return

    def close(self) -> None:
        self.api_client.rest_client.pool_manager.clear()


class FernSdk(Impl):
    """brevo-python 5.1.0 (Fern, httpx + pydantic): ``brevo.Brevo().reward`` / ``AsyncBrevo``."""

    name = "brevo-python-5.1.0"

    def __init__(self, base_url: str) -> None:
        super().__init__(base_url)
        self.sdk = importlib.import_module("brevo")
        self.client = self.sdk.Brevo(api_key=API_KEY, base_url=base_url)

    def get_reward(self) -> object:
        return self.client.reward.get_reward_information(pid=PROGRAM_ID, rid=REWARD_ID)

    def list_rewards(self) -> object:
        return self.client.reward.get_reward_page_api(pid=PROGRAM_ID)

    def iter_vouchers(self, contact_id: int) -> Iterator[object]:
        offset = 0
        while True:
            page = self.client.reward.get_voucher_for_a_contact(
                pid=PROGRAM_ID, contact_id=contact_id, limit=PAGE_SIZE, offset=offset
            )
            items = page.contact_rewards or []
            yield from items
            offset += len(items)
            if not items or offset >= page.count:
                return

    def async_runner(self) -> Callable[[int, int], Coroutine[Any, Any, float]]:
        async def run(n: int, warmup: int) -> float:
            client = self.sdk.AsyncBrevo(api_key=API_KEY, base_url=self.base_url)
            r = client.reward
            try:
                await asyncio.gather(
                    *(
                        r.get_reward_information(pid=PROGRAM_ID, rid=REWARD_ID)
                        for _ in range(warmup)
                    )
                )
                start = time.perf_counter()
                await asyncio.gather(
                    *(r.get_reward_information(pid=PROGRAM_ID, rid=REWARD_ID) for _ in range(n))
                )
                return time.perf_counter() - start
            finally:
                await client._client_wrapper.httpx_client.httpx_client.aclose()

        return run

    def close(self) -> None:
        self.client._client_wrapper.httpx_client.httpx_client.close()


IMPLS: dict[str, type[Impl]] = {
    cls.name: cls for cls in (RawHttpx, Generated, Overlay, SwaggerSdk, FernSdk)
}


def per_call(
    impls: list[Impl], op: Callable[[Impl], object], calls: int, rounds: int
) -> dict[str, dict[str, Any]]:
    """Seconds per call of ``op`` for every impl; the impls alternate within each round.

    Rotating the order each round spreads slow drifts of a shared, noisy machine evenly, and
    pairing each impl with the baseline of its own round gives a drift-resistant ratio.
    """
    samples: dict[str, list[float]] = {i.name: [] for i in impls}
    counts: dict[str, int] = {}
    for impl in impls:
        # Warm up, then cap the calls so a slow SDK's round lasts about as long as the
        # baseline's: a 30 ms/call client must not stretch a run to many minutes.
        start = time.perf_counter()
        warm = max(3, calls // 10)
        for _ in range(warm):
            op(impl)
        each = (time.perf_counter() - start) / warm
        counts[impl.name] = max(SLICES, min(calls, int(ROUND_BUDGET_S / each)))
    for r in range(rounds):
        order = impls[r % len(impls) :] + impls[: r % len(impls)]
        spent = dict.fromkeys(counts, 0.0)
        # Each round is cut into slices that alternate between the impls, so a burst of load
        # from another process lands on all of them instead of skewing one impl's whole round.
        for _ in range(SLICES):
            for impl in order:
                n = max(1, counts[impl.name] // SLICES)
                start = time.perf_counter()
                for _ in range(n):
                    op(impl)
                spent[impl.name] += (time.perf_counter() - start) / n
        for name, total in spent.items():
            samples[name].append(total / SLICES)
    out = _summarise(samples)
    for impl in impls:
        out[impl.name]["calls_per_round"] = counts[impl.name]
    return out


def _summarise(samples: dict[str, list[float]]) -> dict[str, dict[str, Any]]:
    base = samples.get("raw")
    out: dict[str, dict[str, Any]] = {}
    for name, values in samples.items():
        row: dict[str, Any] = {"median_s": statistics.median(values), "samples_s": values}
        if base is not None:
            ratios = [v / b for v, b in zip(values, base, strict=True)]
            row["ratio"] = statistics.median(ratios)
            # The spread of the per-round ratios shows how much to trust the median.
            row["ratio_range"] = [min(ratios), max(ratios)]
        out[name] = row
    return out


def iterate(impls: list[Impl], sizes: list[int], rounds: int) -> dict[str, dict[str, Any]]:
    """Wall time to walk every voucher of a contact, and the traced peak while doing it."""
    out: dict[str, dict[str, Any]] = {}
    for size in sizes:
        samples: dict[str, list[float]] = {i.name: [] for i in impls}
        counts: dict[str, int] = {}
        size_rounds = max(1, rounds if size <= 10_000 else rounds // 2)
        for r in range(size_rounds):
            order = impls[r % len(impls) :] + impls[: r % len(impls)]
            for impl in order:
                start = time.perf_counter()
                counts[impl.name] = sum(1 for _ in impl.iter_vouchers(size))
                samples[impl.name].append(time.perf_counter() - start)
        summary = _summarise(samples)
        for impl in impls:
            # A separate pass: tracemalloc slows allocation several-fold, so it must not
            # contaminate the timings above. Only memory allocated during the walk is traced.
            gc.collect()
            tracemalloc.start()
            tracemalloc.reset_peak()
            n = sum(1 for _ in impl.iter_vouchers(size))
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            summary[impl.name].update(
                {"items": counts[impl.name], "traced_items": n, "peak_bytes": peak}
            )
        out[str(size)] = summary
    return out


def run_async(impls: list[Impl], n: int, rounds: int) -> dict[str, dict[str, Any]]:
    """Wall time of ``n`` concurrent get-reward calls through one async client, per impl."""
    runners = {i.name: i.async_runner() for i in impls}
    # The overlay on its optional aiohttp backend runs as one more async "impl", in the same
    # rounds as raw httpx, so that its ratio is taken like every other.
    for impl in impls:
        if isinstance(impl, Overlay):
            runners[AIOHTTP] = impl.aiohttp_runner()
    supported = [name for name, runner in runners.items() if runner is not None]
    samples: dict[str, list[float]] = {name: [] for name in supported}
    for r in range(rounds):
        order = supported[r % len(supported) :] + supported[: r % len(supported)]
        for name in order:
            runner = runners[name]
            assert runner is not None
            # A fresh loop per run, so no impl inherits another's sockets or scheduled work.
            samples[name].append(asyncio.run(runner(n, min(n, 100))))
    out = _summarise(samples)
    for name, runner in runners.items():
        if runner is None:
            out[name] = {"unsupported": "no asyncio client" if name != AIOHTTP else "no extra"}
    return out


def check(impl: Impl) -> dict[str, Any]:
    """Sanity-check one impl's parsed results, so a broken client can't post a fast time."""
    reward = impl.get_reward()
    page = impl.list_rewards()
    vouchers = sum(1 for _ in impl.iter_vouchers(250))
    if vouchers != 250:
        raise RuntimeError(f"{impl.name}: iterated {vouchers} vouchers, expected 250")
    items = len(page["items"] if isinstance(page, dict) else page.items)  # type: ignore[attr-defined]
    return {
        "reward_type": type(reward).__name__,
        "reward_untyped_nodes": untyped_nodes(reward) if impl.name != "raw" else None,
        "page_items": items,
    }


def main() -> None:
    """Command-line entry point; see the module docstring."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--impls", required=True, help="comma-separated: " + ",".join(IMPLS))
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--get-calls", type=int, default=200)
    parser.add_argument("--list-calls", type=int, default=20)
    parser.add_argument("--voucher-sizes", default="10000,100000")
    parser.add_argument("--async-calls", type=int, default=1000)
    parser.add_argument("--async-rounds", type=int, default=7)
    args = parser.parse_args()

    status: dict[str, dict[str, Any]] = {}
    impls: list[Impl] = []
    for name in args.impls.split(","):
        try:
            impl = IMPLS[name](args.base_url)
            status[name] = {"available": True, "error": None, "check": check(impl)}
            impls.append(impl)
        except Exception as exc:  # any failure just marks the row "not available"
            status[name] = {"available": False, "error": f"{type(exc).__name__}: {exc}"}

    sizes = [int(s) for s in args.voucher_sizes.split(",")]
    workloads = {
        "get_reward": per_call(impls, lambda i: i.get_reward(), args.get_calls, args.rounds),
        "list_rewards": per_call(impls, lambda i: i.list_rewards(), args.list_calls, args.rounds),
        "iterate_vouchers": iterate(impls, sizes, max(1, args.rounds // 5)),
        "async_get_reward": run_async(impls, args.async_calls, args.async_rounds),
    }
    for impl in impls:
        impl.close()
    json.dump({"impls": status, "workloads": workloads}, sys.stdout)


if __name__ == "__main__":
    main()
