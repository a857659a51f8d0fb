"""Zero-shot stance with any NLI model (``nli.v1``)."""
from __future__ import annotations

from .._utils import StancekitError
from .backend import LABELS, _TorchBackend
from .targets import Target

#: Default NLI hypotheses, after Allaway & McKeown (2020)-style zero-shot stance prompts.
DEFAULT_TEMPLATES: dict[str, str] = {
    "favor": "The author is in favor of {target}.",
    "against": "The author is against {target}.",
    "none": "The author is neutral toward {target}.",
}

class _NLIBackend(_TorchBackend):
    name = "nli.v1"

    def load(self) -> None:
        o = self.owner
        templates = dict(DEFAULT_TEMPLATES if o.templates is None else o.templates)
        if set(templates) != set(LABELS):
            raise ValueError(f"`templates` must have exactly the keys {sorted(LABELS)}; got {sorted(templates)}.")
        for k, v in templates.items():
            if "{target}" not in v:
                raise ValueError(f"`templates[{k!r}]` = {v!r} lacks the placeholder '{{target}}'.")
        self.templates = templates
        model, tok = self._load_hf("NLI")
        id2label = {int(i): str(l) for i, l in model.config.id2label.items()}
        ent = [i for i, l in id2label.items() if "entail" in l.lower() and "not" not in l.lower()]
        if not ent:
            raise StancekitError(f"model {self.model_id!r} has no entailment label in config.id2label "
                                 f"{id2label}; the nli backend needs an NLI model.")
        self.entail = ent[0]
        self.tokenizer = tok
        self.model = self._prepare(model)
        self.max_length = self._max_length(tok)
        self._overheads: dict[str, int] = {}

    def settings(self) -> dict:
        return {**super().settings(), "templates": self.templates}

    def overhead(self, target: Target, has_span: bool) -> int:
        if target.name not in self._overheads:
            self._overheads[target.name] = max(
                self._n_tokens("x", h.format(target=target.name)) for h in self.templates.values()
            ) - 1
        return self._overheads[target.name]

    def score(self, texts, targets, spans):
        import torch

        prem, hyp = [], []
        for text, t in zip(texts, targets):
            for lab in LABELS:
                prem.append(text)
                hyp.append(self.templates[lab].format(target=t.name))
        enc = self.tokenizer(prem, hyp, truncation="only_first", max_length=self.max_length,
                             padding=True, return_tensors="pt")
        enc = {k: v.to(self.device) for k, v in enc.items()}
        with torch.inference_mode(), self._autocast():
            logits = self.model(**enc).logits.float()
        ent = logits[:, self.entail].reshape(len(texts), len(LABELS))
        return torch.softmax(ent, dim=-1).cpu().numpy()
