"""stancekit: who said what in the news, and with what stance.

Modules, in dependency order: ``io`` (read articles) -> ``extraction``
(statements and speakers) -> ``models`` (stance and tone) -> ``analysis``
(aggregation with uncertainty) -> ``plotting`` (charts); ``cli`` on top.
Heavy libraries (spaCy, torch) are imported only when first used.
"""
from __future__ import annotations

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

from ._utils import StancekitError  # noqa: E402


__all__ = ["__version__", "StancekitError"]
