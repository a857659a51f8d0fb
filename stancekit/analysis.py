"""Aggregate scored statements per group or speaker, with honest uncertainty.

Statements are not independent observations: one minister quoted six times
in an article contributes six rows that share the minister's view. A
bootstrap that resamples statements treats them as six independent draws
and gives intervals that are far too narrow. This module therefore
resamples *speakers* (clusters) and keeps all statements of a resampled
speaker together -- the cluster bootstrap of Field & Welsh (2007), with
percentile intervals as in Efron & Tibshirani (1993, ch. 13), expanded for
small numbers of speakers as proposed by Hesterberg (2015). Group
differences are tested by permuting *speaker* group labels, not statement
labels (Good 2005, ch. 3, on permuting exchangeable units).

Only pandas and numpy are used here; charts live in :mod:`stancekit.plotting`.

References
----------
Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*.
    Chapman & Hall.
Field, C. A. & Welsh, A. H. (2007). Bootstrapping clustered data.
    *Journal of the Royal Statistical Society B*, 69(3), 369-390.
Hesterberg, T. C. (2015). What teachers should know about the bootstrap.
    *The American Statistician*, 69(4), 371-386.
Good, P. (2005). *Permutation, Parametric and Bootstrap Tests of
    Hypotheses* (3rd ed.). Springer.
"""
from __future__ import annotations

import itertools
import math
import zlib
from statistics import NormalDist
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ._utils import check_choice
from .schema import SUMMARY_COLUMNS, check_frame

__all__ = [
    "summarize",
    "compare",
    "speaker_target_matrix",
    "add_article_columns",
    "period_labels",
    "BOOTSTRAP_METHODS",
    "TIME_KEYS",
]

#: Resampling units for :func:`summarize`: "speakers" (cluster bootstrap, the
#: default and the honest choice) or "statements" (naive; kept to show how
#: much it under-covers, see ``benchmarks/coverage_check.py``).
BOOTSTRAP_METHODS = ("speakers", "statements")

# Bootstrap replicates are drawn in chunks so that an index matrix never holds
# more than this many entries (about 16 MB of int64), whatever the corpus size.
_MAX_INDEX_ENTRIES = 2_000_000

# Label for statements whose speaker is unknown; such statements are clustered
# per article (one anonymous "speaker" per article), see _cluster_ids.
_UNKNOWN_SPEAKER = "<unknown>"


#: Keys that :func:`summarize` derives from a ``date`` column when the scores
#: have no column of that name, and their pandas period frequency.
TIME_KEYS = {"year": "Y", "quarter": "Q", "month": "M", "week": "W-SUN", "day": "D"}


# --- small helpers ------------------------------------------------------------


def _as_keys(by: str | Sequence[str], name: str = "by") -> list[str]:
    if isinstance(by, str):
        return [by]
    keys = list(by)
    if not keys or not all(isinstance(k, str) for k in keys):
        raise TypeError(f"`{name}` must be a column name or a list of column names, not {by!r}.")
    return keys


def _check_errorbar(errorbar: Any) -> float | None:
    """Return the confidence level in (0, 1), or None for no interval."""
    if errorbar is None:
        return None
    if (
        isinstance(errorbar, tuple)
        and len(errorbar) == 2
        and errorbar[0] == "ci"
        and isinstance(errorbar[1], (int, float))
        and 0 < errorbar[1] < 100
    ):
        return float(errorbar[1]) / 100.0
    raise ValueError(
        f"Invalid value {errorbar!r} for `errorbar`; use ('ci', level) with 0 < level < 100, e.g. ('ci', 95), or None."
    )


def _check_count(name: str, value: Any, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"Invalid value {value!r} for `{name}`; use an integer >= {minimum}.")
    return int(value)


def _rng(seed: int | None, key: Any) -> np.random.Generator:
    """A generator per group, derived from ``seed`` and the group key.

    Each group gets its own stream, so adding or removing a group does not
    change the intervals of the others.
    """
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"Invalid value {seed!r} for `seed`; use a non-negative integer or None.")
    return np.random.default_rng([int(seed), zlib.crc32(repr(key).encode("utf-8"))])


def _cluster_ids(data: pd.DataFrame) -> pd.Series:
    """Speaker cluster of each row.

    A known speaker is one cluster across the whole corpus. Statements with an
    unknown speaker (``pd.NA``) are pooled per article: within one article they
    are likely to come from the same few people, and treating each as its own
    speaker would overstate the evidence.
    """
    if "speaker" not in data.columns:
        raise KeyError(
            "`scores` lacks column 'speaker', needed to resample speakers; "
            f"it has {list(data.columns)}. Use method='statements' to ignore speakers."
        )
    speaker = data["speaker"].astype("string")
    if "article" in data.columns:
        fallback = _UNKNOWN_SPEAKER + "@" + data["article"].astype("string").fillna("?")
    else:
        fallback = pd.Series(_UNKNOWN_SPEAKER, index=data.index, dtype="string")
    return speaker.fillna(fallback).astype(object)


def _t_quantile(p: float, df: int) -> float:
    """Quantile of Student's t with ``df`` degrees of freedom (numpy/stdlib only).

    Exact for df 1 and 2; otherwise the Cornish-Fisher expansion of
    Abramowitz & Stegun (1964) 26.7.5, accurate to about 1e-3 for df >= 3
    at the levels used here.
    """
    if df == 1:
        return math.tan(math.pi * (p - 0.5))
    if df == 2:
        return (2 * p - 1) / math.sqrt(2 * p * (1 - p))
    z = NormalDist().inv_cdf(p)
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


def _expanded_alpha(level: float, n_units: int) -> float:
    """Tail probability for Hesterberg's (2015) expanded percentile interval.

    The plain percentile interval is too narrow with few resampled units: the
    bootstrap variance of a mean is biased by (n-1)/n, and it uses normal
    rather than t quantiles. The expanded interval takes the bootstrap
    quantiles at ``Phi(-sqrt(n/(n-1)) * t_{1-alpha/2, n-1})`` instead of
    ``alpha/2``; for many units it is the plain percentile interval.
    """
    alpha = 1.0 - level
    if n_units < 2:
        return alpha / 2.0
    t = _t_quantile(1.0 - alpha / 2.0, n_units - 1)
    return NormalDist().cdf(-math.sqrt(n_units / (n_units - 1)) * t)


def _percentile_interval(stats: np.ndarray, level: float, n_units: int) -> tuple[float, float]:
    tail = _expanded_alpha(level, n_units)
    low, high = np.quantile(stats, [tail, 1.0 - tail])
    return float(low), float(high)


def _boot_cluster_means(
    sums: np.ndarray, counts: np.ndarray, n_boot: int, rng: np.random.Generator
) -> np.ndarray:
    """Statement-weighted means of ``n_boot`` resamples of whole clusters."""
    k = len(sums)
    out = np.empty(n_boot)
    chunk = max(1, _MAX_INDEX_ENTRIES // max(k, 1))
    for lo in range(0, n_boot, chunk):
        hi = min(n_boot, lo + chunk)
        idx = rng.integers(0, k, size=(hi - lo, k))
        out[lo:hi] = sums[idx].sum(axis=1) / counts[idx].sum(axis=1)
    return out


def _boot_statement_means(values: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Means of ``n_boot`` resamples of single statements (ignores speakers)."""
    n = len(values)
    out = np.empty(n_boot)
    chunk = max(1, _MAX_INDEX_ENTRIES // max(n, 1))
    for lo in range(0, n_boot, chunk):
        hi = min(n_boot, lo + chunk)
        out[lo:hi] = values[rng.integers(0, n, size=(hi - lo, n))].mean(axis=1)
    return out


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _target_keys(data: pd.DataFrame, keys: list[str]) -> list[str]:
    """Put ``target`` first when the frame holds several targets."""
    if "target" in data.columns and "target" not in keys and data["target"].nunique(dropna=False) > 1:
        return ["target", *keys]
    return keys


def _sorted(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    if frame.empty:
        return frame.reset_index(drop=True)
    return frame.sort_values(keys, kind="stable", na_position="last").reset_index(drop=True)


# --- dates, periods and article metadata -------------------------------------


def _parse_dates(values: pd.Series) -> pd.Series:
    """Timestamps (timezone-naive, UTC wall time) of ``values``; NaT where unparseable."""
    if pd.api.types.is_datetime64_any_dtype(values):
        stamps = values
    else:
        stamps = pd.to_datetime(values.astype("object").where(values.notna(), None), errors="coerce",
                                utc=True, format="mixed")
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_convert("UTC").dt.tz_localize(None)
    return stamps


def period_labels(dates: pd.Series, freq: str = "month") -> pd.Series:
    """Label each date with its calendar period ("2026-01" for a month).

    Parameters
    ----------
    dates : pandas.Series
        Dates as strings ("2026-01-30", ISO 8601 with or without a time zone)
        or datetimes. Unparseable or missing dates give ``pd.NA``.
    freq : {"year", "quarter", "month", "week", "day"}, default "month"
        Period length. Weeks run Monday to Sunday and are labelled by their
        Monday ("2026-01-26").

    Returns
    -------
    pandas.Series
        Strings that sort in time order: "2026", "2026Q1", "2026-01",
        "2026-01-26" (week), "2026-01-30" (day); same index as ``dates``.

    Examples
    --------
    >>> import pandas as pd
    >>> period_labels(pd.Series(["2026-01-30", "2026-02-03T10:00:00+05:00", "soon"])).tolist()
    ['2026-01', '2026-02', <NA>]
    """
    check_choice("freq", freq, TIME_KEYS)
    stamps = _parse_dates(pd.Series(dates))
    periods = stamps.dt.to_period(TIME_KEYS[freq])
    if freq == "week":
        labels = periods.dt.start_time.dt.strftime("%Y-%m-%d")
    else:
        labels = periods.astype(str)
    return labels.astype("object").where(stamps.notna(), pd.NA)


def _with_time_keys(scores: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``scores`` plus the period columns named in ``keys`` that it lacks (derived from ``date``)."""
    derived = [k for k in keys if k in TIME_KEYS and k not in scores.columns]
    if not derived:
        return scores
    if "date" not in scores.columns:
        raise KeyError(
            f"`by` asks for {derived}, which summarize derives from a `date` column, and `scores` has none; "
            "add the articles' dates with stancekit.analysis.add_article_columns(scores, articles)."
        )
    return scores.assign(**{k: period_labels(scores["date"], k) for k in derived})


def add_article_columns(
    scores: pd.DataFrame,
    articles: pd.DataFrame,
    columns: Sequence[str] = ("outlet", "date"),
) -> pd.DataFrame:
    """Copy article-level columns (outlet, date...) onto each statement or score row.

    Corpus-level views (tone per month, per outlet) need each statement to
    carry its article's metadata; statements only carry the article id.

    Parameters
    ----------
    scores : pandas.DataFrame
        Statements or scores with an ``article`` column.
    articles : pandas.DataFrame
        Articles with ``article`` and the ``columns`` (as from
        :func:`stancekit.io.read_articles`).
    columns : sequence of str, default ("outlet", "date")
        Article columns to copy. Columns missing from ``articles``, or
        already present in ``scores``, are left alone.

    Returns
    -------
    pandas.DataFrame
        A new frame: ``scores`` with the columns added (same rows and order);
        ``scores`` itself is not changed.

    Examples
    --------
    >>> import pandas as pd
    >>> sc = pd.DataFrame({"article": ["a", "b", "a"], "tone": [0.1, 0.2, 0.3]})
    >>> arts = pd.DataFrame({"article": ["a", "b"], "outlet": ["X", "Y"], "date": ["2026-01-02", None]})
    >>> add_article_columns(sc, arts)["outlet"].tolist()
    ['X', 'Y', 'X']
    """
    check_frame(scores, ["article"], name="scores")
    check_frame(articles, ["article"], name="articles")
    wanted = [c for c in columns if c in articles.columns and c not in scores.columns]
    if not wanted:
        return scores
    meta = articles.drop_duplicates("article", keep="first").set_index("article")[wanted]
    out = scores.copy()
    for col in wanted:
        out[col] = scores["article"].map(meta[col])
    return out


def _mention_counts(scores: pd.DataFrame) -> dict:
    """``{target: {"mentioned": m, "statements": n}}`` over the rows of ``scores``."""
    if "target_mentioned" not in scores.columns or scores.empty:
        return {}
    mentioned = scores["target_mentioned"].astype("boolean").fillna(False).astype(bool)
    target = scores["target"].astype(str) if "target" in scores.columns else pd.Series("", index=scores.index)
    out = {}
    for name, sub in mentioned.groupby(target, sort=True):
        out[str(name)] = {"mentioned": int(sub.sum()), "statements": int(len(sub))}
    return out


# --- summarize -------------------------------------------------------------


def summarize(
    scores: pd.DataFrame,
    by: str | Sequence[str] = "group",
    *,
    value: str = "tone",
    errorbar: tuple[str, float] | None = ("ci", 95),
    n_boot: int = 2000,
    seed: int | None = 0,
    min_speakers: int = 3,
    method: str = "speakers",
    mentioned_only: bool = False,
) -> pd.DataFrame:
    """Summarize scored statements per group (or speaker), with a cluster-bootstrap interval.

    For each value of ``by`` this reports how many statements, speakers and
    articles stand behind the numbers, the statement-weighted mean ``value``
    (tone by default) with a percentile bootstrap interval, the shares of the
    stance labels and the mean intensity.

    The interval resamples **speakers**, not statements: statements by one
    speaker are not independent, so each bootstrap replicate draws the
    group's speakers with replacement, keeps all statements of every drawn
    speaker, and takes the statement-weighted mean of the resample (the
    cluster bootstrap of Field & Welsh 2007; percentile interval as in
    Efron & Tibshirani 1993, ch. 13). With few speakers the plain
    percentile interval is too narrow, so the quantiles are taken at
    Hesterberg's (2015) expanded level ``Phi(-sqrt(k/(k-1)) t_{1-alpha/2,
    k-1})`` for ``k`` speakers (for 2 speakers this is nearly the whole
    bootstrap range; for 40 it is close to the plain interval). Statements with an unknown speaker
    count as one speaker per article. With a single speaker there is nothing
    to resample between speakers; the interval then falls back to a
    bootstrap over that speaker's statements and the ``note`` column says
    that it describes only that speaker's variation. With a single
    statement the bounds are NaN. Groups with fewer than ``min_speakers``
    speakers get a ``note`` as well. ``method="statements"`` gives the naive
    statement-level bootstrap instead; it is too narrow whenever speakers
    are quoted repeatedly (about 60% coverage for a nominal 95% in the
    simulation of ``benchmarks/coverage_check.py``, against 94-96% for
    the speaker bootstrap with 10-40 speakers) and exists for comparison.
    No bootstrap is honest with very few speakers: in the same simulation
    the speaker interval covers about 91% with 5 speakers and 75% with 3,
    because a handful of speakers cannot show how much speakers vary.

    Parameters
    ----------
    scores : pandas.DataFrame
        Scored statements, one row per statement and target, as returned by
        :meth:`stancekit.models.StanceModel.predict`. Needs the ``by``
        column(s), ``value`` and ``speaker``; ``stance``, ``intensity`` and
        ``article`` are used when present (else their summaries are NaN).
    by : str or list of str, default "group"
        Column(s) to summarize by, e.g. ``"group"``, ``["group", "month"]``
        or ``["outlet", "group"]``. When ``scores`` holds more than one
        ``target``, ``target`` is added as the leading key: a summary is
        always per target. ``"year"``, ``"quarter"``, ``"month"``,
        ``"week"`` and ``"day"`` (:data:`TIME_KEYS`), when ``scores`` has
        no such column, are derived from its ``date`` column with
        :func:`period_labels` (rows without a date form their own NaN
        period); :func:`add_article_columns` copies ``date`` and ``outlet``
        from the articles.
    value : str, default "tone"
        Numeric column to average. The output columns ``tone``,
        ``tone_low`` and ``tone_high`` are named after it
        (``<value>``, ``<value>_low``, ``<value>_high``).
    errorbar : ("ci", level) or None, default ("ci", 95)
        Percentile bootstrap interval at ``level`` percent, or None for no
        interval (NaN bounds).
    n_boot : int, default 2000
        Bootstrap replicates per group.
    seed : int or None, default 0
        Seed for :func:`numpy.random.default_rng`. Each group draws from its
        own stream derived from ``seed`` and the group key, so the result is
        reproducible and one group's interval does not depend on the others.
        None gives fresh randomness.
    min_speakers : int, default 3
        Groups with fewer speakers get a note that the interval is unreliable.
    method : {"speakers", "statements"}, default "speakers"
        Resampling unit of the bootstrap (see above).
    mentioned_only : bool, default False
        Keep only rows whose ``target_mentioned`` is true (statements that
        name the target or an alias). Either way,
        ``attrs["stancekit"]["mentions"]`` records per target how many of
        the statement rows mention it (``{"mentioned": m, "statements":
        n}``), so charts can say what share they show.

    Returns
    -------
    pandas.DataFrame
        One row per key, sorted by the key(s) (stable): the key column(s),
        then ``n_statements, n_speakers, n_articles, tone, tone_low,
        tone_high, favor, none, against, intensity`` (see
        :data:`stancekit.schema.SUMMARY_COLUMNS`) and ``note`` (an empty
        string when nothing needs saying). ``n_speakers`` counts the
        resampled units (named speakers, plus one per article for unknown
        speakers); ``n_articles`` is 0 when ``scores`` has no ``article``
        column. ``favor``, ``none`` and ``against`` are shares of the
        ``stance`` labels. Rows whose
        ``value`` is missing are left out of the mean and the counts, and
        the note says how many. ``attrs["stancekit"]["summary"]`` records
        the settings.

    Raises
    ------
    KeyError
        If a needed column is missing.
    ValueError
        If an option has an invalid value.

    Examples
    --------
    >>> import pandas as pd
    >>> scores = pd.DataFrame({
    ...     "group": ["gov", "gov", "gov", "opp"],
    ...     "speaker": ["A", "A", "B", "C"],
    ...     "tone": [0.5, 0.3, 0.1, -0.4],
    ...     "stance": ["favor", "favor", "none", "against"],
    ... })
    >>> out = summarize(scores, n_boot=200)
    >>> out[["group", "n_statements", "n_speakers", "tone"]].round(2)
      group  n_statements  n_speakers  tone
    0   gov             3           2   0.3
    1   opp             1           1  -0.4
    """
    keys = _as_keys(by)
    level = _check_errorbar(errorbar)
    n_boot = _check_count("n_boot", n_boot)
    min_speakers = _check_count("min_speakers", min_speakers)
    check_choice("method", method, BOOTSTRAP_METHODS)
    check_frame(scores, [value], name="scores")
    scores = _with_time_keys(scores, keys)
    check_frame(scores, keys, name="scores")
    mentions = _mention_counts(scores)
    keys = _target_keys(scores, keys)  # from all rows: a target none of whose statements is kept stays a key
    if mentioned_only:
        if "target_mentioned" not in scores.columns:
            raise KeyError("`mentioned_only=True` needs a `target_mentioned` column in `scores`; "
                           f"it has {list(scores.columns)}.")
        scores = scores[scores["target_mentioned"].astype("boolean").fillna(False).astype(bool)]
    if len(scores) and not pd.api.types.is_numeric_dtype(scores[value]):
        raise TypeError(f"Column `{value}` (the `value`) must be numeric, not {scores[value].dtype}.")

    work = pd.DataFrame({k: scores[k] for k in keys})
    work["_value"] = pd.to_numeric(scores[value], errors="coerce").astype(float)
    if method == "speakers":
        work["_cluster"] = _cluster_ids(scores)
    elif "speaker" in scores.columns:
        work["_cluster"] = _cluster_ids(scores)
    else:
        work["_cluster"] = pd.Series(range(len(scores)), index=scores.index).astype(object)
    work["_article"] = scores["article"] if "article" in scores.columns else np.nan
    work["_stance"] = scores["stance"].astype("string") if "stance" in scores.columns else pd.NA
    work["_intensity"] = (
        pd.to_numeric(scores["intensity"], errors="coerce") if "intensity" in scores.columns else np.nan
    )

    rows = []
    for key, grp in work.groupby(keys, dropna=False, sort=False):
        key_tuple = key if isinstance(key, tuple) else (key,)
        rows.append(
            _summarize_group(
                dict(zip(keys, key_tuple)),
                grp,
                value=value,
                level=level,
                n_boot=n_boot,
                rng=_rng(seed, key_tuple) if level is not None else None,
                min_speakers=min_speakers,
                method=method,
                has_stance="stance" in scores.columns,
                has_article="article" in scores.columns,
            )
        )
    value_cols = [value, f"{value}_low", f"{value}_high"]
    stat_cols = [c for c in SUMMARY_COLUMNS if c not in ("tone", "tone_low", "tone_high")]
    columns = [*keys, *stat_cols[:3], *value_cols, *[c for c in stat_cols[3:] if c not in value_cols], "note"]
    out = pd.DataFrame(rows, columns=columns)
    for c in ("n_statements", "n_speakers", "n_articles"):
        out[c] = out[c].astype("int64")
    out = _sorted(out, keys)
    out.attrs["stancekit"] = {
        **dict(scores.attrs.get("stancekit", {})),
        "summary": {
            "by": keys,
            "value": value,
            "errorbar": None if level is None else ["ci", level * 100],
            "n_boot": n_boot,
            "seed": seed,
            "method": method,
            "min_speakers": min_speakers,
        },
        "mentioned_only": bool(mentioned_only),
        "mentions": mentions,
    }
    return out


def _summarize_group(
    key: dict,
    grp: pd.DataFrame,
    *,
    value: str,
    level: float | None,
    n_boot: int,
    rng: np.random.Generator | None,
    min_speakers: int,
    method: str,
    has_stance: bool,
    has_article: bool,
) -> dict:
    notes = []
    n_missing = int(grp["_value"].isna().sum())
    if n_missing:
        notes.append(f"{_plural(n_missing, 'statement')} without {value} left out")
        grp = grp[grp["_value"].notna()]
    values = grp["_value"].to_numpy(dtype=float)
    n = len(values)
    codes, uniques = pd.factorize(grp["_cluster"], sort=True)
    k = len(uniques)
    mean = float(values.mean()) if n else math.nan
    low = high = math.nan

    if n == 0:
        notes.append(f"no statements with a {value}")
    elif n == 1:
        notes.append("n too small: 1 statement; no interval")
    elif level is not None and rng is not None:
        if method == "statements":
            stats = _boot_statement_means(values, n_boot, rng)
            notes.append("statement-level bootstrap: ignores speaker clustering, too narrow when speakers repeat")
        elif k == 1:
            stats = _boot_statement_means(values, n_boot, rng)
            notes.append(
                f"n too small: 1 speaker; interval not meaningful (bootstrap over this speaker's "
                f"{n} statements, says nothing about other speakers)"
            )
        else:
            sums = np.bincount(codes, weights=values, minlength=k)
            counts = np.bincount(codes, minlength=k).astype(float)
            stats = _boot_cluster_means(sums, counts, n_boot, rng)
        low, high = _percentile_interval(stats, level, n if (method == "statements" or k == 1) else k)
    if 1 < k < min_speakers and method == "speakers" and n > 1:
        notes.append(f"n too small: {_plural(k, 'speaker')} (< {min_speakers}); interval unreliable")

    if has_stance and n:
        stance = grp["_stance"]
        shares = {lab: float((stance == lab).sum()) / n for lab in ("favor", "none", "against")}
    else:
        shares = {lab: math.nan for lab in ("favor", "none", "against")}
    intensity = grp["_intensity"]
    row = {
        **key,
        "n_statements": n,
        "n_speakers": k,
        "n_articles": int(grp["_article"].nunique()) if has_article else 0,
        **shares,
        "intensity": float(intensity.mean()) if n and intensity.notna().any() else math.nan,
        value: mean,
        f"{value}_low": low,
        f"{value}_high": high,
        "note": "; ".join(notes),
    }
    return row


# --- compare ------------------------------------------------------------------


def compare(
    scores: pd.DataFrame,
    a: Any,
    b: Any,
    *,
    by: str = "group",
    value: str = "tone",
    target: str | None = None,
    errorbar: tuple[str, float] | None = ("ci", 95),
    n_boot: int = 2000,
    n_perm: int = 5000,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Compare the mean ``value`` of two groups, resampling and permuting speakers.

    The difference is ``mean(a) - mean(b)`` of the statement-weighted means.
    Its interval is a stratified cluster bootstrap (speakers of ``a`` and of
    ``b`` are resampled separately, each keeping all its statements; Field &
    Welsh 2007), percentile method (Efron & Tibshirani 1993) expanded for
    the smaller group's number of speakers (Hesterberg 2015). The p-value is
    two-sided and comes from a permutation test that shuffles the group
    labels of whole **speakers** (a speaker quoted in both groups counts as
    one unit per group): under the null hypothesis that the groups do not
    differ, speakers are exchangeable between them, statements are not.
    When the number of distinct relabelings is at most ``n_perm`` they are
    enumerated exactly; otherwise ``n_perm`` random ones are drawn and
    ``p = (1 + #{|T*| >= |T|}) / (n_perm + 1)`` (the +1 correction keeps
    the test valid; Phipson & Smyth 2010).

    Parameters
    ----------
    scores : pandas.DataFrame
        Scored statements (see :func:`summarize`); needs ``by``, ``value``
        and ``speaker``.
    a, b : object
        The two values of ``by`` to compare.
    by : str, default "group"
        Column holding the group labels.
    value : str, default "tone"
        Numeric column to compare.
    target : str, optional
        Target to compare on. Required when ``scores`` holds several
        targets, since tone toward different targets does not mix.
    errorbar : ("ci", level) or None, default ("ci", 95)
        Interval for the difference, or None.
    n_boot : int, default 2000
        Bootstrap replicates for the interval.
    n_perm : int, default 5000
        Random permutations for the p-value.
    seed : int or None, default 0
        Seed for :func:`numpy.random.default_rng`; None gives fresh randomness.

    Returns
    -------
    pandas.DataFrame
        One row: ``by, a, b, target, <value>_a, <value>_b, diff, diff_low,
        diff_high, p_value, n_speakers_a, n_speakers_b, n_statements_a,
        n_statements_b, permutation, note``. ``permutation`` is "exact" or
        "monte carlo".

    Raises
    ------
    KeyError
        If a needed column is missing.
    ValueError
        If ``a`` or ``b`` does not occur in ``by``, they are equal, or
        several targets are present and ``target`` is not given.

    Examples
    --------
    >>> import pandas as pd
    >>> scores = pd.DataFrame({
    ...     "group": ["gov"] * 4 + ["opp"] * 4,
    ...     "speaker": ["A", "A", "B", "C", "D", "E", "E", "F"],
    ...     "tone": [0.6, 0.5, 0.4, 0.7, -0.3, -0.5, -0.4, -0.2],
    ... })
    >>> row = compare(scores, "gov", "opp", n_boot=200)
    >>> round(float(row["diff"].iloc[0]), 3), row["permutation"].iloc[0]
    (0.9, 'exact')
    """
    level = _check_errorbar(errorbar)
    n_boot = _check_count("n_boot", n_boot)
    n_perm = _check_count("n_perm", n_perm)
    if not isinstance(by, str):
        raise TypeError(f"`by` must be one column name, not {by!r}.")
    check_frame(scores, [by, value, "speaker"], name="scores")
    if a == b:
        raise ValueError(f"`a` and `b` are the same value ({a!r}); compare two different groups.")
    data = scores
    if "target" in data.columns:
        targets = data["target"].dropna().unique().tolist()
        if target is not None:
            if target not in targets:
                raise ValueError(f"Invalid value {target!r} for `target`; choose one of {sorted(map(str, targets))}.")
            data = data[data["target"] == target]
        elif len(targets) > 1:
            raise ValueError(
                f"`scores` holds {len(targets)} targets {sorted(map(str, targets))}; pass `target=` to pick one."
            )
        else:
            target = targets[0] if targets else None
    present = data[by].dropna().unique().tolist()
    for name, lab in (("a", a), ("b", b)):
        if lab not in present:
            raise ValueError(
                f"Invalid value {lab!r} for `{name}`: no statements with {by} == {lab!r}; "
                f"present values are {sorted(map(str, present))}."
            )

    sub = data[data[by].isin([a, b])]
    sub = sub[pd.to_numeric(sub[value], errors="coerce").notna()]
    is_a = (sub[by] == a).to_numpy()
    values = pd.to_numeric(sub[value]).to_numpy(dtype=float)
    # Clusters are (speaker, group) pairs: the unit that carries a group label.
    clusters = _cluster_ids(sub).astype(str) + np.where(is_a, "\x00a", "\x00b")
    codes, uniques = pd.factorize(clusters, sort=True)
    k = len(uniques)
    sums = np.bincount(codes, weights=values, minlength=k)
    counts = np.bincount(codes, minlength=k).astype(float)
    cluster_is_a = np.zeros(k, dtype=bool)
    cluster_is_a[codes[is_a]] = True
    k_a, k_b = int(cluster_is_a.sum()), int((~cluster_is_a).sum())
    mean_a = float(sums[cluster_is_a].sum() / counts[cluster_is_a].sum())
    mean_b = float(sums[~cluster_is_a].sum() / counts[~cluster_is_a].sum())
    diff = mean_a - mean_b

    rng = _rng(seed, ("compare", by, a, b, target))
    notes = []
    low = high = math.nan
    if level is not None:
        if k_a >= 2 and k_b >= 2:
            boot_a = _boot_cluster_means(sums[cluster_is_a], counts[cluster_is_a], n_boot, rng)
            boot_b = _boot_cluster_means(sums[~cluster_is_a], counts[~cluster_is_a], n_boot, rng)
            low, high = _percentile_interval(boot_a - boot_b, level, min(k_a, k_b))
        else:
            notes.append("n too small: a group has 1 speaker; no interval for the difference")

    p_value, how = _permutation_p(sums, counts, cluster_is_a, n_perm, rng)
    if min(k_a, k_b) < 3:
        notes.append(
            f"n too small: {_plural(k_a, 'speaker')} vs {_plural(k_b, 'speaker')}; "
            "the permutation test has little power and the interval is unreliable"
        )
    row = {
        "by": by,
        "a": a,
        "b": b,
        "target": target,
        f"{value}_a": mean_a,
        f"{value}_b": mean_b,
        "diff": diff,
        "diff_low": low,
        "diff_high": high,
        "p_value": p_value,
        "n_speakers_a": k_a,
        "n_speakers_b": k_b,
        "n_statements_a": int(is_a.sum()),
        "n_statements_b": int((~is_a).sum()),
        "permutation": how,
        "note": "; ".join(notes),
    }
    out = pd.DataFrame([row])
    out.attrs["stancekit"] = {
        **dict(scores.attrs.get("stancekit", {})),
        "compare": {"by": by, "value": value, "n_boot": n_boot, "n_perm": n_perm, "seed": seed},
    }
    return out


def _permutation_p(
    sums: np.ndarray, counts: np.ndarray, is_a: np.ndarray, n_perm: int, rng: np.random.Generator
) -> tuple[float, str]:
    """Two-sided p-value of |mean_a - mean_b| under relabeling of clusters."""
    k, k_a = len(sums), int(is_a.sum())
    total_s, total_n = sums.sum(), counts.sum()

    def stat(mask_sums: np.ndarray, mask_counts: np.ndarray) -> np.ndarray:
        return np.abs(mask_sums / mask_counts - (total_s - mask_sums) / (total_n - mask_counts))

    observed = stat(np.array([sums[is_a].sum()]), np.array([counts[is_a].sum()]))[0]
    # Relative tolerance so that relabelings with the same |difference| as the
    # observed one are counted despite floating-point rounding.
    tol = 1e-12 * max(1.0, abs(observed))
    if math.comb(k, k_a) <= n_perm:
        combos = np.array(list(itertools.combinations(range(k), k_a)), dtype=np.intp)
        t = stat(sums[combos].sum(axis=1), counts[combos].sum(axis=1))
        return float((t >= observed - tol).mean()), "exact"
    hits = 0
    chunk = max(1, _MAX_INDEX_ENTRIES // k)
    for lo in range(0, n_perm, chunk):
        m = min(chunk, n_perm - lo)
        chosen = np.argsort(rng.random((m, k)), axis=1)[:, :k_a]
        t = stat(sums[chosen].sum(axis=1), counts[chosen].sum(axis=1))
        hits += int((t >= observed - tol).sum())
    return (hits + 1) / (n_perm + 1), "monte carlo"


# --- matrix for the heatmap ---------------------------------------------------------


def speaker_target_matrix(
    scores: pd.DataFrame,
    *,
    index: str = "speaker",
    columns: str = "target",
    value: str = "tone",
    aggfunc: str = "mean",
) -> pd.DataFrame:
    """Pivot scored statements into a speaker x target table.

    Parameters
    ----------
    scores : pandas.DataFrame
        Scored statements (see :func:`summarize`).
    index : str, default "speaker"
        Column for the rows. Missing values (unknown speakers) are left out.
    columns : str, default "target"
        Column for the columns.
    value : str, default "tone"
        Numeric column to aggregate.
    aggfunc : {"mean", "count"}, default "mean"
        Mean of ``value`` per cell, or the number of statements per cell.

    Returns
    -------
    pandas.DataFrame
        Rows sorted by ``index``, columns sorted by ``columns``; NaN (mean)
        or 0 (count) where a speaker said nothing about a target.

    Examples
    --------
    >>> import pandas as pd
    >>> scores = pd.DataFrame({"speaker": ["A", "A", "B"], "target": ["x", "y", "x"],
    ...                        "tone": [0.5, -0.5, 0.1]})
    >>> speaker_target_matrix(scores).loc["A", "y"]
    np.float64(-0.5)
    """
    check_choice("aggfunc", aggfunc, ("mean", "count"))
    check_frame(scores, [index, columns, value], name="scores")
    data = scores[[index, columns, value]].dropna(subset=[index, columns])
    grouped = data.groupby([index, columns], sort=True)[value]
    cells = grouped.mean() if aggfunc == "mean" else grouped.count()
    table = cells.unstack(columns)
    table = table.sort_index(kind="stable").sort_index(axis=1, kind="stable")
    if aggfunc == "count":
        table = table.fillna(0).astype("int64")
    table.columns.name = columns
    table.index.name = index
    return table
