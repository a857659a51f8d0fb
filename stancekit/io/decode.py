"""Decode article bytes and decide whether a text can be an article.

Text is kept exactly as decoded: the one normalisation is line endings
(``\\r\\n`` and lone ``\\r`` become ``\\n``), because extraction offsets
index this text.
"""
from __future__ import annotations

import logging
import re

from .._utils import StancekitError

log = logging.getLogger("stancekit.io")

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
