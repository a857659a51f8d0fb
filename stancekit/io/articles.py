"""Walk article sources (files, folders, frames) lazily and read them as an articles frame."""
from __future__ import annotations

import logging
import os
import re
import warnings
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from .._utils import ERRORS_CHOICES, StancekitError, check_choice, progress
from ..schema import ARTICLE_COLUMNS, check_frame
from .decode import _check_prose, _Skip
from .formats import ARTICLE_SUFFIXES, META_FIELDS, _parse_file, _str_or_none

log = logging.getLogger("stancekit.io")

#: Names in a directory that are never articles (sidecars, registries, notes).
_SKIP_NAME = re.compile(r"(?i)^(?:.*\.meta\.json|registry\..*|readme.*)$")


# --- walking sources ---------------------------------------------------------


def _walk(root: Path, _seen: frozenset = frozenset()) -> Iterator[Path]:
    """Files under ``root`` in sorted order, one directory listing at a time.

    Names sort by code point (``"A" < "a" < "a10" < "a2"``), the same on every
    platform; hidden entries are left out; a symlink loop is not followed twice.
    """
    real = os.path.realpath(root)
    if real in _seen:
        log.warning("%s: symlink loop, not followed", root)
        return
    seen = _seen | {real}
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as exc:
        log.warning("%s: cannot list directory (%s)", root, exc)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(Path(entry.path), seen)
        elif entry.is_file():
            yield Path(entry.path)


def _file_jobs(sources: list[Path]) -> Iterator[tuple[Path, str, str]]:
    """(path, stem id, kind) for each article file, lazily."""
    for src in sources:
        if src.is_dir():
            for path in _walk(src):
                if _SKIP_NAME.match(path.name):
                    log.debug("%s: skipped (sidecar, registry or readme)", path)
                    continue
                kind = ARTICLE_SUFFIXES.get(path.suffix.lower())
                if kind is None:
                    log.debug("%s: skipped (unknown suffix %r)", path, path.suffix)
                    continue
                stem = path.relative_to(src).with_suffix("").as_posix()
                yield path, stem, kind
        else:
            registry_like = src.suffix.lower() in (".yaml", ".yml")  # a registry given as an article
            kind = "registry" if registry_like else ARTICLE_SUFFIXES.get(src.suffix.lower(), "sniff")
            yield src, src.with_suffix("").name, kind


def _frame_records(data: pd.DataFrame, *, text: str, article: str) -> Iterator[dict | _Skip]:
    check_frame(data, [text], name="source")
    has_id = article in data.columns
    for pos, (index, row) in enumerate(data.iterrows()):
        ident = _str_or_none(row[article]) if has_id else None
        if ident is None:
            ident = str(index)
        name = f"row {ident}"
        body = row[text]
        try:
            if body is None or (not isinstance(body, str) and pd.isna(body)):
                raise _Skip(name, "empty")
            if not isinstance(body, str):
                raise _Skip(name, f"text column {text!r} is not a string")
            body = body.replace("\r\n", "\n").replace("\r", "\n")
            _check_prose(body, name)
        except _Skip as skip:
            yield skip
            continue
        rec = {"article": ident, "text": body,
               "source": _str_or_none(row["source"]) if "source" in data.columns else None}
        for key in META_FIELDS:
            rec[key] = _str_or_none(row[key]) if key in data.columns else None
        yield rec


def _describe(source: Any) -> str:
    if isinstance(source, pd.DataFrame):
        return "the DataFrame"
    if isinstance(source, (str, os.PathLike)):
        return str(source)
    return ", ".join(str(s) for s in source)


def _summary(skips: list[_Skip], total: int, *, limit: int = 10) -> str:
    items = ", ".join(f"{s.name} ({s.reason})" for s in skips[:limit])
    if len(skips) > limit:
        items += f", and {len(skips) - limit} more"
    return f"skipped {len(skips)} of {total} inputs: {items}"


def iter_articles(
    source: str | os.PathLike | Iterable[str | os.PathLike] | pd.DataFrame,
    *,
    text: str = "text",
    article: str = "article",
    errors: str = "warn",
    encoding: str | None = None,
    show_progress: bool | None = None,
    on_skip: Callable[[str, str], None] | None = None,
) -> Iterator[dict]:
    """Yield articles one at a time, as dicts with the keys of ``ARTICLE_COLUMNS``.

    Directories are walked lazily in sorted order (one listing at a time, each
    file opened only when its turn comes), so a folder of 10,000 articles
    streams with bounded memory. See :func:`read_articles` for formats,
    article ids and the handling of bad input.

    Parameters
    ----------
    source : path, list of paths, or pandas.DataFrame
        Files or directories (searched recursively), or a frame with a text column.
    text : str
        Name of the text field/column (then ``body``, ``content`` are tried in files).
    article : str
        Name of the article id field/column (then ``id``, ``doc_id`` are tried in files).
    errors : {"warn", "skip", "raise"}
        What to do with an unreadable input: ``"warn"`` gives one summary
        warning at the end (and a DEBUG log line per input), ``"skip"`` is
        silent, ``"raise"`` raises :class:`stancekit.StancekitError` at once.
    encoding : str, optional
        Force this codec for all files instead of detecting one.
    show_progress : bool, optional
        Show a progress bar over input files. None (default) shows it when the
        ``stancekit`` logger is at INFO or lower.
    on_skip : callable, optional
        Called as ``on_skip(name, reason)`` for every skipped input (unless
        ``errors="raise"``), e.g. for a CLI that prints one line per file.
        It is called in addition to the ``"warn"`` summary; pass
        ``errors="skip"`` to get only the callback.

    Yields
    ------
    dict
        Keys ``article, text, source, title, outlet, date``; missing values are None.

    Raises
    ------
    FileNotFoundError
        At call time, if a path does not exist.
    StancekitError
        With ``errors="raise"`` on the first bad input; and, after the last
        input, if no article at all could be read.

    Examples
    --------
    >>> for art in iter_articles("seeds/"):  # doctest: +SKIP
    ...     print(art["article"], len(art["text"]))
    global-times-2026-01-30-us-canada-sovereignty 8618
    """
    check_choice("errors", errors, ERRORS_CHOICES)
    if isinstance(source, pd.DataFrame):
        check_frame(source, [text], name="source")
        paths = None
    else:
        if isinstance(source, (str, os.PathLike)):
            paths = [Path(source)]
        else:
            paths = [Path(s) for s in source]
        if not paths:
            raise ValueError("`source` is an empty list; give at least one file or directory.")
        for path in paths:
            if not path.exists():
                raise FileNotFoundError(f"No such file or directory: {str(path)!r}")
    return _iter_articles(source, paths, text=text, article=article, errors=errors, encoding=encoding,
                          show_progress=show_progress, on_skip=on_skip)


def _iter_articles(source, paths, *, text, article, errors, encoding, show_progress, on_skip,
                   jobs: Iterable[tuple[Path, str, str]] | None = None) -> Iterator[dict]:
    """The generator behind :func:`iter_articles`; ``jobs`` replaces walking ``paths``
    with an explicit list of ``(path, stem, kind)`` (a corpus partition's files)."""
    skips: list[_Skip] = []
    total = 0
    n_yielded = 0
    seen_ids: dict[str, int] = {}

    def skip(item: _Skip) -> None:
        log.debug("skipped %s: %s", item.name, item.reason)
        if errors == "raise":
            raise StancekitError(f"{item.name}: {item.reason}")
        skips.append(item)
        if on_skip is not None:
            on_skip(item.name, item.reason)

    def unique(rec: dict, alt: str) -> dict:
        ident = rec["article"]
        if ident in seen_ids:
            seen_ids[ident] += 1
            new = alt if alt not in seen_ids else f"{ident}#{seen_ids[ident]}"
            log.info("duplicate article id %r; using %r for %s", ident, new, rec["source"])
            rec["article"] = new
        seen_ids.setdefault(rec["article"], 1)
        return rec

    if paths is None:
        bar = progress(_frame_records(source, text=text, article=article), show_progress=show_progress,
                       total=len(source), desc="reading articles", unit="article")
        for item in bar:
            total += 1
            if isinstance(item, _Skip):
                skip(item)
                continue
            n_yielded += 1
            yield unique(item, f"{item['article']}#2")
    else:
        bar = progress(_file_jobs(paths) if jobs is None else jobs, show_progress=show_progress, desc="reading articles", unit="file")
        for path, stem, kind in bar:
            try:
                for item in _parse_file(path, stem=stem, kind=kind, text=text, article=article,
                                        encoding=encoding):
                    total += 1
                    if isinstance(item, _Skip):
                        skip(item)
                        continue
                    n_yielded += 1
                    alt = f"{stem}{path.suffix}" if kind in ("txt", "md", "html", "sniff") else f"{item['article']}#2"
                    yield unique(item, alt)
            except _Skip as item:
                total += 1
                skip(item)
        bar.close()

    if n_yielded == 0:
        reasons = "; ".join(f"{s.name} ({s.reason})" for s in skips[:10]) or "no article files found"
        if len(skips) > 10:
            reasons += f"; and {len(skips) - 10} more"
        raise StancekitError(f"no readable articles in {_describe(source)}: {reasons}")
    if skips and errors == "warn":
        warnings.warn(_summary(skips, total), stacklevel=3)


def read_articles(
    source: str | os.PathLike | Iterable[str | os.PathLike] | pd.DataFrame,
    *,
    text: str = "text",
    article: str = "article",
    errors: str = "warn",
    encoding: str | None = None,
    show_progress: bool | None = None,
) -> pd.DataFrame:
    """Read news articles into a frame with the columns ``ARTICLE_COLUMNS``.

    Formats, chosen by suffix:

    - ``.txt``: the whole file is one article.
    - ``.md``: Markdown, text kept as is; the first ``# `` heading is the title.
    - ``.html``/``.htm``: the main text only (``<article>``, else the element
      with the most ``<p>`` text; scripts, navigation, headers, footers,
      asides and figures dropped), paragraphs joined by ``\\n``; title from
      ``<title>``/``<h1>``, outlet and date from the ``og:site_name`` and
      ``article:published_time`` meta tags.
    - ``.jsonl``: one article per line; ``.json``: a list of such objects;
      ``.csv`` and ``.parquet`` (needs pyarrow; read a batch of rows at a
      time): one article per row. The text is in the field named by
      ``text`` (else ``body``, ``content``), the id in ``article`` (else
      ``id``, ``doc_id``); ``title``, ``outlet``, ``date`` and ``source``
      fields are kept.

    A sidecar ``NAME.meta.json`` beside ``NAME.txt`` (or ``.md``/``.html``)
    supplies ``title``, ``outlet`` and ``date``, and its ``doc_id`` becomes
    the article id. In directories, ``*.meta.json``, ``registry.*``,
    ``README*``, hidden files and unknown suffixes are skipped quietly; a file
    named explicitly with an unknown suffix is read as text.

    Article ids: the file's path relative to the given directory without its
    suffix (``"2026/jan/story"``), or the stem of a file given directly; rows
    of JSONL/CSV/JSON files without an id get ``"stem:n"`` (``n`` the 1-based
    line of a JSONL file, or the record number in CSV/JSON). A repeated id
    gets the suffix appended (``"story.md"``) or ``"#2"``, ``"#3"``.

    Text is decoded (UTF-8 with or without BOM, UTF-16 with BOM, else the
    encoding charset-normalizer detects) and kept exactly as decoded except
    that ``\\r\\n`` and ``\\r`` become ``\\n``, so offsets into ``text`` are stable.

    Parameters
    ----------
    source : path, list of paths, or pandas.DataFrame
        Files or directories (searched recursively), or a frame with a text
        column named by ``text``; its id column is named by ``article``, else
        the index is used.
    text : str
        Name of the text field/column.
    article : str
        Name of the article id field/column.
    errors : {"warn", "skip", "raise"}
        Unreadable inputs (empty, whitespace only, binary, undecodable, a
        JSONL line that is not JSON or lacks a text field, a CSV without the
        text column, fewer than 20 letters, not prose): ``"warn"`` (default)
        gives one summary warning, ``"skip"`` is silent, ``"raise"`` raises.
    encoding : str, optional
        Force this codec for all files instead of detecting one.
    show_progress : bool, optional
        Show a progress bar over input files. None (default) shows it when the
        ``stancekit`` logger is at INFO or lower.

    Returns
    -------
    pandas.DataFrame
        One row per article, columns ``article, text, source, title, outlet,
        date`` (string dtype; missing values are ``pd.NA``), in walking order.

    Raises
    ------
    FileNotFoundError
        If a path does not exist.
    StancekitError
        If nothing could be read, or with ``errors="raise"`` on a bad input.

    Examples
    --------
    >>> arts = read_articles("seeds/")  # doctest: +SKIP
    >>> arts[["article", "outlet", "date"]].iloc[0].tolist()  # doctest: +SKIP
    ['global-times-2026-01-30-us-canada-sovereignty', 'Global Times', '2026-01-30']
    """
    records = list(iter_articles(source, text=text, article=article, errors=errors, encoding=encoding,
                                 show_progress=show_progress))
    return _articles_frame(records)


def _articles_frame(records: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=ARTICLE_COLUMNS)
    return frame.astype({col: pd.StringDtype() for col in ARTICLE_COLUMNS})
