"""Stance and tone scoring: targets and their mentions, one engine with an on-disk cache, one module per backend.

Layout (dependency order):

``targets``
    :class:`Target` (a name, aliases, and where a text mentions it).
``text``, ``cache``
    Cheap text helpers (language flag, token windows) and :class:`ScoreCache`.
``backend``
    What the engine needs from a backend; the shared torch/transformers plumbing.
``default``, ``nli``, ``classifier``, ``vader``
    One module per backend (registry :data:`BACKENDS`).
``tsc``, ``train``
    The default network and its training (torch imported at module level:
    import them lazily).
``engine``
    :class:`StanceModel`, which scores every (statement, target) pair.

``from stancekit.models import StanceModel, Target`` keeps working.
"""
from __future__ import annotations

from .backend import LABELS
from .cache import ScoreCache, default_cache_dir
from .classifier import CLASSIFIER_LABEL_MAP
from .engine import BACKENDS, EXTRA_COLUMNS, StanceModel
from .nli import DEFAULT_TEMPLATES
from .targets import BUILTIN_ALIASES, Target
from .text import lang_flag
from .vader import VADER_WINDOW_WORDS

__all__ = [
    "BACKENDS",
    "BUILTIN_ALIASES",
    "CLASSIFIER_LABEL_MAP",
    "DEFAULT_TEMPLATES",
    "EXTRA_COLUMNS",
    "LABELS",
    "ScoreCache",
    "StanceModel",
    "Target",
    "VADER_WINDOW_WORDS",
    "default_cache_dir",
    "lang_flag",
]
