"""Axes-level charts of tone and stance across groups and speakers (matplotlib only).

Every chart follows seaborn's axes-level shape::

    ax = tone_by_group(summary, ax=None, **kwargs)

It draws on ``ax`` (``plt.gca()`` when None), never creates a figure when
``ax`` is given, never calls ``plt.show()`` and returns the Axes; extra
keyword arguments go to the main matplotlib call. Groups keep the same
colour in every chart (:func:`group_palette`), drawn from the Okabe & Ito
(2008) colour-blind-safe palette. Save with :func:`save_figure` (PNG and
SVG, written atomically).

References
----------
Okabe, M. & Ito, K. (2008). Color Universal Design (CUD): how to make
    figures and presentations that are friendly to colorblind people.
    https://jfly.uni-koeln.de/color/
"""
from __future__ import annotations

import os
import zlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._utils import atomic_path
from .analysis import speaker_target_matrix
from .schema import check_frame

__all__ = [
    "OKABE_ITO",
    "STANCE_COLORS",
    "group_palette",
    "tone_by_group",
    "stance_composition",
    "speaker_target_heatmap",
    "statement_strip",
    "overview_figure",
    "save_figure",
]

#: Okabe & Ito (2008) colours, black left out (kept for text and lines) and
#: yellow put last (weak contrast on white).
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]

#: Fixed colours for the catch-all groups that extraction assigns.
SPECIAL_GROUPS = {"unregistered": "#999999", "media": "#555555"}

#: Stance colours: vermillion / grey / blue from Okabe & Ito, so "against"
#: and "favor" differ in lightness as well as hue.
STANCE_COLORS = {"against": "#D55E00", "none": "#BBBBBB", "favor": "#0072B2"}

# Diverging colour map for tone (-1 against .. +1 favor): red-blue ends
# are distinguishable under the common colour-vision deficiencies.
TONE_CMAP = "RdBu"


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


def group_palette(groups: Iterable[Any], *, palette: Sequence[str] | None = None) -> dict:
    """Colour for each group, the same in every chart.

    A group's colour depends on its name, not on its position: each group
    starts at the colour slot given by a CRC-32 of its name and, if that slot
    is taken, moves to the next free one, visiting groups in sorted order. So
    the same set of groups always gets the same colours whatever their order,
    and adding a group changes at most the colours of groups that collide
    with it. ``unregistered`` and ``media`` are always grey. Yellow (weak on
    white) is used only when there are seven or more other groups, so a
    change across that size also moves colours. Colours repeat only when
    there are more groups than colours.

    Parameters
    ----------
    groups : iterable
        Group names (duplicates and missing values are ignored).
    palette : sequence of str, optional
        Colours to draw from; defaults to :data:`OKABE_ITO`.

    Returns
    -------
    dict
        ``{group: colour}`` in sorted group order.

    Examples
    --------
    >>> group_palette(["opposition", "government"]) == group_palette(["government", "opposition"])
    True
    """
    colours = list(palette) if palette is not None else list(OKABE_ITO)
    if not colours:
        raise ValueError("`palette` must hold at least one colour.")
    names = sorted({str(g) for g in groups if not pd.isna(g)})
    if palette is None and sum(n not in SPECIAL_GROUPS for n in names) < len(colours):
        colours = colours[:-1]  # keep the low-contrast yellow for when it is needed
    out: dict = {}
    taken: set[int] = set()
    for name in names:
        if name in SPECIAL_GROUPS and palette is None:
            out[name] = SPECIAL_GROUPS[name]
            continue
        if len(taken) == len(colours):  # more groups than colours: start reusing
            taken.clear()
        slot = zlib.crc32(name.encode("utf-8")) % len(colours)
        while slot in taken:
            slot = (slot + 1) % len(colours)
        taken.add(slot)
        out[name] = colours[slot]
    return out


def _resolve_palette(values: Iterable[Any], palette: Mapping | Sequence[str] | None) -> dict:
    values = list(values)
    if isinstance(palette, Mapping):
        missing = [v for v in values if str(v) not in {str(k) for k in palette}]
        if missing:
            raise KeyError(f"`palette` has no colour for {missing}.")
        return {str(k): c for k, c in palette.items()}
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
    """``y`` values, suffixed with the target when a summary holds several."""
    labels = data[y].astype(str)
    if "target" in data.columns and y != "target" and data["target"].nunique() > 1:
        labels = labels + " · " + data["target"].astype(str)
    return labels


def _tone_axis(ax, *, label: str = "tone (favor − against)") -> None:
    ax.axvline(0.0, color="0.3", linewidth=0.8, zorder=0)
    ax.set_xlim(-1.05, 1.05)
    ax.set_xlabel(label)


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
    ax=None,
    **kwargs: Any,
):
    """Mean tone per group as points with interval lines.

    Parameters
    ----------
    data : pandas.DataFrame
        A summary frame from :func:`stancekit.analysis.summarize`. When it
        holds several targets, each row is labelled "group · target".
    y : str, default "group"
        Column with the row labels (e.g. "group" or "speaker").
    x, lo, hi : str, default "tone", "tone_low", "tone_high"
        Columns with the estimate and its interval bounds (NaN bounds draw
        the point only).
    n : str or None, default "n_statements"
        Column with the number of statements, annotated at the right edge
        together with ``n_speakers`` when present; None for no annotation.
    order : sequence, optional
        Values of ``y`` from top to bottom; defaults to the data's order.
    palette : dict or sequence of colours, optional
        Colours by ``y`` value; defaults to :func:`group_palette`.
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
    ...     "tone_low": [0.1, -0.5], "tone_high": [0.6, 0.1], "n_statements": [12, 7]})
    >>> ax = tone_by_group(summary)
    """
    if data is None:
        raise TypeError("`data` is required: pass a summary frame from stancekit.analysis.summarize.")
    _check_columns(data, [y, x, lo, hi] + ([n] if n else []))
    ax = _ax(ax)
    frame = data.reset_index(drop=True)
    rows = []
    for value in _order(frame[y], order):
        rows.extend(frame.index[frame[y] == value].tolist())
    frame = frame.loc[rows].reset_index(drop=True)
    labels = _row_labels(frame, y)
    colours = _resolve_palette(frame[y].astype(str), palette)
    style = {"fmt": "o", "capsize": 3, "markersize": 7, "elinewidth": 1.8, **kwargs}
    user_colour = style.pop("color", None)
    for i, row in frame.iterrows():
        colour = user_colour or colours[str(row[y])]
        est, low, high = float(row[x]), float(row[lo]), float(row[hi])
        if np.isfinite(low) and np.isfinite(high):
            xerr = np.array([[max(est - low, 0.0)], [max(high - est, 0.0)]])
        else:
            xerr = None
        ax.errorbar([est], [i], xerr=xerr, color=colour, label=labels[i], **style)
        if n:
            text = f"n={int(row[n])}"
            if "n_speakers" in frame.columns and n != "n_speakers":
                text += f" ({int(row['n_speakers'])} spk)"
            ax.annotate(
                text,
                xy=(1.0, i),
                xycoords=("axes fraction", "data"),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                ha="left",
                fontsize=8,
                color="0.3",
            )
    ax.set_yticks(range(len(frame)), labels.tolist())
    ax.set_ylim(len(frame) - 0.5, -0.5)  # first row on top
    _tone_axis(ax, label=x if x != "tone" else "tone (favor − against)")
    ax.set_ylabel(y)
    ax.grid(axis="x", color="0.9", linewidth=0.6)
    ax.set_axisbelow(True)
    return ax


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
    return out


def stance_composition(
    data: pd.DataFrame | None = None,
    *,
    y: str = "group",
    order: Sequence[Any] | None = None,
    colors: Mapping[str, str] | None = None,
    annotate: bool = True,
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
        Write percentages into segments of at least 12%.
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
    ...     "none": [0.3, 0.3], "against": [0.1, 0.6]})
    >>> ax = stance_composition(summary)
    """
    if data is None:
        raise TypeError("`data` is required: pass a summary frame or scored statements.")
    _check_columns(data, [y])
    frame = _stance_shares(data, y).reset_index(drop=True)
    rows = []
    for value in _order(frame[y], order):
        rows.extend(frame.index[frame[y] == value].tolist())
    frame = frame.loc[rows].reset_index(drop=True)
    labels = _row_labels(frame, y)
    colours = {**STANCE_COLORS, **(colors or {})}
    ax = _ax(ax)
    pos = np.arange(len(frame))
    favor = frame["favor"].to_numpy(dtype=float)
    none = frame["none"].to_numpy(dtype=float)
    against = frame["against"].to_numpy(dtype=float)
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
                if np.isfinite(share) and share >= 0.12:
                    ax.text(
                        bar.get_x() + bar.get_width() / 2,
                        bar.get_y() + bar.get_height() / 2,
                        f"{share:.0%}",
                        ha="center",
                        va="center",
                        fontsize=8,
                        color="black" if lab == "none" else "white",
                    )
    ax.axvline(0.0, color="0.3", linewidth=0.8)
    ax.set_yticks(pos, labels.tolist())
    ax.set_ylim(len(frame) - 0.5, -0.5)
    ax.set_xlim(-1.0, 1.0)
    ticks = np.linspace(-1, 1, 5)
    ax.set_xticks(ticks, [f"{abs(t):.0%}" for t in ticks])
    ax.set_xlabel("share of statements: against ← | → favor")
    ax.set_ylabel(y)
    # below the x label at a fixed distance in points, whatever the Axes height
    from matplotlib.transforms import offset_copy

    below = offset_copy(ax.transAxes, fig=ax.figure, y=-38, units="points")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), bbox_transform=below, ncol=3, frameon=False, fontsize=8)
    return ax


# --- heatmap -------------------------------------------------------------------


def speaker_target_heatmap(
    data: pd.DataFrame | None = None,
    *,
    index: str = "speaker",
    columns: str = "target",
    value: str = "tone",
    annot: bool = True,
    cmap: str = TONE_CMAP,
    colorbar: bool = True,
    ax=None,
    **kwargs: Any,
):
    """Mean tone per speaker (rows) and target (columns), diverging colours centred at 0.

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
    if annot:
        for i in range(values.shape[0]):
            for j in range(values.shape[1]):
                v = values[i, j]
                if np.isfinite(v):
                    text = f"{v:+.2f}"
                    if counts is not None:
                        text += f"\nn={int(counts.iat[i, j])}"
                    colour = "white" if abs(v) > 0.6 else "black"
                else:
                    text, colour = "–", "0.5"
                ax.text(j, i, text, ha="center", va="center", fontsize=8, color=colour)
    if colorbar:
        cbar = ax.figure.colorbar(image, ax=ax, fraction=0.05, pad=0.03)
        cbar.set_label(f"{value} (against − / favor +)")
    return ax


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
    """One dot per statement, jittered within its row, labelled by speaker.

    The jitter of a dot is derived from the statement's content (its
    ``statement_id``, or its label and value), so the same statement lands
    in the same place in every run and whatever the row order.

    Parameters
    ----------
    data : pandas.DataFrame
        Scored statements (one row per statement and target).
    x : str, default "tone"
        Numeric column for the horizontal position.
    y : str, default "group"
        Column for the rows; several targets add " · target" to the label.
    label : str or None, default "speaker"
        Column written as small text beside each dot (at most
        ``max_labels`` dots are labelled); None for no labels.
    order : sequence, optional
        Values of ``y`` from top to bottom; defaults to sorted order.
    palette : dict or sequence of colours, optional
        Colours by ``y`` value; defaults to :func:`group_palette`.
    jitter : float, default 0.5
        Total vertical spread of the dots within a row.
    max_labels : int, default 60
        Beyond this many dots the labels are left out (they would overlap).
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
    ax = _ax(ax)
    frame = data.reset_index(drop=True)
    rowlab = _row_labels(frame, y)
    rows = sorted(rowlab.unique().tolist()) if order is None else None
    if order is not None:
        wanted = _order(frame[y], order)
        rows = [r for o in wanted for r in dict.fromkeys(rowlab[frame[y] == o].tolist())]
    pos = rowlab.map({r: i for i, r in enumerate(rows)}).to_numpy(dtype=float)
    if "statement_id" in frame.columns:
        keys = (frame["statement_id"].astype(str) + "|" + rowlab).tolist()
    else:
        keys = (
            (frame[label].astype(str) if label else "")
            + "|" + frame[x].astype(str) + "|" + rowlab + "|" + frame.index.astype(str)
        ).tolist()
    yy = pos + _jitter(keys, jitter)
    colours = _resolve_palette(frame[y].astype(str), palette)
    style = {"s": 28, "alpha": 0.85, "edgecolors": "white", "linewidths": 0.5, **kwargs}
    if "c" not in style and "color" not in style:
        style["c"] = [colours[str(v)] for v in frame[y]]
    ax.scatter(frame[x].to_numpy(dtype=float), yy, **style)
    if label and len(frame) <= max_labels:
        for xv, yv, text in zip(frame[x], yy, frame[label]):
            if pd.isna(text) or pd.isna(xv):
                continue
            ax.annotate(
                str(text),
                xy=(float(xv), yv),
                xytext=(3, 2),
                textcoords="offset points",
                fontsize=6,
                color="0.25",
            )
    ax.set_yticks(range(len(rows)), rows)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    _tone_axis(ax, label=x if x != "tone" else "tone (favor − against)")
    ax.set_ylabel(y)
    ax.grid(axis="x", color="0.9", linewidth=0.6)
    ax.set_axisbelow(True)
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
