"""Tone and stance per group (or speaker): points with intervals, diverging bars, facets per target."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..schema import check_frame
from ._common import (
    MIN_SPEAKERS,
    STANCE_COLORS,
    _MARKERS,
    _TONE_LABEL,
    _ax,
    _check_columns,
    _draw_point,
    _facet_figure,
    _few,
    _hollow_handle,
    _isna,
    _order,
    _plt,
    _resolve_palette,
    _right_note,
    _tone_axis,
    _unit,
)


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
                            unit=_unit(y), note=not several)
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
        handles.append(_hollow_handle(min_speakers, _unit(y)))
        ax.legend(handles=handles, title="target", fontsize=8, title_fontsize=8, loc="best", frameon=False)
    return ax


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
    from ._statements import statement_strip

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
