"""Tests for stancekit.pipeline, stancekit.report and the `stancekit analyze` command.

Most tests swap in a fake extractor and a fake scorer (fast, known answers);
the end-to-end tests run real extraction on the seed article with the VADER
backend (and the shipped model when it is installed).
"""
from __future__ import annotations

import base64
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import stancekit.extraction as extraction
from stancekit.cli import main
from stancekit.models import StanceModel
from stancekit.pipeline import AnalysisResult, analyze
from stancekit.report import CHART_NAMES, save_charts, write_report
from stancekit.schema import SUMMARY_COLUMNS

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seeds" / "global-times-2026-01-30-us-canada-sovereignty.txt"
REGISTRY = REPO / "tests" / "data" / "registry_test.yaml"

# Two short articles; the fake extractor below finds the quoted sentences.
ARTICLES = pd.DataFrame(
    {
        "article": ["n1", "n2"],
        "text": [
            '"Canada is a great partner," Ann Lee said. "We oppose this <script>," Bo Park said.',
            '"Ottawa has been terrible," Bo Park said. "Nothing to add," Cy Roe said.',
        ],
        "title": ["First", "Second"],
    }
)
SPEAKERS = {"Ann Lee": "government", "Bo Park": "opposition", "Cy Roe": "opposition"}


def fake_extract(articles, *, registry=None, errors="warn", show_progress=None, **kwargs):
    """Quoted sentence + the name before "said": enough for known-answer tests."""
    rows = []
    for art in articles.itertuples():
        for m in re.finditer(r'"([^"]+)," ([A-Z][a-z]+ [A-Z][a-z]+) said', art.text):
            rows.append(
                {
                    "article": art.article,
                    "statement_id": f"{art.article}:{m.start(1)}-{m.end(1)}",
                    "speaker": m.group(2),
                    "group": SPEAKERS[m.group(2)],
                    "kind": "direct",
                    "cue": "said",
                    "text": m.group(1),
                    "start": m.start(1),
                    "end": m.end(1),
                    "mention_start": m.start(2),
                    "mention_end": m.end(2),
                }
            )
    return pd.DataFrame(rows)


class FakeModel(StanceModel):
    """Word-list scorer: 'great' -> favor, 'oppose'/'terrible' -> against, else none."""

    def predict(self, statements, targets=None, *, text="text", articles=None):
        names = list(targets) if not isinstance(targets, str) else [targets]
        out = []
        for target in names:
            name = getattr(target, "name", target)
            for _, row in statements.iterrows():
                lower = row[text].lower()
                if "great" in lower:
                    p = (0.8, 0.15, 0.05)
                elif "oppose" in lower or "terrible" in lower:
                    p = (0.1, 0.2, 0.7)
                else:
                    p = (0.05, 0.9, 0.05)
                stance = ["favor", "none", "against"][int(np.argmax(p))]
                out.append(
                    {
                        **row.to_dict(),
                        "target": name,
                        "stance": stance,
                        "p_favor": p[0],
                        "p_none": p[1],
                        "p_against": p[2],
                        "tone": p[0] - p[2],
                        "intensity": 1 - p[1],
                        "target_mentioned": name.lower() in lower or (name == "Canada" and "ottawa" in lower),
                        "model": "fake",
                        "model_version": "0",
                    }
                )
        return pd.DataFrame(out)


@pytest.fixture
def fake_result(monkeypatch) -> AnalysisResult:
    monkeypatch.setattr(extraction, "extract_statements", fake_extract)
    return analyze(ARTICLES, targets=["Canada"], model=FakeModel(), n_boot=200)


# --- analyze ------------------------------------------------------------------


def test_analyze_chains_the_steps(fake_result):
    res = fake_result
    assert len(res.articles) == 2 and len(res.statements) == 4 and len(res.scores) == 4
    assert res.targets == ["Canada"] and res.by == "group"
    assert list(res.summary.columns) == ["group", *SUMMARY_COLUMNS, "note"]
    s = res.summary.set_index("group")
    assert s.loc["government", "tone"] == pytest.approx(0.75)
    assert s.loc["opposition", "tone"] == pytest.approx((-0.6 - 0.6 + 0.0) / 3)
    assert s.loc["opposition", "n_speakers"] == 2 and s.loc["opposition", "n_articles"] == 2
    assert res.models == ["fake (0)"]
    assert "4 statements" in repr(res)
    html = res._repr_html_()
    assert "<table" in html and "opposition" in html and "fake (0)" in html


def test_analyze_mentioned_only_and_by_speaker(monkeypatch):
    monkeypatch.setattr(extraction, "extract_statements", fake_extract)
    res = analyze(ARTICLES, targets=["Canada"], model=FakeModel(), mentioned_only=True, n_boot=100)
    assert res.summary["n_statements"].sum() == 2  # "Canada is ..." and "Ottawa has ..."
    assert len(res.scores) == 4  # scores keep every row
    res = analyze(ARTICLES, targets=["Canada"], model=FakeModel(), by="speaker", n_boot=100)
    assert res.summary["speaker"].tolist() == ["Ann Lee", "Bo Park", "Cy Roe"]


def test_analyze_several_targets_and_empty_statements(monkeypatch):
    monkeypatch.setattr(extraction, "extract_statements", fake_extract)
    res = analyze(ARTICLES, targets={"Canada": ["Ottawa"], "Mexico": []}, model=FakeModel(), n_boot=100)
    assert res.targets == ["Canada", "Mexico"]
    assert list(res.summary.columns[:2]) == ["target", "group"]
    monkeypatch.setattr(extraction, "extract_statements", lambda *a, **k: pd.DataFrame(columns=["article", "text"]))
    empty = analyze(ARTICLES, targets=["Canada"], model=FakeModel())
    assert empty.summary.empty and empty.scores.empty


def test_analyze_checks_arguments(monkeypatch):
    monkeypatch.setattr(extraction, "extract_statements", fake_extract)
    with pytest.raises(ValueError, match="targets"):
        analyze(ARTICLES, targets=[], model=FakeModel())
    with pytest.raises(KeyError, match="party"):
        analyze(ARTICLES, targets=["Canada"], by="party", model=FakeModel())
    with pytest.raises(ValueError, match="errors"):
        analyze(ARTICLES, targets=["Canada"], errors="ignore", model=FakeModel())


# --- report -------------------------------------------------------------------


def test_save_charts_and_write_report(fake_result, tmp_path):
    charts = save_charts(fake_result, tmp_path)
    assert sorted(charts) == sorted(CHART_NAMES)
    for path in charts.values():
        assert path.suffix == ".png" and path.read_bytes()[:4] == b"\x89PNG"
    out = write_report(fake_result, tmp_path / "report.html", charts=charts)
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    for heading in ("What this can and cannot support", "Summary", "Charts", "Statements behind each number", "Articles"):
        assert f"<h2>{heading}</h2>" in page
    imgs = re.findall(r"src='data:image/png;base64,([^']+)'", page)
    assert len(imgs) == 4 and base64.b64decode(imgs[0])[:4] == b"\x89PNG"
    assert "<script>" not in page and "&lt;script&gt;" in page  # statement text is escaped
    assert not re.search(r"""(src|href)=['"]https?:""", page)  # self-contained
    assert "4 statement(s) by 3 named speaker(s)" in page
    assert "fake (0)" in page
    assert "<mark" in page  # highlighted article
    assert "2 of 2 row(s) rest on too little data" in page  # the caveat lists the small rows
    assert "government: n too small: 1 statement; no interval" in page
    # same analysis, same file
    again = write_report(fake_result, tmp_path / "report2.html", charts=charts).read_text(encoding="utf-8")
    assert again == page
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temp files left


# --- CLI ------------------------------------------------------------------------


def test_cli_analyze_requires_a_target(tmp_path, capsys):
    assert main(["analyze", str(SEED), "-o", str(tmp_path), "-q"]) == 2
    assert "--target" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["analyze", str(SEED), "--alias", "Ottawa", "-o", str(tmp_path)])


def test_cli_analyze_with_fakes(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(extraction, "extract_statements", fake_extract)
    monkeypatch.setattr("stancekit.models.StanceModel.predict", FakeModel.predict)
    src = tmp_path / "in.csv"
    ARTICLES.to_csv(src, index=False)
    rc = main(["analyze", str(src), "--target", "Canada", "--alias", "Ottawa", "--target", "Mexico",
               "--n-boot", "100", "-o", str(tmp_path / "out"), "-q"])
    assert rc == 0
    out = tmp_path / "out"
    summary = pd.read_csv(out / "summary.csv")
    assert list(summary.columns[:10]) == [
        "group", "n_statements", "n_speakers", "tone", "tone_low", "tone_high", "favor", "none", "against", "intensity"
    ]
    assert {"target", "n_articles", "note"} <= set(summary.columns)
    assert len(summary) == 4  # 2 targets x 2 groups
    printed = capsys.readouterr().out
    assert "government" in printed and "Mexico" in printed


@pytest.mark.parametrize("backend", ["vader", "default"])
def test_cli_analyze_end_to_end_on_seed(backend, tmp_path, capsys, monkeypatch):
    """Real extraction on the seed article, scored by VADER or the shipped model."""
    if backend == "default" and not (REPO / "stancekit" / "resources" / "model" / "adapter.safetensors").exists():
        pytest.skip("the shipped stance model is not built yet (stancekit train)")
    monkeypatch.setenv("STANCEKIT_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "out"
    rc = main(["analyze", str(SEED), "--registry", str(REGISTRY), "--target", "Canada", "--alias", "Ottawa",
               "--backend", backend, "--n-boot", "300", "-o", str(out), "-q"])
    assert rc == 0
    names = {p.name for p in out.iterdir()}
    assert {"statements", "scores", "summary.csv", "report.html", "run.json"} <= names
    assert {f"{c}.png" for c in CHART_NAMES} <= names
    scores = pd.read_parquet(out / "scores")  # partitioned Parquet reads back as one frame
    assert {"speaker", "group", "text", "target", "stance", "p_favor", "p_none", "p_against", "tone"} <= set(scores)
    assert len(scores) >= 5 and set(scores["target"]) == {"Canada"}
    np.testing.assert_allclose(scores["tone"], scores["p_favor"] - scores["p_against"], atol=1e-6)
    statements = pd.read_parquet(out / "statements")
    text = SEED.read_text(encoding="utf-8").replace("\r\n", "\n")
    for row in statements.itertuples():
        assert text[row.start:row.end] == row.text
    summary = pd.read_csv(out / "summary.csv", keep_default_na=False, na_values=[""])
    assert summary.columns[0] == "group"
    assert summary["n_statements"].sum() == len(scores)
    # the seed quotes Canadian officials; the registry maps them to a group
    assert (summary["group"] != "unregistered").any()
    printed = capsys.readouterr().out
    assert "n_statements" in printed and "statement(s)" in printed
