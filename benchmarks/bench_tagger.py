"""Throughput of extract_statements(method="rules" | "model" | "both") on seed-sized articles.

Prints one JSON line: articles/s for each method in the same process, on the
same articles (the seed, 8.6k characters, ids and one word varied so no cache
helps), and each method's ratio to the named baseline ``rules`` (the rules
alone, measured in the same run). spaCy and the tagger are loaded and warmed
up before timing.

Usage::

    python benchmarks/bench_tagger.py [--n 40] [--methods rules model both] [--threads N]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SEED = REPO / "seeds" / "global-times-2026-01-30-us-canada-sovereignty.txt"


def articles(n: int) -> list[dict]:
    text = SEED.read_text(encoding="utf-8")
    return [{"article": f"seed-{i:05d}", "text": text.replace("Thursday", ["Monday", "Thursday"][i % 2])}
            for i in range(n)]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=40, help="articles per method (default 40)")
    ap.add_argument("--methods", nargs="+", default=["rules", "model", "both"], choices=["rules", "model", "both"])
    ap.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's)")
    args = ap.parse_args(argv)

    import torch

    from stancekit.extraction import extract_statements, load_nlp

    if args.threads:
        torch.set_num_threads(args.threads)
    nlp = load_nlp()
    arts = articles(args.n)
    methods = ["rules"] + [m for m in args.methods if m != "rules"]
    out = {"articles": args.n, "chars_per_article": len(arts[0]["text"]), "baseline": "rules",
           "threads": torch.get_num_threads()}
    for m in methods:
        extract_statements(articles(2), nlp=nlp, method=m, show_progress=False)    # warm-up, loads the tagger
        t = time.perf_counter()
        df = extract_statements(arts, nlp=nlp, method=m, show_progress=False)
        dt = time.perf_counter() - t
        out[f"{m}_articles_per_s"] = round(args.n / dt, 3)
        out[f"{m}_statements"] = int(len(df))
    for m in methods[1:]:
        out[f"{m}_vs_rules"] = round(out[f"{m}_articles_per_s"] / out["rules_articles_per_s"], 3)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
