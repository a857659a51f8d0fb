"""Faster matrix products for spaCy's networks: same model, same weights, other kernels.

Profiling ``extract_statements`` on seed-sized articles (2026-12-02, this
project's 2-core Xeon with AVX512 and AMX): about a quarter of the CPU time is
matrix products of the tok2vec, tagger, parser and recogniser networks, which
thinc runs through BLIS. For the shapes spaCy uses (a few thousand tokens by
288 or 384 inputs by 288 outputs), one thread, PyTorch's CPU kernels take
2.3-2.5 ms where BLIS takes 3.4-4.1 ms, and in bfloat16 on AMX 0.3 ms.

:func:`apply` swaps the ``ops`` of every layer of a loaded pipeline for thinc
``NumpyOps`` whose ``gemm`` goes through PyTorch, in fp32 or in bf16 (inputs
rounded to bf16, fp32 accumulation, fp32 result). Everything else (the
transition parsers' own loops, the embeddings, maxout) is unchanged.

Effect measured on the gold sets here (``method="rules"``): fp32 gives the
same statements as thinc's arithmetic on the seed, the 15 invented articles
and 84 held-out PolNeAR train articles (0 of 1,122 rows differ); bf16 gives
the same on the seed and the 15 articles, and 1 of 1,122 rows differs on the
PolNeAR articles (F1 0.6162 against 0.6157).

Threads: the products use PyTorch's intra-op threads (``torch.set_num_threads``;
``OMP_NUM_THREADS``), where thinc's BLIS uses one. Worker processes started by
stancekit (``n_process``, Dask) use one thread each.
"""
from __future__ import annotations

import functools
from typing import Any

import numpy as np
from thinc.api import NumpyOps  # spaCy's own dependency; this module is imported by load_nlp only

#: ``load_nlp(precision=)`` choices: "spacy" keeps thinc's own arithmetic.
SPACY_PRECISIONS = ("auto", "fp32", "bf16", "spacy")
_OPS: dict[str, Any] = {}
#: bf16 products pad their rows to a multiple of at least this (few kernel shapes; see TorchGemmOps.gemm).
_ROWS = 64


def _padded_rows(n: int) -> int:
    """``n`` rounded up to a multiple of ``max(_ROWS, 2**(bit_length(n) - 3))``: at most 4 sizes per doubling,
    at most 25 % more rows."""
    step = max(_ROWS, 1 << max(0, n.bit_length() - 3))
    return -(-n // step) * step


def resolve(precision: str) -> str:
    """The concrete kind for ``precision``: ``"fp32"``, ``"bf16"`` or ``"spacy"``.

    ``"auto"`` is bf16 where the CPU multiplies bf16 natively (Intel AMX or
    AVX512-BF16), else fp32.
    """
    if precision not in SPACY_PRECISIONS:
        raise ValueError(f"Invalid value {precision!r} for `precision`; choose one of {list(SPACY_PRECISIONS)}.")
    return precision if precision != "auto" else _auto_kind()


@functools.lru_cache(maxsize=1)
def _auto_kind() -> str:
    """What ``"auto"`` means on this CPU (probed once per process)."""
    from ._nn import native_bf16

    return "bf16" if native_bf16() else "fp32"


class TorchGemmOps(NumpyOps):
    """thinc's ``NumpyOps`` with ``gemm`` in PyTorch: fp32, or bf16 inputs with an fp32 result.

    Module-level (not made in a function) so that a pipeline using it pickles, as
    spaCy's ``n_process`` does where processes are spawned.
    """

    name = "stancekit-torch"

    def __init__(self, kind: str = "fp32", **kwargs):
        super().__init__(**kwargs)
        self.kind = kind

    def __reduce__(self):
        return (type(self), (self.kind,))

    def gemm(self, x, y, out=None, trans1=False, trans2=False):
        import torch   # loaded once; kept out of module import so that `load_nlp(precision="spacy")` needs no torch
        a = torch.from_numpy(np.asarray(x, dtype=np.float32))
        b = torch.from_numpy(np.asarray(y, dtype=np.float32))
        if trans1:
            a = a.T
        if trans2:
            b = b.T
        if self.kind == "bf16":
            # oneDNN compiles and caches a bf16 kernel per shape: rows padded up to one of a few sizes
            # (4 per doubling) keep the shapes, and the cache's memory, few over a corpus; padding rows
            # are dropped
            n = a.shape[0]
            pad = _padded_rows(n) - n
            a16 = a.to(torch.bfloat16)
            if pad:
                a16 = torch.cat([a16, a16.new_zeros((pad, a16.shape[1]))])
            r = torch.matmul(a16, b.to(torch.bfloat16))[:n].float()
        else:
            r = torch.matmul(a, b)
        if out is None:
            return r.numpy()
        out[...] = r.numpy()
        return out


def _ops(kind: str) -> TorchGemmOps:
    """One shared ops object per kind."""
    if kind not in _OPS:
        _OPS[kind] = TorchGemmOps(kind)
    return _OPS[kind]


def apply(nlp: Any, precision: str = "auto") -> str:
    """Set the matrix products of every network in ``nlp``; returns the kind applied.

    Marks the pipeline (``nlp.meta["stancekit_precision"]``) so that a second
    call is a no-op and the corpus runs can record it.
    """
    kind = resolve(precision)
    if nlp.meta.get("stancekit_precision") == kind:
        return kind
    if kind != "spacy" or "stancekit_precision" in nlp.meta:
        ops = _ops(kind) if kind != "spacy" else NumpyOps()
        for _, proc in nlp.pipeline:
            model = getattr(proc, "model", None)
            if model is None or not hasattr(model, "walk"):
                continue
            for node in model.walk():
                node.ops = ops
    nlp.meta["stancekit_precision"] = kind
    return kind


__all__ = ["SPACY_PRECISIONS", "TorchGemmOps", "apply", "resolve"]
