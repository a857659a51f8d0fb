"""Scoring throughput: stancekit's engine vs a naive per-pair Hugging Face pipeline.

Builds ``--pairs`` (default 2,000) distinct (statement, target) pairs from the
NewsMTSC files (``dev_mt.jsonl`` + ``dev_rw.jsonl``, then ``train.jsonl``; read
in place from ``--data``, never copied) and scores them:

1. stancekit: ``StanceModel`` with the default model and its default
   ``precision="auto"`` (bf16 where the CPU has AMX/AVX512-BF16, else fp32),
   cache off, length-sorted batches of ``--batch-size``;
2. baseline: ``transformers.pipeline("text-classification")`` over the same
   merged fp32 weights (``tsc.as_hf_model()``), called in a Python loop one
   pair at a time with (marked statement, target) as text/text_pair;
3. stancekit again with ``precision="fp32"`` and ``precision="int8"``
   (dynamic per-channel quantization), so every precision is compared with
   the same baseline in the same run;
4. stancekit with the cache on: one run to fill a temporary cache, then the
   timed warm re-run (a fresh StanceModel, model already in memory);
5. mention resolution: the same pairs as statements of synthetic articles
   (runs of 20 consecutive sentences), scored with ``articles=`` and no given
   mention offsets, so that every pair's target is looked up through its
   article (names, speaker, roles, pronouns; ``stancekit.stance.mentions``),
   against step 1 in the same precision: ``mentions_overhead`` = time with
   resolution / time without (goal <= 1.2).

Prints one JSON line. Goals: ``ratio >= 3`` (default precision),
``cache_speedup >= 100``. ``agreement_fp32`` is the share of pairs whose
stance label the default precision and fp32 agree on; ``max_abs_diff_fp32``
the largest probability difference.

If the shipped adapter (``stancekit/resources/model``) is not built yet and no
``--model`` is given, a throwaway adapter with random weights over the real
all-MiniLM-L6-v2 base stands in: same architecture and cost, meaningless
predictions; the JSON says so in ``model``.

Usage::

    python benchmarks/bench_scoring.py [--data ../shared/data/newsmtsc] [--pairs 2000]
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def load_pairs(data: Path, n: int) -> list[dict]:
    """``n`` distinct (sentence, mention) pairs: the dev files first, then train.

    Distinct, so that the engine's within-call de-duplication of repeated
    pairs cannot inflate its rate.
    """
    rows, seen = [], set()
    for name in ("dev_mt.jsonl", "dev_rw.jsonl", "train.jsonl"):
        if len(rows) >= n:
            break
        with open(data / name, encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                r = json.loads(line)
                key = (r["sentence"], r["mention"], int(r["from"]), int(r["to"]))
                if key in seen:
                    continue
                seen.add(key)
                rows.append({"text": r["sentence"], "target": r["mention"],
                             "target_start": int(r["from"]), "target_end": int(r["to"])})
                if len(rows) >= n:
                    break
    if len(rows) < n:
        raise SystemExit(f"only {len(rows)} distinct NewsMTSC pairs under {data}; asked for {n}")
    return rows


def stand_in_artifact(tmp: Path) -> Path:
    """A random adapter on the real MiniLM base: same cost as the trained one."""
    import torch

    from stancekit import _tsc

    torch.manual_seed(0)
    _, model = _tsc.build_model(_tsc.default_base_path(), r=8, alpha=16, lora_dropout=0.0)
    config = {"name": "random-adapter-stand-in", "version": "bench", "lora_r": 8, "lora_alpha": 16,
              "head_size": 256, "max_length": 128, "labels": list(_tsc.LABELS)}
    return _tsc.save_artifact(tmp / "artifact", _tsc.trainable_state(model), config, {"note": "benchmark stand-in"})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=REPO / ".." / "shared" / "data" / "newsmtsc")
    ap.add_argument("--pairs", type=int, default=2000)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--model", default=None, help="artifact folder (default: shipped model, else a stand-in)")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--threads", type=int, default=None,
                    help="torch.set_num_threads for both sides (default: torch's choice); on a busy machine "
                         "1 avoids OpenMP threads spinning against other processes")
    ap.add_argument("--baseline-pairs", type=int, default=None,
                    help="time the (slow) baseline on the first N pairs only; its rate is per pair (default: all)")
    args = ap.parse_args(argv)

    import pandas as pd
    import torch
    from transformers import pipeline
    from transformers.utils import logging as hf_logging

    from stancekit import _tsc
    from stancekit.models import StanceModel

    hf_logging.set_verbosity_error()
    if args.threads:
        torch.set_num_threads(args.threads)
    pairs = load_pairs(args.data.resolve(), args.pairs)
    frame = pd.DataFrame(pairs)
    tmp = Path(tempfile.mkdtemp(prefix="stancekit-bench-"))
    model_dir = args.model
    if model_dir is None and not (_tsc.DEFAULT_ARTIFACT / _tsc.ADAPTER_FILE).is_file():
        model_dir = str(stand_in_artifact(tmp))
    t = time.perf_counter()
    tsc = _tsc.load_tsc(model_dir, device=args.device)
    load_s = time.perf_counter() - t

    def run(data=frame, **kw):
        sm = StanceModel(tsc, batch_size=args.batch_size, device=args.device, show_progress=False, **kw)
        sm._load()
        run.precision = sm.backend_.precision
        t0 = time.perf_counter()
        out = sm.predict(data)
        return time.perf_counter() - t0, out

    run(frame.head(args.batch_size), cache=False)  # warm-up: first-call allocations, lazy imports
    cold_s, cold = run(cache=False)
    precision = run.precision

    # Baseline: HF pipeline, same merged weights, one pair per call.
    pipe = pipeline("text-classification", model=tsc.as_hf_model(), tokenizer=tsc.tokenizer,
                    device=torch.device(args.device), top_k=None)
    inputs = []
    for p in pairs[:args.baseline_pairs]:
        marked, _ = _tsc.mark_text(p["text"], (p["target_start"], p["target_end"]))
        inputs.append({"text": marked, "text_pair": p["target"]})
    pipe(inputs[0], truncation="only_first", max_length=tsc.max_length)  # warm-up
    t0 = time.perf_counter()
    base_out = [pipe(x, truncation="only_first", max_length=tsc.max_length) for x in inputs]
    base_s = time.perf_counter() - t0

    run(frame.head(args.batch_size), cache=False, precision="fp32")
    fp32_s, fp32 = run(cache=False, precision="fp32")
    if args.device == "cpu":
        run(frame.head(args.batch_size), cache=False, precision="int8")
        quant_s, _ = run(cache=False, precision="int8")
    else:
        quant_s = float("nan")
    probs = ["p_favor", "p_none", "p_against"]

    # Mention resolution through synthetic articles (20 sentences each), no given offsets.
    arts, art_col, start_col = {}, [], []
    for k in range(0, len(pairs), 20):
        chunk = pairs[k:k + 20]
        text, pos = "", []
        for p in chunk:
            pos.append(len(text))
            text += p["text"] + " "
        arts[f"a{k}"] = text
        art_col += [f"a{k}"] * len(chunk)
        start_col += pos
    resolved = frame.drop(columns=["target_start", "target_end"]).assign(article=art_col, start=start_col)
    runs = []
    for _ in range(2):  # best of two: resolution is cheap next to noise on a busy machine
        sm = StanceModel(tsc, batch_size=args.batch_size, device=args.device, show_progress=False, cache=False)
        sm._load()
        t0 = time.perf_counter()
        res_out = sm.predict(resolved, articles=arts)
        runs.append(time.perf_counter() - t0)
    mentions_s = min(runs)
    again_s, _ = run(cache=False)
    plain_s = min(cold_s, again_s)

    fill_s, _ = run(cache=True, cache_dir=tmp / "cache")
    cached_s, cached = run(cache=True, cache_dir=tmp / "cache")
    same = bool(((cached[probs] - cold[probs]).abs().max().max()) < 1e-4)
    # Agreement of the two paths (they differ only in the target mask: pipeline has none).
    base_label = [max(o, key=lambda d: d["score"])["label"] for o in base_out]
    agree = float((cold["stance"].to_numpy()[:len(base_label)] == pd.Series(base_label).to_numpy()).mean())

    n = len(pairs)
    result = {
        "pairs": n,
        "device": args.device,
        "precision": precision,
        "native_bf16": _tsc.native_bf16(args.device),
        "torch_threads": torch.get_num_threads(),
        "model": tsc.name,
        "model_fingerprint": tsc.fingerprint,
        "baseline": "transformers.pipeline('text-classification', model=tsc.as_hf_model()) one pair per call",
        "batch_size": args.batch_size,
        "load_s": round(load_s, 3),
        "stancekit_pairs_per_s": round(n / cold_s, 1),
        "baseline_pairs": len(inputs),
        "baseline_pairs_per_s": round(len(inputs) / base_s, 1),
        "ratio": round((n / cold_s) / (len(inputs) / base_s), 2),
        "fp32_pairs_per_s": round(n / fp32_s, 1),
        "ratio_fp32": round((n / fp32_s) / (len(inputs) / base_s), 2),
        "int8_pairs_per_s": round(n / quant_s, 1) if quant_s == quant_s else None,
        "ratio_int8": round((n / quant_s) / (len(inputs) / base_s), 2) if quant_s == quant_s else None,
        "agreement_fp32": round(float((cold["stance"] == fp32["stance"]).mean()), 4),
        "max_abs_diff_fp32": round(float((cold[probs] - fp32[probs]).abs().max().max()), 4),
        "cold_s": round(cold_s, 3),
        "cache_fill_s": round(fill_s, 3),
        "cached_s": round(cached_s, 4),
        "cache_speedup": round(cold_s / cached_s, 1),
        "mentions_s": round(mentions_s, 3),
        "no_mentions_s": round(plain_s, 3),
        "mentions_overhead": round(mentions_s / plain_s, 3),
        "mentions_found": {k: int(v) for k, v in res_out["target_mention"].value_counts().items()},
        "cached_equals_cold": same,
        "baseline_label_agreement": round(agree, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
