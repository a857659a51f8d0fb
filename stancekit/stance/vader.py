"""VADER lexicon tone (``vader.v1``): target-blind, a fast baseline."""
from __future__ import annotations

import re

import numpy as np

from .._utils import StancekitError
from .backend import _Backend

#: Words kept around the mention for VADER; about two news sentences
#: (a Reuters sentence averages ~25 words), VADER being built for short texts.
VADER_WINDOW_WORDS = 50

class _VaderBackend(_Backend):
    name = "vader.v1"

    def load(self) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
        except ImportError as exc:
            raise StancekitError("the vader backend needs vaderSentiment: pip install vaderSentiment") from exc
        self.analyzer = SentimentIntensityAnalyzer()
        try:
            v = version("vaderSentiment")
        except PackageNotFoundError:  # pragma: no cover
            v = "unknown"
        self.model_id, self.model_version = "vaderSentiment", v
        self.fingerprint = f"vader:{v}"
        self.max_length = int(self.owner.max_length or VADER_WINDOW_WORDS)

    def offsets(self, texts):
        return [[m.span() for m in re.finditer(r"\S+", t)] for t in texts]

    def score(self, texts, targets, spans):
        c = np.array([self.analyzer.polarity_scores(t)["compound"] for t in texts], dtype=np.float64)
        return np.stack([np.maximum(-c, 0), 1 - np.abs(c), np.maximum(c, 0)], axis=1)
