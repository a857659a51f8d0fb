"""Compatibility module: the stance code lives in :mod:`stancekit.stance`.

``from stancekit.models import StanceModel, Target`` (and the other public
names) keeps working; new code should import from ``stancekit.stance``.
"""
from __future__ import annotations

from .stance import *  # noqa: F401,F403
from .stance import __all__  # noqa: F401
