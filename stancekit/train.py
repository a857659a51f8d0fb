"""Compatibility alias: training moved to :mod:`stancekit.stance.train`.

``import stancekit.train`` returns that module; ``python -m stancekit.train``
still runs its command line.
"""
import sys

from .stance import train as _module

if __name__ == "__main__":
    raise SystemExit(_module.main())
sys.modules[__name__] = _module
