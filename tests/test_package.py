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
