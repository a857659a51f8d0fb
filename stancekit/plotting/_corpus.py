"""Corpus-level views: tone over time and tone by outlet."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..schema import check_frame
from ..analysis import TIME_KEYS, period_labels, summarize
from ._common import (
    MIN_SPEAKERS,
    _TONE_LABEL,
    _ax,
    _draw_point,
    _few,
    _hollow_handle,
    _plural,
    _resolve_palette,
    _right_note,
    _tone_axis,
)


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
                            label=None, style=style, note=not hue)
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
        handles.append(_hollow_handle(min_speakers, "speakers"))
        from matplotlib.transforms import offset_copy

        below = offset_copy(ax.transAxes, fig=ax.figure, y=-34, units="points")
        ax.legend(handles=handles, title=None, fontsize=7, frameon=False, loc="upper center",
                  bbox_to_anchor=(0.5, 0.0), bbox_transform=below, ncol=min(len(handles), 4))
    return ax
