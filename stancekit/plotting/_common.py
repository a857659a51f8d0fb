"""Shared pieces of the charts: colours, the palette, row helpers, facets and export."""
from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._utils import atomic_path


#: Okabe & Ito (2008) colours, black left out (kept for text and lines) and
#: yellow put last (weak contrast on white).
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]

#: Colours for groups and speakers, in the order they are handed out: the six
#: strong Okabe & Ito colours, then Tol's (2021) muted scheme (indigo, olive,
#: wine, teal, sand, purple, rose, green, cyan), a brown, and yellow last. 17
#: colours, so 17 groups or speakers get 17 different colours; beyond that
#: they repeat (and a chart with that many hues is better split).
GROUP_COLORS = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
    "#332288", "#999933", "#882255", "#44AA99", "#DDCC77", "#AA4499", "#CC6677", "#117733", "#88CCEE",
    "#8C564B", "#F0E442",
]

#: Fixed colours for the catch-all groups that extraction assigns.
SPECIAL_GROUPS = {"unregistered": "#999999", "media": "#555555"}

#: Stance colours: vermillion / grey / blue from Okabe & Ito, so "against"
#: and "favor" differ in lightness as well as hue.
STANCE_COLORS = {"against": "#D55E00", "none": "#BBBBBB", "favor": "#0072B2"}

#: Colours of the statement kinds (Okabe & Ito), for :func:`statement_counts`.
KIND_COLORS = {
    "direct": "#0072B2",
    "mixed": "#56B4E9",
    "indirect": "#E69F00",
    "reported": "#D55E00",
    "continuation": "#009E73",
}

# Diverging colour map for tone (-1 against .. +1 favor): red-blue ends
# are distinguishable under the common colour-vision deficiencies.
TONE_CMAP = "RdBu"

#: Groups with fewer speakers than this are drawn hollow, without an interval.
MIN_SPEAKERS = 3

# Marker shapes that tell targets (or outlets' groups) apart within a row.
_MARKERS = ["o", "s", "D", "^", "v", "P", "X"]

_TONE_LABEL = "tone (favor − against)"


def _plt():
    import matplotlib.pyplot as plt

    return plt


def _ax(ax):
    return _plt().gca() if ax is None else ax


def _check_columns(data: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"`data` must be a pandas DataFrame, not {type(data).__name__}.")
    for col in columns:
        if col not in data.columns:
            raise KeyError(
                f"Could not interpret value `{col}`: an entry with this name does not appear in `data` "
                f"(columns: {list(data.columns)})."
            )
    return data


def group_palette(
    groups: Iterable[Any],
    *,
    order: Iterable[Any] | None = None,
    palette: Sequence[str] | None = None,
) -> dict:
    """Colour for each group (or speaker), the same in every chart.

    Colours are handed out in a fixed order: first the names in ``order``
    (pass the registry's groups, ``SpeakerRegistry.groups``, or
    :attr:`stancekit.pipeline.AnalysisResult.group_order`), whether or not
    they occur in ``groups``; then the other names in sorted order. So a
    chart of a subset of the groups uses the same colours as a chart of all
    of them, provided both pass the same ``order`` and ``groups`` (or the
    same palette dict). ``unregistered`` and ``media`` are always grey and
    take no colour slot. Up to ``len(palette)`` names (17 by default) get
    distinct colours; beyond that colours repeat.

    Parameters
    ----------
    groups : iterable
        Group (or speaker) names (duplicates and missing values are ignored).
    order : iterable, optional
        Names that take the first colours, in this order.
    palette : sequence of str, optional
        Colours to draw from; defaults to :data:`GROUP_COLORS`.

    Returns
    -------
    dict
        ``{name: colour}`` for every name in ``order`` and ``groups``.

    Examples
    --------
    >>> pal = group_palette(["opposition", "government"], order=["government", "opposition"])
    >>> pal["government"], pal["opposition"]
    ('#0072B2', '#E69F00')
    >>> group_palette(["opposition"], order=["government", "opposition"])["opposition"]
    '#E69F00'
    """
    colours = list(palette) if palette is not None else list(GROUP_COLORS)
    if not colours:
        raise ValueError("`palette` must hold at least one colour.")
    first = [str(g) for g in (order or []) if not _isna(g)]
    rest = sorted({str(g) for g in groups if not _isna(g)} - set(first))
    out: dict = {}
    slot = 0
    for name in dict.fromkeys(first + rest):
        if name in SPECIAL_GROUPS and palette is None:
            out[name] = SPECIAL_GROUPS[name]
            continue
        out[name] = colours[slot % len(colours)]
        slot += 1
    return out


def _text(value: Any) -> str:
    """``str(value)``, with "" for a missing value (pandas 3's ``astype(str)`` keeps NaN)."""
    return "" if _isna(value) else str(value)


def _isna(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _resolve_palette(values: Iterable[Any], palette: Mapping | Sequence[str] | None) -> dict:
    values = [str(v) for v in values if not _isna(v)]
    if isinstance(palette, Mapping):
        given = {str(k): c for k, c in palette.items()}
        missing = sorted(set(values) - set(given))
        if missing:
            raise KeyError(f"`palette` has no colour for {missing}.")
        return given
    return group_palette(values, palette=palette)


def _order(values: pd.Series, order: Sequence[Any] | None, name: str = "order") -> list:
    present = list(dict.fromkeys(values.tolist()))
    if order is None:
        return present
    unknown = [o for o in order if o not in present]
    if unknown:
        raise ValueError(f"Invalid value(s) {unknown} in `{name}`; the data holds {present}.")
    return list(order)


def _row_labels(data: pd.DataFrame, y: str) -> pd.Series:
    """``y`` values, suffixed with the target when a frame holds several."""
    labels = data[y].map(lambda v: "(unknown)" if _isna(v) else str(v)).astype(object)
    if "target" in data.columns and y != "target" and data["target"].nunique() > 1:
        labels = labels + " · " + data["target"].map(_text).astype(object)
    return labels


def _tone_axis(ax, *, label: str = _TONE_LABEL) -> None:
    ax.axvline(0.0, color="0.3", linewidth=0.8, zorder=0)
    ax.set_xlim(-1.05, 1.05)
    ax.set_xticks([-1.0, -0.5, 0.0, 0.5, 1.0])
    ax.set_xlabel(label)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _right_note(ax, y: float, text: str, *, fontsize: float = 8) -> None:
    """Small grey text just right of the Axes, at data height ``y``."""
    ax.annotate(
        text,
        xy=(1.0, y),
        xycoords=("axes fraction", "data"),
        xytext=(4, 0),
        textcoords="offset points",
        va="center",
        ha="left",
        fontsize=fontsize,
        color="0.3",
    )


def mention_note(data: pd.DataFrame, target: str | None = None) -> str:
    """What share of the statements mention ``target``, from a summary's or scores' metadata.

    Reads ``attrs["stancekit"]["mentions"]`` (set by
    :func:`stancekit.analysis.summarize`) or, for scored statements, the
    ``target_mentioned`` column.

    Parameters
    ----------
    data : pandas.DataFrame
        A summary frame or scored statements.
    target : str, optional
        The target; needed when ``data`` covers several.

    Returns
    -------
    str
        "only the 12 of 43 statements that mention it" when the summary was
        restricted to them (``mentioned_only``), "12 of 43 statements mention
        it" otherwise, or "" when unknown.

    Examples
    --------
    >>> import pandas as pd
    >>> scores = pd.DataFrame({"target": ["US", "US", "US"], "target_mentioned": [True, False, False]})
    >>> mention_note(scores)
    '1 of 3 statements mention it'
    """
    meta = data.attrs.get("stancekit", {}) if isinstance(data.attrs, dict) else {}
    counts = meta.get("mentions")
    if not counts and "target_mentioned" in data.columns:
        from ..analysis import _mention_counts

        counts = _mention_counts(data)
    if not counts:
        return ""
    if target is None:
        if len(counts) != 1:
            return ""
        target = next(iter(counts))
    entry = counts.get(str(target))
    if not entry:
        return ""
    m, n = int(entry["mentioned"]), int(entry["statements"])
    if meta.get("mentioned_only"):
        return f"only the {m} of {_plural(n, 'statement')} that mention it"
    return f"{m} of {_plural(n, 'statement')} mention it"


def _few(row: Mapping, min_speakers: int, unit: str = "speakers") -> bool:
    """Too little behind this row: fewer than ``min_speakers`` speakers (or statements, per speaker)."""
    k = row.get(f"n_{unit}") if hasattr(row, "get") else None
    return k is not None and not _isna(k) and int(k) < min_speakers


def _unit(y: str) -> str:
    """What a row's uncertainty rests on: speakers, or for one row per speaker, statements."""
    return "statements" if y == "speaker" else "speakers"


def _draw_point(ax, est: float, low: float, high: float, ypos: float, *, colour, marker: str, few: bool,
                label: str | None, style: Mapping, unit: str = "speakers", note: bool = True) -> None:
    """One estimate: filled with its interval, or hollow without one when it rests on too few speakers.

    ``note`` writes "too few speakers" beside a hollow point; charts with several
    points per row say it once in the legend instead.
    """
    kw = dict(style)
    kw.setdefault("marker", marker)
    if few:
        kw.update(markerfacecolor="white", markeredgecolor=colour, markeredgewidth=1.6)
        ax.errorbar([est], [ypos], xerr=None, color=colour, label=label, **kw)
        if not note:
            return
        right = est < 0.45
        ax.annotate(f"too few {unit}", xy=(est, ypos), xytext=(7 if right else -7, 0), textcoords="offset points",
                    ha="left" if right else "right", va="center", fontsize=7, style="italic", color="0.4")
        return
    if np.isfinite(low) and np.isfinite(high):
        xerr = np.array([[max(est - low, 0.0)], [max(high - est, 0.0)]])
    else:
        xerr = None
    ax.errorbar([est], [ypos], xerr=xerr, color=colour, label=label, **kw)


def _hollow_handle(min_speakers: int, unit: str):
    """Legend entry explaining hollow points."""
    from matplotlib.lines import Line2D

    return Line2D([], [], marker="o", linestyle="none", markerfacecolor="white", markeredgecolor="0.35",
                  markeredgewidth=1.4, color="0.35", label=f"hollow: < {min_speakers} {unit}, no interval")


# --- facets --------------------------------------------------------------------


def _facet_figure(data: pd.DataFrame, *, col: str, y: str, order: Sequence[Any] | None, draw, height_per_row: float,
                  width: float, col_wrap: int, title: str | None, caption: str | None, figsize, extra_height: float = 1.4,
                  col_order: Sequence[Any] | None = None):
    """One panel per ``col`` value (targets), sharing the ``y`` rows; ``draw(sub, ax, rows)`` fills a panel."""
    plt = _plt()
    if col in data.columns and data[col].nunique(dropna=True) > 0:
        panels = list(dict.fromkeys(data[col].dropna().tolist()))
        if col == "target":  # targets none of whose statements are shown still get a (empty) panel
            mentions = (data.attrs.get("stancekit") or {}).get("mentions") or {}
            panels += [t for t in mentions if t not in {str(p) for p in panels}]
        if col_order is not None:
            panels = [p for p in col_order if p in panels] + [p for p in panels if p not in col_order]
    else:
        panels = [None]
    rows = _order(data[y], order) if y in data.columns else []
    ncols = max(1, min(len(panels), col_wrap))
    nrows = math.ceil(len(panels) / ncols)
    if figsize is None:
        figsize = (width * ncols + 1.6, extra_height + height_per_row * max(len(rows), 1) * nrows)
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize, layout="constrained", squeeze=False, sharey=True)
    for k, panel in enumerate(panels):
        ax = axes[k // ncols][k % ncols]
        sub = data if panel is None else data[data[col] == panel]
        draw(sub, ax, rows)
        if panel is not None:
            note = mention_note(data, str(panel))
            ax.set_title(f"{panel}" + (f"\n{note}" if note else ""), fontsize=9)
        if k % ncols:
            ax.set_ylabel("")
    for k in range(len(panels), nrows * ncols):
        axes[k // ncols][k % ncols].set_visible(False)
    if title:
        fig.suptitle(title, fontsize=10)
    if caption:
        fig.supxlabel(caption, fontsize=8, color="0.3")
    return fig


# --- export --------------------------------------------------------------------


def save_figure(fig, path: str | os.PathLike, *, dpi: int = 150, formats: Sequence[str] = ("png", "svg")) -> list[Path]:
    """Write ``fig`` as PNG and SVG next to each other, atomically.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure (``ax.figure`` for an axes-level chart).
    path : str or os.PathLike
        Target path; its suffix (if any) is replaced by each format's.
    dpi : int, default 150
        Resolution of the PNG.
    formats : sequence of str, default ("png", "svg")
        Formats to write.

    Returns
    -------
    list of pathlib.Path
        The files written, in ``formats`` order.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, tempfile, os
    >>> fig, ax = plt.subplots()
    >>> paths = save_figure(fig, os.path.join(tempfile.mkdtemp(), "chart"))
    >>> [p.suffix for p in paths]
    ['.png', '.svg']
    """
    path = Path(path)
    stem = path.with_suffix("") if path.suffix.lower() in {".png", ".svg", ".pdf"} else path
    written = []
    for fmt in formats:
        target = stem.with_name(f"{stem.name}.{fmt}")
        with atomic_path(target) as tmp:
            # metadata without a date keeps the SVG byte-identical across runs
            meta = {"Date": None} if fmt == "svg" else {}
            fig.savefig(tmp, format=fmt, dpi=dpi, bbox_inches="tight", metadata=meta)
        written.append(target)
    return written
