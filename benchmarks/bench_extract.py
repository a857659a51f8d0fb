"""Throughput and peak memory of statement extraction on seed-sized articles.

Prints one JSON line with articles/s and peak memory (max RSS, sampled every 100
articles to show it stays flat; ``--trace`` adds tracemalloc) for ``extract_statements``
(streamed through ``iter_statements``, lemmatizer off, paragraph batches through
``nlp.pipe``) and, in the same run, for a naive baseline that calls the full
spaCy pipeline ``nlp(text)`` once per article with no extraction at all.

Usage::

    python benchmarks/bench_extract.py [--n 1000] [--baseline-n 100] [--n-process 1] [--batch-size 64]
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SEED = REPO / "seeds" / "global-times-2026-01-30-us-canada-sovereignty.txt"


def articles(n: int):
    text = SEED.read_text(encoding="utf-8")
    for i in range(n):
        # vary ids and a little text so no cache can help
        yield {"article": f"seed-{i:05d}", "text": text.replace("Thursday", ["Monday", "Thursday"][i % 2])}


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000, help="articles for stancekit (default 1000)")
    ap.add_argument("--baseline-n", type=int, default=100, help="articles for the naive baseline (default 100)")
    ap.add_argument("--n-process", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--trace", action="store_true",
                    help="also track Python allocations with tracemalloc (slows the run)")
    args = ap.parse_args(argv)

    import spacy

    from stancekit.extraction import DEFAULT_MODEL, iter_statements, load_nlp

    nlp = load_nlp()
    list(iter_statements(articles(2), nlp=nlp))  # warm-up
    if args.trace:
        tracemalloc.start()
    t0 = time.perf_counter()
    n_rows = 0
    peaks = []
    for k, frame in enumerate(iter_statements(articles(args.n), nlp=nlp, batch_size=args.batch_size,
                                              n_process=args.n_process, show_progress=False)):
        n_rows += len(frame)
        if k % 100 == 99:
            peaks.append(round(rss_mb(), 1))
    dt = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] if args.trace else None
    tracemalloc.stop()
    rss_after = rss_mb()

    full = spacy.load(DEFAULT_MODEL)
    seed = SEED.read_text(encoding="utf-8")
    full(seed)
    t1 = time.perf_counter()
    for art in articles(args.baseline_n):
        full(art["text"])
    bdt = time.perf_counter() - t1

    rate = args.n / dt
    base_rate = args.baseline_n / bdt
    print(json.dumps({
        "articles": args.n,
        "article_chars": len(seed),
        "statements": n_rows,
        "seconds": round(dt, 2),
        "articles_per_s": round(rate, 2),
        "peak_traced_mb": round(peak / 2**20, 1) if peak is not None else None,
        "max_rss_mb_every_100_articles": peaks,
        "max_rss_mb": round(rss_after, 1),
        "n_process": args.n_process,
        "batch_size": args.batch_size,
        "baseline": "full pipeline nlp(text) per article, no extraction",
        "baseline_articles": args.baseline_n,
        "baseline_articles_per_s": round(base_rate, 2),
        "speedup": round(rate / base_rate, 2),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
