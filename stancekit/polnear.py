"""Read PolNeAR, the Political News Attribution Relations corpus, from its folder.

PolNeAR (Newell, Margolin & Ruths, "An Attribution Relations Corpus for
Political News", LREC 2018) annotates every attribution in 2016 US election
news with its Source, Cue and Content spans in brat standoff format. stancekit
uses it as development data for statement extraction and as the text source
of its political stance labels. The articles remain their publishers'
copyright: the project never copies their text, it reads them from the
corpus folder (``../shared/data/polnear`` next to a checkout, or
``$STANCEKIT_POLNEAR``) and refers to them by article id and character offsets.

Folder layout read here::

    polnear/metadata.tsv                    compartment, filename, publisher, date, author, title, ...
    polnear/<split>/text/<article>.txt
    polnear/<split>/attributions/<article>_<annotator>.ann

An annotation file holds ``T<n>\\t<Label> <start> <end>[;<start> <end>...]\\t<text>``
lines (Label: Source, Cue, Content, Attribution, ...) and
``E<n>\\tAttribution:T<a> Content:T<c> Cue:T<k> Source:T<s>`` lines tying one
attribution's parts together (Source or Cue may be missing; a second Content
part is ``Content2``). The text field of a T line may run over several lines;
it is never used, the spans are read from the article text instead.

Only the standard library and pandas are used: no NLP.
"""
from __future__ import annotations

import csv
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from ._utils import StancekitError, check_choice

#: The compartments this reader knows (the corpus's test compartment is not distributed with stancekit's data).
SPLITS = ("train", "dev", "test")

#: Columns of :func:`read_attributions`.
ATTRIBUTION_COLUMNS = [
    "article",          # article id (file name without .txt)
    "split",
    "annotator",        # annotator id from the .ann file name
    "attribution_id",   # "E<n>" in that file
    "relation",         # "Attribution" or "Attribution-no-source"
    "source_spans",     # list of (start, end), possibly empty
    "cue_spans",
    "content_spans",    # Content then Content2 parts, in text order
    "source",           # source text, parts joined by " ... " (pd.NA when none)
    "cue",
    "content",
    "start",            # first and last character of the content
    "end",
]

_T_LINE = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t")
_E_LINE = re.compile(r"^(E\d+)\t(.*)$")


def default_polnear_dir() -> Path:
    """``$STANCEKIT_POLNEAR``, else ``../shared/data/polnear`` beside the repository.

    The second is where the project's CI places the shared data; the path may
    not exist (tests that need it skip).
    """
    env = os.environ.get("STANCEKIT_POLNEAR")
    if env:
        return Path(env).expanduser()
    return Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear"


def _root(path: str | os.PathLike | None) -> Path:
    root = Path(path).expanduser() if path is not None else default_polnear_dir()
    if not (root / "metadata.tsv").is_file() and not any((root / s / "text").is_dir() for s in SPLITS):
        raise StancekitError(f"{root}: not a PolNeAR folder (no metadata.tsv and no <split>/text/ folder).")
    return root


def _spans(field: str) -> list[tuple[int, int]]:
    out = []
    for part in field.split(";"):
        a, b = part.split()
        out.append((int(a), int(b)))
    return out


def parse_ann(text: str) -> tuple[dict[str, tuple[str, list[tuple[int, int]]]], list[tuple[str, str, dict[str, str]]]]:
    """Parse one brat ``.ann`` file.

    Returns
    -------
    tuple
        ``(spans, events)``: ``spans`` maps ``T<n>`` to ``(label, [(start, end), ...])``;
        ``events`` lists ``(E<n>, relation, {role: T<n>})`` in file order.

    Examples
    --------
    >>> spans, events = parse_ann("T1\\tSource 0 5\\tObama\\nT2\\tCue 6 10\\tsaid\\n"
    ...                           "T3\\tContent 11 20\\tit is ok.\\nE1\\tAttribution:T2 Content:T3 Cue:T2 Source:T1\\n")
    >>> events[0][2]["Source"], spans["T3"]
    ('T1', ('Content', [(11, 20)]))
    """
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    events: list[tuple[str, str, dict[str, str]]] = []
    for line in text.splitlines():
        m = _T_LINE.match(line)
        if m:
            try:
                spans[m.group(1)] = (m.group(2), _spans(m.group(3)))
            except ValueError:
                continue
            continue
        m = _E_LINE.match(line)
        if m:
            parts = m.group(2).split()
            if not parts:
                continue
            relation = parts[0].split(":")[0]
            roles: dict[str, str] = {}
            for p in parts[1:]:
                if ":" in p:
                    role, ref = p.split(":", 1)
                    roles[role] = ref
            events.append((m.group(1), relation, roles))
    return spans, events


def _join(text: str, spans: list[tuple[int, int]]) -> Any:
    if not spans:
        return pd.NA
    return " ... ".join(text[a:b] for a, b in spans)


@lru_cache(maxsize=4)
def _metadata(root: str) -> pd.DataFrame:
    path = Path(root) / "metadata.tsv"
    if not path.is_file():
        return pd.DataFrame(columns=["compartment", "filename", "publisher", "publication_date", "title"])
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if r.get("filename")]
    return pd.DataFrame(rows)


def article_path(article: str, *, split: str | None = None, path: str | os.PathLike | None = None) -> Path:
    """Path of one article's text file; ``split=None`` looks in every compartment present."""
    root = _root(path)
    for s in ([split] if split else SPLITS):
        p = root / s / "text" / f"{article}.txt"
        if p.is_file():
            return p
    raise StancekitError(f"{root}: no article {article!r} in {split or 'any split'}.")


@lru_cache(maxsize=4096)
def _read_text(p: str) -> str:
    # newline="" keeps "\r\n" as two characters: brat offsets count every character of the file.
    with open(p, encoding="utf-8", newline="") as fh:
        return fh.read()


def article_text(article: str, *, split: str | None = None, path: str | os.PathLike | None = None) -> str:
    """The exact text of one article, as the annotation offsets count it.

    Examples
    --------
    >>> text = article_text("breitbart_2016-09-12_stealth-over-health-hillary-clin")  # doctest: +SKIP
    """
    return _read_text(str(article_path(article, split=split, path=path)))


def read_articles(split: str = "train", *, path: str | os.PathLike | None = None) -> pd.DataFrame:
    """The articles of one compartment as a stancekit articles frame.

    Parameters
    ----------
    split : str
        ``"train"``, ``"dev"`` or ``"test"``.
    path : str or path-like, optional
        The PolNeAR folder; default :func:`default_polnear_dir`.

    Returns
    -------
    pandas.DataFrame
        ``article, text, source, title, outlet, date`` (stancekit's
        ``ARTICLE_COLUMNS``), sorted by article id.
    """
    check_choice("split", split, SPLITS)
    root = _root(path)
    folder = root / split / "text"
    if not folder.is_dir():
        raise StancekitError(f"{root}: no {split}/text/ folder.")
    meta = _metadata(str(root))
    meta = meta.set_index("filename") if "filename" in meta.columns else meta
    rows = []
    for f in sorted(folder.glob("*.txt")):
        art = f.stem
        m = meta.loc[art] if art in meta.index else {}
        rows.append({
            "article": art,
            "text": _read_text(str(f)),
            "source": str(f),
            "title": m.get("title", pd.NA) if len(m) else pd.NA,
            "outlet": m.get("publisher", pd.NA) if len(m) else art.split("_")[0],
            "date": pd.to_datetime(m.get("publication_date"), errors="coerce") if len(m) else pd.NaT,
        })
    return pd.DataFrame(rows, columns=["article", "text", "source", "title", "outlet", "date"])


def read_attributions(split: str = "train", *, path: str | os.PathLike | None = None,
                      annotators: str = "first") -> pd.DataFrame:
    """Every attribution of one compartment, one row each.

    Parameters
    ----------
    split : str
        ``"train"``, ``"dev"`` or ``"test"``.
    path : str or path-like, optional
        The PolNeAR folder; default :func:`default_polnear_dir`.
    annotators : str
        ``"first"`` keeps one annotation file per article (the first by
        annotator id), ``"all"`` keeps every file (some articles were annotated
        twice).

    Returns
    -------
    pandas.DataFrame
        :data:`ATTRIBUTION_COLUMNS`, sorted by article, annotator and content
        start. Attributions without a content span are dropped. Every span is
        a ``(start, end)`` pair into :func:`article_text`, and ``content`` is
        the content parts joined by ``" ... "``.

    Examples
    --------
    >>> attr = read_attributions("dev")  # doctest: +SKIP
    >>> row = attr.iloc[0]; text = article_text(row.article)  # doctest: +SKIP
    >>> text[row.content_spans[0][0]:row.content_spans[0][1]] in row.content  # doctest: +SKIP
    True
    """
    check_choice("split", split, SPLITS)
    check_choice("annotators", annotators, ("first", "all"))
    root = _root(path)
    folder = root / split / "attributions"
    if not folder.is_dir():
        raise StancekitError(f"{root}: no {split}/attributions/ folder.")
    files: dict[str, list[Path]] = {}
    for f in sorted(folder.glob("*.ann")):
        art, _, ann = f.stem.rpartition("_")
        files.setdefault(art, []).append(f)
    rows = []
    for art, paths in sorted(files.items()):
        tpath = root / split / "text" / f"{art}.txt"
        if not tpath.is_file():
            continue
        text = _read_text(str(tpath))
        for f in paths[:1] if annotators == "first" else paths:
            annotator = f.stem.rpartition("_")[2]
            spans, events = parse_ann(f.read_text(encoding="utf-8"))
            for eid, relation, roles in events:
                def get(role: str) -> list[tuple[int, int]]:
                    ref = roles.get(role)
                    return list(spans[ref][1]) if ref in spans else []
                content = sorted(get("Content") + get("Content2"))
                if not content:
                    continue
                content = [(a, b) for a, b in content if 0 <= a < b <= len(text)]
                if not content:
                    continue
                src, cue = get("Source"), get("Cue")
                rows.append({
                    "article": art, "split": split, "annotator": annotator, "attribution_id": eid,
                    "relation": relation, "source_spans": src, "cue_spans": cue, "content_spans": content,
                    "source": _join(text, src), "cue": _join(text, cue), "content": _join(text, content),
                    "start": content[0][0], "end": content[-1][1],
                })
    out = pd.DataFrame(rows, columns=ATTRIBUTION_COLUMNS)
    return out.sort_values(["article", "annotator", "start", "end", "attribution_id"], kind="stable").reset_index(drop=True)


__all__ = [
    "ATTRIBUTION_COLUMNS",
    "SPLITS",
    "article_path",
    "article_text",
    "default_polnear_dir",
    "parse_ann",
    "read_articles",
    "read_attributions",
]
