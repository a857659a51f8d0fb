"""Cheap text helpers of the stance engine: language flag, token windows, hashes."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

# Common English function words for the cheap language flag (hand-picked:
# the most frequent words of English news text).
_EN_STOPWORDS = frozenset(
    "the a an and or but of to in on at for with from by as is are was were be been being it its "
    "this that these those he she they we you i his her their our your not no have has had will "
    "would can could should said says say who which what there than then also more about after".split()
)
_ASCII_WORD = re.compile(r"[a-z]+")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_ASCII_RUN = re.compile(r"[\x00-\x7f]+")
#: A text is flagged "non-en?" below these shares (English news prose has ~35-45 % stopwords).
_MIN_ASCII_LETTER_SHARE = 0.85
_MIN_STOPWORD_SHARE = 0.08

# --- cheap text heuristics ------------------------------------------------------


def lang_flag(text: str) -> str:
    """``"en"`` or ``"non-en?"``: a cheap guess from letters and English stopwords.

    A text is flagged when under 85 % of its letters are ASCII, or when it has
    5+ words of which under 8 % are common English function words.

    Examples
    --------
    >>> lang_flag("The minister said that the deal is good."), lang_flag("Der Minister sagte, das sei gut.")
    ('en', 'non-en?')
    """
    # Regex passes instead of a per-character loop: this runs on every statement, cached or not.
    if not text.isascii():
        other = sum(map(str.isalpha, _ASCII_RUN.sub("", text)))  # non-ASCII letters
        if other:
            ascii_letters = len(_ASCII_LETTER.findall(text))
            if ascii_letters / (ascii_letters + other) < _MIN_ASCII_LETTER_SHARE:
                return "non-en?"
    words = _ASCII_WORD.findall(text.lower())
    if len(words) < 5:
        return "en"
    share = sum(map(_EN_STOPWORDS.__contains__, words)) / len(words)
    return "en" if share >= _MIN_STOPWORD_SHARE else "non-en?"


def _window(text: str, offsets: Sequence[tuple[int, int]], span: tuple[int, int] | None,
            budget: int) -> tuple[int, int] | None:
    """Character window of at most ``budget`` tokens centred on ``span``; None if it all fits."""
    n = len(offsets)
    if n <= budget:
        return None
    budget = max(budget, 1)
    first = 0
    if span is not None:
        inside = [i for i, (a, b) in enumerate(offsets) if b > span[0] and a < span[1]]
        if inside:
            mid = (inside[0] + inside[-1]) // 2
            first = mid - budget // 2
    first = max(0, min(first, n - budget))
    cs, ce = offsets[first][0], offsets[first + budget - 1][1]
    lo = span[0] if span is not None and cs <= span[0] else None
    hi = span[1] if span is not None and span[1] <= ce else None
    # Cut at word boundaries: drop a word split by the window edge unless it holds the mention.
    if cs > 0 and not text[cs - 1].isspace():
        nxt = re.search(r"\s", text[cs:ce])
        if nxt is not None and (lo is None or cs + nxt.start() <= lo):
            cs += nxt.start()
    if ce < len(text) and not text[ce].isspace():
        prv = max(text.rfind(" ", cs, ce), text.rfind("\n", cs, ce))
        if prv > cs and (hi is None or prv >= hi):
            ce = prv
    while cs < ce and text[cs].isspace():
        cs += 1
    while ce > cs and text[ce - 1].isspace():
        ce -= 1
    return cs, ce


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
