"""Small helpers shared by all modules: progress bars, seeding, argument checks, atomic writes."""
from __future__ import annotations

import logging
import os
import random
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

PACKAGE_LOGGER = "stancekit"

ERRORS_CHOICES = ("raise", "warn", "skip")


class StancekitError(Exception):
    """Base class for stancekit's own failures (bad input files, model loading)."""


def is_missing(value: Any) -> bool:
    """True for None, pd.NA, NaN and NaT; False for anything else (lists and arrays included)."""
    if value is None:
        return True
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):  # array-likes: ambiguous truth value, not "missing"
        return False


def want_progress(show_progress: bool | None) -> bool:
    """Resolve ``show_progress``: None means "on if the stancekit logger is at INFO or lower"."""
    if show_progress is None:
        return logging.getLogger(PACKAGE_LOGGER).getEffectiveLevel() <= logging.INFO
    return bool(show_progress)


def progress(iterable: Iterable[Any] | None = None, *, show_progress: bool | None = None, **kwargs: Any):
    """Wrap ``iterable`` in a tqdm bar (tqdm.auto), or return a disabled bar.

    ``kwargs`` go to tqdm (``desc=``, ``total=``, ``leave=``, ``unit=``).
    """
    if not want_progress(show_progress):
        # A disabled plain bar: tqdm.auto would warn in Jupyter without ipywidgets even when hidden.
        from tqdm import tqdm

        return tqdm(iterable, disable=True, **kwargs)
    from tqdm.auto import tqdm

    return tqdm(iterable, **kwargs)


def seed_everything(seed: int = 0) -> None:
    """Seed Python, NumPy and (if imported/installed) torch, for notebooks and training."""
    random.seed(seed)
    os.environ.setdefault("PYTHONHASHSEED", str(seed))
    try:
        import numpy as np

        np.random.seed(seed)
    except ImportError:  # pragma: no cover - numpy is a hard dependency
        pass
    try:
        import torch

        torch.manual_seed(seed)
    except ImportError:
        pass


def check_choice(name: str, value: Any, choices: Iterable[Any]) -> Any:
    """Raise a ValueError naming the argument, the bad value and the valid choices."""
    choices = tuple(choices)
    if value not in choices:
        raise ValueError(f"Invalid value {value!r} for `{name}`; choose one of {list(choices)}.")
    return value


def _umask_mode() -> int:
    """0o666 minus the process umask: the mode a plain open() would give a new file."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temp file in the same folder, then os.replace)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _umask_mode())  # mkstemp creates 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


def atomic_write_text(path: str | os.PathLike, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically."""
    return atomic_write_bytes(path, text.encode(encoding))


class atomic_path:
    """Context manager yielding a temporary path that replaces ``path`` on success.

    For writers that want a file name (``DataFrame.to_parquet``, ``Figure.savefig``)::

        with atomic_path("out/summary.png") as tmp:
            fig.savefig(tmp, format="png")
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)

    def __enter__(self) -> Path:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        os.close(fd)
        self.tmp = Path(tmp)
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            os.chmod(self.tmp, _umask_mode())
            os.replace(self.tmp, self.path)
        else:
            try:
                self.tmp.unlink()
            except OSError:
                pass


#: Irregular English verb forms the lexicons need (lemma -> forms beyond the regular -s/-ed/-ing).
IRREGULAR_VERBS = {
    "say": ["said"], "tell": ["told"], "think": ["thought"], "find": ["found"], "write": ["wrote", "written"],
    "hold": ["held"], "forecast": ["forecast"], "admit": ["admitted", "admitting"], "slam": ["slammed", "slamming"],
    "commit": ["committed"], "fear": [], "blast": [], "see": ["saw", "seen", "sees", "seeing"], "feel": ["felt"],
    "seek": ["sought"], "plan": ["planned", "planning"], "regret": ["regretted"], "fault": ["faulted"],
    "rebut": ["rebutted"], "mean": ["meant"], "understand": ["understood"],
}


def verb_forms(lemma: str) -> set[str]:
    """The lemma and its inflections (-s, -ed, -ing, with the usual spelling changes and the irregular table).

    Examples
    --------
    >>> sorted(verb_forms("accuse"))
    ['accuse', 'accused', 'accuses', 'accusing']
    """
    forms = {lemma}
    forms.update(IRREGULAR_VERBS.get(lemma, []))
    if lemma.endswith("e"):
        forms |= {lemma + "s", lemma + "d", lemma[:-1] + "ing"}
    elif lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"}
    elif lemma.endswith(("s", "sh", "ch", "x")):
        forms |= {lemma + "es", lemma + "ed", lemma + "ing"}
    else:
        forms |= {lemma + "s", lemma + "ed", lemma + "ing"}
    return forms
