"""Show an article with its statements highlighted, in Jupyter or an HTML report.

Pure pandas + ``html``: no spaCy, no IPython needed. The objects returned
have ``_repr_html_`` (Jupyter renders them) and an ``.html`` property with a
standalone fragment (inline styles only) for reports.

Colours come from :func:`stancekit.plotting.group_palette`, the one source of
group and speaker colours: it starts with the Okabe-Ito palette (Okabe & Ito
2008, "Color Universal Design"), which stays distinguishable under the
common colour-vision deficiencies.
"""
from __future__ import annotations

import html
import logging
from collections.abc import Mapping
from typing import Any

import pandas as pd

from ._utils import is_missing
from .schema import check_frame

log = logging.getLogger(__name__)

__all__ = ["HighlightedText", "highlight_statements", "show_article", "OKABE_ITO"]

from .plotting import OKABE_ITO  # noqa: E402  (re-exported; the palette lives in plotting)
#: Colour for statements whose speaker/group is missing.
UNKNOWN_COLOR = "#999999"
UNKNOWN_LABEL = "(unknown)"

_META_SEP = " \u00b7 "  # middle dot between outlet, date and id

#: Background opacity of a highlighted span, so black text stays readable on
#: every palette colour (the darkest, #000000 and #0072B2, at 0.35).
_ALPHA = 0.35


def _rgba(color: str, alpha: float) -> str:
    c = color.lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    if len(c) != 6:
        return color  # a CSS name or rgb(); used as is
    r, g, b = (int(c[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r}, {g}, {b}, {alpha})"


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _val(row: Mapping, key: str) -> Any:
    value = row.get(key) if hasattr(row, "get") else None
    return None if is_missing(value) else value


def _as_int(value: Any) -> int | None:
    if is_missing(value):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class HighlightedText:
    """An HTML fragment that Jupyter displays; ``.html`` gives the string.

    Examples
    --------
    >>> HighlightedText("<b>x</b>").html
    '<b>x</b>'
    """

    def __init__(self, fragment: str):
        self._html = fragment

    @property
    def html(self) -> str:
        """The standalone HTML fragment (inline styles, no scripts)."""
        return self._html

    def _repr_html_(self) -> str:
        return self._html

    def __str__(self) -> str:
        return self._html

    def __repr__(self) -> str:
        return f"<HighlightedText: {len(self._html)} characters of HTML>"


def _palette(keys: list[str], colors: Mapping[str, str] | list[str] | None) -> dict[str, str]:
    """Colours of ``keys``: pinned ones from ``colors``, the rest from the charts' palette.

    The default comes from :func:`stancekit.plotting.group_palette` (the one
    source of group and speaker colours), so a group has the same colour here
    as in the charts, and up to 17 speakers get distinct colours.
    """
    from .plotting import GROUP_COLORS, group_palette

    fixed = {str(k): v for k, v in colors.items()} if isinstance(colors, Mapping) else {}
    if isinstance(colors, (list, tuple)) and colors:
        cycle = list(colors)
    elif fixed:
        cycle = [c for c in GROUP_COLORS if c not in fixed.values()] or list(GROUP_COLORS)
    else:
        cycle = None
    rest = [k for k in keys if k not in fixed and k != UNKNOWN_LABEL]
    auto = group_palette(rest, palette=cycle)
    mapping: dict[str, str] = {}
    for key in keys:
        if key in fixed:
            mapping[key] = fixed[key]
        elif key == UNKNOWN_LABEL:
            mapping[key] = UNKNOWN_COLOR
        else:
            mapping[key] = auto[key]
    return mapping


def highlight_statements(
    text: str,
    statements: pd.DataFrame | None = None,
    *,
    hue: str = "speaker",
    colors: Mapping[str, str] | list[str] | None = None,
    max_chars: int | None = None,
    article: str | None = None,
) -> HighlightedText:
    """Render ``text`` with each statement span highlighted.

    Each statement's ``text[start:end]`` gets a background in its speaker's
    (or group's) colour and a tooltip with speaker, group, kind and cue; the
    speaker mention (``mention_start:mention_end``) is underlined. Overlapping
    statements are cut into pieces at every boundary, each piece coloured by
    the innermost statement and outlined, with all covering statements in
    the tooltip. A legend lists the colours. Everything is HTML-escaped and
    the text keeps its line breaks (``white-space: pre-wrap``).

    Parameters
    ----------
    text : str
        The original article text the offsets index.
    statements : pandas.DataFrame, optional
        Statements with at least ``start`` and ``end`` (and usually the other
        ``STATEMENT_COLUMNS``). Rows without valid offsets, or with an empty
        span, are left out of the highlighting. None or an empty frame shows
        the plain text.
    hue : str
        Column that picks the colour: ``"speaker"`` (default) or ``"group"``
        (any column works). Missing values are shown in grey as "(unknown)".
    colors : dict or list of str, optional
        A dict ``{value: css_colour}`` pins colours, e.g. an analysis'
        ``result.palette`` so that groups look as in its charts; other
        values, and all by default, get colours from
        :func:`stancekit.plotting.group_palette` in sorted order (distinct for
        up to 17 values). A list replaces that palette.
    max_chars : int, optional
        Show only the first ``max_chars`` characters (spans are clipped).
    article : str, optional
        Keep only statements whose ``article`` column equals this id.

    Returns
    -------
    HighlightedText
        Displays in Jupyter; ``.html`` is the fragment string.

    Examples
    --------
    >>> import pandas as pd
    >>> st = pd.DataFrame({"speaker": ["Eby"], "start": [1], "end": [6]})
    >>> "<mark" in highlight_statements('"Hello," Eby said.', st).html
    True
    """
    if not isinstance(text, str):
        raise TypeError(f"`text` must be a str, not {type(text).__name__}.")
    if max_chars is not None and (not isinstance(max_chars, int) or max_chars < 0):
        raise ValueError(f"Invalid value {max_chars!r} for `max_chars`; give a non-negative int or None.")
    if statements is None:
        statements = pd.DataFrame({"start": [], "end": []})
    check_frame(statements, ["start", "end"], name="statements")
    if article is not None and "article" in statements.columns:
        statements = statements[statements["article"].astype("object") == article]

    shown = text if max_chars is None else text[:max_chars]
    n = len(shown)

    # Collect valid spans in text order (stable: ties keep frame order).
    spans = []
    for pos, row in enumerate(statements.to_dict("records")):
        start, end = _as_int(row.get("start")), _as_int(row.get("end"))
        if start is None or end is None or not (0 <= start < end <= len(text)):
            log.debug("statement %s: no highlight for offsets %r-%r", row.get("statement_id", pos), start, end)
            continue
        key = _val(row, hue)
        key = UNKNOWN_LABEL if key is None else str(key)
        spans.append({"pos": pos, "start": start, "end": end, "key": key, "row": row})
    spans.sort(key=lambda s: (s["start"], -s["end"], s["pos"]))
    keys = list(dict.fromkeys(s["key"] for s in spans))
    palette = _palette(keys, colors)

    def tooltip(row: Mapping) -> str:
        lines = []
        for label, col in (("speaker", "speaker"), ("group", "group"), ("kind", "kind"), ("cue", "cue"),
                           ("via", "via"), ("confidence", "confidence")):
            value = _val(row, col)
            if value is not None:
                lines.append(f"{label}: {value:.2f}" if col == "confidence" and isinstance(value, float)
                             else f"{label}: {value}")
        return "\n".join(lines)

    mentions = []
    for s in spans:
        ms, me = _as_int(s["row"].get("mention_start")), _as_int(s["row"].get("mention_end"))
        if ms is not None and me is not None and 0 <= ms < me <= len(text):
            mentions.append((ms, me, s))

    # Cut the shown text at every boundary; each piece has a fixed set of covers.
    cuts = {0, n}
    for s in spans:
        cuts.update(x for x in (s["start"], s["end"]) if x < n)
    for ms, me, _ in mentions:
        cuts.update(x for x in (ms, me) if x < n)
    cuts = sorted(cuts)

    out = []
    for a, b in zip(cuts, cuts[1:]):
        piece = _esc(shown[a:b])
        covers = [s for s in spans if s["start"] <= a and b <= s["end"]]
        mention = next((m for m in mentions if m[0] <= a and b <= m[1]), None)
        if mention is not None:
            color = palette[mention[2]["key"]]
            piece = (f'<u class="sk-mention" style="text-decoration-color: {_esc(color)}; '
                     f'text-decoration-thickness: 2px; text-underline-offset: 2px" '
                     f'title="{_esc("speaker mention: " + shown[mention[0]:mention[1]])}">{piece}</u>')
        if covers:
            inner = min(covers, key=lambda s: (s["end"] - s["start"], s["pos"]))
            color = palette[inner["key"]]
            ids = " ".join(str(_val(s["row"], "statement_id") or f"row{s['pos']}") for s in covers)
            tip = "\n\n".join(tooltip(s["row"]) for s in covers)
            style = f"background: {_rgba(color, _ALPHA)}; border-radius: 2px; padding: 0"
            if len(covers) > 1:
                style += f"; outline: 1px dashed {color}"
            piece = (f'<mark class="sk-statement" data-statement="{_esc(ids)}" data-start="{a}" data-end="{b}" '
                     f'style="{_esc(style)}" title="{_esc(tip)}">{piece}</mark>')
        out.append(piece)
    if max_chars is not None and len(text) > max_chars:
        out.append(f'<span class="sk-more" style="color: #666">\u2026 [{len(text) - max_chars} more characters]</span>')

    counts = pd.Series([s["key"] for s in spans], dtype="object").value_counts(sort=False)
    if keys:
        items = "".join(
            f'<span class="sk-legend-item" style="margin-right: 1em; white-space: nowrap">'
            f'<span style="display: inline-block; width: 0.9em; height: 0.9em; vertical-align: middle; '
            f'background: {_esc(_rgba(palette[k], 0.6))}; border: 1px solid {_esc(palette[k])}"></span> '
            f'{_esc(k)} ({int(counts[k])})</span>'
            for k in keys
        )
        legend = f'<div class="sk-legend" style="margin-bottom: 0.5em; font-size: 0.9em">{_esc(hue)}: {items}</div>'
    else:
        legend = '<div class="sk-legend" style="margin-bottom: 0.5em; font-size: 0.9em; color: #666">no statements</div>'
    body = (f'<div class="sk-text" style="white-space: pre-wrap; line-height: 1.6; '
            f'font-family: Georgia, serif">{"".join(out)}</div>')
    return HighlightedText(f'<div class="stancekit-article">{legend}{body}</div>')


def show_article(
    article: str | Mapping | pd.Series,
    statements: pd.DataFrame | None = None,
    *,
    hue: str = "speaker",
    colors: Mapping[str, str] | list[str] | None = None,
    max_chars: int | None = None,
) -> HighlightedText:
    """Show one article (a row of ``read_articles`` or a str) with its statements.

    Parameters
    ----------
    article : str, dict or pandas.Series
        The article text, or a row with ``text`` and optionally ``article``,
        ``title``, ``outlet``, ``date`` (shown as a header).
    statements : pandas.DataFrame, optional
        Statements to highlight; when the row has an ``article`` id and the
        frame an ``article`` column, only that article's statements are used.
    hue, colors, max_chars
        As in :func:`highlight_statements`.

    Returns
    -------
    HighlightedText
        Displays in Jupyter; ``.html`` is the fragment string.

    Examples
    --------
    >>> from stancekit.io import read_articles  # doctest: +SKIP
    >>> arts = read_articles("seeds/")  # doctest: +SKIP
    >>> show_article(arts.iloc[0], statements)  # doctest: +SKIP
    """
    if isinstance(article, str):
        row: Mapping = {"text": article}
    elif isinstance(article, (Mapping, pd.Series)):
        row = article
    else:
        raise TypeError(f"`article` must be a str, dict or pandas Series, not {type(article).__name__}.")
    text = _val(row, "text")
    if not isinstance(text, str):
        raise KeyError("`article` has no `text` string.")
    ident = _val(row, "article")
    header = []
    title = _val(row, "title")
    if title is not None:
        header.append(f'<div class="sk-title" style="font-weight: bold; font-size: 1.15em">{_esc(title)}</div>')
    meta = [str(v) for v in (_val(row, "outlet"), _val(row, "date"), ident) if v is not None]
    if meta:
        header.append(f'<div class="sk-meta" style="color: #666; font-size: 0.9em; margin-bottom: 0.4em">'
                      f'{_esc(_META_SEP.join(meta))}</div>')
    body = highlight_statements(text, statements, hue=hue, colors=colors, max_chars=max_chars,
                                article=None if ident is None else str(ident))
    return HighlightedText(f'<div class="stancekit-show">{"".join(header)}{body.html}</div>')
