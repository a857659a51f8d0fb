"""Any text-classification model as a stance model (``classifier.v1``)."""
from __future__ import annotations

import re

import numpy as np

from .backend import LABELS, _TorchBackend
from .targets import Target

#: Default label -> stance map for the classifier backend (keys lower-case).
CLASSIFIER_LABEL_MAP: dict[str, str] = {
    "positive": "favor", "pos": "favor", "favor": "favor", "favour": "favor", "support": "favor",
    "negative": "against", "neg": "against", "against": "against", "oppose": "against",
    "neutral": "none", "neu": "none", "none": "none", "neither": "none",
}


class _ClassifierBackend(_TorchBackend):
    name = "classifier.v1"

    def load(self) -> None:
        o = self.owner
        model, tok = self._load_hf("text-classification")
        id2label = {int(i): str(l) for i, l in model.config.id2label.items()}
        n = len(id2label)
        user = {str(k).lower(): v for k, v in (o.label_map or {}).items()}
        for k, v in user.items():
            if v not in LABELS:
                raise ValueError(f"Invalid value {v!r} in `label_map[{k!r}]`; choose one of {list(LABELS)}.")
        generic = {0: "against", 1: "favor"} if n == 2 else {0: "against", 1: "none", 2: "favor"}
        cols, unknown = [], []
        for i in range(n):
            lab = id2label[i].lower()
            m = re.fullmatch(r"label_(\d+)", lab)
            stance = user.get(lab) or CLASSIFIER_LABEL_MAP.get(lab)
            if stance is None and m and n in (2, 3) and not user:
                stance = generic[int(m.group(1))]
            if stance is None:
                unknown.append(id2label[i])
            cols.append(stance)
        if unknown:
            raise ValueError(f"`label_map` has no stance for model label(s) {unknown}; model labels are "
                             f"{list(id2label.values())}; map each to one of {list(LABELS)}.")
        self.label_map = {id2label[i]: cols[i] for i in range(n)}
        # (n_model_labels, 3) 0/1 matrix that sums class probabilities per stance.
        self.proj = np.zeros((n, len(LABELS)), dtype=np.float32)
        for i, s in enumerate(cols):
            self.proj[i, LABELS.index(s)] = 1.0
        self.pair = {"favor", "against"} <= {l.lower() for l in id2label.values()}
        self.tokenizer = tok
        self.model = self._prepare(model)
        self.max_length = self._max_length(tok)

    def settings(self) -> dict:
        return {**super().settings(), "label_map": self.label_map, "pair": self.pair}

    def overhead(self, target: Target, has_span: bool) -> int:
        return (self._n_tokens("x", target.name) if self.pair else self._n_tokens("x")) - 1

    def score(self, texts, targets, spans):
        import torch

        args = (texts, [t.name for t in targets]) if self.pair else (texts,)
        enc = self.tokenizer(*args, truncation="only_first" if self.pair else True, max_length=self.max_length,
                             padding=True, return_tensors="pt")
        enc = {k: v.to(self.device) for k, v in enc.items()}
        with torch.inference_mode(), self._autocast():
            probs = torch.softmax(self.model(**enc).logits.float(), dim=-1).cpu().numpy()
        return probs @ self.proj
