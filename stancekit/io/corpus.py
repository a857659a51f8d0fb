"""Corpora in partitions: plan them, read one, and keep partitioned Parquet outputs.

A corpus run never holds the whole corpus. :func:`plan_partitions` walks the
inputs (files, folders, glob patterns, or a DataFrame) lazily and yields
:class:`CorpusPart` plans: a list of article files, one multi-article shard
(``.jsonl``, ``.csv``, ``.json``, ``.parquet``) or a slice of a frame. Only the
plan travels to a worker; :func:`read_part` reads the articles there. A shard
holding more articles than a partition is split after reading
(:func:`split_articles`), so the unit of work and of recovery is always at
most ``partition_size`` articles.

Outputs are folders of Parquet files, one per partition, each written under a
temporary name and renamed into place (:func:`write_part`), so a reader never
sees a half-written file. :func:`articles_key` fingerprints a partition's
articles (ids, metadata and a hash of each text), which a run combines with
its model and options to decide whether a partition on disk is still valid.

No NLP happens here.
"""
from __future__ import annotations

import glob
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .._utils import StancekitError, atomic_path
from ..schema import ARTICLE_COLUMNS
from .articles import _articles_frame, _file_jobs, _iter_articles
from .formats import MULTI_ARTICLE_KINDS

__all__ = [
    "CorpusPart",
    "expand_sources",
    "plan_partitions",
    "read_part",
    "split_articles",
    "articles_key",
    "part_name",
    "write_part",
    "read_parts",
    "list_parts",
    "remove_temp_files",
]

#: Articles per partition when the caller does not say: about 1 MB of text for
#: seed-sized news articles (8.6k characters), 15-30 s of extraction per core.
DEFAULT_PARTITION_SIZE = 100

_GLOB_CHARS = re.compile(r"[*?\[]")
_PART_FILE = re.compile(r"^part-\d{6}-\d{4}\.parquet$")


@dataclass(frozen=True)
class CorpusPart:
    """The plan of one input partition: what to read, not the articles themselves.

    Attributes
    ----------
    index : int
        0-based position in the corpus; output files are named after it.
    files : tuple of (str, str, str)
        ``(path, article id stem, kind)`` of each file to read (empty for a frame slice).
    frame : pandas.DataFrame or None
        A slice of an in-memory articles frame, for DataFrame sources.
    """

    index: int
    files: tuple[tuple[str, str, str], ...] = ()
    frame: pd.DataFrame | None = None

    def describe(self) -> str:
        """A short name for messages: the first file, or the row range of a frame slice."""
        if self.frame is not None:
            return f"rows {self.frame.index[0]}..{self.frame.index[-1]}" if len(self.frame) else "no rows"
        extra = f" and {len(self.files) - 1} more" if len(self.files) > 1 else ""
        return f"{self.files[0][0]}{extra}"


def expand_sources(source: str | os.PathLike | Iterable[str | os.PathLike]) -> list[Path]:
    """Files and folders named by ``source``, with glob patterns expanded (sorted).

    ``"news/2026-*/**/*.jsonl"`` works as in the shell with ``**`` matching any
    depth. A path without ``*``, ``?`` or ``[`` is taken as is.

    Raises
    ------
    FileNotFoundError
        If a path does not exist or a pattern matches nothing.
    ValueError
        If ``source`` is an empty list.
    """
    items = [source] if isinstance(source, (str, os.PathLike)) else list(source)
    if not items:
        raise ValueError("`source` is an empty list; give at least one file, folder or glob pattern.")
    paths: list[Path] = []
    for item in items:
        text = os.fspath(item)
        if _GLOB_CHARS.search(text) and not Path(text).exists():
            found = sorted(glob.glob(text, recursive=True))
            if not found:
                raise FileNotFoundError(f"No file or directory matches {text!r}")
            paths.extend(Path(f) for f in found)
        else:
            path = Path(text)
            if not path.exists():
                raise FileNotFoundError(f"No such file or directory: {text!r}")
            paths.append(path)
    return paths


def plan_partitions(
    source: str | os.PathLike | Iterable[str | os.PathLike] | pd.DataFrame,
    *,
    partition_size: int = DEFAULT_PARTITION_SIZE,
) -> Iterator[CorpusPart]:
    """Yield the partition plans of a corpus, lazily, in walking order.

    Single-article files (``.txt``, ``.md``, ``.html``) are grouped
    ``partition_size`` at a time; each multi-article file (``.jsonl``,
    ``.csv``, ``.json``, ``.parquet``) is a plan of its own, split after
    reading when it holds more than ``partition_size`` articles. A DataFrame
    is cut into slices of ``partition_size`` rows. Article ids are those of
    :func:`stancekit.io.read_articles` (the path relative to the folder given).

    Parameters
    ----------
    source : path, glob pattern, list of them, or pandas.DataFrame
        The corpus.
    partition_size : int
        Articles per partition.

    Yields
    ------
    CorpusPart

    Examples
    --------
    >>> [p.index for p in plan_partitions("seeds/")]  # doctest: +SKIP
    [0]
    """
    if not isinstance(partition_size, int) or isinstance(partition_size, bool) or partition_size < 1:
        raise ValueError(f"Invalid value {partition_size!r} for `partition_size`; give a positive int.")
    if isinstance(source, pd.DataFrame):
        return _plan_frame(source, partition_size)
    return _plan_files(expand_sources(source), partition_size)


def _plan_frame(frame: pd.DataFrame, size: int) -> Iterator[CorpusPart]:
    for index, start in enumerate(range(0, len(frame), size)):
        yield CorpusPart(index=index, frame=frame.iloc[start:start + size])


def _plan_files(paths: list[Path], size: int) -> Iterator[CorpusPart]:
    index = 0
    group: list[tuple[str, str, str]] = []
    for path, stem, kind in _file_jobs(paths):
        if kind in MULTI_ARTICLE_KINDS:
            if group:
                yield CorpusPart(index=index, files=tuple(group))
                index, group = index + 1, []
            yield CorpusPart(index=index, files=((str(path), stem, kind),))
            index += 1
            continue
        group.append((str(path), stem, kind))
        if len(group) == size:
            yield CorpusPart(index=index, files=tuple(group))
            index, group = index + 1, []
    if group:
        yield CorpusPart(index=index, files=tuple(group))


def read_part(
    part: CorpusPart,
    *,
    text: str = "text",
    article: str = "article",
    errors: str = "warn",
    encoding: str | None = None,
) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """Read the articles of one partition plan.

    Bad inputs are skipped (and returned) unless ``errors="raise"``; a plan
    where nothing is readable gives an empty frame.

    Returns
    -------
    (pandas.DataFrame, list of (str, str))
        The articles (``ARTICLE_COLUMNS``) and the ``(input name, reason)`` of
        each skipped input.

    Raises
    ------
    StancekitError
        With ``errors="raise"``, on the first unreadable input.
    """
    skipped: list[tuple[str, str]] = []
    mode = "raise" if errors == "raise" else "skip"
    if part.frame is not None:
        gen = _iter_articles(part.frame, None, text=text, article=article, errors=mode, encoding=encoding,
                             show_progress=False, on_skip=lambda n, r: skipped.append((n, r)))
    else:
        jobs = [(Path(p), stem, kind) for p, stem, kind in part.files]
        gen = _iter_articles([p for p, _, _ in jobs], [p for p, _, _ in jobs], text=text, article=article,
                             errors=mode, encoding=encoding, show_progress=False,
                             on_skip=lambda n, r: skipped.append((n, r)), jobs=jobs)
    records: list[dict] = []
    try:
        for rec in gen:
            records.append(rec)
    except StancekitError:
        if errors == "raise" or records:
            raise
        # "no readable articles": every input of this partition was skipped
    return _articles_frame(records), skipped


def split_articles(articles: pd.DataFrame, size: int) -> list[pd.DataFrame]:
    """Cut an articles frame into consecutive pieces of at most ``size`` rows (at least one piece)."""
    if len(articles) <= size:
        return [articles]
    return [articles.iloc[s:s + size].reset_index(drop=True) for s in range(0, len(articles), size)]


def articles_key(articles: pd.DataFrame, salt: str = "") -> str:
    """A hex digest of a partition's articles: ids, metadata and a hash of each text, in order.

    ``salt`` (a run's model and options) is mixed in, so the key changes when
    either the articles or the run settings change.
    """
    h = hashlib.sha256(salt.encode())
    for row in articles[ARTICLE_COLUMNS].itertuples(index=False, name=None):
        fields = ["" if pd.isna(v) else str(v) for v in row]
        fields[1] = hashlib.sha256(fields[1].encode("utf-8", "surrogatepass")).hexdigest()
        h.update(json.dumps(fields, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def part_name(index: int, piece: int = 0) -> str:
    """File stem of partition ``index`` (piece ``piece`` of a split shard): ``part-000012-0000``."""
    return f"part-{index:06d}-{piece:04d}"


def _arrow_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Give object columns of strings (or only missing values) the string dtype.

    Every partition then writes the same Parquet type for a column, even one
    whose values are all missing in this partition, so the folder reads back
    as one dataset (``pd.read_parquet(folder)``).
    """
    changes = {}
    for col, dtype in frame.dtypes.items():
        if dtype == object:
            values = frame[col].dropna()
            if all(isinstance(v, str) for v in values):
                changes[col] = pd.StringDtype()
    return frame.astype(changes) if changes else frame


def write_part(folder: str | os.PathLike, name: str, frame: pd.DataFrame) -> Path:
    """Write one partition's frame to ``folder/name.parquet`` atomically (temp file, then rename)."""
    path = Path(folder) / f"{name}.parquet"
    with atomic_path(path) as tmp:
        _arrow_ready(frame).to_parquet(tmp, index=False)
    return path


def list_parts(folder: str | os.PathLike) -> list[Path]:
    """The partition files in ``folder``, in partition order (temporary files are never listed)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if _PART_FILE.match(p.name))


def read_parts(
    folder: str | os.PathLike,
    *,
    names: Iterable[str] | None = None,
    columns: list[str] | None = None,
) -> pd.DataFrame:
    """Concatenate the partition files of ``folder`` (or only ``names``), in partition order.

    Returns an empty frame when there are none.
    """
    files = list_parts(folder)
    if names is not None:
        wanted = {f"{n}.parquet" for n in names}
        files = [f for f in files if f.name in wanted]
    frames = [pd.read_parquet(f, columns=columns) for f in files]
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=columns) if columns else pd.DataFrame()
    return pd.concat(frames, ignore_index=True)


def remove_temp_files(folder: str | os.PathLike) -> int:
    """Delete temporary files left in ``folder`` by a killed writer; return how many."""
    folder = Path(folder)
    if not folder.is_dir():
        return 0
    count = 0
    for p in folder.iterdir():
        if p.name.startswith(".") and p.name.endswith(".tmp"):
            try:
                p.unlink()
                count += 1
            except OSError:
                pass
    return count
