"""Corpus runs at scale: Dask speedup, peak memory per worker, single-process rate.

Prints one JSON line; every figure is measured in the same run, on the same articles:

- ``speedup_2_workers``: wall time of ``analyze_corpus`` on ``--n`` articles with a
  ``LocalCluster`` of 1 worker process divided by that with 2 worker processes
  (1 thread each; models loaded on every worker before the clock starts);
- ``peak_rss_mb_per_worker``: the largest peak RSS of any worker, at each of
  ``--sizes`` articles, each size on a fresh 2-worker cluster; ``rss_spread`` is
  (max - min) / min over the sizes (flat memory: well under 0.10);
- ``single_process_articles_per_s``: ``analyze_corpus`` with no client, models
  already loaded.

Articles: PolNeAR news articles between half and twice the seed's length, read
from ``../shared/data/polnear`` (never copied into the repository; written to a
temporary folder for the run and deleted), repeated with new ids when more are
needed; without ../shared, copies of the seed article (the model then scores a
repeated statement once per partition, so the rates are optimistic).

Usage::

    python benchmarks/bench_scale.py [--n 200] [--sizes 100,200,400] [--single-n 100] [--partition-size 20]
"""
from __future__ import annotations

import argparse
import json
import logging
import resource
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SEED = REPO / "seeds" / "global-times-2026-01-30-us-canada-sovereignty.txt"
TARGETS = {"the United States": ["US", "Washington"], "Hillary Clinton": ["Clinton"]}


def load_articles(n: int, source: str) -> tuple[list[dict], str]:
    """``n`` articles (dicts with article and text) and a description of where they came from."""
    seed = SEED.read_text(encoding="utf-8")
    pool: list[dict] = []
    what = "seed copies"
    if source in ("auto", "polnear"):
        try:
            from stancekit import polnear

            for split in ("train", "dev"):
                arts = polnear.read_articles(split)
                for art, text in zip(arts["article"], arts["text"]):
                    if len(seed) / 2 <= len(text) <= 2 * len(seed):
                        pool.append({"article": art, "text": text})
            what = "PolNeAR train+dev articles of 0.5-2x the seed's length"
        except Exception as exc:  # ../shared absent: fall back to the seed
            if source == "polnear":
                raise
            print(f"bench_scale: PolNeAR not available ({exc}); using seed copies", file=sys.stderr)
            pool = []
    if not pool:
        pool = [{"article": "seed", "text": seed}]
        what = "seed copies"
    out = []
    for i in range(n):
        base = pool[i % len(pool)]
        rep = i // len(pool)
        out.append({"article": base["article"] + (f"#{rep + 1}" if rep else ""), "text": base["text"]})
    return out, what


def write_folder(articles: list[dict], folder: Path) -> Path:
    """One .txt file per article, as a corpus folder is usually laid out."""
    folder.mkdir(parents=True)
    for i, art in enumerate(articles):
        (folder / f"{i:05d}.txt").write_text(art["text"], encoding="utf-8")
    return folder


def worker_peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cluster(n_workers: int):
    from distributed import Client, LocalCluster

    lc = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                      silence_logs=logging.ERROR)
    return lc, Client(lc)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200, help="articles for the 1- vs 2-worker speedup (default 200)")
    ap.add_argument("--sizes", default="100,200,400", help="corpus sizes for peak RSS per worker")
    ap.add_argument("--single-n", type=int, default=100, help="articles for the single-process rate")
    ap.add_argument("--partition-size", type=int, default=20)
    ap.add_argument("--precision", default="auto")
    ap.add_argument("--source", choices=["auto", "polnear", "seed"], default="auto")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    from stancekit import _corpus
    from stancekit.pipeline import analyze_corpus

    warnings.simplefilter("ignore")
    n_max = max([args.n, args.single_n, *sizes])
    arts, what = load_articles(n_max, args.source)
    tmp = Path(tempfile.mkdtemp(prefix="bench_scale_"))
    try:
        folders = {n: write_folder(arts[:n], tmp / f"in{n}") for n in sorted({args.n, args.single_n, *sizes, 4})}
        chars = sum(len(a["text"]) for a in arts[:args.n]) / args.n
        kw = dict(targets=TARGETS, precision=args.precision, partition_size=args.partition_size,
                  show_progress=False, report=False, n_boot=200)

        def timed(n: int, name: str, **extra) -> tuple[float, object]:
            t0 = time.perf_counter()
            res = analyze_corpus(folders[n], tmp / name, **kw, **extra)
            return time.perf_counter() - t0, res

        # single process: load the models with a small run first, then time
        timed(4, "warm-single")
        single_s, single = timed(args.single_n, "single")

        # 1 vs 2 Dask workers on the same articles; every worker loads its models before the clock starts
        walls = {}
        for k in (1, 2):
            lc, client = cluster(k)
            try:
                spec = _corpus.RunSpec(targets=(), registry=None,
                                       model_params=_corpus.model_params(_bench_model(args.precision)))
                client.run(_corpus.warm_up, spec)
                walls[k], res = timed(args.n, f"dask{k}", client=client)
            finally:
                client.close()
                lc.close()

        # peak RSS per worker, each size on a fresh 2-worker cluster
        rss = {}
        for n in sizes:
            lc, client = cluster(2)
            try:
                timed(n, f"rss{n}", client=client)
                rss[n] = round(max(client.run(worker_peak_rss_mb).values()), 1)
            finally:
                client.close()
                lc.close()
        values = list(rss.values())
        from stancekit.extraction import DEFAULT_METHOD

        print(json.dumps({
            "articles": what,
            "extraction_method": DEFAULT_METHOD,
            "mean_chars": round(chars),
            "partition_size": args.partition_size,
            "precision": args.precision,
            "n_dask": args.n,
            "dask_1_worker_s": round(walls[1], 2),
            "dask_2_workers_s": round(walls[2], 2),
            "dask_1_worker_articles_per_s": round(args.n / walls[1], 2),
            "dask_2_workers_articles_per_s": round(args.n / walls[2], 2),
            "speedup_2_workers": round(walls[1] / walls[2], 3),
            "peak_rss_mb_per_worker": {str(n): v for n, v in rss.items()},
            "rss_spread": round((max(values) - min(values)) / min(values), 4),
            "single_process_n": args.single_n,
            "single_process_articles_per_s": round(args.single_n / single_s, 2),
            "single_process_statements": single.n_statements,
        }))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _bench_model(precision: str):
    from stancekit.models import StanceModel

    return StanceModel(precision=precision, cache=False, show_progress=False)


if __name__ == "__main__":
    sys.exit(main())
