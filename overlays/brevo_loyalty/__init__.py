"""brevo-loyalty: a typed client for Brevo's Loyalty Reward API."""

from ._version import __version__

__all__ = ["__version__"]
