"""Learning curve of fine-tuning: N political labels -> macro-F1 on the political test split.

    python tools/learning_curve.py --init /tmp/model-1.1 --sizes 50,100,200,400 --seeds 0,1,2

For each size N and seed, draws N (statement, target) pairs at random from the political
train split (natural rate of every label: most are `none`), fine-tunes the `--init` model on
them with `StanceModel.fine_tune` (the defaults: 4 epochs, lr 3e-4), and scores the whole test
split (PolNeAR dev articles; never used for training or selection). One JSON line per run,
then one summary line per size (mean and standard deviation over seeds), plus the
`--init` model itself as N=0. fp32, so the figures are the same on every machine.
`--stance-share 0.5` draws half of each sample from the favor/against pairs instead (as a
researcher labelling statements about their own targets would see more stance).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
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

POLNEAR = REPO.parent / "shared" / "data" / "polnear"


def score(model: StanceModel, test, arts) -> dict:
    out = model.predict(test[["article", "start", "text", "speaker", "cue", "target"]], articles=arts)
    return stance_metrics(test["stance"].tolist(), out[["p_against", "p_none", "p_favor"]].to_numpy())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--init", default="default", help="'default' or an artifact folder")
    ap.add_argument("--sizes", default="50,100,200,400")
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--stance-share", type=float, default=None,
                    help="draw this share of each sample from the favor/against pairs (default: the natural rate)")
    args = ap.parse_args()
    train = load_political_labels("train", polnear=POLNEAR)
    test = load_political_labels("test", polnear=POLNEAR)
    arts = {a: polnear.article_text(a, path=POLNEAR) for a in test["article"].unique()}
    init = None if args.init == "default" else args.init
    base = score(StanceModel(init, precision="fp32", cache=False), test, arts)
    print(json.dumps({"n_labels": 0, "init": args.init, **base}), flush=True)
    summary = []
    for n in [int(x) for x in args.sizes.split(",")]:
        runs = []
        for seed in [int(x) for x in args.seeds.split(",")]:
            if args.stance_share is None:
                sample = train.sample(n=n, random_state=seed)
            else:  # a researcher who labels statements about their targets sees more stance than the 8-target grid
                k = int(round(n * args.stance_share))
                pos = train[train["stance"] != "none"].sample(n=k, random_state=seed)
                neg = train[train["stance"] == "none"].sample(n=n - k, random_state=seed)
                sample = pd.concat([pos, neg]).sample(frac=1.0, random_state=seed)
            t = time.time()
            with tempfile.TemporaryDirectory() as tmp:
                sm = StanceModel(init, precision="fp32", cache=False, show_progress=False)
                sm.fine_tune(sample, out=Path(tmp) / "ft", seed=seed,
                             articles={a: polnear.article_text(a, path=POLNEAR) for a in sample["article"].unique()})
                minutes = (time.time() - t) / 60
                m = score(StanceModel(Path(tmp) / "ft", precision="fp32", cache=False), test, arts)
            row = {"n_labels": n, "seed": seed, "init": args.init, "stance_share": args.stance_share, "fine_tune_minutes": round(minutes, 2),
                   "n_stance_labels": int((sample["stance"] != "none").sum()), **m}
            runs.append(row)
            print(json.dumps(row), flush=True)
        agg = {k: (round(float(np.mean([r[k] for r in runs])), 4), round(float(np.std([r[k] for r in runs])), 4))
               for k in ("accuracy", "macro_f1", "f_avg", "ece", "fine_tune_minutes")}
        summary.append({"n_labels": n, "stance_share": args.stance_share, "seeds": len(runs), **{f"{k}_mean": v[0] for k, v in agg.items()},
                        **{f"{k}_sd": v[1] for k, v in agg.items()}})
        print(json.dumps({"summary": True, **summary[-1]}), flush=True)


if __name__ == "__main__":
    main()
