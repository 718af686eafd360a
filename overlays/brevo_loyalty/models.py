"""The models of the Reward API: what the client returns, and what it builds requests from.

    >>> from brevo_loyalty.models import Reward
    >>> reward = Reward.from_dict({"id": "r-1", "name": "Gift", "publicName": None})
    >>> reward
    Reward(id='r-1', name='Gift')
    >>> reward.public_name is None
    True

Fields the API always sends (an object's id, a page's items and total, a voucher's code) are
plain types; every other field is ``X | None``: ``None`` when the server left it out or sent
``null``. ``to_dict()`` gives the JSON form back (``None`` fields left out), and
``Model.from_dict(data)`` parses one. Fields the spec does not know are kept in
``additional_properties``; enum values it does not list are kept too (``Enum.is_known(value)``).

The classes are those generated from ``spec/reward-api.yaml`` into ``brevo_loyalty_api.models``;
import them from here (this module re-exports exactly that module's public names, so a model
added to the spec appears here with its precise type).
"""

from __future__ import annotations

# A star import with no __all__ of our own: type checkers (mypy, pyright) read it as re-exporting
# exactly the generated package's __all__, so a model added to the spec appears here typed.
from brevo_loyalty_api.models import *  # noqa: F403
