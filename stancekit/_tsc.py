"""Compatibility alias: the default network moved to :mod:`stancekit.stance.tsc`.

``import stancekit._tsc`` returns that very module, so attribute access and
monkeypatching behave as before.
"""
import sys

from .stance import tsc as _module

sys.modules[__name__] = _module
