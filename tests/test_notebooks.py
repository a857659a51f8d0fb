"""Execute the committed notebooks top to bottom, offline (nbclient)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_are_three_notebooks():
    assert [p.name[:2] for p in NOTEBOOKS] == ["01", "02", "03"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes_offline(path, monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setenv("STANCEKIT_CACHE_DIR", str(tmp_path / "cache"))
    # the kernel imports stancekit from this checkout, whatever an editable install elsewhere points to
    repo = str(path.parents[1])
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([repo, *filter(None, [os.environ.get("PYTHONPATH")])]))
    nb = nbformat.read(path, as_version=4)
    # Committed executed, with outputs (charts included).
    assert any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), f"{path.name} has no outputs"
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if "image/png" in o.get("data", {})]
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.get("output_type") == "error"]
    assert not errors
    if path.name.startswith("02"):
        assert len(images) >= 4, "notebook 02 must show its charts"


def test_notebook_03_hub_cell_touches_no_network_when_run_plainly(monkeypatch, tmp_path, capsys):
    """Without HF_HUB_OFFLINE and without the model in the local hub cache the cell says so and returns."""
    import socket

    nb = nbformat.read(next(p for p in NOTEBOOKS if p.name.startswith("03")), as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code" and "try_to_load_from_cache" in c.source)
    for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "STANCEKIT_NB_HUB"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))  # an empty hub cache
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf" / "hub"))

    def no_network(*args, **kwargs):
        raise AssertionError("the notebook tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    import os

    exec(compile(cell.source, "nb03-hub-cell", "exec"), {"os": os, "res": None, "TARGETS": {}})
    assert "skipped" in capsys.readouterr().out
