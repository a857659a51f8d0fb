"""Charts of tone and stance across groups, speakers, outlets and time (matplotlib only).

Axes-level charts follow seaborn's shape::

    ax = tone_by_group(summary, ax=None, **kwargs)

They draw on ``ax`` (``plt.gca()`` when None), never create a figure when
``ax`` is given, never call ``plt.show()`` and return the Axes; extra
keyword arguments go to the main matplotlib call. Charts with one panel per
target are figure-level and named ``*_figure`` (they return a new Figure).

Every chart shows how many statements stand behind it (``n``), and rows
resting on fewer than ``min_speakers`` speakers are drawn hollow, without an
interval, and marked "too few speakers": an interval from one or two
speakers says nothing about the group.

Colours: :func:`group_palette` is the one source of group (and speaker)
colours for every chart, the CLI's report and the notebooks
(:mod:`stancekit.display` uses it too). Given the registry's group order it
gives each group the same colour whatever subset a chart shows. The first
colours are Okabe & Ito's (2008) colour-blind-safe palette, continued with
Tol's (2021) muted scheme for larger sets. Save with :func:`save_figure`
(PNG and SVG, written atomically).

References
----------
Okabe, M. & Ito, K. (2008). Color Universal Design (CUD): how to make
    figures and presentations that are friendly to colorblind people.
    https://jfly.uni-koeln.de/color/
Tol, P. (2021). Colour schemes. SRON technical note SRON/EPS/TN/09-002,
    issue 3.2. https://personal.sron.nl/~pault/
"""
from __future__ import annotations

import math
import os
import warnings
import zlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._utils import atomic_path
from .analysis import TIME_KEYS, period_labels, speaker_target_matrix, summarize
from .schema import check_frame

__all__ = [
    "OKABE_ITO",
    "GROUP_COLORS",
    "STANCE_COLORS",
    "KIND_COLORS",
    "group_palette",
    "mention_note",
    "tone_by_group",
    "tone_by_group_figure",
    "stance_composition",
    "stance_composition_figure",
    "speaker_target_heatmap",
    "heatmap_figure",
    "statement_strip",
    "statement_strip_figure",
    "statement_counts",
    "tone_over_time",
    "tone_by_outlet",
    "overview_figure",
    "save_figure",
]

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
        from .analysis import _mention_counts

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
                label: str | None, style: Mapping, unit: str = "speakers") -> None:
    """One estimate: filled with its interval, or hollow without one when it rests on too few speakers."""
    kw = dict(style)
    kw.setdefault("marker", marker)
    if few:
        kw.update(markerfacecolor="white", markeredgecolor=colour, markeredgewidth=1.6)
        ax.errorbar([est], [ypos], xerr=None, color=colour, label=label, **kw)
        right = est < 0.45
        ax.annotate(f"too few {unit}", xy=(est, ypos), xytext=(7 if right else -7, 0), textcoords="offset points",
                    ha="left" if right else "right", va="center", fontsize=7, style="italic", color="0.4")
        return
    if np.isfinite(low) and np.isfinite(high):
        xerr = np.array([[max(est - low, 0.0)], [max(high - est, 0.0)]])
    else:
        xerr = None
    ax.errorbar([est], [ypos], xerr=xerr, color=colour, label=label, **kw)


# --- tone by group ------------------------------------------------------------


def tone_by_group(
    data: pd.DataFrame | None = None,
    *,
    y: str = "group",
    x: str = "tone",
    lo: str = "tone_low",
    hi: str = "tone_high",
    n: str | None = "n_statements",
    order: Sequence[Any] | None = None,
    palette: Mapping | Sequence[str] | None = None,
    min_speakers: int = MIN_SPEAKERS,
    ax=None,
    **kwargs: Any,
):
    """Mean tone per group as points with interval lines.

    Rows with fewer than ``min_speakers`` speakers (``n_speakers``) are drawn
    hollow, without an interval, and marked "too few speakers"; with one row
    per speaker (``y="speaker"``) the same holds for fewer than
    ``min_speakers`` statements (``n_statements``). When the
    summary holds several targets, each group row shows one point per target
    (told apart by marker shape, with a legend); for one panel per target use
    :func:`tone_by_group_figure`.

    Parameters
    ----------
    data : pandas.DataFrame
        A summary frame from :func:`stancekit.analysis.summarize`.
    y : str, default "group"
        Column with the row labels (e.g. "group" or "speaker").
    x, lo, hi : str, default "tone", "tone_low", "tone_high"
        Columns with the estimate and its interval bounds (NaN bounds draw
        the point only).
    n : str or None, default "n_statements"
        Column with the number of statements, written at the right edge
        together with ``n_speakers`` when present; None for no annotation.
    order : sequence, optional
        Values of ``y`` from top to bottom; defaults to the data's order.
    palette : dict or sequence of colours, optional
        Colours by ``y`` value; defaults to :func:`group_palette`.
    min_speakers : int, default 3
        Rows with fewer speakers (statements, for ``y="speaker"``) are
        hollow and have no interval.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; the current Axes when None.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.errorbar` (e.g. ``markersize``).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Examples
    --------
    >>> import pandas as pd
    >>> summary = pd.DataFrame({"group": ["gov", "opp"], "tone": [0.4, -0.2],
    ...     "tone_low": [0.1, -0.5], "tone_high": [0.6, 0.1], "n_statements": [12, 7],
    ...     "n_speakers": [5, 2]})
    >>> ax = tone_by_group(summary)
    """
    if data is None:
        raise TypeError("`data` is required: pass a summary frame from stancekit.analysis.summarize.")
    _check_columns(data, [y, x, lo, hi] + ([n] if n else []))
    rows = _order(data[y], order)
    return _tone_rows(data, rows, y=y, x=x, lo=lo, hi=hi, n=n, palette=palette, min_speakers=min_speakers,
                      ax=ax, **kwargs)


def _tone_rows(data, rows, *, y="group", x="tone", lo="tone_low", hi="tone_high", n="n_statements",
               palette=None, min_speakers=MIN_SPEAKERS, ax=None, **kwargs):
    """Draw :func:`tone_by_group` on the given rows (rows absent from ``data`` stay empty)."""
    ax = _ax(ax)
    frame = data.reset_index(drop=True)
    several = "target" in frame.columns and y != "target" and frame["target"].nunique() > 1
    targets = list(dict.fromkeys(frame["target"].tolist())) if several else [None]
    offsets = np.linspace(-0.22, 0.22, len(targets)) if several else np.zeros(1)
    colours = _resolve_palette(frame[y].astype(str), palette)
    style = {"fmt": "o", "capsize": 3, "markersize": 7, "elinewidth": 1.8, **kwargs}
    user_colour = style.pop("color", None)
    if "fmt" in kwargs or "marker" in kwargs:
        markers = [style.pop("marker", None) or "o"] * len(targets)
    else:
        style.pop("fmt")
        style["linestyle"] = "none"
        markers = [_MARKERS[i % len(_MARKERS)] for i in range(len(targets))]
    for i, value in enumerate(rows):
        for j, target in enumerate(targets):
            sel = frame[frame[y] == value]
            if several:
                sel = sel[sel["target"] == target]
            for _, row in sel.iterrows():
                ypos = i + offsets[j]
                colour = user_colour or colours[str(row[y])]
                label = f"{value} · {target}" if several else str(value)
                _draw_point(ax, float(row[x]), float(row[lo]), float(row[hi]), ypos, colour=colour,
                            marker=markers[j], few=_few(row, min_speakers, _unit(y)), label=label, style=style,
                            unit=_unit(y))
                if n:
                    text = f"n={int(row[n])}"
                    if "n_speakers" in frame.columns and n != "n_speakers" and y != "speaker":
                        text += f" ({int(row['n_speakers'])} spk)"
                    _right_note(ax, ypos, text, fontsize=7 if several else 8)
    ax.set_yticks(range(len(rows)), [str(r) for r in rows])
    ax.set_ylim(len(rows) - 0.5, -0.5)  # first row on top
    _tone_axis(ax, label=x if x != "tone" else _TONE_LABEL)
    ax.set_ylabel(y)
    ax.grid(axis="x", color="0.9", linewidth=0.6)
    ax.set_axisbelow(True)
    if several:
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], marker=markers[j], linestyle="none", color="0.25", label=str(t))
                   for j, t in enumerate(targets)]
        ax.legend(handles=handles, title="target", fontsize=8, title_fontsize=8, loc="best", frameon=False)
    return ax


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


def tone_by_group_figure(
    data: pd.DataFrame,
    *,
    y: str = "group",
    col: str = "target",
    order: Sequence[Any] | None = None,
    palette: Mapping | Sequence[str] | None = None,
    min_speakers: int = MIN_SPEAKERS,
    col_order: Sequence[Any] | None = None,
    col_wrap: int = 3,
    title: str | None = "Mean tone, 95% interval (speakers resampled)",
    figsize: tuple[float, float] | None = None,
):
    """Tone by group with one panel per target, groups in the same rows in every panel.

    Each panel's title names the target and how many of the statements
    mention it ("only the 12 of 43 statements that mention it" when the
    summary was restricted to those, :func:`mention_note`). A caption
    explains the hollow points.

    Parameters
    ----------
    data : pandas.DataFrame
        A summary frame from :func:`stancekit.analysis.summarize`.
    y : str, default "group"
        Column with the row labels ("group", "speaker", "outlet"...).
    col : str, default "target"
        Column with one panel per value.
    order : sequence, optional
        Rows from top to bottom; defaults to the data's order.
    palette : dict or sequence of colours, optional
        Colours by ``y`` value; defaults to :func:`group_palette` of all rows.
    min_speakers : int, default 3
        Rows with fewer speakers are hollow, without an interval.
    col_order : sequence, optional
        Panels in this order (e.g. the targets as given); defaults to the
        data's order.
    col_wrap : int, default 3
        Panels per figure row.
    title : str or None
        Figure title.
    figsize : (float, float), optional
        Figure size in inches; grows with the number of rows by default.

    Returns
    -------
    matplotlib.figure.Figure
        A new figure, one Axes per target.

    Examples
    --------
    >>> import pandas as pd
    >>> summary = pd.DataFrame({"target": ["US", "US", "China", "China"], "group": ["gov", "opp"] * 2,
    ...     "tone": [0.4, -0.2, 0.1, 0.0], "tone_low": [0.1, -0.5, -0.2, -0.3],
    ...     "tone_high": [0.6, 0.1, 0.3, 0.2], "n_statements": [12, 7, 12, 7], "n_speakers": [5, 2, 5, 2]})
    >>> fig = tone_by_group_figure(summary)
    >>> len(fig.axes)
    2
    """
    _check_columns(data, [y])
    colours = palette if isinstance(palette, Mapping) else _resolve_palette(data[y].astype(str), palette)
    caption = (f"Points: statement-weighted mean tone; lines: 95% interval; n = statements (speakers). "
               f"Hollow, no interval: fewer than {min_speakers} {_unit(y)}.")

    def draw(sub, ax, rows):
        _tone_rows(sub, rows, ax=ax, y=y, palette=colours, min_speakers=min_speakers)
    fig = _facet_figure(data, col=col, y=y, order=order, draw=draw, height_per_row=0.42, width=4.4,
                        col_wrap=col_wrap, title=title, caption=caption, figsize=figsize, col_order=col_order)
    return fig


# --- stance composition ---------------------------------------------------------


def _stance_shares(data: pd.DataFrame, y: str) -> pd.DataFrame:
    if {"favor", "none", "against"} <= set(data.columns):
        return data
    _check_columns(data, [y, "stance"])
    keys = [y] + (["target"] if "target" in data.columns and y != "target" and data["target"].nunique() > 1 else [])
    counts = pd.crosstab([data[k] for k in keys], data["stance"])
    shares = counts.div(counts.sum(axis=1), axis=0)
    for lab in ("favor", "none", "against"):
        if lab not in shares.columns:
            shares[lab] = 0.0
    out = shares[["favor", "none", "against"]].reset_index()
    out["n_statements"] = counts.sum(axis=1).to_numpy()
    if "speaker" in data.columns:
        spk = data.groupby(keys, sort=True)["speaker"].nunique()
        out["n_speakers"] = spk.reindex(pd.MultiIndex.from_frame(out[keys]) if len(keys) > 1 else out[y]).to_numpy()
    return out


def stance_composition(
    data: pd.DataFrame | None = None,
    *,
    y: str = "group",
    order: Sequence[Any] | None = None,
    colors: Mapping[str, str] | None = None,
    annotate: bool = True,
    n: str | None = "n_statements",
    ax=None,
    **kwargs: Any,
):
    """Diverging stacked bars of stance shares: against left, none centred, favor right.

    Parameters
    ----------
    data : pandas.DataFrame
        A summary frame with ``favor``, ``none`` and ``against`` shares
        (:func:`stancekit.analysis.summarize`), or scored statements with a
        ``stance`` column (shares are then counted here).
    y : str, default "group"
        Column with the bar labels.
    order : sequence, optional
        Values of ``y`` from top to bottom; defaults to the data's order.
    colors : dict, optional
        Colours for "against", "none" and "favor"; defaults to
        :data:`STANCE_COLORS`.
    annotate : bool, default True
        Write percentages into segments of at least 15%.
    n : str or None, default "n_statements"
        Column with the number of statements behind each bar, written at the
        right edge (with ``n_speakers`` when present); None for none.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; the current Axes when None.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.barh` (e.g. ``height``).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Examples
    --------
    >>> import pandas as pd
    >>> summary = pd.DataFrame({"group": ["gov", "opp"], "favor": [0.6, 0.1],
    ...     "none": [0.3, 0.3], "against": [0.1, 0.6], "n_statements": [10, 8]})
    >>> ax = stance_composition(summary)
    """
    if data is None:
        raise TypeError("`data` is required: pass a summary frame or scored statements.")
    _check_columns(data, [y])
    frame = _stance_shares(data, y).reset_index(drop=True)
    return _composition_rows(frame, _order(frame[y], order), y=y, colors=colors, annotate=annotate, n=n,
                             ax=ax, **kwargs)


def _composition_rows(frame, rows, *, y, colors=None, annotate=True, n="n_statements", legend=True, ax=None,
                      **kwargs):
    ax = _ax(ax)
    several = "target" in frame.columns and y != "target" and frame["target"].nunique() > 1
    order_idx = []
    labels = []
    for value in rows:
        idx = frame.index[frame[y] == value].tolist()
        if not idx:
            order_idx.append(None)
            labels.append(str(value))
        for i in idx:
            order_idx.append(i)
            labels.append(f"{value} · {frame.at[i, 'target']}" if several else str(value))
    present = [i for i in order_idx if i is not None]
    pos = np.array([k for k, i in enumerate(order_idx) if i is not None], dtype=float)
    sub = frame.loc[present]
    colours = {**STANCE_COLORS, **(colors or {})}
    favor = sub["favor"].to_numpy(dtype=float)
    none = sub["none"].to_numpy(dtype=float)
    against = sub["against"].to_numpy(dtype=float)
    style = {"height": 0.7, "edgecolor": "white", "linewidth": 0.5, **kwargs}
    segments = {
        "against": (-none / 2 - against, against),
        "none": (-none / 2, none),
        "favor": (none / 2, favor),
    }
    for lab, (left, width) in segments.items():
        bars = ax.barh(pos, width, left=left, color=colours[lab], label=lab, **style)
        if annotate:
            for bar, share in zip(bars, width):
                if np.isfinite(share) and share >= 0.15:
                    ax.text(
                        bar.get_x() + bar.get_width() / 2,
                        bar.get_y() + bar.get_height() / 2,
                        f"{share:.0%}",
                        ha="center",
                        va="center",
                        fontsize=8,
                        color="black" if lab == "none" else "white",
                    )
    if n and n in sub.columns:
        for p, (_, row) in zip(pos, sub.iterrows()):
            if _isna(row[n]):
                continue
            text = f"n={int(row[n])}"
            if "n_speakers" in sub.columns and n != "n_speakers" and y != "speaker" and not _isna(row["n_speakers"]):
                text += f" ({int(row['n_speakers'])} spk)"
            _right_note(ax, p, text)
    ax.axvline(0.0, color="0.3", linewidth=0.8)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.set_xlim(-1.0, 1.0)
    ticks = np.linspace(-1, 1, 5)
    ax.set_xticks(ticks, [f"{abs(t):.0%}" for t in ticks])
    ax.set_xlabel("share of statements: against ← | → favor")
    ax.set_ylabel(y)
    # below the x label at a fixed distance in points, whatever the Axes height
    from matplotlib.transforms import offset_copy

    if legend:
        below = offset_copy(ax.transAxes, fig=ax.figure, y=-38, units="points")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), bbox_transform=below, ncol=3, frameon=False,
                  fontsize=8)
    return ax


def stance_composition_figure(
    data: pd.DataFrame,
    *,
    y: str = "group",
    col: str = "target",
    order: Sequence[Any] | None = None,
    colors: Mapping[str, str] | None = None,
    col_order: Sequence[Any] | None = None,
    col_wrap: int = 3,
    title: str | None = "Stance of statements",
    figsize: tuple[float, float] | None = None,
):
    """Stance composition with one panel per target, rows shared across panels.

    Parameters
    ----------
    data : pandas.DataFrame
        A summary frame (or scored statements) as for :func:`stance_composition`.
    y, col, order, colors
        As in :func:`stance_composition`; ``col`` gives one panel per value.
    col_order : sequence, optional
        Panels in this order (e.g. the targets as given); defaults to the
        data's order.
    col_wrap : int, default 3
        Panels per figure row.
    title : str or None
        Figure title.
    figsize : (float, float), optional
        Figure size in inches; grows with the number of rows by default.

    Returns
    -------
    matplotlib.figure.Figure
        A new figure, one Axes per target.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"target": ["US", "China"], "group": ["gov", "gov"], "favor": [0.5, 0.2],
    ...                   "none": [0.3, 0.3], "against": [0.2, 0.5], "n_statements": [10, 10]})
    >>> len(stance_composition_figure(s).axes)
    2
    """
    _check_columns(data, [y])
    frame = _stance_shares(data, y).reset_index(drop=True)
    frame.attrs = dict(data.attrs)

    def draw(sub, ax, rows):
        _composition_rows(sub.reset_index(drop=True), rows, y=y, colors=colors, legend=False, ax=ax)

    caption = "Shares of statements the model labels against / none / favor; n = statements (speakers)."
    fig = _facet_figure(frame, col=col, y=y, order=order, draw=draw, height_per_row=0.42, width=4.4,
                         col_wrap=col_wrap, title=title, caption=None, figsize=figsize, extra_height=1.8,
                         col_order=col_order)
    handles, labels = fig.axes[0].get_legend_handles_labels()
    legend = fig.legend(handles, labels, loc="outside lower center", ncol=3, frameon=False, fontsize=8,
                        title=caption, title_fontsize=8)
    legend.get_title().set_color("0.3")
    return fig


# --- heatmap -------------------------------------------------------------------


def _cell_points(ax, n_rows: int, n_cols: int) -> tuple[float, float]:
    """Approximate height and width of one heatmap cell in points, from the Axes' current size."""
    fig = ax.figure
    box = ax.get_position()
    w_in, h_in = fig.get_size_inches()
    return (box.height * h_in * 72 / max(n_rows, 1), box.width * w_in * 72 / max(n_cols, 1))


def speaker_target_heatmap(
    data: pd.DataFrame | None = None,
    *,
    index: str = "speaker",
    columns: str = "target",
    value: str = "tone",
    annot: bool = True,
    cmap: str = TONE_CMAP,
    colorbar: bool = True,
    fontsize: float = 8,
    ax=None,
    **kwargs: Any,
):
    """Mean tone per speaker (rows) and target (columns), diverging colours centred at 0.

    Cell labels fit the cell: the value and its number of statements on two
    lines where the cell is tall enough, on one line, the value alone, or no
    label where even that would overlap (size the figure with the rows, or
    use :func:`heatmap_figure`, which does).

    Parameters
    ----------
    data : pandas.DataFrame
        Scored statements (long form, pivoted with
        :func:`stancekit.analysis.speaker_target_matrix`), or an already
        wide numeric table whose index and columns are the labels.
    index, columns, value : str, default "speaker", "target", "tone"
        Columns for the rows, the columns and the cell values (long form).
    annot : bool, default True
        Write each cell's value (and its number of statements, for long-form
        data) into the cell; empty cells show "–".
    cmap : str, default "RdBu"
        Diverging colour map; the colour scale runs from -1 to 1, white at 0.
    colorbar : bool, default True
        Draw a colour bar beside the Axes.
    fontsize : float, default 8
        Largest font size of the cell labels.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; the current Axes when None.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.imshow`.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Examples
    --------
    >>> import pandas as pd
    >>> scores = pd.DataFrame({"speaker": ["A", "A", "B"], "target": ["x", "y", "x"],
    ...                        "tone": [0.5, -0.5, 0.1]})
    >>> ax = speaker_target_heatmap(scores)
    """
    if data is None:
        raise TypeError("`data` is required: pass scored statements or a wide table.")
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"`data` must be a pandas DataFrame, not {type(data).__name__}.")
    counts = None
    if {index, columns, value} <= set(data.columns):
        table = speaker_target_matrix(data, index=index, columns=columns, value=value)
        counts = speaker_target_matrix(data, index=index, columns=columns, value=value, aggfunc="count")
    elif all(pd.api.types.is_numeric_dtype(t) for t in data.dtypes):
        table = data
    else:
        _check_columns(data, [index, columns, value])  # raises with the usual message
    ax = _ax(ax)
    values = table.to_numpy(dtype=float)
    import matplotlib as mpl

    colormap = mpl.colormaps[cmap] if isinstance(cmap, str) else cmap
    colormap = colormap.with_extremes(bad="0.93")  # empty cells light grey, not white (= tone 0)
    style = {"cmap": colormap, "vmin": -1.0, "vmax": 1.0, "aspect": "auto", "interpolation": "nearest", **kwargs}
    image = ax.imshow(np.ma.masked_invalid(values), **style)
    ax.set_xticks(range(table.shape[1]), [str(c) for c in table.columns], rotation=30, ha="right")
    ax.set_yticks(range(table.shape[0]), [str(i) for i in table.index])
    ax.set_xlabel(table.columns.name or columns)
    ax.set_ylabel(table.index.name or index)
    if annot and values.size:
        cell_h, cell_w = _cell_points(ax, values.shape[0], values.shape[1])
        if colorbar:
            cell_w *= 0.85  # the colour bar takes part of the width
        size = float(fontsize)
        char_w = 0.62  # average glyph width of DejaVu Sans digits, in ems
        if cell_h >= 2.5 * size and cell_w >= 6 * char_w * size:
            layout = "two"
        elif cell_h >= 1.25 * size and counts is not None and cell_w >= 10 * char_w * size:
            layout = "one"
        else:
            size = min(size, cell_h / 1.25, cell_w / (5.5 * char_w))
            layout = "value" if size >= 5 else None
        if layout is not None:
            for i in range(values.shape[0]):
                for j in range(values.shape[1]):
                    v = values[i, j]
                    if np.isfinite(v):
                        text = f"{v:+.2f}"
                        if counts is not None and layout == "two":
                            text += f"\nn={int(counts.iat[i, j])}"
                        elif counts is not None and layout == "one":
                            text += f" (n={int(counts.iat[i, j])})"
                        colour = "white" if abs(v) > 0.6 else "black"
                    else:
                        text, colour = "–", "0.5"
                    ax.text(j, i, text, ha="center", va="center", fontsize=size, color=colour)
    if colorbar:
        cbar = ax.figure.colorbar(image, ax=ax, fraction=0.05, pad=0.03)
        cbar.set_label(f"{value} (against − / favor +)")
    return ax


def heatmap_figure(
    data: pd.DataFrame,
    *,
    index: str = "speaker",
    columns: str = "target",
    value: str = "tone",
    max_rows: int | None = 40,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
    **kwargs: Any,
):
    """:func:`speaker_target_heatmap` in a new figure whose height follows its rows.

    Parameters
    ----------
    data : pandas.DataFrame
        Scored statements (long form).
    index, columns, value : str
        As in :func:`speaker_target_heatmap`.
    max_rows : int or None, default 40
        Keep only the rows with the most statements (a heatmap of more rows is
        unreadable); the title says how many were kept. None keeps all.
    title : str, optional
        Title; by default "Mean tone per speaker and target" with the counts.
    figsize : (float, float), optional
        Figure size in inches; by default 0.42 in per row and 1.3 in per column.
    **kwargs
        Passed to :func:`speaker_target_heatmap`.

    Returns
    -------
    matplotlib.figure.Figure
        A new figure.

    Examples
    --------
    >>> import pandas as pd
    >>> scores = pd.DataFrame({"speaker": ["A", "A", "B"], "target": ["x", "y", "x"], "tone": [0.5, -0.5, 0.1]})
    >>> fig = heatmap_figure(scores)
    """
    _check_columns(data, [index, columns, value])
    plotted = data[data[value].notna() & data[index].notna()]
    counts = plotted[index].astype(str).value_counts(sort=False).sort_index(kind="stable")
    top = counts.sort_values(ascending=False, kind="stable").index
    if max_rows is not None:
        top = top[:max_rows]
    heat = plotted[plotted[index].astype(str).isin(set(top))]
    n_rows = heat[index].nunique()
    n_cols = max(1, heat[columns].nunique())
    if figsize is None:
        width = 3.0 + 1.3 * n_cols + 0.07 * max((len(str(v)) for v in heat[index].unique()), default=0)
        figsize = (width, 1.6 + 0.42 * max(n_rows, 1))
    fig, ax = _plt().subplots(figsize=figsize, layout="constrained")
    speaker_target_heatmap(heat, index=index, columns=columns, value=value, ax=ax, **kwargs)
    if title is None:
        who = {"speaker": "speaker", "group": "group", "outlet": "outlet"}.get(index, index)
        shown = (f"{n_rows} most quoted of {counts.size} {who}s" if counts.size > n_rows
                 else _plural(n_rows, who))
        title = f"Mean {value} per {who} and {columns} ({shown}, n = statements per cell)"
    ax.set_title(title, fontsize=10)
    return fig


# --- one dot per statement ----------------------------------------------------------


def _jitter(keys: Iterable[str], width: float) -> np.ndarray:
    """Deterministic jitter in [-width/2, width/2] derived from each row's content."""
    fractions = [zlib.crc32(k.encode("utf-8")) / 0xFFFFFFFF for k in keys]
    return (np.asarray(fractions, dtype=float) - 0.5) * width


def statement_strip(
    data: pd.DataFrame | None = None,
    *,
    x: str = "tone",
    y: str = "group",
    label: str | None = "speaker",
    order: Sequence[Any] | None = None,
    palette: Mapping | Sequence[str] | None = None,
    jitter: float = 0.5,
    max_labels: int = 60,
    ax=None,
    **kwargs: Any,
):
    """One dot per statement: a row per group, within it a lane per speaker, labelled once.

    With ``label`` (default "speaker"), each row is split into one lane per
    speaker (sorted by name) and each lane is labelled once, right of its
    rightmost dot (left of its leftmost when that is too close to the right
    edge), so labels never overlap one another. Without ``label``, the dots
    of a row are jittered vertically. The number of statements and speakers
    of each row is written at the right edge. Jitter is derived from each
    statement's content (its ``statement_id``, or its label and value), so a
    statement lands in the same place in every run whatever the row order.

    Parameters
    ----------
    data : pandas.DataFrame
        Scored statements (one row per statement and target).
    x : str, default "tone"
        Numeric column for the horizontal position.
    y : str, default "group"
        Column for the rows; several targets add " · target" to the label.
    label : str or None, default "speaker"
        Column giving each row's lanes and their labels; None for one
        jittered lane per row and no labels.
    order : sequence, optional
        Values of ``y`` from top to bottom; defaults to sorted order.
    palette : dict or sequence of colours, optional
        Colours by ``y`` value; defaults to :func:`group_palette`.
    jitter : float, default 0.5
        Vertical spread of the dots, as a fraction of a lane.
    max_labels : int, default 60
        With more lanes than this, lanes and labels are left out (one
        jittered lane per row).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; the current Axes when None.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.scatter`.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Examples
    --------
    >>> import pandas as pd
    >>> scores = pd.DataFrame({"group": ["gov", "gov", "opp"], "speaker": ["A", "B", "C"],
    ...                        "tone": [0.5, 0.1, -0.4]})
    >>> ax = statement_strip(scores)
    """
    if data is None:
        raise TypeError("`data` is required: pass scored statements.")
    _check_columns(data, [x, y] + ([label] if label else []))
    frame = data.reset_index(drop=True)
    rowlab = _row_labels(frame, y)
    if order is None:
        rows = sorted(rowlab.unique().tolist())
    else:
        wanted = _order(frame[y], order)
        rows = [r for o in wanted for r in dict.fromkeys(rowlab[frame[y] == o].tolist())]
    return _strip_rows(frame, rows, rowlab, x=x, y=y, label=label, palette=palette, jitter=jitter,
                       max_labels=max_labels, ax=ax, **kwargs)


def _strip_rows(frame, rows, rowlab, *, x, y, label, palette, jitter, max_labels, ax=None, **kwargs):
    ax = _ax(ax)
    # lanes: (row, speaker) pairs, in row order, speakers sorted by name within a row
    lane_keys: list[list] = []
    for r in rows:
        in_row = frame[rowlab == r]
        if label and len(in_row):
            names = sorted(in_row[label].dropna().astype(str).unique().tolist())
            if in_row[label].isna().any():
                names.append(None)
            lane_keys.append(names or [None])
        else:
            lane_keys.append([None])
    if label and sum(len(k) for k in lane_keys) > max_labels:
        label = None
        lane_keys = [[None] for _ in rows]
    # y position of each lane: rows stacked top to bottom, one unit per lane, a gap between rows
    gap = 0.6
    lane_y: dict = {}
    centres, bounds = [], []
    pos = 0.0
    for r, names in zip(rows, lane_keys):
        top = pos
        for k, name in enumerate(names):
            lane_y[(r, name)] = pos + k
        pos += len(names)
        centres.append((top + pos - 1) / 2)
        bounds.append((top - 0.5, pos - 0.5))
        pos += gap
    if label:
        lane_of = [lane_y.get((r, None if _isna(v) else str(v)), np.nan) for r, v in zip(rowlab, frame[label])]
    else:
        lane_of = [lane_y.get((r, None), np.nan) for r in rowlab]
    lane_of = np.asarray(lane_of, dtype=float)
    if "statement_id" in frame.columns:
        keys = [f"{_text(s)}|{r}" for s, r in zip(frame["statement_id"], rowlab)]
    else:
        labels = frame[label] if label else [""] * len(frame)
        keys = [f"{_text(lab)}|{_text(v)}|{r}|{i}" for lab, v, r, i in zip(labels, frame[x], rowlab, frame.index)]
    spread = jitter * (0.6 if label else 1.0)
    yy = lane_of + _jitter(keys, spread)
    colours = _resolve_palette(frame[y].astype(str), palette)
    style = {"s": 26, "alpha": 0.85, "edgecolors": "white", "linewidths": 0.5, **kwargs}
    if "c" not in style and "color" not in style:
        style["c"] = [colours.get(_text(v), SPECIAL_GROUPS["unregistered"]) for v in frame[y]]
    ax.scatter(frame[x].to_numpy(dtype=float), yy, **style)
    ax.set_xlim(-1.05, 1.05)
    if label:
        xs = frame[x].to_numpy(dtype=float)
        # data units per point, from the Axes' current width (layout engines change it a little later)
        axes_pt = ax.get_position().width * ax.figure.get_size_inches()[0] * 72
        per_pt = 2.1 / max(axes_pt, 1.0)
        for (r, name), ly in lane_y.items():
            if name is None:
                continue
            mask = (lane_of == ly) & np.isfinite(xs)
            if not mask.any():
                continue
            hi, lo = float(xs[mask].max()), float(xs[mask].min())
            # right of the rightmost dot, unless the name would run past the right edge
            room_right = 1.05 - hi
            width = (0.62 * 6.5 * len(name) + 8) * per_pt
            if room_right >= width or room_right >= (lo + 1.05):
                ax.annotate(name, xy=(hi, ly), xytext=(5, 0), textcoords="offset points", va="center",
                            ha="left", fontsize=6.5, color="0.25", annotation_clip=False)
            else:
                ax.annotate(name, xy=(lo, ly), xytext=(-5, 0), textcoords="offset points", va="center",
                            ha="right", fontsize=6.5, color="0.25", annotation_clip=False)
    for k, (r, (top, bottom)) in enumerate(zip(rows, bounds)):
        in_row = frame[rowlab == r]
        text = f"n={len(in_row)}"
        if "speaker" in in_row.columns and y != "speaker":
            text += f" ({in_row['speaker'].nunique()} spk)"
        _right_note(ax, centres[k], text)
        if k:
            ax.axhline(top - gap / 2, color="0.85", linewidth=0.6, zorder=0)
    ax.set_yticks(centres, [str(r) for r in rows])
    ax.set_ylim(max(pos - gap, 1) - 0.5, -0.5 - 0.001)
    _tone_axis(ax, label=x if x != "tone" else _TONE_LABEL)
    ax.set_ylabel(y)
    ax.grid(axis="x", color="0.9", linewidth=0.6)
    ax.set_axisbelow(True)
    return ax


def _strip_lanes(data: pd.DataFrame, y: str, label: str | None) -> int:
    """Number of lanes :func:`statement_strip` draws (for sizing a figure)."""
    if data.empty:
        return 1
    if not label or label not in data.columns:
        return max(1, _row_labels(data, y).nunique())
    keys = pd.DataFrame({"r": _row_labels(data, y), "l": data[label].astype("string").fillna("\x00")})
    return max(1, len(keys.drop_duplicates()))


def statement_strip_figure(
    data: pd.DataFrame,
    *,
    x: str = "tone",
    y: str = "group",
    col: str = "target",
    label: str | None = "speaker",
    order: Sequence[Any] | None = None,
    palette: Mapping | Sequence[str] | None = None,
    col_order: Sequence[Any] | None = None,
    col_wrap: int = 3,
    max_lanes: int = 80,
    title: str | None = "One dot per statement",
    figsize: tuple[float, float] | None = None,
):
    """:func:`statement_strip` with one panel per target, rows and lanes shared across panels.

    Parameters
    ----------
    data : pandas.DataFrame
        Scored statements.
    x, y, label, order, palette
        As in :func:`statement_strip`.
    col : str, default "target"
        Column with one panel per value.
    col_order : sequence, optional
        Panels in this order (e.g. the targets as given); defaults to the
        data's order.
    col_wrap : int, default 3
        Panels per figure row.
    max_lanes : int, default 80
        With more speakers (lanes) than this, rows are not split by
        speaker and not labelled (the figure would be too tall to read).
    title : str or None
        Figure title.
    figsize : (float, float), optional
        Figure size in inches; grows with the number of lanes by default.

    Returns
    -------
    matplotlib.figure.Figure
        A new figure, one Axes per target.

    Examples
    --------
    >>> import pandas as pd
    >>> scores = pd.DataFrame({"target": ["US", "US", "China"], "group": ["gov", "opp", "gov"],
    ...                        "speaker": ["A", "C", "A"], "tone": [0.5, -0.4, 0.1]})
    >>> len(statement_strip_figure(scores).axes)
    2
    """
    _check_columns(data, [x, y] + ([label] if label else []))
    plotted = data[data[x].notna()]
    colours = palette if isinstance(palette, Mapping) else _resolve_palette(plotted[y].astype(str), palette)
    rows = _order(plotted[y], order) if order is not None else sorted(plotted[y].astype(str).unique().tolist())
    # the same lanes in every panel: all speakers of a row, whatever the target
    single = plotted.drop(columns=[col]) if col in plotted.columns else plotted
    n_lanes = _strip_lanes(single.drop_duplicates([y, label]) if label else single, y, label)
    if label and n_lanes > max_lanes:
        label, n_lanes = None, len(rows)

    def draw(sub, ax, _rows):
        frame = sub.drop(columns=[col]).reset_index(drop=True) if col in sub.columns else sub.reset_index(drop=True)
        _strip_rows_shared(frame, plotted, rows, x=x, y=y, label=label, palette=colours, ax=ax)

    height = 1.5 + (0.2 * n_lanes if label else 0.45 * len(rows)) + 0.12 * len(rows)
    ncols = max(1, min(plotted[col].nunique() if col in plotted.columns else 1, col_wrap))
    if figsize is None:
        figsize = (5.2 * ncols + 1.8, height)
    caption = ("One dot per statement" + ("; a lane per speaker" if label else "")
               + "; n = statements (speakers) in the panel.")
    return _facet_figure(plotted, col=col, y=y, order=rows, draw=draw, height_per_row=0.0, width=5.2,
                         col_wrap=col_wrap, title=title, caption=caption, figsize=figsize, col_order=col_order)


def _strip_rows_shared(frame, everything, rows, *, x, y, label, palette, ax):
    """Draw one panel's statements on the lanes of ``everything`` (so every panel has the same lanes)."""
    ghost_cols = [y] + ([label] if label else [])
    ghosts = everything[ghost_cols].drop_duplicates()
    ghosts = ghosts[~ghosts.set_index(ghost_cols).index.isin(frame.set_index(ghost_cols).index)] if len(frame) else ghosts
    combined = pd.concat([frame, ghosts.assign(**{x: np.nan})], ignore_index=True)
    rowlab = _row_labels(combined.drop(columns=["target"], errors="ignore"), y)
    kept = [r for r in rows]
    ax = _strip_rows(combined, [str(r) for r in kept], rowlab, x=x, y=y, label=label, palette=palette,
                     jitter=0.5, max_labels=10**9, ax=ax)
    # the right-edge counts above include the ghost lanes; redo them from the real rows
    for t in list(ax.texts):
        if t.get_text().startswith("n=") and getattr(t, "xycoords", None) == ("axes fraction", "data"):
            t.remove()
    ticks = ax.get_yticks()
    for r, yc in zip(kept, ticks):
        in_row = frame[frame[y].astype(str) == str(r)]
        text = f"n={len(in_row)}"
        if "speaker" in in_row.columns and y != "speaker":
            text += f" ({in_row['speaker'].nunique()} spk)"
        _right_note(ax, yc, text)
    return ax


# --- statements per speaker and kind -------------------------------------------------


def statement_counts(
    data: pd.DataFrame | None = None,
    *,
    y: str = "speaker",
    hue: str | None = "kind",
    order: Sequence[Any] | None = None,
    colors: Mapping[str, str] | None = None,
    ax=None,
    **kwargs: Any,
):
    """Horizontal stacked bars: how many statements each speaker makes, of which kind.

    Statements split by their cue into several spans count once (distinct
    ``statement_id`` when present).

    Parameters
    ----------
    data : pandas.DataFrame
        Statements from :func:`stancekit.extraction.extract_statements`.
    y : str, default "speaker"
        Column for the bars (missing values shown as "(unknown)").
    hue : str or None, default "kind"
        Column that splits each bar; None for plain bars.
    order : sequence, optional
        Bars from top to bottom; defaults to most statements first.
    colors : dict, optional
        Colours by ``hue`` value; defaults to :data:`KIND_COLORS`, then
        :func:`group_palette` for other values.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; the current Axes when None.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.barh`.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Examples
    --------
    >>> import pandas as pd
    >>> st = pd.DataFrame({"speaker": ["A", "A", "B"], "kind": ["direct", "indirect", "direct"]})
    >>> ax = statement_counts(st)
    """
    if data is None:
        raise TypeError("`data` is required: pass a statements frame.")
    _check_columns(data, [y] + ([hue] if hue else []))
    frame = data.copy()
    if "statement_id" in frame.columns:
        frame = frame.drop_duplicates(subset=["statement_id"] + ([y] if y in frame.columns else []))
    frame[y] = frame[y].astype("object").where(frame[y].notna(), "(unknown)").astype(str)
    if hue:
        frame[hue] = frame[hue].astype("object").where(frame[hue].notna(), "(unknown)").astype(str)
        table = pd.crosstab(frame[y], frame[hue])
    else:
        table = frame[y].value_counts().to_frame("statements")
    totals = table.sum(axis=1)
    rows = list(order) if order is not None else totals.sort_values(ascending=False, kind="stable").index.tolist()
    unknown = [r for r in rows if r not in table.index]
    if unknown:
        raise ValueError(f"Invalid value(s) {unknown} in `order`; the data holds {table.index.tolist()}.")
    table = table.loc[rows]
    ax = _ax(ax)
    known = [k for k in KIND_COLORS if k in table.columns]
    cols = known + sorted(c for c in table.columns if c not in known)
    others = group_palette([c for c in cols if c not in KIND_COLORS], palette=OKABE_ITO[::-1])
    colours = {**{k: KIND_COLORS.get(k, others.get(k, "0.5")) for k in cols}, **(colors or {})}
    left = np.zeros(len(rows))
    pos = np.arange(len(rows))
    style = {"height": 0.7, "edgecolor": "white", "linewidth": 0.5, **kwargs}
    for c in cols:
        width = table[c].to_numpy(dtype=float)
        ax.barh(pos, width, left=left, color=colours[c] if hue else "0.35", label=str(c) if hue else None, **style)
        left += width
    for p, total in zip(pos, totals.loc[rows]):
        ax.annotate(f"n={int(total)}", xy=(float(total), p), xytext=(3, 0), textcoords="offset points",
                    va="center", ha="left", fontsize=8, color="0.3")
    ax.set_yticks(pos, [str(r) for r in rows])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, float(totals.max() if len(totals) else 1) * 1.15 + 0.5)
    ax.set_xlabel("statements")
    ax.set_ylabel(y)
    ax.grid(axis="x", color="0.9", linewidth=0.6)
    ax.set_axisbelow(True)
    if hue:
        ax.legend(title=hue, fontsize=8, title_fontsize=8, frameon=False, loc="lower right")
    return ax


# --- corpus-level views: time and outlets ------------------------------------------------


def _one_target(data: pd.DataFrame, target: str | None) -> tuple[pd.DataFrame, str | None]:
    if "target" not in data.columns:
        return data, target
    present = list(dict.fromkeys(data["target"].dropna().tolist()))
    if target is None:
        if len(present) > 1:
            raise ValueError(f"`data` holds {len(present)} targets {present}; pass `target=` to pick one.")
        return data, present[0] if present else None
    if target not in present:
        raise ValueError(f"Invalid value {target!r} for `target`; choose one of {present}.")
    return data[data["target"] == target], target


def tone_over_time(
    data: pd.DataFrame | None = None,
    *,
    x: str = "date",
    freq: str = "month",
    hue: str | None = "group",
    target: str | None = None,
    value: str = "tone",
    order: Sequence[Any] | None = None,
    palette: Mapping | Sequence[str] | None = None,
    min_speakers: int = MIN_SPEAKERS,
    mentioned_only: bool = False,
    n_boot: int = 1000,
    seed: int = 0,
    ax=None,
    **kwargs: Any,
):
    """Mean tone per period and group: a line and a 95% interval band per group.

    Each point is a :func:`stancekit.analysis.summarize` of one group in one
    period (speakers resampled). Periods where a group has fewer than
    ``min_speakers`` speakers are hollow points with no band; periods with no
    statements of a group break its line. The legend gives each group's
    statements and speakers over all periods.

    Parameters
    ----------
    data : pandas.DataFrame
        Scored statements with a date column (see
        :func:`stancekit.analysis.add_article_columns`).
    x : str, default "date"
        Column with the dates.
    freq : {"year", "quarter", "month", "week", "day"}, default "month"
        Period length.
    hue : str or None, default "group"
        Column with one line per value; None for one line over everything.
    target : str, optional
        The target; required when ``data`` holds several.
    value : str, default "tone"
        Numeric column to average.
    order : sequence, optional
        ``hue`` values to draw, in legend order; defaults to all, by size.
    palette : dict or sequence of colours, optional
        Colours by ``hue`` value; defaults to :func:`group_palette`.
    min_speakers : int, default 3
        Points with fewer speakers are hollow and have no band.
    mentioned_only : bool, default False
        Use only statements that mention the target.
    n_boot : int, default 1000
        Bootstrap replicates per point.
    seed : int, default 0
        Seed of the bootstrap.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; the current Axes when None.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.plot` (e.g. ``linewidth``).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Examples
    --------
    >>> import pandas as pd
    >>> scores = pd.DataFrame({"date": ["2026-01-05", "2026-01-20", "2026-02-03", "2026-02-10"],
    ...     "group": ["gov"] * 4, "speaker": ["A", "B", "A", "C"], "tone": [0.2, 0.4, -0.1, 0.0]})
    >>> ax = tone_over_time(scores, freq="month")
    """
    if data is None:
        raise TypeError("`data` is required: pass scored statements with a date column.")
    check_frame(data, [x, value, "speaker"] + ([hue] if hue else []), name="data")
    if freq not in TIME_KEYS:
        raise ValueError(f"Invalid value {freq!r} for `freq`; choose one of {list(TIME_KEYS)}.")
    frame, target = _one_target(data, target)
    if mentioned_only and "target_mentioned" in frame.columns:
        frame = frame[frame["target_mentioned"].astype("boolean").fillna(False).astype(bool)]
    period_col = "_period"
    frame = frame.assign(**{period_col: period_labels(frame[x], freq)})
    undated = int(frame[period_col].isna().sum())
    frame = frame[frame[period_col].notna()]
    ax = _ax(ax)
    if frame.empty:
        ax.text(0.5, 0.5, "no dated statements", transform=ax.transAxes, ha="center", va="center", color="0.4")
        return ax
    keys = ([hue] if hue else []) + [period_col]
    summ = summarize(frame.drop(columns=["target"], errors="ignore"), by=keys, value=value, n_boot=n_boot,
                     seed=seed, min_speakers=min_speakers)
    pfreq = TIME_KEYS[freq]
    stamps = {lab: pd.Period(lab, freq=pfreq) for lab in summ[period_col].unique()}
    all_periods = pd.period_range(min(stamps.values()), max(stamps.values()), freq=pfreq)
    centre = {p: p.start_time + (p.end_time - p.start_time) / 2 for p in all_periods}
    groups = [None] if not hue else (
        list(order) if order is not None
        else frame[hue].value_counts().sort_index(kind="stable").sort_values(ascending=False, kind="stable").index.tolist()
    )
    colours = (_resolve_palette(frame[hue].astype(str), palette) if hue
               else {None: "0.2"})
    style = {"linewidth": 1.6, **kwargs}
    for g in groups:
        sub = summ if g is None else summ[summ[hue] == g]
        if sub.empty:
            continue
        by_period = {stamps[lab]: row for lab, row in zip(sub[period_col], sub.to_dict("records"))}
        xs = [centre[p] for p in all_periods]
        est = np.array([by_period[p][value] if p in by_period else np.nan for p in all_periods], dtype=float)
        low = np.array([by_period[p][f"{value}_low"] if p in by_period else np.nan for p in all_periods], dtype=float)
        high = np.array([by_period[p][f"{value}_high"] if p in by_period else np.nan for p in all_periods], dtype=float)
        k = np.array([by_period[p]["n_speakers"] if p in by_period else 0 for p in all_periods])
        ok = k >= min_speakers
        colour = colours[str(g)] if g is not None else "0.2"
        in_g = frame if g is None else frame[frame[hue] == g]
        name = "all statements" if g is None else str(g)
        lab = f"{name} (n={len(in_g)}, {in_g['speaker'].nunique()} spk)"
        ax.plot(xs, est, color=colour, label=lab, **style)
        ax.fill_between(xs, np.where(ok, low, np.nan), np.where(ok, high, np.nan), color=colour, alpha=0.18,
                        linewidth=0)
        xs_arr = np.array(xs, dtype="datetime64[ns]")
        has = np.isfinite(est)
        ax.scatter(xs_arr[has & ok], est[has & ok], color=colour, s=22, zorder=3)
        ax.scatter(xs_arr[has & ~ok], est[has & ~ok], facecolors="white", edgecolors=colour, s=26, linewidths=1.4,
                   zorder=3)
    ax.axhline(0.0, color="0.3", linewidth=0.8, zorder=0)
    ax.set_ylim(-1.05, 1.05)
    ax.set_ylabel(value if value != "tone" else _TONE_LABEL)
    ax.set_xlabel(freq)
    ax.grid(axis="y", color="0.9", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.legend(fontsize=7, frameon=False, loc="best")
    note = f"hollow, no band: fewer than {min_speakers} speakers"
    if undated:
        note += f"; {_plural(undated, 'statement')} without a date left out"
    ax.annotate(note, xy=(0, 0), xycoords="axes fraction", xytext=(2, 2), textcoords="offset points",
                fontsize=7, color="0.4", va="bottom")
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    return ax


def tone_by_outlet(
    data: pd.DataFrame | None = None,
    *,
    y: str = "outlet",
    hue: str | None = None,
    target: str | None = None,
    value: str = "tone",
    order: Sequence[Any] | None = None,
    hue_order: Sequence[Any] | None = None,
    palette: Mapping | Sequence[str] | None = None,
    min_speakers: int = MIN_SPEAKERS,
    mentioned_only: bool = False,
    n_boot: int = 1000,
    seed: int = 0,
    ax=None,
    **kwargs: Any,
):
    """Mean tone of the statements each outlet publishes, with a 95% interval (speakers resampled).

    With ``hue`` (e.g. "group"), each outlet row shows one point per group,
    coloured by :func:`group_palette`: whose statements an outlet quotes, and
    in what tone. Rows with fewer than ``min_speakers`` speakers are hollow,
    without an interval; n (statements, speakers) is written at the right.

    Parameters
    ----------
    data : pandas.DataFrame
        Scored statements with an outlet column (see
        :func:`stancekit.analysis.add_article_columns`).
    y : str, default "outlet"
        Column with one row per value.
    hue : str, optional
        Column with one point per value in each row.
    target : str, optional
        The target; required when ``data`` holds several.
    value : str, default "tone"
        Numeric column to average.
    order : sequence, optional
        Outlets from top to bottom; defaults to most statements first.
    hue_order : sequence, optional
        ``hue`` values to draw, in this order.
    palette : dict or sequence of colours, optional
        Colours by ``hue`` value.
    min_speakers : int, default 3
        Points with fewer speakers are hollow, without an interval.
    mentioned_only : bool, default False
        Use only statements that mention the target.
    n_boot : int, default 1000
        Bootstrap replicates per point.
    seed : int, default 0
        Seed of the bootstrap.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; the current Axes when None.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.errorbar`.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Examples
    --------
    >>> import pandas as pd
    >>> scores = pd.DataFrame({"outlet": ["X", "X", "Y"], "speaker": ["A", "B", "C"], "tone": [0.5, 0.1, -0.4]})
    >>> ax = tone_by_outlet(scores)
    """
    if data is None:
        raise TypeError("`data` is required: pass scored statements with an outlet column.")
    check_frame(data, [y, value, "speaker"] + ([hue] if hue else []), name="data")
    frame, target = _one_target(data, target)
    if mentioned_only and "target_mentioned" in frame.columns:
        frame = frame[frame["target_mentioned"].astype("boolean").fillna(False).astype(bool)]
    frame = frame[frame[y].notna()]
    ax = _ax(ax)
    if frame.empty:
        ax.text(0.5, 0.5, f"no statements with an {y}", transform=ax.transAxes, ha="center", va="center")
        return ax
    keys = [y] + ([hue] if hue else [])
    summ = summarize(frame.drop(columns=["target"], errors="ignore"), by=keys, value=value, n_boot=n_boot,
                     seed=seed, min_speakers=min_speakers)
    rows = (list(order) if order is not None
            else frame[y].value_counts().sort_index(kind="stable").sort_values(ascending=False, kind="stable")
            .index.tolist())
    hues = [None] if not hue else (list(hue_order) if hue_order is not None
                                   else sorted(summ[hue].dropna().astype(str).unique().tolist()))
    colours = _resolve_palette(frame[hue].astype(str), palette) if hue else {}
    offsets = np.linspace(-0.3, 0.3, len(hues)) if len(hues) > 1 else np.zeros(1)
    style = {"capsize": 2.5, "markersize": 6, "elinewidth": 1.6, "linestyle": "none", **kwargs}
    for i, outlet in enumerate(rows):
        for j, h in enumerate(hues):
            sel = summ[summ[y] == outlet]
            if h is not None:
                sel = sel[sel[hue].astype(str) == h]
            for _, row in sel.iterrows():
                colour = colours.get(str(h), "0.2") if h is not None else "0.2"
                _draw_point(ax, float(row[value]), float(row[f"{value}_low"]), float(row[f"{value}_high"]),
                            i + offsets[j], colour=colour, marker="o", few=_few(row, min_speakers),
                            label=None, style=style)
        in_row = frame[frame[y] == outlet]
        _right_note(ax, i, f"n={len(in_row)} ({in_row['speaker'].nunique()} spk)")
    ax.set_yticks(range(len(rows)), [str(r) for r in rows])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    _tone_axis(ax, label=value if value != "tone" else _TONE_LABEL)
    ax.set_ylabel(y)
    ax.grid(axis="x", color="0.9", linewidth=0.6)
    ax.set_axisbelow(True)
    if hue:
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], marker="o", linestyle="none", color=colours[h], label=h) for h in hues]
        from matplotlib.transforms import offset_copy

        below = offset_copy(ax.transAxes, fig=ax.figure, y=-34, units="points")
        ax.legend(handles=handles, title=None, fontsize=7, frameon=False, loc="upper center",
                  bbox_to_anchor=(0.5, 0.0), bbox_transform=below, ncol=min(len(handles), 4))
    return ax


# --- overview figure ----------------------------------------------------------------


def overview_figure(summary: pd.DataFrame, scores: pd.DataFrame, *, by: str = "group", figsize=None):
    """Three panels side by side: tone by group, stance composition, statements.

    Parameters
    ----------
    summary : pandas.DataFrame
        Summary frame from :func:`stancekit.analysis.summarize` with ``by``.
    scores : pandas.DataFrame
        The scored statements behind it.
    by : str, default "group"
        Column the summary is keyed by.
    figsize : tuple, optional
        Figure size in inches; grows with the number of rows by default.

    Returns
    -------
    matplotlib.figure.Figure
        A new figure with three Axes.

    Examples
    --------
    >>> import pandas as pd
    >>> from stancekit.analysis import summarize
    >>> scores = pd.DataFrame({"group": ["gov", "gov", "opp"], "speaker": ["A", "B", "C"],
    ...     "tone": [0.5, 0.1, -0.4], "stance": ["favor", "none", "against"]})
    >>> fig = overview_figure(summarize(scores, n_boot=100), scores)
    """
    check_frame(summary, [by], name="summary")
    check_frame(scores, [by], name="scores")
    plt = _plt()
    n_rows = max(len(summary), 1)
    fig, axes = plt.subplots(
        1, 3, figsize=figsize or (15, 1.2 + 0.55 * n_rows), layout="constrained", sharey=False
    )
    order = summary[by].drop_duplicates().tolist()
    tone_by_group(summary, y=by, order=order, ax=axes[0])
    axes[0].set_title("mean tone, 95% interval (speakers resampled)", fontsize=9)
    stance_composition(summary, y=by, order=order, ax=axes[1])
    axes[1].set_title("stance of statements", fontsize=9)
    statement_strip(scores, y=by, ax=axes[2])
    axes[2].set_title("one dot per statement", fontsize=9)
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
