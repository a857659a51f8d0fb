"""Agreement between the first and the second labelling of the invented articles' stance labels.

    python tools/labels/gold_agreement.py                 # the invented gold articles
    python tools/labels/gold_agreement.py --synthetic     # the synthetic stage-2 articles

First: tests/data/gold/<stem>.stance.jsonl (data/synthetic/stance/ with --synthetic); second:
tools/labels/raw/gold_double/<stem>.stance.jsonl (synthetic_double/), labelled by a different labeller,
blind to the first and to any model. Prints one JSON line.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from stancekit.stance.data import cohen_kappa

HERE = Path(__file__).resolve().parent
GOLD = HERE.parents[1] / "tests" / "data" / "gold"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--synthetic", action="store_true", help="the synthetic stage-2 articles")
    args = ap.parse_args()
    gold = HERE.parents[1] / "data" / "synthetic" / "stance" if args.synthetic else GOLD
    double = HERE / "raw" / ("synthetic_double" if args.synthetic else "gold_double")
    first, second = [], []
    key = lambda r: (r["statement_id"], r["speaker"], r["text"], r["target"])  # noqa: E731
    for f in sorted(double.glob("*.stance.jsonl")):
        one = {key(r): r["stance"] for r in map(json.loads, open(gold / f.name, encoding="utf-8")) if r}
        for r in map(json.loads, open(f, encoding="utf-8")):
            first.append(one[key(r)])
            second.append(r["stance"])
    print(json.dumps({"articles": len(list(double.glob("*.stance.jsonl"))),
                      "pairs": len(first), "agreement": round(sum(a == b for a, b in zip(first, second)) / len(first), 4),
                      "kappa": round(cohen_kappa(first, second), 4),
                      "stance_first": sum(a != "none" for a in first), "stance_second": sum(b != "none" for b in second)}))


if __name__ == "__main__":
    main()
