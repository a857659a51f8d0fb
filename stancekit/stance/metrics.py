"""Stance metrics: accuracy, macro-F1, F_avg and expected calibration error (numpy only).

``F_avg`` is the mean F1 of favor and against, the usual summary of stance
detection (SemEval-2016 Task 6, Mohammad et al. 2016), since ``none`` is
often most of the data. ECE (Naeini et al. 2015; Guo et al. 2017) bins the
top-class probability into equal-width bins and averages |accuracy -
confidence| weighted by bin size.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .backend import LABELS

#: Bins of the expected calibration error (Guo et al. 2017 use 15; 10 is as common and steadier on ~500 pairs).
ECE_BINS = 10


def _f1(y: np.ndarray, p: np.ndarray, k: int) -> float:
    tp = int(((p == k) & (y == k)).sum())
    fp = int(((p == k) & (y != k)).sum())
    fn = int(((p != k) & (y == k)).sum())
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def expected_calibration_error(y: Sequence[int], proba: np.ndarray, *, bins: int = ECE_BINS) -> float:
    """ECE of the top-class probability; ``y`` holds class indices into ``proba``'s columns."""
    y = np.asarray(y)
    proba = np.asarray(proba, dtype=float)
    conf = proba.max(1)
    correct = proba.argmax(1) == y
    edges = np.linspace(0, 1, bins + 1)
    ece = 0.0
    for i in range(bins):
        m = (conf > edges[i]) & (conf <= edges[i + 1]) if i else (conf >= 0) & (conf <= edges[1])
        if m.any():
            ece += m.mean() * abs(correct[m].mean() - conf[m].mean())
    return float(ece)


def stance_metrics(y_true: Sequence[str], proba: np.ndarray, *, labels: Sequence[str] = LABELS) -> dict:
    """Accuracy, macro-F1, F_avg, per-class F1 and ECE of probabilities against gold labels.

    Parameters
    ----------
    y_true : list of str
        Gold stances (favor / none / against).
    proba : ndarray, shape (n, 3)
        Probabilities in ``labels`` order (the engine's against, none, favor).

    Examples
    --------
    >>> import numpy as np
    >>> m = stance_metrics(["favor", "none"], np.array([[0.1, 0.2, 0.7], [0.1, 0.8, 0.1]]))
    >>> m["accuracy"], m["macro_f1"]
    (1.0, 0.6667)
    """
    proba = np.asarray(proba, dtype=float)
    idx = {l: i for i, l in enumerate(labels)}
    unknown = sorted({y for y in y_true if y not in idx})
    if unknown:
        raise ValueError(f"unknown stance label(s) {unknown}; valid: {list(labels)}.")
    y = np.array([idx[v] for v in y_true])
    if proba.shape != (len(y), len(labels)):
        raise ValueError(f"`proba` has shape {proba.shape}; expected {(len(y), len(labels))}.")
    p = proba.argmax(1)
    f1 = {l: _f1(y, p, i) for i, l in enumerate(labels)}
    return {
        "n": int(len(y)),
        "accuracy": round(float((p == y).mean()), 4),
        "macro_f1": round(float(np.mean(list(f1.values()))), 4),
        "f_avg": round((f1["favor"] + f1["against"]) / 2, 4),
        **{f"f1_{l}": round(v, 4) for l, v in f1.items()},
        "ece": round(expected_calibration_error(y, proba), 4),
    }


__all__ = ["ECE_BINS", "expected_calibration_error", "stance_metrics"]
