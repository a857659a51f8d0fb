"""The package namespace: version, errors, lazily loaded public names."""
from __future__ import annotations

import pytest


def test_package_exports_load_lazily():
    import subprocess
    import sys

    code = ("import sys, stancekit; assert 'torch' not in sys.modules and 'spacy' not in sys.modules; "
            "assert stancekit.StanceModel.__name__ == 'StanceModel'; assert callable(stancekit.analyze); "
            "assert 'torch' not in sys.modules; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"
    import stancekit

    with pytest.raises(AttributeError, match="no attribute"):
        stancekit.not_a_name  # noqa: B018


def test_is_missing_covers_pandas_and_numpy_missing_values():
    import numpy as np
    import pandas as pd

    from stancekit._utils import is_missing

    assert all(is_missing(v) for v in (None, pd.NA, float("nan"), np.nan, pd.NaT))
    assert not any(is_missing(v) for v in ("", "x", 0, [1], np.array([1, 2])))
