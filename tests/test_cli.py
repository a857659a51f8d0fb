"""The CLI's contract for bad input: one line per skipped file, exit 2 only when nothing was read."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SEED = Path(__file__).resolve().parents[1] / "seeds" / "global-times-2026-01-30-us-canada-sovereignty.txt"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "stancekit.cli", *args], cwd=cwd, capture_output=True, text=True)


def bad_inputs(folder: Path) -> Path:
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    return folder


def test_bad_files_are_skipped_with_one_line_each(tmp_path):
    folder = bad_inputs(tmp_path / "in")
    (folder / "seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "st.jsonl"
    res = run("statements", str(folder), "-q", "-o", str(out), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    lines = [l for l in res.stderr.splitlines() if l.strip()]
    assert any("skipped" in l and "binary.txt" in l for l in lines)
    assert any("skipped" in l and "empty.txt" in l for l in lines)
    assert "Traceback" not in res.stderr
    rows = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    assert rows and {"article", "speaker", "group", "kind", "cue", "text", "start", "end"} <= set(rows[0])


def test_nothing_readable_exits_2_with_one_line(tmp_path):
    folder = bad_inputs(tmp_path / "in")
    res = run("statements", str(folder / "empty.txt"), str(folder / "binary.txt"), "-q", cwd=tmp_path)
    assert res.returncode == 2
    errors = [l for l in res.stderr.splitlines() if "error:" in l]
    assert len(errors) == 1 and "no readable articles" in errors[0]
    assert "Traceback" not in res.stderr


def test_missing_path_and_missing_model_are_one_line_errors(tmp_path):
    res = run("statements", str(tmp_path / "nope.txt"), cwd=tmp_path)
    assert res.returncode == 2 and "Traceback" not in res.stderr and "nope.txt" in res.stderr
    (tmp_path / "s.jsonl").write_text('{"text": "Canada criticised the US."}\n', encoding="utf-8")
    res = run("score", str(tmp_path / "s.jsonl"), "--target", "the United States", "--model",
              str(tmp_path / "no-model"), "--no-cache", cwd=tmp_path)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "pip install" in res.stderr
