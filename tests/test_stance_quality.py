"""The shipped stance model on real statements: relevance, the seed's hand labels, the political test split.

These re-measure the figures of the README's stance table (model card) on
every run, with floors just under the acceptance levels. The political test
split needs PolNeAR beside the repository (../shared/data/polnear) and skips
without it; the rest needs only the package and seeds/.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from stancekit.models import StanceModel

REPO = Path(__file__).resolve().parents[1]
POLNEAR = Path(os.environ.get("STANCEKIT_POLNEAR", REPO.parent / "shared" / "data" / "polnear"))
SEED_GOLD = REPO / "tests" / "data" / "gold" / "global-times-2026-01-30-us-canada-sovereignty.stance.jsonl"
SEED_TARGETS = {
    "the United States": ["US", "U.S.", "America", "Washington", "the White House", "Trump administration"],
    "Canada–China cooperation": ["Canada-China", "China-Canada", "Canada–China", "China–Canada",
                                 "cooperation between Canada and China", "trade deal with China"],
}


@pytest.fixture(scope="module")
def model():
    # fp32: the same figures on every machine (the card gives bf16's too).
    return StanceModel(precision="fp32", cache=False)


def test_unrelated_statements_score_none(model):
    texts = ["The weather in Ottawa was cold and windy on Tuesday morning.",
             "Tickets for the concert sold out within an hour, organisers said.",
             "a connection to \"the world's leading developer\" and a path to a visa in the United States"]
    out = model.predict(texts, targets=["Donald Trump", "Hillary Clinton"])
    assert (out["stance"] == "none").all(), out[["text", "target", "stance", "p_none"]]
    assert (out["p_none"] > 0.6).all()
    assert not out["target_mentioned"].any()


def test_named_target_is_read_with_its_speaker(model):
    df = pd.DataFrame({"text": ["Donald Trump is a dangerous liar who is unfit to be president",
                                "we are going to win big, believe me"],
                       "speaker": ["Hillary Clinton", "Donald Trump"], "cue": ["said", "said"]})
    out = model.predict(df, targets=["Donald Trump"])
    assert out["stance"].tolist() == ["against", "favor"]
    assert out["target_mention"].tolist() == ["name", "pronoun"]


@pytest.fixture(scope="module")
def seed_scores(model):
    from stancekit.extraction import extract_statements
    from stancekit.io import read_articles

    arts = read_articles(REPO / "seeds")
    st = extract_statements(arts, registry=REPO / "seeds" / "registry.yaml")
    return model.predict(st, targets=SEED_TARGETS, articles=arts)


def test_seed_hand_labels_toward_the_united_states(seed_scores):
    from stancekit.evaluation import evaluate_stance

    gold = pd.read_json(SEED_GOLD, lines=True)
    ev = evaluate_stance(seed_scores, gold).set_index("target")
    assert ev.loc["the United States", "coverage"] >= 0.95
    # Issue 8 asks for 0.75; models 2.0 and 2.1 measure 0.61 (README: they read criticism that does not name the US,
    # "the US should stay out of Alberta", as none). This floor guards against regressions, it does not
    # claim the goal.
    assert ev.loc["the United States", "accuracy"] >= 0.58


def test_seed_statements_not_about_canada_china_cooperation_are_none(seed_scores):
    from stancekit.evaluation import match_stance

    gold = pd.read_json(SEED_GOLD, lines=True)
    m = match_stance(seed_scores, gold)
    m = m[(m["target"] == "Canada–China cooperation") & (m["gold_stance"] == "none") & m["pred_stance"].notna()]
    assert len(m) >= 30
    assert (m["pred_stance"] == "none").mean() >= 0.85


@pytest.mark.skipif(not (POLNEAR / "dev" / "text").is_dir(), reason="PolNeAR (../shared/data/polnear) not beside the repo")
def test_political_test_split(model):
    from stancekit import polnear
    from stancekit.stance.data import load_political_labels
    from stancekit.stance.metrics import stance_metrics

    lab = load_political_labels("test", polnear=POLNEAR)
    assert len(lab) >= 500
    arts = {a: polnear.article_text(a, path=POLNEAR) for a in lab["article"].unique()}
    out = model.predict(lab[["article", "start", "text", "speaker", "cue", "target"]], articles=arts)
    m = stance_metrics(lab["stance"].tolist(), out[["p_against", "p_none", "p_favor"]].to_numpy())
    assert m["macro_f1"] >= 0.60, m
    assert m["accuracy"] >= 0.80, m
    assert m["ece"] <= 0.05, m
    assert np.isfinite(out[["p_favor", "p_none", "p_against"]].to_numpy()).all()
