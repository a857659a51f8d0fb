"""Read news articles from files or frames, and write/read result frames.

No NLP happens here: this module turns files (``.txt``, ``.md``, ``.html``,
``.jsonl``, ``.csv``, ``.json``) or a DataFrame into an articles frame with
the columns :data:`stancekit.schema.ARTICLE_COLUMNS`, and writes result
frames as JSONL, CSV or Parquet, atomically.

Text is kept exactly as decoded -- curly quotes, non-breaking spaces and
headings glued to the next sentence stay as they are, because extraction
offsets index this text. The one normalisation is line endings: ``\\r\\n``
and lone ``\\r`` become ``\\n``. HTML is the exception by nature: its main
text is extracted (paragraphs joined by ``\\n``, runs of HTML whitespace
collapsed to one space, as a browser shows them), and offsets index the
extracted text.
"""
from __future__ import annotations

import csv
import io as _io
import json
import logging
import math
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from ._utils import (
    is_missing,
    ERRORS_CHOICES,
    StancekitError,
    atomic_path,
    atomic_write_text,
    check_choice,
    progress,
)
from .schema import ARTICLE_COLUMNS, check_frame

log = logging.getLogger(__name__)

__all__ = [
    "read_articles",
    "iter_articles",
    "write_frame",
    "read_frame",
    "write_jsonl_stream",
    "decode_bytes",
    "ARTICLE_SUFFIXES",
    "FRAME_FORMATS",
]

#: File suffixes read as articles, and how each is parsed.
ARTICLE_SUFFIXES = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".json": "json",
}

#: Formats understood by :func:`write_frame` and :func:`read_frame`.
FRAME_FORMATS = ("jsonl", "csv", "parquet")

#: Field names tried, in order, after the one given by ``text=`` / ``article=``.
TEXT_FIELDS = ("text", "body", "content")
ID_FIELDS = ("article", "id", "doc_id")
META_FIELDS = ("title", "outlet", "date")

#: A text needs at least this many letters to count as an article (issue 2:
#: "too short: < 20 characters of letters").
MIN_LETTERS = 20
#: Below this share of letters among non-space characters a text is "not
#: prose" (a table of numbers, a hex dump). English news prose sits near 0.8;
#: the seed article is 0.82.
MIN_LETTER_SHARE = 0.5
#: Characters sampled from the start of a text for the prose check.
PROSE_SAMPLE = 4000
#: Above this share of control/unassigned characters decoded bytes count as binary.
MAX_CONTROL_SHARE = 0.05

#: Names in a directory that are never articles (sidecars, registries, notes).
_SKIP_NAME = re.compile(r"(?i)^(?:.*\.meta\.json|registry\..*|readme.*)$")

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


class _Skip(Exception):
    """One input (a file or a row) that is not a readable article."""

    def __init__(self, name: str, reason: str):
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


# --- decoding ----------------------------------------------------------------


def decode_bytes(data: bytes, *, encoding: str | None = None, name: str = "<bytes>") -> tuple[str, str]:
    """Decode file bytes to text, normalising only line endings.

    UTF-8 (with or without BOM; the BOM is stripped), UTF-16/32 with a BOM,
    or else the encoding charset-normalizer detects (cp1252, latin-1, ...).
    ``\\r\\n`` and ``\\r`` become ``\\n``; nothing else changes.

    Parameters
    ----------
    data : bytes
        The raw file content.
    encoding : str, optional
        Force this codec instead of detecting one (a BOM is still stripped).
    name : str
        The file name to use in error messages.

    Returns
    -------
    (str, str)
        The text and the name of the encoding used.

    Raises
    ------
    StancekitError
        If the bytes look binary or cannot be decoded.

    Examples
    --------
    >>> decode_bytes("caf\\u00e9\\r\\n".encode("utf-8"))
    ('café\\n', 'utf-8')
    """
    used = None
    text = None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            used = codec
            # Python's utf-16/32 codecs with an explicit byte order keep the
            # BOM as U+FEFF, so cut it off by length first.
            payload = data if codec == "utf-8-sig" else data[len(bom):]
            try:
                text = payload.decode(encoding or codec)
            except (UnicodeDecodeError, LookupError) as exc:
                raise StancekitError(f"{name}: cannot decode as {encoding or codec} ({exc})") from exc
            break
    if text is None:
        if b"\x00" in data:
            raise StancekitError(f"{name}: binary file (NUL bytes)")
        if encoding is not None:
            try:
                text = data.decode(encoding)
                used = encoding
            except (UnicodeDecodeError, LookupError) as exc:
                raise StancekitError(f"{name}: cannot decode as {encoding} ({exc})") from exc
        else:
            try:
                text = data.decode("utf-8")
                used = "utf-8"
            except UnicodeDecodeError:
                text, used = _detect(data, name)
                log.info("%s: not UTF-8; decoded as %s (detected)", name, used)
    if text.startswith("\ufeff"):
        text = text[1:]
    if text and _control_share(text) > MAX_CONTROL_SHARE:
        raise StancekitError(f"{name}: binary file (mostly non-text)")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    log.debug("%s: decoded as %s", name, used)
    return text, used


def _detect(data: bytes, name: str) -> tuple[str, str]:
    """Decode non-UTF-8 bytes with the encoding charset-normalizer finds.

    On mostly-ASCII text charset-normalizer cannot tell the single-byte Latin
    code pages apart (an English article in cp1252 comes back as cp1250, so
    "naïve" becomes "naďve"). cp1252 is the usual legacy encoding of English
    news files, so it wins whenever it decodes the bytes at least as cleanly
    (by charset-normalizer's own mess ratio) as the best guess.
    """
    from charset_normalizer import from_bytes
    from charset_normalizer.md import mess_ratio

    best = from_bytes(data).best()
    try:
        latin = data.decode("cp1252")
    except UnicodeDecodeError:
        latin = None
    if latin is not None and (best is None or mess_ratio(latin) <= best.chaos):
        return latin, "cp1252"
    if best is None:
        raise StancekitError(f"{name}: undecodable (not UTF-8, no encoding detected)")
    return str(best), best.encoding


# Control characters other than whitespace, surrogates and private-use
# characters: what binary data turns into when decoded as a single-byte codec.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff]")


def _control_share(text: str) -> float:
    return len(_CONTROL.findall(text)) / len(text)


def _check_prose(text: str, name: str) -> str:
    """Return ``text`` if it can be an article, else raise :class:`_Skip`."""
    if not text:
        raise _Skip(name, "empty")
    if not text.strip():
        raise _Skip(name, "whitespace only")
    # The share of letters is judged on the first PROSE_SAMPLE characters, which
    # keeps the cost flat for long articles (10,000 files stream at disk speed).
    stripped = text.strip()
    sample = stripped[:PROSE_SAMPLE]
    letters = sum(map(str.isalpha, sample))
    if letters < MIN_LETTERS and len(sample) == len(stripped):
        raise _Skip(name, f"too short ({letters} letters, need {MIN_LETTERS})")
    nonspace = len(sample) - sum(map(str.isspace, sample))
    if letters / nonspace < MIN_LETTER_SHARE:
        raise _Skip(name, f"not prose (only {letters / nonspace:.0%} letters)")
    return text


# --- per-format parsers ------------------------------------------------------
# Each parser yields (record, input_name) pairs or raises _Skip for the whole
# file; a bad row inside a multi-article file is yielded as a _Skip instance.


def _read_text(path: Path, name: str, encoding: str | None) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _Skip(name, f"cannot read ({exc.strerror or exc})") from exc
    if not data:
        raise _Skip(name, "empty")
    try:
        text, _ = decode_bytes(data, encoding=encoding, name=name)
    except StancekitError as exc:
        reason = str(exc)
        if reason.startswith(f"{name}: "):
            reason = reason[len(name) + 2:]
        raise _Skip(name, reason) from exc
    return text


def _md_title(text: str) -> str | None:
    in_fence = False
    for line in text.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if not in_fence and line.startswith("# "):
            return line[2:].strip().rstrip("#").strip() or None
    return None


_HTML_DROP = ("script", "style", "noscript", "template", "nav", "header", "footer",
              "aside", "figure", "figcaption", "form", "iframe", "svg", "button")
_HTML_BLOCKS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre")
_WS = re.compile(r"[ \t\n\r\f]+")  # HTML whitespace; U+00A0 is kept on purpose


def _html_meta(soup, *keys: str) -> str | None:
    for key in keys:
        tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
        if tag is not None and tag.get("content", "").strip():
            return tag["content"].strip()
    return None


def _parse_html(text: str) -> dict:
    """Main text, title, outlet and date of an HTML page."""
    try:
        from bs4 import BeautifulSoup
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ImportError("Reading HTML needs beautifulsoup4 and lxml: pip install beautifulsoup4 lxml") from exc

    soup = BeautifulSoup(text, "lxml")
    title_tag = soup.find("title")
    h1 = soup.find("h1")
    title = None
    if title_tag is not None and title_tag.get_text(strip=True):
        title = _WS.sub(" ", title_tag.get_text()).strip()
    elif h1 is not None and h1.get_text(strip=True):
        title = _WS.sub(" ", h1.get_text()).strip()
    outlet = _html_meta(soup, "og:site_name", "application-name")
    date_ = _html_meta(soup, "article:published_time", "datePublished", "date", "pubdate")
    if date_ is None:
        time_tag = soup.find("time", attrs={"datetime": True})
        if time_tag is not None:
            date_ = time_tag["datetime"].strip() or None

    for tag in soup.find_all(_HTML_DROP):
        tag.decompose()
    body = soup.body or soup
    # Index pages hold many <article> teasers: take the one with the most text.
    candidates = body.find_all("article") or body.find_all("main")
    main = max(candidates, key=lambda el: sum(len(p.get_text(strip=True)) for p in el.find_all("p")),
               default=None)
    if main is None:
        # The element whose own <p> children hold the most text.
        scores: dict[int, tuple[int, Any]] = {}
        for p in body.find_all("p"):
            parent = p.parent
            size = len(p.get_text(strip=True))
            old = scores.get(id(parent), (0, parent))
            scores[id(parent)] = (old[0] + size, parent)
        if scores:
            main = max(scores.values(), key=lambda pair: pair[0])[1]
        else:
            main = body
    paragraphs = []
    blocks = main.find_all(_HTML_BLOCKS)
    for block in blocks:
        if block.find_parent(_HTML_BLOCKS) is not None:
            continue  # a <p> inside a <blockquote> or <li>: counted with its parent
        para = _WS.sub(" ", block.get_text()).strip()
        if para:
            paragraphs.append(para)
    if not paragraphs:
        paragraphs = [p for p in (_WS.sub(" ", s).strip() for s in main.get_text("\n").split("\n")) if p]
    return {"text": "\n".join(paragraphs), "title": title, "outlet": outlet, "date": date_}


def _sidecar(path: Path) -> dict:
    """Metadata from ``NAME.meta.json`` beside ``NAME.<suffix>``, or {}."""
    meta_path = path.with_name(path.stem + ".meta.json")
    if not meta_path.is_file():
        return {}
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        log.warning("%s: ignoring unreadable metadata sidecar (%s)", meta_path, exc)
        return {}
    if not isinstance(meta, dict):
        log.warning("%s: ignoring metadata sidecar that is not a JSON object", meta_path)
        return {}
    return meta


def _str_or_none(value: Any) -> str | None:
    if is_missing(value):
        return None
    value = str(value)
    return value if value.strip() else None


def _pick(record: Mapping, preferred: str | None, fallbacks: Iterable[str]) -> tuple[str | None, Any]:
    """The first field of ``preferred, *fallbacks`` present in ``record``."""
    for key in ([preferred] if preferred else []) + [f for f in fallbacks if f != preferred]:
        if key in record:
            return key, record[key]
    return None, None


def _record_article(record: Mapping, *, text: str, article: str, default_id: str, source: str,
                    name: str) -> dict:
    """Turn one JSON/CSV record into an article dict (or raise _Skip)."""
    field, body = _pick(record, text, TEXT_FIELDS)
    if field is None:
        raise _Skip(name, f"no text field (tried {[text, *[f for f in TEXT_FIELDS if f != text]]})")
    if not isinstance(body, str):
        if body is None:
            raise _Skip(name, "empty")
        raise _Skip(name, f"text field {field!r} is not a string")
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    _check_prose(body, name)
    _, ident = _pick(record, article, ID_FIELDS)
    ident = _str_or_none(ident) or default_id
    out = {"article": ident, "text": body, "source": _str_or_none(record.get("source")) or source}
    for key in META_FIELDS:
        out[key] = _str_or_none(record.get(key))
    return out


def _parse_file(path: Path, *, stem: str, kind: str, text: str, article: str,
                encoding: str | None) -> Iterator[dict | _Skip]:
    """Yield article dicts (or _Skip for bad rows) from one file; raise _Skip for a bad file."""
    name = str(path)
    raw = _read_text(path, name, encoding)
    if kind == "sniff":
        head = raw.lstrip()[:200].lower()
        kind = "html" if head.startswith(("<!doctype html", "<html")) else "txt"
    if kind in ("txt", "md", "html"):
        meta = _sidecar(path)
        if kind == "html":
            parsed = _parse_html(raw)
            body = parsed.pop("text")
        else:
            parsed = {"title": _md_title(raw) if kind == "md" else None, "outlet": None, "date": None}
            body = raw
        _check_prose(body, name)
        rec = {"article": _str_or_none(meta.get("doc_id")) or _str_or_none(meta.get("article")) or stem,
               "text": body, "source": name}
        for key in META_FIELDS:
            rec[key] = _str_or_none(meta.get(key)) or parsed.get(key)
        yield rec
    elif kind == "jsonl":
        seen_any = False
        for lineno, line in enumerate(raw.split("\n"), start=1):
            if not line.strip():
                continue
            seen_any = True
            row_name = f"{name}:{lineno}"
            try:
                record = json.loads(line)
            except ValueError:
                yield _Skip(row_name, "not JSON")
                continue
            if not isinstance(record, dict):
                yield _Skip(row_name, "not a JSON object")
                continue
            try:
                yield _record_article(record, text=text, article=article, default_id=f"{stem}:{lineno}",
                                      source=name, name=row_name)
            except _Skip as skip:
                yield skip
        if not seen_any:
            raise _Skip(name, "whitespace only")
    elif kind == "json":
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise _Skip(name, f"not JSON ({exc})") from exc
        if isinstance(data, dict):
            data = [data]
        if not isinstance(data, list):
            raise _Skip(name, "not a JSON list of objects")
        if not data:
            raise _Skip(name, "empty list")
        for index, record in enumerate(data, start=1):
            row_name = f"{name}[{index}]"
            if not isinstance(record, dict):
                yield _Skip(row_name, "not a JSON object")
                continue
            try:
                yield _record_article(record, text=text, article=article, default_id=f"{stem}:{index}",
                                      source=name, name=row_name)
            except _Skip as skip:
                yield skip
    elif kind == "csv":
        if not raw.strip():
            raise _Skip(name, "whitespace only")
        reader = csv.DictReader(_io.StringIO(raw, newline=""))
        fields = reader.fieldnames or []
        if _pick(dict.fromkeys(fields), text, TEXT_FIELDS)[0] is None:
            raise _Skip(name, f"no text column {text!r} (columns: {fields})")
        try:
            for rowno, record in enumerate(reader, start=1):
                row_name = f"{name}:{rowno}"
                try:
                    yield _record_article(record, text=text, article=article, default_id=f"{stem}:{rowno}",
                                          source=name, name=row_name)
                except _Skip as skip:
                    yield skip
        except csv.Error as exc:
            raise _Skip(name, f"bad CSV ({exc})") from exc
    else:  # pragma: no cover - kinds come from ARTICLE_SUFFIXES
        raise ValueError(f"unknown kind {kind!r}")


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
            kind = ARTICLE_SUFFIXES.get(src.suffix.lower(), "sniff")
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


def _iter_articles(source, paths, *, text, article, errors, encoding, show_progress, on_skip) -> Iterator[dict]:
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
        bar = progress(_file_jobs(paths), show_progress=show_progress, desc="reading articles", unit="file")
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
      ``.csv``: one article per row. The text is in the field named by
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


# --- result frames -----------------------------------------------------------


def _jsonable(value: Any) -> Any:
    """A JSON-ready copy of one cell: NA -> None, numpy scalars -> Python."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (str, bool)):
        return value
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return value.isoformat()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, int):
        return value
    if hasattr(value, "tolist"):
        return _jsonable(value.tolist())  # numpy scalars and arrays
    return None if is_missing(value) else str(value)


def _row_line(row: Mapping) -> str:
    return json.dumps({str(k): _jsonable(v) for k, v in row.items()}, ensure_ascii=False, allow_nan=False)


def _frame_lines(df: pd.DataFrame) -> Iterator[str]:
    columns = [str(c) for c in df.columns]
    for values in df.itertuples(index=False, name=None):
        yield _row_line(dict(zip(columns, values)))


def _resolve_format(path: str | os.PathLike, format: str | None) -> str:
    if format is not None:
        return check_choice("format", format, FRAME_FORMATS)
    if str(path) == "-":
        return "jsonl"
    suffix = Path(path).suffix.lower()
    found = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv",
             ".parquet": "parquet", ".pq": "parquet"}.get(suffix)
    if found is None:
        raise ValueError(
            f"Cannot tell the format of {str(path)!r} from its suffix {suffix!r}; "
            f"pass `format=` as one of {list(FRAME_FORMATS)} or use .jsonl/.csv/.parquet."
        )
    return found


def write_frame(df: pd.DataFrame, path: str | os.PathLike, *, format: str | None = None) -> Path | None:
    """Write a result frame as JSONL, CSV or Parquet, atomically.

    JSONL has one JSON object per row with missing values (``pd.NA``, NaN,
    None) as ``null`` and integers kept as integers. Columns are written as
    given, without the index. The file appears only when complete (temp file
    in the same folder, then rename); ``"-"`` writes JSONL or CSV to stdout.

    Parameters
    ----------
    df : pandas.DataFrame
        The frame to write; it is not changed.
    path : str or path-like
        Output file, or ``"-"`` for stdout.
    format : {"jsonl", "csv", "parquet"}, optional
        Default: from the suffix (``.jsonl``/``.json``, ``.csv``, ``.parquet``);
        ``"-"`` defaults to JSONL.

    Returns
    -------
    pathlib.Path or None
        The path written, or None for stdout.

    Raises
    ------
    ValueError
        If the format is unknown, or Parquet is asked for on stdout.

    Examples
    --------
    >>> import pandas as pd
    >>> write_frame(pd.DataFrame({"a": [1, None]}, dtype="Int64"), "-")
    {"a": 1}
    {"a": null}
    """
    check_frame(df, [], name="df")
    fmt = _resolve_format(path, format)
    to_stdout = str(path) == "-"
    if fmt == "parquet":
        if to_stdout:
            raise ValueError("Cannot write Parquet to stdout; give a file name.")
        try:
            import pyarrow  # noqa: F401
        except ImportError as exc:
            raise ImportError("Writing Parquet needs pyarrow: pip install pyarrow") from exc
        with atomic_path(path) as tmp:
            df.to_parquet(tmp, index=False)
        return Path(path)
    if fmt == "jsonl":
        text = "".join(line + "\n" for line in _frame_lines(df))
    else:
        text = df.to_csv(index=False, lineterminator="\n")
    if to_stdout:
        sys.stdout.write(text)
        sys.stdout.flush()
        return None
    return atomic_write_text(path, text)


def write_jsonl_stream(rows: Iterable[Mapping | pd.DataFrame], path: str | os.PathLike) -> int:
    """Write rows to a JSONL file as they come, and rename it into place at the end.

    Memory stays bounded however many rows there are. If the iterable
    raises, the temporary file is removed and ``path`` is left untouched.

    Parameters
    ----------
    rows : iterable of mappings or DataFrames
        Each mapping is one line; each DataFrame contributes one line per row
        (e.g. one statements frame per article).
    path : str or path-like
        Output file, or ``"-"`` to write (and flush) lines to stdout.

    Returns
    -------
    int
        The number of lines written.

    Examples
    --------
    >>> write_jsonl_stream(({"n": i} for i in range(2)), "-")
    {"n": 0}
    {"n": 1}
    2
    """
    def lines() -> Iterator[str]:
        for item in rows:
            if isinstance(item, pd.DataFrame):
                yield from _frame_lines(item)
            elif isinstance(item, Mapping):
                yield _row_line(item)
            else:
                raise TypeError(f"write_jsonl_stream: rows must be mappings or DataFrames, not {type(item).__name__}")

    count = 0
    if str(path) == "-":
        for line in lines():
            sys.stdout.write(line + "\n")
            sys.stdout.flush()
            count += 1
        return count
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            for line in lines():
                fh.write(line + "\n")
                count += 1
            fh.flush()
            os.fsync(fh.fileno())
    return count


def _infer_column(values: list) -> pd.Series | list:
    """A typed Series for one JSONL column from its Python values."""
    present = [v for v in values if v is not None]
    has_null = len(present) < len(values)
    if not present:
        return pd.Series([pd.NA] * len(values), dtype="object")
    types = {type(v) for v in present}
    if types == {bool}:
        return pd.Series(values, dtype="boolean" if has_null else "bool")
    if types == {int}:
        return pd.Series(values, dtype="Int64" if has_null else "int64")
    if types <= {int, float}:
        return pd.Series([math.nan if v is None else v for v in values], dtype="float64")
    if types == {str}:
        return pd.Series(values, dtype=pd.StringDtype())
    return pd.Series([pd.NA if v is None else v for v in values], dtype="object")


def read_frame(path: str | os.PathLike, *, format: str | None = None) -> pd.DataFrame:
    """Read a frame written by :func:`write_frame` or :func:`write_jsonl_stream`.

    JSONL columns get types from their values: integers stay integers
    (``Int64`` when some are null), floats ``float64``, strings ``string``
    (missing as ``pd.NA``), booleans ``bool``/``boolean``. CSV uses pandas'
    nullable types the same way; an empty CSV cell reads as missing.

    Parameters
    ----------
    path : str or path-like
        The file to read, or ``"-"`` for JSONL/CSV on stdin.
    format : {"jsonl", "csv", "parquet"}, optional
        Default: from the suffix.

    Returns
    -------
    pandas.DataFrame
        Columns in file order (JSONL: order of first appearance).

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    StancekitError
        If a JSONL line is not a JSON object.

    Examples
    --------
    >>> read_frame("statements.jsonl")  # doctest: +SKIP
    """
    fmt = _resolve_format(path, format)
    to_stdin = str(path) == "-"
    if not to_stdin and not Path(path).exists():
        raise FileNotFoundError(f"No such file: {str(path)!r}")
    if fmt == "parquet":
        if to_stdin:
            raise ValueError("Cannot read Parquet from stdin; give a file name.")
        return pd.read_parquet(path)
    if fmt == "csv":
        frame = pd.read_csv(sys.stdin if to_stdin else path, dtype_backend="numpy_nullable")
        floats = {c: "float64" for c, t in frame.dtypes.items() if isinstance(t, pd.Float64Dtype)}
        return frame.astype(floats) if floats else frame
    handle = sys.stdin if to_stdin else open(path, encoding="utf-8-sig")
    records: list[dict] = []
    try:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                raise StancekitError(f"{path}:{lineno}: not JSON ({exc})") from exc
            if not isinstance(record, dict):
                raise StancekitError(f"{path}:{lineno}: not a JSON object")
            records.append(record)
    finally:
        if not to_stdin:
            handle.close()
    columns: dict[str, None] = {}
    for record in records:
        columns.update(dict.fromkeys(record))
    data = {col: _infer_column([r.get(col) for r in records]) for col in columns}
    return pd.DataFrame(data, columns=list(columns), index=pd.RangeIndex(len(records)))
