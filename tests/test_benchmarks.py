"""The benchmark scripts run and print the JSON figures they promise (no timing asserts)."""
from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NEWSMTSC = Path(os.environ.get("STANCEKIT_NEWSMTSC", REPO.parent / "shared" / "data" / "newsmtsc"))


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.skipif(not (NEWSMTSC / "dev_rw.jsonl").is_file(), reason="NewsMTSC not beside the repo")
def test_bench_scoring_prints_its_figures(tmp_path, capsys, monkeypatch):
    from stancekit import _tsc

    monkeypatch.setenv("STANCEKIT_CACHE_DIR", str(tmp_path / "cache"))
    art = _tsc.build_tiny_artifact(tmp_path / "tiny")
    bench = _load("bench_scoring")
    assert bench.main(["--data", str(NEWSMTSC), "--pairs", "80", "--batch-size", "16",
                       "--baseline-pairs", "12", "--model", str(art)]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    for key in ("stancekit_pairs_per_s", "baseline_pairs_per_s", "ratio", "fp32_pairs_per_s", "ratio_fp32",
                "int8_pairs_per_s", "cached_s", "cache_speedup", "peak_rss_mb", "mentions_s", "mentions_overhead"):
        assert isinstance(out[key], (int, float)) and out[key] > 0, key
    assert out["pairs"] == 80 and out["baseline_pairs"] == 12
    assert out["precision"] == _tsc.resolve_precision("auto", "cpu")
    assert out["cached_equals_cold"] is True
    assert sum(out["mentions_found"].values()) == 80 and out["mentions_found"].get("name", 0) > 0
    assert 0.0 <= out["agreement_fp32"] <= 1.0  # a random tiny model sits near ties: no level here
    # Pairs are distinct, so the engine's de-duplication cannot inflate its rate.
    pairs = bench.load_pairs(NEWSMTSC, 80)
    assert len({(p["text"], p["target"], p["target_start"]) for p in pairs}) == 80


def test_bench_tagger_prints_its_figures(capsys):
    from stancekit import _tagger

    if not (_tagger.DEFAULT_ARTIFACT / "adapter.safetensors").is_file():
        pytest.fail("the tagger artifact is missing from stancekit/resources/tagger")
    bench = _load("bench_tagger")
    assert bench.main(["--n", "2", "--methods", "rules", "model"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    for key in ("rules_articles_per_s", "model_articles_per_s", "model_vs_rules"):
        assert isinstance(out[key], (int, float)) and out[key] > 0, key
    assert out["baseline"] == "rules" and out["articles"] == 2 and out["model_statements"] > 0


def test_bench_extract_prints_its_figures(capsys):
    bench = _load("bench_extract")
    assert bench.main(["--n", "4", "--rounds", "2"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    for key in ("articles_per_s", "spacy_pipeline_articles_per_s", "ratio", "articles_per_s_2proc",
                "articles_per_s_spacy_arithmetic", "ratio_spacy_arithmetic", "ratio_cpu"):
        assert isinstance(out[key], (int, float)) and out[key] > 0, key
    assert out["articles"] == 4 and out["statements"] > 0
    assert out["precision"] in ("fp32", "bf16") and out["threads"] == 1
    assert out["statements_2proc"] == out["statements"]   # the same articles, the same statements
