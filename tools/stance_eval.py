"""The stance table of the README and the model card: models x evaluation sets, one JSON line per cell.

    python tools/stance_eval.py                                  # the shipped model, VADER, always-none
    python tools/stance_eval.py --model 1.1=/tmp/model-1.1       # add another artifact (e.g. model 1.1)
    python tools/stance_eval.py --sets political_test --markdown

Sets (which figures are on data used for selection is said in `role`):
- political_test: the political stance set's test split (PolNeAR dev articles), all 8 targets, read as the
  pipeline reads extracted statements: text + speaker + cue + the article (role: test, never used for
  training or selection);
- political_test_tc: the same, Donald Trump and Hillary Clinton only (the two targets of the issue's figures);
- political_test_text: the same pairs as political_test, statement text only (no speaker, cue or article);
- political_val: the political validation split (train articles held out; used for selection and calibration: dev);
- countries_val: the round-3 country labels (the United States, Russia, China, Mexico) of the same held-out train
  articles (dev: part of model 2.1's selection and calibration split);
- world_val: the round-4 country labels (each item toward the countries it names) of the same held-out train
  articles (dev: part of model 2.1's selection and calibration split);
- newsmtsc_dev_rw / newsmtsc_dev_mt: NewsMTSC dev sets with the marked mention (dev: selection);
- invented_dev_us / invented_dev_ccc: the invented gold articles' statement stance labels toward the seed's two
  targets, dev split (tests/data/gold/*.stance.jsonl; role: dev, used to choose among models, never trained on);
- seed_us / seed_ccc: the seed article's hand labels (tests/data/gold/*.stance.jsonl) on the statements the
  extractor finds, with the article (role: test for model 2.0: never trained or selected on).
Models run in fp32 (same figures on every machine). Needs ../shared (NewsMTSC and PolNeAR).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from stancekit import polnear  # noqa: E402
from stancekit.models import StanceModel  # noqa: E402
from stancekit.stance.data import load_political_labels  # noqa: E402
from stancekit.stance.metrics import stance_metrics  # noqa: E402
from stancekit.stance.train import _in_val, read_newsmtsc  # noqa: E402

SHARED = Path(os.environ.get("STANCEKIT_SHARED", REPO.parent / "shared" / "data"))
SEED_TARGETS = {
    "the United States": ["US", "U.S.", "America", "Washington", "the White House", "Trump administration"],
    "Canada–China cooperation": ["Canada-China", "China-Canada", "Canada–China", "China–Canada",
                                 "cooperation between Canada and China", "trade deal with China"],
}
LABELS = ["against", "none", "favor"]


class AlwaysNone:
    name = "always-none"

    def predict(self, frame, targets=None, **_):
        out = frame.copy()
        if targets is not None:
            out = frame.loc[frame.index.repeat(len(targets))].reset_index(drop=True)
            out["target"] = list(targets) * len(frame)
        out["p_against"], out["p_none"], out["p_favor"] = 0.0, 1.0, 0.0
        out["tone"], out["intensity"] = 0.0, 0.0   # the seed set reads probabilities back from these
        out["stance"] = "none"
        return out


def _proba(scores: pd.DataFrame) -> np.ndarray:
    return scores[["p_against", "p_none", "p_favor"]].to_numpy(dtype=float)


def political(model, split: str, *, frame: bool, targets=None, val: bool = False,
              labels: str | None = None) -> tuple[list, np.ndarray]:
    lab = load_political_labels(split, path=labels, polnear=SHARED / "polnear")
    if val:
        lab = lab[lab["article"].map(lambda a: _in_val(a, 0.2))]
    if targets:
        lab = lab[lab["target"].isin(targets)]
    lab = lab.reset_index(drop=True)
    if frame:
        arts = {a: polnear.article_text(a, path=SHARED / "polnear") for a in lab["article"].unique()}
        df = lab[["article", "start", "text", "speaker", "cue", "target"]]
        scores = model.predict(df, articles=arts)
    else:
        scores = model.predict(lab[["text", "target"]])
    return lab["stance"].tolist(), _proba(scores)


def newsmtsc(model, name: str) -> tuple[list, np.ndarray]:
    rows = read_newsmtsc(SHARED / "newsmtsc" / f"{name}.jsonl")
    df = pd.DataFrame({"text": [r["text"] for r in rows], "target": [r["target"] for r in rows],
                       "target_start": [r["span"][0] for r in rows], "target_end": [r["span"][1] for r in rows]})
    return [LABELS[r["label"]] for r in rows], _proba(model.predict(df))


def statements(model, split: str, target: str) -> tuple[list, np.ndarray, dict]:
    """The invented articles' statement stance labels (split dev: selection only), toward one seed target."""
    from stancekit.stance.data import load_statement_stance

    lab = load_statement_stance(split)
    lab = lab[lab["target"] == target].reset_index(drop=True)
    arts = dict(zip(lab["article"], lab["article_text"]))
    df = lab[["article", "start", "text", "speaker", "cue"]].drop_duplicates(["article", "start", "speaker"])
    scores = model.predict(df.reset_index(drop=True), targets={target: SEED_TARGETS[target]}, articles=arts)
    key = ["article", "start", "speaker"]
    m = lab.merge(scores[key + ["p_against", "p_none", "p_favor"]], on=key, how="left", validate="one_to_one")
    extra = {}
    gold_none = m["stance"] == "none"
    if gold_none.any():
        pred = np.array(LABELS)[_proba(m).argmax(1)]
        extra = {"none_kept": round(float((pred[gold_none.to_numpy()] == "none").mean()), 4),
                 "n_gold_none": int(gold_none.sum())}
    return m["stance"].tolist(), _proba(m), extra


_SEED_CACHE: dict = {}


def seed(model, target: str) -> tuple[list, np.ndarray, dict]:
    from stancekit.evaluation import match_stance
    from stancekit.extraction import extract_statements
    from stancekit.io import read_articles

    if "st" not in _SEED_CACHE:
        arts = read_articles(REPO / "seeds")
        _SEED_CACHE["arts"] = arts
        _SEED_CACHE["st"] = extract_statements(arts, registry=REPO / "seeds" / "registry.yaml")
    arts, st = _SEED_CACHE["arts"], _SEED_CACHE["st"]
    scores = model.predict(st, targets={k: v for k, v in SEED_TARGETS.items() if k == target}, articles=arts)
    gold = pd.read_json(REPO / "tests" / "data" / "gold" / "global-times-2026-01-30-us-canada-sovereignty.stance.jsonl",
                        lines=True)
    gold = gold[gold["target"] == target]
    m = match_stance(scores, gold)
    m = m[m["pred_stance"].notna()]
    # Probabilities of the matched predictions, from their tone (p_favor - p_against) and intensity (1 - p_none).
    tone, inten = m["tone"].to_numpy(dtype=float), m["intensity"].to_numpy(dtype=float)
    pr = np.stack([(inten - tone) / 2, 1 - inten, (inten + tone) / 2], axis=1) if len(m) else np.zeros((0, 3))
    extra = {}
    none_gold = m[m["gold_stance"] == "none"]
    if len(none_gold):
        extra["none_kept"] = round(float((none_gold["pred_stance"] == "none").mean()), 4)
        extra["n_gold_none"] = int(len(none_gold))
    return m["gold_stance"].tolist(), pr, extra


SETS = {
    "political_test": ("test", lambda m: political(m, "test", frame=True)),
    "political_test_tc": ("test", lambda m: political(m, "test", frame=True,
                                                       targets=["Donald Trump", "Hillary Clinton"])),
    "political_test_text": ("test", lambda m: political(m, "test", frame=False)),
    "political_test_tc_text": ("test", lambda m: political(m, "test", frame=False,
                                                            targets=["Donald Trump", "Hillary Clinton"])),
    "political_val": ("dev", lambda m: political(m, "train", frame=True, val=True)),
    "countries_val": ("dev", lambda m: political(m, "train", frame=True, val=True, labels="countries")),
    "world_val": ("dev", lambda m: political(m, "train", frame=True, val=True, labels="world")),
    "newsmtsc_dev_rw": ("dev", lambda m: newsmtsc(m, "dev_rw")),
    "newsmtsc_dev_mt": ("dev", lambda m: newsmtsc(m, "dev_mt")),
    "invented_dev_us": ("dev", lambda m: statements(m, "dev", "the United States")),
    "invented_dev_ccc": ("dev", lambda m: statements(m, "dev", "Canada–China cooperation")),
    "seed_us": ("test", lambda m: seed(m, "the United States")),
    "seed_ccc": ("test", lambda m: seed(m, "Canada–China cooperation")),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", action="append", default=[], help="NAME=ARTIFACT_DIR (repeatable)")
    ap.add_argument("--no-defaults", action="store_true", help="skip the shipped model, VADER and always-none")
    ap.add_argument("--sets", default=",".join(SETS), help="comma-separated sets")
    ap.add_argument("--only", default=None, help="comma-separated subset of the default models: shipped,vader,always-none")
    ap.add_argument("--markdown", action="store_true", help="also print a markdown table")
    args = ap.parse_args()
    models = []
    if not args.no_defaults:
        models.append(("shipped", StanceModel(precision="fp32", cache=False)))
    for spec in args.model:
        name, path = spec.split("=", 1)
        models.append((name, StanceModel(path, precision="fp32", cache=False)))
    if not args.no_defaults:
        models += [("vader", StanceModel(backend="vader", cache=False)), ("always-none", AlwaysNone())]
    if args.only:
        keep = set(args.only.split(","))
        models = [(n, m) for n, m in models if n in keep or n not in ("shipped", "vader", "always-none")]
    results = []
    for mname, model in models:
        for sname in args.sets.split(","):
            role, fn = SETS[sname]
            t = time.time()
            out = fn(model)
            y, pr = out[0], out[1]
            extra = out[2] if len(out) > 2 else {}
            met = stance_metrics(y, pr) if len(y) else {"n": 0}
            if mname == "shipped":
                v = getattr(getattr(model, "backend_", None), "model_version", "")
                mname_v = f"shipped {v}"
            else:
                mname_v = mname
            row = {"model": mname_v, "set": sname, "role": role, **met, **extra, "seconds": round(time.time() - t, 1)}
            results.append(row)
            print(json.dumps(row), flush=True)
    if args.markdown:
        df = pd.DataFrame(results)
        for sname, d in df.groupby("set", sort=False):
            print(f"\n{sname} ({d['role'].iloc[0]}, n={d['n'].iloc[0]})")
            cols = [c for c in ["model", "accuracy", "macro_f1", "f_avg", "ece", "none_kept"] if c in d.columns]
            print("| " + " | ".join(cols) + " |\n|" + "---|" * len(cols))
            for _, r in d[cols].iterrows():
                print("| " + " | ".join(f"{v:.3f}" if isinstance(v, float) else str(v) for v in r) + " |")


if __name__ == "__main__":
    main()
