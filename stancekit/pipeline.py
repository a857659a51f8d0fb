"""One call from articles to a summary: read, extract, score, summarize.

:func:`analyze` chains :func:`stancekit.io.read_articles`,
:func:`stancekit.extraction.extract_statements`,
:meth:`stancekit.models.StanceModel.predict` and
:func:`stancekit.analysis.summarize`, and keeps every intermediate frame in
an :class:`AnalysisResult`, so that each number in the summary can be traced
back to the statements and articles behind it. This module sits on top of
the others (like ``cli``); the heavy modules are imported inside
:func:`analyze`.
"""
from __future__ import annotations

import html
import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .analysis import add_article_columns, summarize

log = logging.getLogger(__name__)

__all__ = ["AnalysisResult", "analyze"]


@dataclass
class AnalysisResult:
    """Every frame of one :func:`analyze` run.

    Attributes
    ----------
    articles : pandas.DataFrame
        The articles read (``schema.ARTICLE_COLUMNS``).
    statements : pandas.DataFrame
        The extracted statements (``schema.STATEMENT_COLUMNS``).
    scores : pandas.DataFrame
        One row per statement and target (statements plus ``schema.SCORE_COLUMNS``,
        and the article's ``outlet`` and ``date``).
    summary : pandas.DataFrame
        :func:`stancekit.analysis.summarize` of ``scores`` by ``by``.
    by : str
        The column the summary is keyed by.
    targets : list of str
        The target names scored.
    group_order : list of str
        The registry's groups (or, for ``by="speaker"``, its speakers) in
        registry order: the colour order of :attr:`palette`.
    """

    articles: pd.DataFrame
    statements: pd.DataFrame
    scores: pd.DataFrame
    summary: pd.DataFrame
    by: str = "group"
    targets: list[str] = field(default_factory=list)
    group_order: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        return (
            f"AnalysisResult({len(self.articles)} articles, {len(self.statements)} statements, "
            f"{len(self.scores)} scores, {len(self.summary)} summary rows by {self.by!r})"
        )

    @property
    def models(self) -> list[str]:
        """``model (version)`` strings found in ``scores``."""
        if self.scores.empty or "model" not in self.scores.columns:
            return []
        cols = [c for c in ("model", "model_version") if c in self.scores.columns]
        pairs = self.scores[cols].drop_duplicates().astype(str).values.tolist()
        return [f"{p[0]} ({p[1]})" if len(p) > 1 else p[0] for p in pairs]

    @property
    def palette(self) -> dict:
        """Colour of every value of ``by`` (and every group), the same in every chart of this analysis.

        From :func:`stancekit.plotting.group_palette`: the registry's groups
        first, in registry order (:attr:`group_order`), then the other values
        (inferred groups, say) from most to fewest statements, so the values
        that charts show most often get distinct colours. Pass it as
        ``palette=`` to chart a subset.
        """
        from .plotting import group_palette

        if self.by not in self.scores.columns:
            return {}
        values = self.scores[self.by].dropna().astype(str)
        present = set(values)
        sizes = values.value_counts().sort_index(kind="stable").sort_values(ascending=False, kind="stable")
        order = [g for g in self.group_order if g in present]
        order += [g for g in sizes.index if g not in set(order)]
        return group_palette(values, order=order)

    def _repr_html_(self) -> str:
        from .report import format_summary

        head = (
            f"<p><b>stancekit analysis</b>: {len(self.articles)} article(s), "
            f"{len(self.statements)} statement(s), "
            f"{self.scores['speaker'].nunique() if 'speaker' in self.scores.columns else 0} speaker(s); "
            f"target(s): {html.escape(', '.join(self.targets)) or '–'}; "
            f"model: {html.escape(', '.join(self.models)) or '–'}</p>"
        )
        table = format_summary(self.summary).to_html(index=False, na_rep="–", escape=True, border=0)
        foot = (
            "<p style='font-size:smaller'>Intervals resample speakers (95%, percentile); "
            "see the <code>note</code> column for groups too small to say much.</p>"
        )
        return head + table + foot


def _target_names(targets: Any) -> list[str]:
    if isinstance(targets, str):
        return [targets]
    if isinstance(targets, Mapping):
        return [str(k) for k in targets]
    if not isinstance(targets, Iterable):
        raise TypeError(
            f"Invalid value {targets!r} for `targets`: give a target name, a list of names or Target objects, "
            "or a dict {name: [aliases]}, e.g. targets=['Canada']."
        )
    names = []
    for t in targets:
        if not isinstance(t, str) and not hasattr(t, "name"):
            raise TypeError(f"Invalid entry {t!r} in `targets`: give names (str) or Target objects.")
        names.append(t if isinstance(t, str) else str(t.name))
    return names


def analyze(
    source: str | os.PathLike | Iterable[str | os.PathLike] | pd.DataFrame,
    *,
    targets: str | Sequence[Any] | Mapping[str, Sequence[str]],
    registry: Any = None,
    by: str = "group",
    model: Any = None,
    backend: str = "default",
    mentioned_only: bool = False,
    n_boot: int = 2000,
    seed: int = 0,
    show_progress: bool | None = None,
    errors: str = "warn",
) -> AnalysisResult:
    """Read articles, extract statements, score their stance and summarize, in one call.

    Parameters
    ----------
    source : path, list of paths or pandas.DataFrame
        Article files or folders (see :func:`stancekit.io.read_articles`), or
        a frame of articles with ``article`` and ``text`` columns.
    targets : str, list of str/Target, or dict
        What the stance is toward. A dict maps a target name to its aliases
        (``{"Canada": ["Ottawa"]}``).
    registry : SpeakerRegistry, str or path, optional
        Known speakers and their groups. Speakers it does not hold (all of
        them, without a registry) get a group inferred from the article's
        description of them, such as "Canadian premiers"
        (``group_inferred=True``; see :func:`stancekit.registry.infer_group`),
        or "unregistered" when the description names neither a country nor
        a role. The registry is parsed before any article is read.
    by : str, default "group"
        Column to summarize by ("group" or "speaker", or any statement or
        article column such as "outlet").
    model : str, path, StanceModel or None
        A :class:`stancekit.models.StanceModel` to use as is, or its
        ``model`` argument (None: the shipped model of the backend).
    backend : str, default "default"
        Backend of a newly built StanceModel ("default", "nli",
        "classifier", "vader").
    mentioned_only : bool, default False
        Summarize only statements that mention the target (or an alias).
        ``scores`` keeps all rows either way.
    n_boot : int, default 2000
        Bootstrap replicates for the summary intervals.
    seed : int, default 0
        Seed of the bootstrap.
    show_progress : bool or None
        Show a progress bar; None means on if the stancekit logger is at INFO or lower.
    errors : {"raise", "warn", "skip"}, default "warn"
        What to do with an article that cannot be read or processed: raise,
        warn once with a count, or skip silently.

    Returns
    -------
    AnalysisResult
        ``.articles``, ``.statements``, ``.scores`` and ``.summary`` frames;
        displays as a table in Jupyter.

    Raises
    ------
    StancekitError
        If no article could be read, or the model cannot be loaded.

    Examples
    --------
    >>> res = analyze("seeds/", targets={"Canada": ["Ottawa"]}, backend="vader")  # doctest: +SKIP
    >>> res.summary[["group", "n_statements", "tone", "tone_low", "tone_high"]]  # doctest: +SKIP
    """
    from ._utils import StancekitError, check_choice
    from .extraction import extract_statements
    from .io import read_articles
    from .models import StanceModel

    check_choice("errors", errors, ("raise", "warn", "skip"))
    names = _target_names(targets)
    if not names:
        raise ValueError("`targets` is empty; give at least one target, e.g. targets=['Canada'].")

    from .registry import SpeakerRegistry

    registry = SpeakerRegistry.coerce(registry)  # parse (and check) the registry before reading anything
    articles = read_articles(source, errors=errors, show_progress=show_progress)
    if articles.empty:
        raise StancekitError(f"no articles could be read from {source!r}.")
    log.info("read %d article(s)", len(articles))
    statements = extract_statements(articles, registry=registry, errors=errors, show_progress=show_progress)
    log.info("extracted %d statement(s)", len(statements))

    scorer = model if isinstance(model, StanceModel) else StanceModel(
        model, backend=backend, show_progress=show_progress
    )
    if statements.empty:
        scores = _empty_scores(statements)
    else:
        # The articles let the model find pronouns and role nouns that refer to a target.
        scores = scorer.predict(statements, targets=targets, articles=articles)
    log.info("scored %d (statement, target) pair(s)", len(scores))

    scores = add_article_columns(scores, articles) if "article" in scores.columns else scores
    if by not in scores.columns:
        raise KeyError(f"Could not interpret value `{by}` for `by`: statements have columns {list(scores.columns)}.")
    summary = summarize(scores, by=by, n_boot=n_boot, seed=seed,
                        mentioned_only=bool(mentioned_only) and "target_mentioned" in scores.columns)
    summary.attrs.setdefault("stancekit", {})["mentioned_only"] = bool(mentioned_only)
    order = list(registry.groups) if by == "group" else [sp.name for sp in registry.speakers] if by == "speaker" else []
    return AnalysisResult(
        articles=articles, statements=statements, scores=scores, summary=summary, by=by, targets=names,
        group_order=order,
    )


def _empty_scores(statements: pd.DataFrame) -> pd.DataFrame:
    """A zero-row scores frame with the statement and score columns (numeric ones as float)."""
    from .schema import SCORE_COLUMNS, STATEMENT_COLUMNS

    numeric = {"p_favor", "p_none", "p_against", "tone", "intensity", "start", "end", "confidence"}
    columns = list(dict.fromkeys([*statements.columns, *STATEMENT_COLUMNS, *SCORE_COLUMNS]))
    return pd.DataFrame({c: pd.Series(dtype=float if c in numeric else object) for c in columns})
