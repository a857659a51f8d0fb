"""Per-format parsers: one article file (txt, md, html, jsonl, json, csv) to article records.

Each parser yields article dicts (or a :class:`_Skip` for a bad row) and
raises :class:`_Skip` for a file that cannot be read at all.
"""
from __future__ import annotations

import csv
import io as _io
import json
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from .._utils import StancekitError, is_missing
from .decode import _check_prose, _Skip, decode_bytes

log = logging.getLogger("stancekit.io")

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
    ".parquet": "parquet",
    ".pq": "parquet",
}

#: Kinds whose files hold many articles (one per line, row or record); the rest hold one.
MULTI_ARTICLE_KINDS = ("jsonl", "json", "csv", "parquet")
#: Rows read from a Parquet file at a time, so a large shard streams.
PARQUET_BATCH_ROWS = 1024

#: Field names tried, in order, after the one given by ``text=`` / ``article=``.
TEXT_FIELDS = ("text", "body", "content")
ID_FIELDS = ("article", "id", "doc_id")
META_FIELDS = ("title", "outlet", "date")


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
    if kind == "registry":
        raise _Skip(name, "a YAML file (a speaker registry?), not an article: pass it with --registry "
                          "(registry= in Python)")
    if kind == "parquet":
        yield from _parse_parquet(path, name=name, stem=stem, text=text, article=article)
        return
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
        used = _pick(dict.fromkeys(fields), text, TEXT_FIELDS)[0]
        if used is None:
            raise _Skip(name, f"no text column {text!r} (columns: {fields})")
        if used != text:
            log.info("%s: no %r column; column %r is used as the article text", name, text, used)
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


def _parse_parquet(path: Path, *, name: str, stem: str, text: str, article: str) -> Iterator[dict | _Skip]:
    """Yield the articles of a Parquet file, one row group batch at a time (bounded memory)."""
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise _Skip(name, "reading Parquet needs pyarrow (pip install pyarrow)") from exc
    try:
        pfile = pq.ParquetFile(path)
    except Exception as exc:  # OSError, or pyarrow's ArrowInvalid for a corrupt footer
        raise _Skip(name, f"not Parquet ({exc})") from exc
    fields = pfile.schema_arrow.names
    if _pick(dict.fromkeys(fields), text, TEXT_FIELDS)[0] is None:
        raise _Skip(name, f"no text column {text!r} (columns: {fields})")
    if pfile.metadata.num_rows == 0:
        raise _Skip(name, "no rows")
    rowno = 0
    for batch in pfile.iter_batches(batch_size=PARQUET_BATCH_ROWS):
        for record in batch.to_pylist():
            rowno += 1
            try:
                yield _record_article(record, text=text, article=article, default_id=f"{stem}:{rowno}",
                                      source=name, name=f"{name}:{rowno}")
            except _Skip as skip:
                yield skip
