"""A small self-contained HTML report of one analysis, and the chart files behind it.

:func:`write_report` writes one ``report.html`` with inline CSS and the
charts embedded as base64 PNG, so it can be mailed or archived as a single
file: the summary table, what the numbers can and cannot support, the
statements behind every number and the articles with their statements
highlighted. :func:`save_charts` draws the four standard charts to files.
Like ``cli``, this module sits on top of the others.
"""
from __future__ import annotations

import base64
import html
import json
import os
import re
import shutil
import tempfile
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from . import __version__
from ._utils import atomic_write_text, is_missing

__all__ = [
    "CHART_NAMES",
    "RunFolder",
    "chart_names",
    "corpus_views",
    "format_summary",
    "order_summary_columns",
    "save_charts",
    "write_report",
]

#: Charts drawn by :func:`save_charts`, in report order.
CHART_NAMES = ("tone_by_group", "stance_composition", "statement_strip", "speaker_target_heatmap")

#: At most this many speakers (most quoted first) go into the heatmap, which
#: becomes unreadable beyond about 40 rows.
HEATMAP_MAX_SPEAKERS = 40

# Columns of the statement tables in the report, when present.
_STATEMENT_VIEW = [
    "article", "speaker", "group", "kind", "text", "target", "stance", "tone",
    "p_favor", "p_none", "p_against", "target_mentioned",
]

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:1100px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.8em;border-bottom:1px solid #ddd}
.meta{color:#555;font-size:.9em}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0}
th,td{border-bottom:1px solid #e5e5e5;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f5f5f5}td.num{text-align:right;font-variant-numeric:tabular-nums}
.caveat{background:#fff8e6;border-left:4px solid #E69F00;padding:.6em 1em;margin:1em 0}
.caveat li{margin:.2em 0}
figure{margin:1em 0}figure img{max-width:100%;border:1px solid #eee}
figcaption{font-size:.85em;color:#555}
details{margin:.4em 0}summary{cursor:pointer}
.article{border:1px solid #eee;padding:.6em;margin:.5em 0}
"""


# --- tables ---------------------------------------------------------------------


def _key_columns(summary: pd.DataFrame) -> list[str]:
    """The key columns of a summary frame: everything before ``n_statements``."""
    cols = list(summary.columns)
    return cols[: cols.index("n_statements")] if "n_statements" in cols else []


def order_summary_columns(summary: pd.DataFrame, by: str) -> pd.DataFrame:
    """Reorder a summary for export: ``by`` first, then the main statistics, then the rest.

    Parameters
    ----------
    summary : pandas.DataFrame
        A frame from :func:`stancekit.analysis.summarize`.
    by : str
        The key column to put first.

    Returns
    -------
    pandas.DataFrame
        Columns ``by, n_statements, n_speakers, tone, tone_low, tone_high,
        favor, none, against, intensity``, then any others (``target``,
        ``n_articles``, ``note``) in their original order.

    Examples
    --------
    >>> import pandas as pd
    >>> from stancekit.analysis import summarize
    >>> s = summarize(pd.DataFrame({"group": ["g"], "speaker": ["A"], "tone": [0.1]}))
    >>> list(order_summary_columns(s, "group").columns[:4])
    ['group', 'n_statements', 'n_speakers', 'tone']
    """
    main = [by, "n_statements", "n_speakers", "tone", "tone_low", "tone_high", "favor", "none", "against", "intensity"]
    first = [c for c in main if c in summary.columns]
    return summary[first + [c for c in summary.columns if c not in first]]


def format_summary(summary: pd.DataFrame, *, digits: int = 2) -> pd.DataFrame:
    """A copy of ``summary`` rounded for display (shares and tone to ``digits`` decimals).

    Examples
    --------
    >>> import pandas as pd
    >>> format_summary(pd.DataFrame({"tone": [0.12345]}))["tone"].tolist()
    [0.12]
    """
    out = summary.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].round(digits)
    return out


def _html_table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "<p><i>(none)</i></p>"
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False):
        cells = []
        for value in row:
            if isinstance(value, float):
                text = "–" if pd.isna(value) else f"{value:.2f}"
                cells.append(f"<td class='num'>{text}</td>")
            elif isinstance(value, (int,)) and not isinstance(value, bool):
                cells.append(f"<td class='num'>{value}</td>")
            else:
                cells.append(f"<td>{'–' if _isna(value) else html.escape(str(value))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


_isna = is_missing


# --- charts -----------------------------------------------------------------------


def chart_names(by: str = "group") -> tuple[str, ...]:
    """File names (without suffix) of the standard charts for a summary keyed by ``by``.

    Examples
    --------
    >>> chart_names("speaker")[:2]
    ('tone_by_speaker', 'stance_composition_by_speaker')
    """
    if by == "group":
        return CHART_NAMES
    return (f"tone_by_{by}", f"stance_composition_by_{by}", f"statement_strip_by_{by}", "speaker_target_heatmap")


def _time_freq(dates: pd.Series) -> str | None:
    """A period length that gives a handful of points over the span of ``dates``; None for one period."""
    from .analysis import _parse_dates

    stamps = _parse_dates(dates).dropna()
    if stamps.nunique() < 2:
        return None
    span = (stamps.max() - stamps.min()).days
    freq = "day" if span <= 14 else "week" if span <= 120 else "month" if span <= 3 * 365 else "quarter"
    from .analysis import period_labels

    return freq if period_labels(stamps, freq).nunique() >= 2 else None


def corpus_views(scores: pd.DataFrame) -> dict[str, Any]:
    """Which corpus-level charts the data supports: ``{"time": freq or None, "outlet": bool}``.

    A time chart needs statements from at least two periods (the period
    length follows the span of the dates), an outlet chart statements from
    at least two outlets.

    Examples
    --------
    >>> import pandas as pd
    >>> corpus_views(pd.DataFrame({"date": ["2026-01-02", "2026-03-20"], "outlet": ["A", "A"]}))
    {'time': 'week', 'outlet': False}
    """
    freq = _time_freq(scores["date"]) if "date" in scores.columns else None
    outlets = scores["outlet"].dropna().nunique() if "outlet" in scores.columns else 0
    return {"time": freq, "outlet": outlets > 1}


def _panel_title(scores: pd.DataFrame, target: Any) -> str:
    """"<target>" and, on a second line, how many of the statements mention it."""
    from .plotting import mention_note

    if target is None:
        return ""
    note = mention_note(scores, str(target))
    return f"{target}" + (f"\n{note}" if note else "")


def _row_order(values: list, registry_order: list) -> list:
    """Rows in registry order, then the others as they come, the catch-all groups last."""
    present = list(dict.fromkeys(v for v in values if not _isna(v)))
    first = [v for v in registry_order if v in present]
    rest = [v for v in present if v not in first and v not in ("media", "unregistered")]
    last = [v for v in ("media", "unregistered") if v in present and v not in first]
    return first + rest + last


def save_charts(
    result: Any,
    folder: str | os.PathLike,
    *,
    formats: tuple[str, ...] = ("png",),
    dpi: int = 150,
    max_lines: int = 6,
) -> dict[str, Path]:
    """Draw the standard charts of ``result`` into ``folder``.

    Always (when there are scored statements): tone by ``by`` and stance
    composition with one panel per target, one dot per statement, and the
    speaker × target heatmap. For a corpus: tone over time when the
    statements span at least two periods, and tone by outlet when they come
    from at least two outlets (:func:`corpus_views`). Chart names follow
    ``by`` (:func:`chart_names`): ``tone_by_speaker.png`` for
    ``by="speaker"``. Colours come from ``result.palette``, the same in
    every chart.

    Parameters
    ----------
    result : stancekit.pipeline.AnalysisResult
        The analysis to chart.
    folder : str or os.PathLike
        Output folder (created if missing).
    formats : tuple of str, default ("png",)
        File formats; add "svg" for vector output.
    dpi : int, default 150
        PNG resolution.
    max_lines : int, default 6
        At most this many groups (most statements first) get a line in the
        time chart.

    Returns
    -------
    dict
        ``{chart name: path of its PNG (or first format)}`` for the charts
        drawn; charts without data (no scored statements) are left out.

    Examples
    --------
    >>> paths = save_charts(result, "out/")  # doctest: +SKIP
    """
    import matplotlib.pyplot as plt

    from .plotting import (
        heatmap_figure,
        save_figure,
        stance_composition_figure,
        statement_strip_figure,
        tone_by_group_figure,
        tone_by_outlet,
        tone_over_time,
    )

    folder = Path(folder)
    summary, scores, by = result.summary, result.scores, result.by
    if summary.empty or scores.empty:
        return {}
    names = chart_names(by)
    palette = result.palette if hasattr(result, "palette") else None
    order = _row_order(summary[by].tolist(), getattr(result, "group_order", []))
    col_order = list(result.targets) or None
    who = {"group": "group", "speaker": "speaker"}.get(by, by)
    drawn: dict[str, Path] = {}

    def _save(name: str, fig) -> None:
        try:
            drawn[name] = save_figure(fig, folder / name, dpi=dpi, formats=formats)[0]
        finally:
            plt.close(fig)

    # figures are sized for their rows and use the constrained layout, so matplotlib has no layout
    # warnings to give
    _save(names[0], tone_by_group_figure(
        summary, y=by, order=order, col_order=col_order, palette=palette,
        title=f"Mean tone by {who}, 95% interval "
              + ("(each speaker's statements resampled)" if by == "speaker" else "(speakers resampled)")))
    _save(names[1], stance_composition_figure(summary, y=by, order=order, col_order=col_order,
                                              title=f"Stance of statements by {who}"))
    plotted = scores[scores["tone"].notna()] if "tone" in scores.columns else scores
    if "speaker" in scores.columns and not plotted.empty:
        basis = plotted
        if summary.attrs.get("stancekit", {}).get("mentioned_only") and "target_mentioned" in basis.columns:
            basis = basis[basis["target_mentioned"].astype("boolean").fillna(False).astype(bool)]
        strip_order = [r for r in order if (basis[by] == r).any()]
        _save(names[2], statement_strip_figure(
            basis, y=by, label="speaker" if by != "speaker" else None, palette=palette, order=strip_order,
            col_order=col_order, title=f"One dot per statement, by {who}"))
        _save(names[3], heatmap_figure(plotted, max_rows=HEATMAP_MAX_SPEAKERS))
    views = corpus_views(plotted)
    targets = list(dict.fromkeys(plotted["target"].dropna())) if "target" in plotted.columns else [None]
    if views["time"] and by in plotted.columns:
        top = plotted[by].value_counts().sort_index(kind="stable").sort_values(
            ascending=False, kind="stable").index[:max_lines].tolist()
        fig, axes = plt.subplots(len(targets), 1, figsize=(8.5, 3.4 * len(targets) + 0.6),
                                 layout="constrained", squeeze=False)
        for ax, target in zip(axes[:, 0], targets):
            tone_over_time(plotted, freq=views["time"], hue=by, target=target, order=top, palette=palette,
                           ax=ax)
            ax.set_title(_panel_title(plotted, target), fontsize=9)
        extra = "" if plotted[by].nunique() <= max_lines else f" ({max_lines} {who}s with most statements)"
        fig.suptitle(f"Mean tone per {views['time']} by {who}{extra}, 95% band (speakers resampled)",
                     fontsize=10)
        _save("tone_over_time", fig)
    if views["outlet"]:
        n_out = plotted["outlet"].nunique()
        fig, axes = plt.subplots(1, len(targets), figsize=(4.8 * len(targets) + 1.8, 1.7 + 0.45 * n_out),
                                 layout="constrained", squeeze=False, sharey=True)
        for ax, target in zip(axes[0], targets):
            tone_by_outlet(plotted, target=target, ax=ax)
            ax.set_title(_panel_title(plotted, target), fontsize=9)
            if ax is not axes[0][0]:
                ax.set_ylabel("")
        fig.suptitle("Mean tone of the statements each outlet quotes, 95% interval (speakers resampled)",
                     fontsize=10)
        _save("tone_by_outlet", fig)
    return drawn


# --- report -----------------------------------------------------------------------


def _caveats(result: Any, basis: pd.DataFrame) -> str:
    summary = result.summary
    n_articles = len(result.articles)
    ident = [c for c in ("article", "statement_id", "start", "end", "speaker", "text") if c in basis.columns]
    n_statements = len(basis.drop_duplicates(subset=ident)) if ident else len(basis)
    n_targets = max(1, len(result.targets))
    speakers = basis["speaker"].dropna().nunique() if "speaker" in basis.columns else 0
    unknown = int(basis["speaker"].isna().sum()) if "speaker" in basis.columns else 0
    targets = ", ".join(result.targets) or "the target"
    models = ", ".join(result.models) or "the stance model"
    items = [
        f"<b>What these numbers describe.</b> {n_statements} statement(s) by {speakers} named "
        f"speaker(s) (plus {unknown} scored row(s) whose speaker could not be resolved) in {n_articles} "
        f"article(s), scored toward <i>{html.escape(targets)}</i> by {html.escape(models)}"
        + (f" ({len(basis)} statement-target rows)." if n_targets > 1 else "."),
        "<b>They can support</b> a description of how the speakers quoted in <i>these</i> articles were "
        "reported to talk about the target, with the uncertainty that comes from which speakers happened "
        "to be quoted: intervals resample speakers, not statements, because one speaker's statements "
        "are not independent.",
        "<b>They cannot support</b> claims about what a group or an outlet thinks in general: only the "
        "speakers and the words that journalists chose to quote are here, and indirect quotes are the "
        "journalist's paraphrase.",
        "<b>Model and extraction errors are not in the intervals.</b> Quote attribution and the stance "
        "model both make mistakes; read the statements behind each number below before relying on it. "
        "Tone is p(favor) − p(against) of the model, not a measured attitude.",
    ]
    keys = _key_columns(summary)
    if "note" in summary.columns:
        noted = summary[summary["note"].astype(str).str.len() > 0]
        if not noted.empty:
            lines = [
                f"{html.escape(' / '.join(str(v) for v in row[keys]))}: {html.escape(str(row['note']))}"
                for _, row in noted.iterrows()
            ]
            items.append(
                f"<b>{len(noted)} of {len(summary)} row(s) rest on too little data</b> to say much: "
                + "; ".join(lines) + "."
            )
    if "target_mentioned" in basis.columns and len(basis):
        share = float(basis["target_mentioned"].fillna(False).astype(bool).mean())
        items.append(
            f"{share:.0%} of the scored statements mention the target by name or alias; the rest are "
            "scored from context and are more often 'none'."
        )
    return "<div class='caveat'><ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul></div>"


def _statements_behind(result: Any, basis: pd.DataFrame) -> str:
    summary = result.summary
    keys = _key_columns(summary)
    if summary.empty or not keys:
        return "<p><i>(no statements)</i></p>"
    view_cols = [c for c in _STATEMENT_VIEW if c in basis.columns]
    parts = []
    for _, row in summary.iterrows():
        mask = pd.Series(True, index=basis.index)
        for k in keys:
            value = row[k]
            mask &= basis[k].isna() if _isna(value) else (basis[k] == value)
        rows = basis.loc[mask.fillna(False).astype(bool), view_cols]
        label = " / ".join("–" if _isna(row[k]) else str(row[k]) for k in keys)
        tone = row.get("tone", float("nan"))
        lo, hi = row.get("tone_low", float("nan")), row.get("tone_high", float("nan"))
        interval = "" if _isna(lo) else f" [{lo:+.2f}, {hi:+.2f}]"
        tone_txt = "–" if _isna(tone) else f"{tone:+.2f}"
        parts.append(
            f"<details><summary><b>{html.escape(label)}</b>: tone {tone_txt}{interval}, "
            f"{int(row['n_statements'])} statement(s), {int(row['n_speakers'])} speaker(s)</summary>"
            f"{_html_table(rows)}</details>"
        )
    return "".join(parts)


def _articles_html(result: Any, *, max_articles: int, hue: str) -> str:
    try:
        from .display import highlight_statements
    except ImportError:  # display is optional for the report
        return "<p><i>(highlighting not available)</i></p>"
    articles = result.articles
    if articles.empty:
        return ""
    parts = []
    for _, art in articles.head(max_articles).iterrows():
        stmts = result.statements
        if "article" in stmts.columns:
            stmts = stmts[stmts["article"] == art["article"]]
        shown_hue = hue if hue in stmts.columns else "speaker"
        colors = getattr(result, "palette", None) if shown_hue == getattr(result, "by", None) else None
        fragment = highlight_statements(art["text"], stmts, hue=shown_hue, colors=colors or None).html
        title = art.get("title")
        head = html.escape(str(art["article"])) + (
            "" if _isna(title) or not title else f" — {html.escape(str(title))}"
        )
        meta = " · ".join(html.escape(str(art[c])) for c in ("outlet", "date") if c in art and not _isna(art[c]))
        parts.append(
            f"<details class='article'><summary><b>{head}</b> <span class='meta'>{meta}</span> "
            f"({len(stmts)} statement(s))</summary>{fragment}</details>"
        )
    if len(articles) > max_articles:
        parts.append(f"<p class='meta'>{len(articles) - max_articles} more article(s) not shown.</p>")
    return "".join(parts)


def _chart_caption(name: str) -> str:
    """A sentence on what a standard chart shows, from its file name."""
    if name.startswith("tone_by_") and name != "tone_by_outlet":
        return (f"Mean tone per {name[len('tone_by_'):]} and target, with 95% intervals that resample speakers; "
                "hollow points rest on fewer than 3 speakers and have no interval.")
    if name.startswith("stance_composition"):
        return "Shares of the statements the model labels against, none and favor."
    if name.startswith("statement_strip"):
        return "Every statement as one dot; the means above summarise these."
    if name == "speaker_target_heatmap":
        return "Mean tone of each speaker toward each target, with the number of statements per cell."
    if name == "tone_over_time":
        return "Mean tone per period and group; bands are 95% intervals where a period has 3 or more speakers."
    if name == "tone_by_outlet":
        return "Mean tone of the statements each outlet publishes, 95% intervals resampling speakers."
    return name.replace("_", " ")


def write_report(
    result: Any,
    path: str | os.PathLike,
    *,
    charts: Mapping[str, str | os.PathLike] | None = None,
    title: str | None = None,
    max_articles: int = 20,
) -> Path:
    """Write a self-contained ``report.html`` for one analysis.

    The file holds, with inline CSS and no external resources: the counts
    and the model, a note on what the numbers can and cannot support (with
    the n behind them and the rows too small to say much), the charts
    (embedded as base64 PNG), the summary table, the statements behind each
    summary row, and the articles with their statements highlighted
    (:func:`stancekit.display.highlight_statements`). The output has no
    timestamp, so the same analysis gives the same file.

    Parameters
    ----------
    result : stancekit.pipeline.AnalysisResult
        The analysis to report.
    path : str or os.PathLike
        The HTML file to write (atomically).
    charts : dict, optional
        ``{name: png_path}`` of charts to embed, e.g. from :func:`save_charts`.
    title : str, optional
        Page title; default "stancekit report: <targets>".
    max_articles : int, default 20
        Highlight at most this many articles.

    Returns
    -------
    pathlib.Path
        The path written.

    Examples
    --------
    >>> write_report(result, "out/report.html", charts=save_charts(result, "out/"))  # doctest: +SKIP
    """
    summary = result.summary
    basis = result.scores
    if summary.attrs.get("stancekit", {}).get("mentioned_only") and "target_mentioned" in basis.columns:
        basis = basis[basis["target_mentioned"].fillna(False).astype(bool)]
    title = title or f"stancekit report: {', '.join(result.targets) or 'stance'}"
    figures = []
    for name, png in (charts or {}).items():
        data = base64.b64encode(Path(png).read_bytes()).decode("ascii")
        caption = _chart_caption(name)
        figures.append(
            f"<figure><img alt='{html.escape(name)}' src='data:image/png;base64,{data}'>"
            f"<figcaption>{html.escape(caption)}</figcaption></figure>"
        )
    settings = summary.attrs.get("stancekit", {}).get("summary", {})
    method = (
        f"Summary by <code>{html.escape(str(result.by))}</code>; 95% intervals from "
        f"{settings.get('n_boot', '?')} bootstrap resamples of speakers (seed {settings.get('seed', '?')}), "
        "percentile method expanded for few speakers; favor/none/against are shares of the statements' "
        "stance labels; intensity = 1 − p(none)."
    )
    body = [
        f"<h1>{html.escape(title)}</h1>",
        f"<p class='meta'>{len(result.articles)} article(s) · {len(result.statements)} statement(s) · "
        f"model: {html.escape(', '.join(result.models) or '–')} · stancekit {__version__}</p>",
        "<h2>What this can and cannot support</h2>",
        _caveats(result, basis),
        "<h2>Summary</h2>",
        f"<p class='meta'>{method}</p>",
        _html_table(format_summary(summary)),
        *(["<h2>Charts</h2>", *figures] if figures else []),
        "<h2>Statements behind each number</h2>",
        _statements_behind(result, basis),
        "<h2>Articles</h2>",
        _articles_html(result, max_articles=max_articles, hue=result.by if result.by != "speaker" else "speaker"),
    ]
    page = (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
    return atomic_write_text(path, page)


# --- output folder of one run ------------------------------------------------------------


class RunFolder:
    """Write one run's outputs into a folder without ever mixing them with an earlier run's.

    Files are written into a hidden staging folder inside ``out``
    (``.stancekit-run-XXXXXXXX``) and moved into place together by
    :meth:`publish`, which also removes the outputs that the previous run
    listed in its manifest (``stancekit-manifest.json``) and this run did
    not write (a chart that no longer applies, last run's SVGs), then writes
    the new manifest. Files that stancekit did not write (not in a manifest)
    are never touched. Leftovers of an interrupted run (staging folders,
    ``.NAME.XXXXXXXX.tmp`` files of stancekit's atomic writes) are removed
    when the next run starts, and the staging folder when the run ends,
    whether it succeeds or not.

    Parameters
    ----------
    out : str or os.PathLike
        The output folder (created if missing). Check it beforehand with
        :meth:`check`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> with RunFolder(out) as run:
    ...     _ = (run.staging / "summary.csv").write_text("group,n")
    ...     written = run.publish()
    >>> sorted(p.name for p in out.iterdir())
    ['stancekit-manifest.json', 'summary.csv']
    """

    MANIFEST = "stancekit-manifest.json"
    _STAGING_PREFIX = ".stancekit-run-"
    _TMP_RE = re.compile(r"^\.(?P<name>.+)\.[A-Za-z0-9_]{8}\.tmp$")

    def __init__(self, out: str | os.PathLike):
        self.out = Path(out)
        self.staging: Path | None = None

    @staticmethod
    def check(out: str | os.PathLike) -> Path:
        """Raise a one-line :class:`StancekitError` unless ``out`` can be (or is) a writable folder."""
        from ._utils import StancekitError

        out = Path(out)
        if out.exists() and not out.is_dir():
            raise StancekitError(f"-o {out} is a file; analyze writes a folder of outputs: give a folder name")
        for parent in out.parents:
            if parent.exists():
                if not parent.is_dir():
                    raise StancekitError(f"-o {out}: {parent} is a file, not a folder")
                if not os.access(parent, os.W_OK | os.X_OK):
                    raise StancekitError(f"-o {out}: cannot write in {parent} (permission denied)")
                break
        if out.is_dir() and not os.access(out, os.W_OK | os.X_OK):
            raise StancekitError(f"-o {out}: cannot write in this folder (permission denied)")
        return out

    def _previous(self) -> list[str]:
        path = self.out / self.MANIFEST
        try:
            files = json.loads(path.read_text(encoding="utf-8")).get("files", [])
        except (OSError, ValueError, AttributeError):
            return []
        # only plain names inside the folder: a manifest never sends us elsewhere
        return [f for f in files if isinstance(f, str) and f == Path(f).name and f not in (".", "..")]

    def clean_leftovers(self) -> list[str]:
        """Remove staging folders and temporary files that an interrupted run left; return their names."""
        removed = []
        if not self.out.is_dir():
            return removed
        ours = set(self._previous()) | {self.MANIFEST}
        for entry in self.out.iterdir():
            if entry.name.startswith(self._STAGING_PREFIX) and entry.is_dir() and entry != self.staging:
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry.name)
            else:
                m = self._TMP_RE.match(entry.name)
                if m and entry.is_file() and (m.group("name") in ours or _is_output_name(m.group("name"))):
                    entry.unlink(missing_ok=True)
                    removed.append(entry.name)
        return removed

    def __enter__(self) -> RunFolder:
        self.out.mkdir(parents=True, exist_ok=True)
        self.clean_leftovers()
        self.staging = Path(tempfile.mkdtemp(prefix=self._STAGING_PREFIX, dir=self.out))
        return self

    def publish(self, meta: Mapping[str, Any] | None = None) -> list[Path]:
        """Move the staged files into ``out``, drop last run's stale outputs, write the manifest."""
        assert self.staging is not None, "use RunFolder as a context manager"
        names = sorted(p.name for p in self.staging.iterdir() if p.is_file())
        for name in names:
            os.replace(self.staging / name, self.out / name)
        previous = self._previous()
        stale = [f for f in previous if f not in names and f != self.MANIFEST]
        for name in stale:
            (self.out / name).unlink(missing_ok=True)
        if not (self.out / self.MANIFEST).exists():
            unknown = sorted(p.name for p in self.out.iterdir()
                             if p.is_file() and p.name not in names and _is_output_name(p.name))
            if unknown:
                warnings.warn(f"{self.out}: {', '.join(unknown)} not written by this run and not listed in a "
                              "stancekit manifest (an older run?); left in place", stacklevel=2)
        manifest = {"stancekit": __version__, **dict(meta or {}), "files": names}
        atomic_write_text(self.out / self.MANIFEST, json.dumps(manifest, indent=1, sort_keys=True) + "\n")
        return [self.out / n for n in names]

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None


_OUTPUT_RE = re.compile(
    r"^(statements|scores|summary)\.csv$|^report\.html$|"
    r"^(tone_by_\w+|stance_composition(_by_\w+)?|statement_strip(_by_\w+)?|speaker_target_heatmap|"
    r"tone_over_time)\.(png|svg)$"
)


def _is_output_name(name: str) -> bool:
    """A file name that ``stancekit analyze`` writes."""
    return bool(_OUTPUT_RE.match(name))
