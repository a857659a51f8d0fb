"""stancekit: who said what in the news, and with what stance.

Modules, in dependency order: ``io`` (read articles) -> ``extraction``
(statements and speakers) -> ``stance`` (stance and tone) -> ``analysis``
(aggregation with uncertainty) -> ``plotting`` (charts); ``pipeline`` and
``cli`` on top. Heavy libraries (spaCy, torch) are imported only when first
used; the public names below are loaded lazily on first access, so
``import stancekit`` stays light.

Examples
--------
>>> import stancekit
>>> res = stancekit.analyze("seeds/", targets=["the United States"])   # doctest: +SKIP
>>> big = stancekit.analyze_corpus("news/*.jsonl", "out/news", targets=["Canada"])   # doctest: +SKIP
"""
from __future__ import annotations

import importlib
import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

from ._utils import StancekitError, seed_everything  # noqa: E402

#: Public name -> module that defines it (imported on first access).
_LAZY = {
    "read_articles": "io",
    "iter_articles": "io",
    "write_frame": "io",
    "read_frame": "io",
    "extract_statements": "extraction",
    "iter_statements": "extraction",
    "SpeakerRegistry": "registry",
    "suggest_registry": "registry",
    "StanceModel": "stance",
    "Target": "stance",
    "summarize": "analysis",
    "compare": "analysis",
    "analyze": "pipeline",
    "analyze_corpus": "pipeline",
    "show_article": "display",
    "highlight_statements": "display",
    "evaluate_statements": "evaluation",
    "evaluate_stance": "evaluation",
}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'stancekit' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


__all__ = ["__version__", "StancekitError", "seed_everything", *_LAZY]
