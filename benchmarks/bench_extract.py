"""Throughput of statement extraction on seed-sized articles, against spaCy's own full pipeline.

Measured in one run, one process each unless said otherwise:

* ``articles_per_s``: ``stancekit.extraction.iter_statements(..., method="rules")`` (parse + rules + frames;
  the rules alone whatever the default method; ``bench_tagger.py`` measures ``both``);
* ``spacy_pipeline_articles_per_s``: the baseline, ``nlp.pipe(texts, batch_size=32)`` with
  every component of the same spaCy model enabled and no extraction at all;
* ``ratio`` = their quotient (issue 9 asks for >= 1.5);
* ``articles_per_s_2proc``: ``iter_statements(..., n_process=2)``, and its ratio to one process;
* ``articles_per_s_spacy_arithmetic``: stancekit with thinc's own matrix products
  (``load_nlp(precision="spacy")``), to show what the faster products
  (``stancekit._spacy_ops``, ``precision=`` "auto" by default) add.

Everything runs on one thread (``OMP_NUM_THREADS=1`` and ``torch.set_num_threads(1)``, set
here before anything is imported), as spaCy's own pipeline does.

Stancekit and the baseline alternate in ``--rounds`` rounds over the same articles, so a load
change on a shared machine hits both alike; CPU seconds of the process are reported beside the
wall-clock figures (``ratio_cpu``), being steadier when other jobs share the cores. Peak memory (max RSS) is sampled every 100 articles.
The last line printed is one JSON object.

Usage::

    python benchmarks/bench_extract.py [--n 192] [--rounds 6] [--batch-size 64] [--no-2proc]
                                       [--precision auto|fp32|bf16]
"""
from __future__ import annotations

import os

if __name__ == "__main__":
    for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_v] = "1"    # one core, as spaCy's own pipeline uses (set before numpy and torch load)

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SEED = REPO / "seeds" / "global-times-2026-01-30-us-canada-sovereignty.txt"


def articles(n: int, start: int = 0) -> list[dict]:
    text = SEED.read_text(encoding="utf-8")
    # vary ids and a little text so no cache can help
    return [{"article": f"seed-{i:05d}", "text": text.replace("Thursday", ["Monday", "Thursday"][i % 2])}
            for i in range(start, start + n)]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=192, help="articles for each measurement (default 192)")
    ap.add_argument("--rounds", type=int, default=6,
                    help="alternating rounds (default 6: 32 articles a round, one full baseline batch)")
    ap.add_argument("--batch-size", type=int, default=64, help="paragraph chunks per spaCy batch (default 64)")
    ap.add_argument("--no-2proc", dest="two", action="store_false", help="skip the two-process measurement")
    ap.add_argument("--precision", default="auto", choices=["auto", "fp32", "bf16"],
                    help="stancekit's matrix products (default auto: bf16 where the CPU has it natively, else fp32)")
    args = ap.parse_args(argv)

    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return _run(args)
    finally:
        torch.set_num_threads(threads)


def _run(args) -> int:
    import spacy

    from stancekit import _spacy_ops
    from stancekit.extraction import DEFAULT_MODEL, iter_statements, load_nlp

    nlp = load_nlp(precision=args.precision)
    plain = load_nlp(precision="spacy")
    full = spacy.load(DEFAULT_MODEL)          # every component: tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner
    warm = articles(4)
    list(iter_statements(warm, nlp=nlp, method="rules", show_progress=False))
    list(iter_statements(warm, nlp=plain, method="rules", show_progress=False))
    list(full.pipe([a["text"] for a in warm], batch_size=32))

    per_round = max(1, args.n // args.rounds)
    plain_s = plain_cpu = 0.0
    ours_s = base_s = ours_cpu = base_cpu = 0.0
    n_rows = n_done = 0
    peaks = []
    for r in range(args.rounds):
        batch = articles(per_round, start=r * per_round)
        t, c = time.perf_counter(), time.process_time()
        list(full.pipe([a["text"] for a in batch], batch_size=32))
        base_s += time.perf_counter() - t
        base_cpu += time.process_time() - c
        t, c = time.perf_counter(), time.process_time()
        for frame in iter_statements(batch, nlp=nlp, batch_size=args.batch_size, method="rules", show_progress=False):
            n_rows += len(frame)
            n_done += 1
            if n_done % 100 == 0:
                peaks.append(round(rss_mb(), 1))
        ours_s += time.perf_counter() - t
        ours_cpu += time.process_time() - c
        t, c = time.perf_counter(), time.process_time()
        for _ in iter_statements(batch, nlp=plain, batch_size=args.batch_size, method="rules", show_progress=False):
            pass
        plain_s += time.perf_counter() - t
        plain_cpu += time.process_time() - c
    n = per_round * args.rounds
    rate, base_rate = n / ours_s, n / base_s
    out = {
        "articles": n,
        "article_chars": len(SEED.read_text(encoding="utf-8")),
        "statements": n_rows,
        "articles_per_s": round(rate, 2),
        "spacy_pipeline_articles_per_s": round(base_rate, 2),
        "ratio": round(rate / base_rate, 2),
        # CPU seconds of this process: on a shared machine the quotient of these is steadier
        "cpu_ms_per_article": round(ours_cpu / n * 1000, 1),
        "spacy_pipeline_cpu_ms_per_article": round(base_cpu / n * 1000, 1),
        "ratio_cpu": round(base_cpu / ours_cpu, 2),
        "precision": _spacy_ops.resolve(args.precision),
        "articles_per_s_spacy_arithmetic": round(n / plain_s, 2),
        "ratio_spacy_arithmetic": round((n / plain_s) / base_rate, 2),
        "ratio_cpu_spacy_arithmetic": round(base_cpu / plain_cpu, 2),
        "threads": 1,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, bf16 native: {_spacy_ops.resolve('auto') == 'bf16'}",
        "baseline": f"spacy.load({DEFAULT_MODEL!r}) with every component, nlp.pipe(texts, batch_size=32), "
                    "one process, no extraction",
        "batch_size": args.batch_size,
        "rounds": args.rounds,
        "max_rss_mb_every_100_articles": peaks,
        "max_rss_mb": round(rss_mb(), 1),
    }
    if args.two:
        batch = articles(n, start=10_000)
        t = time.perf_counter()
        rows2 = sum(len(f) for f in iter_statements(batch, batch_size=args.batch_size, n_process=2, method="rules",
                                                    precision=args.precision, show_progress=False))
        rate2 = n / (time.perf_counter() - t)
        out.update({"articles_per_s_2proc": round(rate2, 2), "ratio_2proc_to_1proc": round(rate2 / rate, 2),
                    "statements_2proc": rows2})
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
