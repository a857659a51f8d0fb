"""Quote-mark scanning: pair the double quote marks of an article's original text.

One job: find where direct quotes open and close (curly or straight marks,
multi-paragraph quotes, unbalanced marks recovered) as :class:`_Quote` offsets
into the unaltered text. No spaCy, no attribution.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

OPEN_DQ = "\u201c\u201e\u00ab"   # “ „ «
CLOSE_DQ = "\u201d\u00bb"        # ” »
STRAIGHT_DQ = '"'
ALL_DQ = OPEN_DQ + CLOSE_DQ + STRAIGHT_DQ + "\u201f"


# --- quotes -----------------------------------------------------------------
_MARK_CHARS = re.compile("[" + re.escape(ALL_DQ) + "]")

#: Two apostrophes standing for a double quote mark (the New York Times' archive style).
DOUBLE_APOSTROPHE = "''"


@dataclass
class _Quote:
    open: int              # position of the opening mark
    cs: int                # content start
    ce: int                # content end (exclusive; position of the closing mark if closed)
    closed: bool
    cw: int = 1            # width of the closing mark (2 for two apostrophes)

    @property
    def end(self) -> int:  # end of the quote including the closing mark
        return self.ce + self.cw if self.closed else self.ce


def quote_marks(text: str, quotes: list[_Quote]) -> list[int]:
    """Sorted positions of every quote-mark character: double quote marks anywhere, and the
    apostrophes of the two-apostrophe marks that open or close a scanned quote."""
    marks = {m.start() for m in _MARK_CHARS.finditer(text)}
    for q in quotes:
        if q.cs - q.open == 2:
            marks.update((q.open, q.open + 1))
        if q.closed and q.cw == 2:
            marks.update((q.ce, q.ce + 1))
    return sorted(marks)


def _is_word(ch: str) -> bool:
    return ch.isalnum()


#: What the scanner stops at: line ends, runs of apostrophes and double quote marks.
_EVENTS = re.compile("\n|'{2,}|[" + re.escape(ALL_DQ) + "]")


def scan_quotes(text: str) -> list[_Quote]:
    """Pair double quote marks; single quotes and apostrophes are ignored, except two
    apostrophes in a row, which are read as a straight double quote mark.

    Straight quotes are read as opening or closing from their neighbours. A
    quote left open at a paragraph end continues when the next paragraph opens
    with a quote mark (multi-paragraph quote); otherwise it ends there. The scan
    jumps from one line end or quote mark to the next (a regex), never walking
    the text character by character.
    """
    quotes: list[_Quote] = []
    n = len(text)
    open_at: int | None = None
    ow = 1                      # width of the open quote's opening mark
    skip: set[int] = set()
    for m in _EVENTS.finditer(text):
        i = m.start()
        ch = m.group(0)
        width = 1
        if ch[0] == "'":
            if len(ch) == 2:
                ch, width = STRAIGHT_DQ, 2
            elif open_at is not None:
                # an inner single quote closes right before the two-apostrophe mark
                i, ch, width = m.end() - 2, STRAIGHT_DQ, 2
            else:
                continue
        if ch == "\n":
            if open_at is not None:
                j = i
                while j < n and text[j] in " \t\r\n\u00a0":
                    j += 1
                if j < n and (text[j] in OPEN_DQ + STRAIGHT_DQ or text.startswith(DOUBLE_APOSTROPHE, j)) \
                        and text[open_at + ow:i].strip():
                    skip.add(j)   # multi-paragraph quote continues
                else:
                    ce = i
                    while ce > open_at + ow and text[ce - 1] in " \t\r\u00a0":
                        ce -= 1
                    if ce > open_at + ow:
                        quotes.append(_Quote(open_at, open_at + ow, ce, False))
                    open_at = None
            continue
        if i in skip:
            continue
        prev = text[i - 1] if i > 0 else "\n"
        nxt = text[i + width] if i + width < n else "\n"
        if ch in OPEN_DQ or ch == "\u201f":
            opening, closing = True, False
        elif ch in CLOSE_DQ:
            opening, closing = False, True
        else:
            opening = (prev.isspace() or prev in "([{\u2014\u2013-/:") and not nxt.isspace()
            closing = not prev.isspace() and (nxt.isspace() or not _is_word(nxt) or i + width == n)
            if not opening and not closing:
                opening = open_at is None
                closing = open_at is not None
        if open_at is None:
            if opening:
                open_at, ow = i, width
        else:
            if closing:
                if i > open_at + ow:
                    quotes.append(_Quote(open_at, open_at + ow, i, True, width))
                open_at = None
            elif opening:
                # a second opening mark: the first one was never closed
                ce = i
                while ce > open_at + ow and text[ce - 1] in " \t\r\u00a0":
                    ce -= 1
                if ce > open_at + ow:
                    quotes.append(_Quote(open_at, open_at + ow, ce, False))
                open_at, ow = i, width
    if open_at is not None:
        ce = n
        while ce > open_at + ow and text[ce - 1] in " \t\r\n\u00a0":
            ce -= 1
        if ce > open_at + ow:
            quotes.append(_Quote(open_at, open_at + ow, ce, False))
    return quotes
