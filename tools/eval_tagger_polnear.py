"""Score extract_statements(method=rules|model|both) on PolNeAR, per method and per kind.

The gold and the scoring are those of the project's PolNeAR evaluation
(``stancekit evaluate-statements --gold-format polnear``):
:func:`stancekit.polnear.gold_statements` (first annotator, counted
attributions only: statements by people and organisations), predicted kinds
folded by ``KIND_FAMILY``, :func:`stancekit.evaluation.evaluate_statements`
with ``speaker_match="name"``, by kind. This script adds the tagger's held-out
train articles as a split, the three methods in one run, their speed, and a
count of the looks at dev.

Usage::

    python tools/eval_tagger_polnear.py --split heldout            # the tagger's held-out train articles
    python tools/eval_tagger_polnear.py --split dev --methods rules model both

``--split dev`` appends one line to ``tools/polnear_dev_looks.log`` (dev is looked at rarely and counted).
Prints one line per method and kind and one JSON line.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import sys
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from stancekit import polnear  # noqa: E402
from stancekit.evaluation import KIND_FAMILY, evaluate_statements  # noqa: E402
from stancekit.extraction import extract_statements  # noqa: E402
from stancekit.train_attribution import DEFAULTS, split_articles  # noqa: E402

DEV_LOG = REPO / "tools" / "polnear_dev_looks.log"
FIELDS = ("n_gold", "n_pred", "tp", "precision", "recall", "f1", "span_precision", "span_recall", "span_f1")


def heldout_ids(data: Path) -> list[str]:
    """The train articles the tagger held out for model selection (seeded, as in training)."""
    arts = polnear.read_articles("train", path=data)
    return split_articles(list(arts["article"]), DEFAULTS["holdout"], DEFAULTS["seed"])[1]


def read_gold(split: str, data: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(articles, counted gold statements) of ``dev``/``test``/``train`` or the tagger's ``heldout`` articles."""
    compartment = "train" if split == "heldout" else split
    arts = polnear.read_articles(compartment, path=data)
    if split == "heldout":
        arts = arts[arts["article"].isin(set(heldout_ids(data)))]
    gold = polnear.gold_statements(compartment, path=data)
    gold = gold[gold["counted"] & gold["article"].isin(set(arts["article"]))]
    return arts.reset_index(drop=True), gold.reset_index(drop=True)


def scores(pred: pd.DataFrame, gold: pd.DataFrame) -> dict:
    """Overall and per-kind figures, as ``evaluate-statements --gold-format polnear`` computes them."""
    pred = pred.assign(kind=pred["kind"].map(lambda k: KIND_FAMILY.get(k, k)))
    table = evaluate_statements(pred, gold, by="kind", speaker_match="name")
    rows = {str(r["kind"]): {k: (round(float(r[k]), 4) if isinstance(r[k], float) else int(r[k])) for k in FIELDS}
            for _, r in table.iterrows()}
    out = dict(rows.pop("all"))
    out["by_kind"] = rows
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(REPO.parent / "shared" / "data" / "polnear"))
    ap.add_argument("--split", choices=["heldout", "dev"], default="heldout")
    ap.add_argument("--methods", nargs="+", default=["rules", "model", "both"], choices=["rules", "model", "both"])
    ap.add_argument("--limit", type=int, default=None, help="first N articles only")
    ap.add_argument("--save", default=None, help="write predictions of each method as <save>.<method>.csv")
    ap.add_argument("--precision", choices=["auto", "fp32", "bf16", "spacy"], default="auto",
                    help="spaCy's matrix products (load_nlp(precision=); default auto)")
    ap.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's)")
    args = ap.parse_args(argv)
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    arts, gold = read_gold(args.split, Path(args.data))
    if args.limit:
        arts = arts.iloc[: args.limit]
        gold = gold[gold["article"].isin(set(arts["article"]))].reset_index(drop=True)
    if args.split == "dev":
        with open(DEV_LOG, "a", encoding="utf-8") as fh:
            fh.write(f"{_dt.datetime.now().isoformat(timespec='seconds')}\t{' '.join(args.methods)}\t"
                     f"{len(arts)} articles\tspaCy products {args.precision}\n")
    from stancekit.extraction import load_nlp

    nlp = load_nlp(precision=args.precision)
    extract_statements(arts.iloc[:1], nlp=nlp, show_progress=False)      # load spaCy before timing
    result = {"split": args.split, "articles": len(arts), "chars": int(arts["text"].str.len().sum()),
              "spacy_precision": nlp.meta["stancekit_precision"]}
    for m in args.methods:
        if m != "rules":
            extract_statements(arts.iloc[:1], nlp=nlp, method=m, show_progress=False)   # load the tagger first
        t = time.perf_counter()
        pred = extract_statements(arts[["article", "text"]], nlp=nlp, method=m, show_progress=False)
        dt = time.perf_counter() - t
        if args.save:
            pred.to_csv(f"{args.save}.{m}.csv", index=False)
        s = scores(pred, gold)
        s["seconds"] = round(dt, 2)
        s["articles_per_s"] = round(len(arts) / dt, 2)
        result[m] = s
        print(f"{args.split:8s} {m:6s} all        P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f} | "
              f"span F1 {s['span_f1']:.3f} | n_pred {s['n_pred']} n_gold {s['n_gold']} | "
              f"{s['articles_per_s']} art/s", flush=True)
        for k, v in s["by_kind"].items():
            print(f"{args.split:8s} {m:6s} {k:10s} P {v['precision']:.3f} R {v['recall']:.3f} F1 {v['f1']:.3f} | "
                  f"n_pred {v['n_pred']} n_gold {v['n_gold']}", flush=True)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
