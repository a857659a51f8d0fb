"""Charts of single statements: the speaker x target heatmap, the strip plot, statements per speaker."""
from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..analysis import speaker_target_matrix
from ._common import (
    KIND_COLORS,
    OKABE_ITO,
    SPECIAL_GROUPS,
    TONE_CMAP,
    _TONE_LABEL,
    _ax,
    _check_columns,
    _facet_figure,
    _isna,
    _order,
    _plt,
    _plural,
    _resolve_palette,
    _right_note,
    _row_labels,
    _text,
    _tone_axis,
    group_palette,
)


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
