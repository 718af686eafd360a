"""A miniature of the project's two packages, shaped like the real ones, for mutation tests.

``brevo_loyalty`` (the overlay users import) re-exports clients whose operation methods are
inherited from generated mixins, models re-exported from the generated package, and an exception
hierarchy; ``brevo_loyalty_api`` (generated) has attrs models, an open str enum, four functions
per operation and the mixins. Small on purpose: the tests must not depend on the shape of
overlays/ and generated/, which change.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

FILES: dict[str, str] = {
    "generated/brevo_loyalty_api/__init__.py": '''
        """Generated client."""

        from .client import Client

        __all__ = ("Client",)
    ''',
    "generated/brevo_loyalty_api/client.py": '''
        """The HTTP client."""


        class Client:
            """A client."""

            def __init__(self, base_url: str, token: str = "") -> None:
                self.base_url = base_url
    ''',
    "generated/brevo_loyalty_api/types.py": '''
        """Sentinels."""

        from typing import Literal


        class Unset:
            """Not given."""


        UNSET: Unset = Unset()
        SortOrder = Literal["asc", "desc"]
    ''',
    "generated/brevo_loyalty_api/models/__init__.py": '''
        """Contains all the data models used in inputs/outputs"""

        from .create_reward_request import CreateRewardRequest
        from .reward import Reward
        from .reward_state import RewardState

        __all__ = ("CreateRewardRequest", "Reward", "RewardState")
    ''',
    "generated/brevo_loyalty_api/models/reward.py": '''
        from __future__ import annotations

        import datetime

        from attrs import define as _attrs_define
        from attrs import field as _attrs_field

        from ..types import UNSET, Unset


        @_attrs_define
        class Reward:
            id: str
            """ Reward ID. """
            name: str
            """ Internal name. """
            created_at: datetime.datetime | Unset = UNSET
            public_image: str | Unset = UNSET
            """ URL of the public image. """
            additional_properties: dict[str, object] = _attrs_field(init=False, factory=dict)

            @property
            def additional_keys(self) -> list[str]:
                return list(self.additional_properties)
    ''',
    "generated/brevo_loyalty_api/models/create_reward_request.py": '''
        from __future__ import annotations

        from attrs import define as _attrs_define

        from ..types import UNSET, Unset


        @_attrs_define
        class CreateRewardRequest:
            name: str
            """ Internal reward name. """
            public_description: str | Unset = UNSET
            public_name: str | Unset = UNSET
            """ Customer-facing name. """
    ''',
    "generated/brevo_loyalty_api/models/reward_state.py": """
        from enum import Enum


        class RewardState(str, Enum):
            ACTIVE = "active"
            ALL = "all"
    """,
    "generated/brevo_loyalty_api/api/__init__.py": '"""Operations by tag."""\n',
    "generated/brevo_loyalty_api/api/rewards/__init__.py": '"""The rewards tag."""\n',
    "generated/brevo_loyalty_api/api/rewards/list_rewards.py": '''
        from typing import Any
        from uuid import UUID

        from ...client import Client
        from ...models.reward import Reward
        from ...models.reward_state import RewardState
        from ...types import UNSET, Unset


        def _get_kwargs(pid: UUID) -> dict[str, Any]:
            return {}


        def sync_detailed(
            pid: UUID, *, client: Client,
            limit: int | Unset = 25, state: RewardState | Unset = UNSET
        ) -> list[Reward]:
            """List rewards."""
            return []


        def sync(
            pid: UUID, *, client: Client,
            limit: int | Unset = 25, state: RewardState | Unset = UNSET
        ) -> list[Reward] | None:
            """List rewards."""
            return []


        async def asyncio_detailed(
            pid: UUID, *, client: Client,
            limit: int | Unset = 25, state: RewardState | Unset = UNSET
        ) -> list[Reward]:
            """List rewards."""
            return []


        async def asyncio(
            pid: UUID, *, client: Client,
            limit: int | Unset = 25, state: RewardState | Unset = UNSET
        ) -> list[Reward] | None:
            """List rewards."""
            return []
    ''',
    "generated/brevo_loyalty_api/_surface.py": '''
        """Operation methods of the clients (rendered from the spec)."""

        from __future__ import annotations

        from typing import Literal, Optional
        from uuid import UUID

        from .models import Reward


        class RewardsOperations:
            def list_rewards(
                self, *, program_id: UUID | str, limit: int = 25, state: Optional[str] = None
            ) -> list[Reward]:
                """Fetch one page of rewards.

                Args:
                    program_id: loyalty program (UUID).
                    limit: page size, 1 to 100.
                    state: only rewards in this state.
                """
                return []

            def get_reward(
                self, *, program_id: UUID | str, reward_id: str,
                sort: Literal["asc", "desc"] = "asc",
            ) -> Reward:
                """Fetch one reward."""
                raise NotImplementedError


        class AsyncRewardsOperations:
            async def list_rewards(
                self, *, program_id: UUID | str, limit: int = 25, state: Optional[str] = None
            ) -> list[Reward]:
                """Fetch one page of rewards."""
                return []

            async def get_reward(
                self, *, program_id: UUID | str, reward_id: str,
                sort: Literal["asc", "desc"] = "asc",
            ) -> Reward:
                """Fetch one reward."""
                raise NotImplementedError
    ''',
    "overlays/brevo_loyalty/__init__.py": '''
        """The client users import."""

        from . import models
        from ._client import AsyncRewards, Rewards
        from ._exceptions import APIError, BrevoLoyaltyError, NotFoundError
        from ._version import __version__

        DEFAULT_TIMEOUT = 30.0

        __all__ = [
            "APIError",
            "AsyncRewards",
            "BrevoLoyaltyError",
            "DEFAULT_TIMEOUT",
            "NotFoundError",
            "Rewards",
            "__version__",
            "models",
        ]
    ''',
    "overlays/brevo_loyalty/_version.py": '__version__ = "0.1.0"\n',
    "overlays/brevo_loyalty/models.py": '''
        """The generated models, re-exported."""

        from brevo_loyalty_api.models import *  # noqa: F403
        from brevo_loyalty_api.models import __all__ as __all__
    ''',
    "overlays/brevo_loyalty/_base_client.py": '''
        from __future__ import annotations

        from typing import Self


        class BaseClient:
            def with_options(self, *, timeout: float | None = None) -> Self:
                """A copy with other settings."""
                return self

            def _private(self) -> None:
                pass
    ''',
    "overlays/brevo_loyalty/_client.py": '''
        from __future__ import annotations

        from brevo_loyalty_api._surface import AsyncRewardsOperations, RewardsOperations

        from ._base_client import BaseClient


        class Rewards(BaseClient, RewardsOperations):
            """Synchronous client."""

            def __init__(self, *, api_key: str | None = None) -> None:
                self.api_key = api_key

            def close(self) -> None:
                """Close the connections."""


        class AsyncRewards(BaseClient, AsyncRewardsOperations):
            """Asynchronous client."""

            def __init__(self, *, api_key: str | None = None) -> None:
                self.api_key = api_key

            async def aclose(self) -> None:
                """Close the connections."""
    ''',
    "overlays/brevo_loyalty/_exceptions.py": '''
        class BrevoLoyaltyError(Exception):
            """Every error of the package."""


        class APIError(BrevoLoyaltyError):
            """The API answered with an error."""

            def __init__(self, message: str, *, status: int) -> None:
                super().__init__(message)
                self.status = status


        class NotFoundError(APIError):
            """404."""
    ''',
}


def write(root: Path, files: dict[str, str | None]) -> Path:
    """Write ``files`` (path -> source; None: absent) under ``root``; returns ``root``."""
    for name, source in files.items():
        if source is None:
            continue
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source).lstrip("\n"), encoding="utf-8")
    return root


def edited(edits: Sequence[tuple[str, str, str | None]]) -> dict[str, str | None]:
    """``FILES`` with each ``(file, old, new)`` applied.

    Every ``old`` (in the dedented source, indentation included) is replaced by ``new``; an empty
    ``old`` appends ``new``; ``new`` None deletes the file.
    """
    files: dict[str, str | None] = dict(FILES)
    for name, old, new in edits:
        if new is None:
            files[name] = None
            continue
        source = textwrap.dedent(files.get(name) or "").lstrip("\n")
        if old:
            assert old in source, f"{name}: {old!r} not found"
            files[name] = source.replace(old, new)
        else:
            files[name] = source + new
    return files
