"""The shipped offline model (``default.v1``): MiniLM + LoRA + target-aware head, see :mod:`.tsc`."""
from __future__ import annotations

from .backend import _TorchBackend
from .targets import Target

class _DefaultBackend(_TorchBackend):
    name = "default.v1"

    def load(self) -> None:
        from . import tsc as _tsc

        o = self.owner
        if isinstance(o.model, _tsc.TSC):
            tsc = o.model
        else:
            tsc = _tsc.load_tsc(o.model, device="cpu")
        self.tsc = tsc
        self.tokenizer = tsc.tokenizer
        self.model = self._prepare(tsc.model)
        if self.precision != "int8":
            # The fused forward (bf16 weights converted once) when the encoder is a plain BERT.
            self.model = _tsc.inference_model(self.model, self.precision)
        self.fused = isinstance(self.model, _tsc.FastTSC)
        # Models trained with the reporting frame read "SPEAKER CUE: statement" (stancekit.stance.tsc.frame_text).
        self.uses_frame = bool(tsc.config.get("frame", False))
        self.calibration = tsc.config.get("calibration")
        self.model_id = tsc.name
        self.model_version = str(tsc.version)
        self.fingerprint = tsc.fingerprint
        from .backend import _check_max_length

        enc_cfg = getattr(getattr(tsc.model, "encoder", None), "config", None)
        _check_max_length(o, getattr(enc_cfg, "max_position_embeddings", None))
        self.max_length = int(o.max_length or tsc.max_length)
        self._overheads: dict[tuple[str, bool], int] = {}

    def overhead(self, target: Target, has_span: bool) -> int:
        key = (target.name, has_span)
        if key not in self._overheads:
            from . import tsc as _tsc

            plain = len(self.tokenizer("x", add_special_tokens=False)["input_ids"])
            enc = _tsc.encode(self.tokenizer, ["x"], [target.name], [(0, 1) if has_span else None], 10_000)
            self._overheads[key] = int(enc["input_ids"].shape[1]) - plain
        return self._overheads[key]

    def score(self, texts, targets, spans):
        import contextlib

        import torch

        from . import tsc as _tsc

        batch = _tsc.encode(self.tokenizer, texts, [t.name for t in targets], spans, self.max_length)
        batch = {k: v.to(self.device) for k, v in batch.items()}
        with torch.inference_mode(), (contextlib.nullcontext() if self.fused else self._autocast()):
            logits = self.model(**batch)
        logits = _tsc.calibrate_logits(logits.float(), self.calibration)
        return torch.softmax(logits, dim=-1).cpu().numpy()
