"""What the engine needs from a backend, and the shared torch/transformers plumbing."""
from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .._utils import StancekitError
from ..schema import STANCE_LABELS
from .targets import Target

if TYPE_CHECKING:  # pragma: no cover
    from .engine import StanceModel

#: Output order of every probability array (same as ``stancekit.stance.tsc.LABELS``).
LABELS: tuple[str, ...] = tuple(STANCE_LABELS)

# --- backends -------------------------------------------------------------------


class _Backend:
    """What the engine needs from a backend (set by ``load``)."""

    name = ""
    model_id = ""
    model_version = ""
    fingerprint = ""
    max_length = 0
    #: Backend-specific ``StanceModel(**options)`` and their defaults; others are refused.
    OPTIONS: dict[str, Any] = {}
    #: Statement-frame columns the backend reads per pair (e.g. speaker, role, context); they enter the cache key.
    pair_fields: tuple[str, ...] = ()
    #: Per-pair output columns the backend reports (stored in the cache beside the probabilities).
    info_columns: tuple[str, ...] = ()
    #: True: the engine hands all cache misses to ``score_stream`` at once, instead of fixed batches to ``score``.
    streams = False

    def __init__(self, owner: StanceModel):
        self.owner = owner

    def settings(self) -> dict:
        return {"backend": self.name, "max_length": self.max_length}

    def offsets(self, texts: list[str]) -> list[list[tuple[int, int]]]:
        raise NotImplementedError

    def overhead(self, target: Target, has_span: bool) -> int:
        return 0

    def score(self, texts: list[str], targets: list[Target], spans: list[tuple[int, int] | None]) -> np.ndarray:
        raise NotImplementedError

    def score_stream(self, texts: list[str], targets: list[Target], spans: list[tuple[int, int] | None],
                     extras: list[dict]) -> Iterator[tuple[int, np.ndarray, dict | None]]:
        """Yield ``(position, probabilities, info)`` as pairs finish, in any order (``streams = True``).

        A row of NaN probabilities marks a pair that failed: the engine does not cache it.
        """
        raise NotImplementedError


def _pick_device(device: str | None) -> str:
    import torch

    if device:
        device = str(device)
        try:
            kind = torch.device(device).type
        except (RuntimeError, ValueError):
            raise ValueError(f"Invalid value {device!r} for `device`; choose 'cpu', 'cuda', 'cuda:N' or 'mps'.") from None
        if kind == "cuda" and not torch.cuda.is_available():
            raise ValueError(f"`device`={device!r} but CUDA is not available on this machine; use 'cpu' "
                             "(or leave `device` unset to pick the best one).")
        if kind == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
            raise ValueError(f"`device`={device!r} but MPS is not available on this machine; use 'cpu'.")
        return device
    if torch.cuda.is_available():
        return "cuda"
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return "mps"
    return "cpu"


def _offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}


def _tensor_fingerprint(model) -> str:
    h = hashlib.sha256()
    for k, v in sorted(model.state_dict().items()):
        h.update(k.encode())
        h.update(v.detach().float().cpu().contiguous().numpy().tobytes())
    return "mem:" + h.hexdigest()[:16]


def _folder_fingerprint(path: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(path.iterdir()):
        if f.is_file():
            st = f.stat()
            h.update(f"{f.name}:{st.st_size}:{st.st_mtime_ns}".encode())
            if f.suffix == ".json":
                h.update(f.read_bytes())
    return "dir:" + h.hexdigest()[:16]


def _check_max_length(owner, limit: int | None) -> None:
    """``max_length`` must fit the model's position embeddings (the text window cannot be longer)."""
    ml = owner.max_length
    if ml is None:
        return
    if not isinstance(ml, int) or isinstance(ml, bool) or ml < 8:
        raise ValueError(f"Invalid value {ml!r} for `max_length`; give an int >= 8 (tokens).")
    if limit and ml > limit:
        raise ValueError(f"`max_length`={ml} exceeds this model's {limit} positions; give at most {limit}.")


class _TorchBackend(_Backend):
    tokenizer: Any = None
    model: Any = None
    device = "cpu"

    def _prepare(self, model) -> Any:
        """Threads, device and precision for ``model``; returns the module to call."""
        import torch

        from . import tsc as _tsc

        o = self.owner
        if o.num_threads is not None:
            torch.set_num_threads(int(o.num_threads))
        self.device = _pick_device(o.device)
        self.precision = _tsc.resolve_precision(o._precision(), self.device)
        model.eval()
        if self.precision == "int8":
            model = _tsc.quantize_int8(model)
        return model.to(self.device)

    def _autocast(self):
        """Autocast for bf16/fp16 on plain transformers modules (a no-op context in fp32/int8)."""
        import contextlib

        import torch

        from . import tsc as _tsc

        if self.precision in ("bf16", "fp16"):
            return torch.autocast(device_type=self.device.split(":")[0], dtype=_tsc._DTYPES[self.precision])
        return contextlib.nullcontext()

    def settings(self) -> dict:
        return {**super().settings(), "precision": self.precision}

    def offsets(self, texts: list[str]) -> list[list[tuple[int, int]]]:
        enc = self.tokenizer(texts, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
        return [[tuple(o) for o in offs] for offs in enc["offset_mapping"]]

    def _n_tokens(self, *args: str) -> int:
        return len(self.tokenizer(*args, add_special_tokens=True, verbose=False)["input_ids"])

    def _load_hf(self, what: str):
        """(model, tokenizer) from ``owner.model``: a loaded pair, a local folder or a hub id."""
        o = self.owner
        if isinstance(o.model, (tuple, list)) and len(o.model) == 2:
            model, tok = o.model
            self.model_id = getattr(model.config, "name_or_path", "") or type(model).__name__
            self.fingerprint = _tensor_fingerprint(model)
            self.model_version = o.revision or self.fingerprint
            return model, tok
        if not isinstance(o.model, (str, os.PathLike)):
            raise ValueError(
                f"backend {self.name!r} needs `model`: a Hugging Face hub id, a local folder, "
                f"or a (model, tokenizer) pair; got {o.model!r}."
            )
        name = os.fspath(o.model)
        path = Path(name).expanduser()
        local = path.is_dir()
        if not local and (path.is_absolute() or name.startswith((".", "~")) or path.exists()):
            raise StancekitError(f"no {what} model folder at {name}: check the path, or pass a Hugging Face "
                                 "hub id (needs network access or a filled hub cache).")
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        src = str(path) if local else name
        # Read HF_HUB_OFFLINE now: huggingface_hub reads it only once, at import.
        kw = {"revision": o.revision, "local_files_only": _offline()}
        try:
            tok = AutoTokenizer.from_pretrained(src, **kw)
            model = AutoModelForSequenceClassification.from_pretrained(src, **kw)
        except (OSError, ValueError, KeyError, RuntimeError) as exc:
            hint = (" HF_HUB_OFFLINE is set, so only models already in the hub cache load."
                    if _offline() and not local else "")
            first = str(exc).strip().splitlines()[0].rstrip(".") if str(exc).strip() else type(exc).__name__
            raise StancekitError(f"could not load {what} model {name!r}: {first}. Check the path, or pass a "
                                 f"hub id with network access.{hint}") from exc
        self.model_id = name
        if local:
            self.fingerprint = _folder_fingerprint(path)
            self.model_version = o.revision or self.fingerprint
        else:
            commit = getattr(model.config, "_commit_hash", None) or o.revision or "unpinned"
            self.fingerprint = f"hub:{name}@{commit}"
            self.model_version = commit
        return model, tok

    def _max_length(self, tok) -> int:
        limit = getattr(getattr(self.model, "config", None), "max_position_embeddings", None)
        _check_max_length(self.owner, limit)
        if self.owner.max_length:
            return int(self.owner.max_length)
        mml = getattr(tok, "model_max_length", None) or 512
        return int(min(mml, 512))
