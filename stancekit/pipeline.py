"""One call from articles to a summary: read, extract, score, summarize.

:func:`analyze` chains :func:`stancekit.io.read_articles`,
:func:`stancekit.extraction.extract_statements`,
:meth:`stancekit.models.StanceModel.predict` and
:func:`stancekit.analysis.summarize`, and keeps every intermediate frame in
an :class:`AnalysisResult`, so that each number in the summary can be traced
back to the statements and articles behind it. This module sits on top of
the others (like ``cli``); the heavy modules are imported inside
:func:`analyze`.

:func:`analyze_corpus` is the same chain for corpora of any size: it reads
the articles lazily in partitions, writes each partition's statements and
scores as Parquet as soon as they are done, skips partitions already
complete on disk, runs the partitions in this process or on a Dask cluster
(the per-partition work lives in ``stancekit._corpus``), and summarizes the
gathered scores at the end.
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

__all__ = ["AnalysisResult", "CorpusResult", "analyze", "analyze_corpus"]


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


# --- corpora: streaming, resumable, optionally on Dask ------------------------------

#: Chart files an analysis writes (any format); removed with the other outputs on overwrite.
_CHARTS = ("tone_*", "stance_composition*", "statement_strip*", "speaker_target_heatmap*")


@dataclass
class CorpusResult:
    """What :func:`analyze_corpus` wrote, with the summary and the counts.

    The statements and scores stay on disk (partitioned Parquet); read them
    with :meth:`statements` and :meth:`scores`, or with
    ``pd.read_parquet(result.out / "scores")``.

    Attributes
    ----------
    out : pathlib.Path
        The output folder.
    summary : pandas.DataFrame
        :func:`stancekit.analysis.summarize` of all scores by ``by``.
    by : str
        The column the summary is keyed by.
    targets : list of str
        The target names scored.
    n_articles, n_statements, n_scores : int
        Totals over the whole corpus.
    n_partitions : int
        Partitions in the corpus.
    n_processed : int
        Partitions extracted and scored by this call; the others were
        already complete on disk and were skipped.
    seconds : float
        Wall time of the call.
    """

    out: Any
    summary: pd.DataFrame
    by: str
    targets: list[str]
    n_articles: int
    n_statements: int
    n_scores: int
    n_partitions: int
    n_processed: int
    seconds: float
    models: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        return (f"CorpusResult({self.n_articles} articles, {self.n_statements} statements, {self.n_scores} scores "
                f"in {self.n_partitions} partitions ({self.n_processed} processed now), out={str(self.out)!r})")

    def statements(self, columns: list[str] | None = None) -> pd.DataFrame:
        """All statements, read from ``out/statements/`` in partition order."""
        from ._corpus import STATEMENTS_DIR
        from .io.corpus import read_parts

        return read_parts(self.out / STATEMENTS_DIR, columns=columns)

    def scores(self, columns: list[str] | None = None) -> pd.DataFrame:
        """All scores, read from ``out/scores/`` in partition order."""
        from ._corpus import SCORES_DIR
        from .io.corpus import read_parts

        return read_parts(self.out / SCORES_DIR, columns=columns)


def _is_dask_frame(source: Any) -> bool:
    return hasattr(source, "to_delayed") and hasattr(source, "npartitions") and not isinstance(source, pd.DataFrame)


def _prepare_out(out: Any, settings: dict, *, overwrite: bool) -> None:
    """Check (or reset) the output folder against this run's settings, then record them."""
    import json
    import shutil

    from ._corpus import PARTS_DIR, RUN_FILE, SCORES_DIR, STATEMENTS_DIR
    from ._utils import StancekitError, atomic_write_text

    if out.exists() and not out.is_dir():
        raise StancekitError(f"{out}: exists and is not a folder")
    run_file = out / RUN_FILE
    old = None
    if run_file.is_file():
        try:
            old = json.loads(run_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = {}
    elif any((out / d).is_dir() and any((out / d).iterdir()) for d in (STATEMENTS_DIR, SCORES_DIR, PARTS_DIR)):
        old = {}
    if old is not None and old.get("settings") != settings:
        if not overwrite:
            differ = sorted(k for k in set(settings) | set(old.get("settings") or {})
                            if (old.get("settings") or {}).get(k) != settings.get(k))
            what = ", ".join(differ) if old.get("settings") else "no run.json"
            raise StancekitError(
                f"{out} holds results of a different run (differs in: {what}); "
                "pass overwrite=True (CLI --overwrite) to replace them, or choose another output folder"
            )
        for d in (STATEMENTS_DIR, SCORES_DIR, PARTS_DIR):
            shutil.rmtree(out / d, ignore_errors=True)
        for path in [out / RUN_FILE, out / "summary.csv", out / "report.html",
                     *[p for c in _CHARTS for p in out.glob(f"{c}.*")]]:
            path.unlink(missing_ok=True)
        log.info("%s: removed the outputs of a different run (overwrite)", out)
    out.mkdir(parents=True, exist_ok=True)
    if old is None or old.get("settings") != settings:
        atomic_write_text(run_file, json.dumps({"settings": settings}, indent=1, sort_keys=True, default=str))


def _remove_stale(out: Any, names: set[str]) -> int:
    """Delete partition files that this run did not produce (a corpus that shrank or changed)."""
    from ._corpus import PARTS_DIR, SCORES_DIR, STATEMENTS_DIR
    from .io.corpus import list_parts

    count = 0
    for folder in (STATEMENTS_DIR, SCORES_DIR):
        for path in list_parts(out / folder):
            if path.stem not in names:
                path.unlink(missing_ok=True)
                count += 1
    parts = out / PARTS_DIR
    if parts.is_dir():
        for path in parts.glob("part-*.json"):
            if path.stem not in names:
                path.unlink(missing_ok=True)
                count += 1
    return count


def _first_articles(source: Any, spec: Any, n: int) -> pd.DataFrame:
    """Re-read the first ``n`` articles (for the report's highlighted articles)."""
    from .io.corpus import plan_partitions, read_part

    frames, have = [], 0
    if _is_dask_frame(source):
        for i in range(source.npartitions):
            frame, _ = read_part(_frame_plan(source.get_partition(i).compute(), i), text=spec.text,
                                 article=spec.article, errors="skip")
            frames.append(frame)
            have += len(frame)
            if have >= n:
                break
    else:
        for plan in plan_partitions(source, partition_size=spec.partition_size):
            frame, _ = read_part(plan, text=spec.text, article=spec.article, errors="skip", encoding=spec.encoding)
            frames.append(frame)
            have += len(frame)
            if have >= n:
                break
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True).head(n) if frames else pd.DataFrame()


def _frame_plan(frame: pd.DataFrame, index: int):
    from .io.corpus import CorpusPart

    return CorpusPart(index=index, frame=frame)


def analyze_corpus(
    source: Any,
    out: str | os.PathLike,
    *,
    targets: str | Sequence[Any] | Mapping[str, Sequence[str]],
    registry: Any = None,
    by: str = "group",
    model: Any = None,
    backend: str = "default",
    precision: str = "auto",
    mentioned_only: bool = False,
    n_boot: int = 2000,
    seed: int = 0,
    partition_size: int = 100,
    client: Any = None,
    overwrite: bool = False,
    report: bool = True,
    chart_formats: tuple[str, ...] = ("png",),
    text: str = "text",
    article: str = "article",
    encoding: str | None = None,
    show_progress: bool | None = None,
    errors: str = "warn",
) -> CorpusResult:
    """Analyze a corpus of any size in partitions, resumably, in-process or on a Dask cluster.

    The corpus is read lazily and processed in partitions of
    ``partition_size`` articles. Each partition's statements and scores are
    written as soon as they are done, as ``out/statements/part-*.parquet``
    and ``out/scores/part-*.parquet`` (each file written to a temporary name
    and renamed into place). At the end the scores are gathered and
    summarized, with the same speaker bootstrap as :func:`analyze`, into
    ``out/summary.csv``, the charts and ``out/report.html``.

    Calling it again with the same arguments skips every partition already
    complete on disk: a run that was killed resumes where it stopped, losing
    only the partitions in flight, and a finished run is not redone. A
    partition is complete when its manifest (``out/_partitions/``) holds the
    same key, a hash of the partition's articles (ids, metadata, text) and of
    the run's settings (stancekit version, extraction rules, spaCy model,
    registry, targets and aliases, stance model name, version, fingerprint,
    backend and precision). Other settings in the same folder are refused
    with a one-line error unless ``overwrite=True``.

    Parameters
    ----------
    source : path, glob pattern, list of them, pandas.DataFrame or dask DataFrame
        Article files (``.txt``, ``.md``, ``.html``, ``.jsonl``, ``.csv``,
        ``.json``, ``.parquet``), folders (walked lazily in sorted order) or
        glob patterns (``"news/*.jsonl"``); or a frame of articles with
        ``article`` and ``text`` columns. A dask DataFrame is read partition
        by partition on the workers.
    out : str or path
        The output folder.
    targets : str, list of str/Target, or dict
        What the stance is toward; a dict maps a name to its aliases.
    registry : SpeakerRegistry, str or path, optional
        Known speakers and their groups.
    by : str, default "group"
        Column to summarize by.
    model : str, path, StanceModel or None
        A :class:`stancekit.models.StanceModel` (its settings are sent to the
        workers, which each build it once), or its ``model`` argument.
    backend, precision : str
        Backend and compute precision of a newly built StanceModel. Use
        ``precision="fp32"`` for scores identical on every machine.
    mentioned_only : bool, default False
        Summarize only statements that mention the target.
    n_boot : int, default 2000
        Bootstrap replicates for the summary intervals.
    seed : int, default 0
        Seed of the bootstrap.
    partition_size : int, default 100
        Articles per partition: the unit of work and of recovery.
    client : distributed.Client, optional
        Run the partitions on this Dask cluster (each worker loads spaCy and
        the stance model once). None runs them in this process.
    overwrite : bool, default False
        Replace the outputs of a run with other settings in ``out``.
    report : bool, default True
        Write the charts and ``report.html`` at the end.
    chart_formats : tuple of str, default ("png",)
        Chart file formats.
    text, article : str
        Names of the text and id fields in the inputs.
    encoding : str, optional
        Force this codec for all files.
    show_progress : bool or None
        In-process: a bar over articles (stderr). On Dask: the dashboard link
        and ``distributed.progress``. None means on if the stancekit logger is
        at INFO or lower.
    errors : {"raise", "warn", "skip"}, default "warn"
        Unreadable inputs and articles whose extraction fails: raise, warn
        once with a count, or skip silently.

    Returns
    -------
    CorpusResult
        The summary, the counts and the output folder.

    Raises
    ------
    StancekitError
        If nothing could be read, ``out`` holds another run's results, or a
        partition failed (the others are saved; run again to retry it).

    Examples
    --------
    >>> res = analyze_corpus("news/*.jsonl", "out/news", targets=["the United States"])  # doctest: +SKIP
    >>> from distributed import Client
    >>> res = analyze_corpus("news/", "out/news", targets=["Canada"], client=Client(n_workers=4))  # doctest: +SKIP
    """
    import time
    import warnings
    from pathlib import Path

    from . import _corpus
    from ._utils import StancekitError, check_choice, progress, want_progress
    from .io.corpus import plan_partitions, read_parts, remove_temp_files
    from .models import StanceModel
    from .registry import SpeakerRegistry
    from .stance.targets import _as_targets

    started = time.perf_counter()
    check_choice("errors", errors, ("raise", "warn", "skip"))
    tlist = _as_targets(targets)  # str, Target, a list of them or a dict name -> aliases; never empty
    if not isinstance(n_boot, int) or n_boot < 1:
        raise ValueError(f"Invalid value {n_boot!r} for `n_boot`; give a positive int.")
    if client is not None and not hasattr(client, "submit"):
        raise TypeError(f"`client` must be a distributed.Client, not {type(client).__name__}.")
    if not isinstance(partition_size, int) or isinstance(partition_size, bool) or partition_size < 1:
        raise ValueError(f"Invalid value {partition_size!r} for `partition_size`; give a positive int.")
    from .schema import SCORE_COLUMNS, STATEMENT_COLUMNS

    known = [*STATEMENT_COLUMNS, *SCORE_COLUMNS, "outlet", "date"]
    if by not in known:
        raise KeyError(f"Could not interpret value `{by}` for `by`: choose a statement or score column, "
                       f"one of {known}.")
    out = Path(out)
    reg = SpeakerRegistry.coerce(registry)
    if isinstance(model, StanceModel):
        local_model = model
        params = {**_corpus.model_params(model), "show_progress": False}
    else:
        # Built from its settings once per process (here and on each worker), and reused by later calls.
        # No SQLite score cache: the partition files are the cache of a corpus run.
        local_model = None
        params = _corpus.model_params(StanceModel(model, backend=backend, precision=precision, cache=False,
                                                  show_progress=False))
    dask_frame = _is_dask_frame(source)
    # The plans are lazy in-process (a folder of a million files is walked as it is processed);
    # a cluster gets them all at once, as tasks (file names only, never the articles).
    plans = None if dask_frame else plan_partitions(source, partition_size=partition_size)
    if dask_frame and text not in source.columns:
        raise KeyError(f"`source` lacks the text column {text!r}; it has {list(source.columns)}.")
    spec = _corpus.RunSpec(targets=tuple(tlist), registry=reg, model_params=params, text=text, article=article,
                           errors=errors, encoding=encoding, partition_size=partition_size)
    show = want_progress(show_progress)

    # 1. the identity of the models (loads them where they will run), and the run's key
    if client is None:
        identity = _corpus.probe_identity(spec, local_model)
    else:
        identity = client.submit(_corpus.probe_identity, spec, pure=False).result()
    settings = _corpus.run_settings(spec, identity)
    spec = _corpus.with_key(spec, _corpus.settings_key(settings), identity)
    _prepare_out(out, settings, overwrite=overwrite)
    for folder in (_corpus.STATEMENTS_DIR, _corpus.SCORES_DIR, _corpus.PARTS_DIR):
        remove_temp_files(out / folder)

    # 2. the partitions: in this process, or on the cluster
    infos: list[dict] = []
    failures: list[tuple[str, BaseException]] = []
    if client is None:
        bar = progress(None, show_progress=show, desc="analyzing", unit="article")
        try:
            if dask_frame:
                jobs = ((_frame_plan(source.get_partition(i).compute(), i)) for i in range(source.npartitions))
            else:
                jobs = plans
            for plan in jobs:
                try:
                    got = _corpus.run_part(plan, spec, out, model=local_model)
                except Exception as exc:
                    if errors == "raise":
                        raise
                    failures.append((plan.describe(), exc))
                    continue
                infos.extend(got)
                bar.update(sum(i["articles"] for i in got))
        finally:
            bar.close()
    else:
        infos, failures = _run_on_dask(client, source if dask_frame else list(plans), spec, out, show=show,
                                       dask_frame=dask_frame)
        if failures and errors == "raise":
            raise failures[0][1]

    # 3. bookkeeping: failures, skipped inputs, stale files, duplicate ids
    if failures:
        where, exc = failures[0]
        raise StancekitError(
            f"{len(failures)} partition(s) failed, first {where}: {exc}; the other partitions are saved, "
            "run the same command again to retry"
        )
    infos.sort(key=lambda i: i["name"])
    names = {i["name"] for i in infos}
    stale = _remove_stale(out, names)
    if stale:
        log.info("removed %d partition file(s) of an earlier, different corpus", stale)
    skipped = [s for i in infos for s in i["skipped"]]
    n_articles = sum(i["articles"] for i in infos)
    if n_articles == 0:
        reasons = "; ".join(f"{n} ({r})" for n, r in skipped[:10]) or "no article files found"
        raise StancekitError(f"no readable articles in {_describe_source(source)}: {reasons}")
    if skipped and errors == "warn":
        items = ", ".join(f"{n} ({r})" for n, r in skipped[:10]) + (f", and {len(skipped) - 10} more"
                                                                      if len(skipped) > 10 else "")
        warnings.warn(f"skipped {len(skipped)} unreadable input(s): {items}", stacklevel=2)
    messages = sorted({m for i in infos for m in i["warnings"]})
    if messages and errors == "warn":
        for m in messages:
            warnings.warn(m, stacklevel=2)
    seen: set[str] = set()
    dups = sorted({a for i in infos for a in i["ids"] if a in seen or seen.add(a)})
    if dups:
        warnings.warn(f"{len(dups)} article id(s) occur in more than one partition, e.g. {dups[0]!r}; "
                      "their statement ids are not unique", stacklevel=2)
    n_processed = sum(i["status"] == "done" for i in infos)
    log.info("%d partition(s): %d processed now, %d already complete", len(infos), n_processed,
             len(infos) - n_processed)

    # 4. the summary, from the gathered scores (small next to the articles)
    scores = read_parts(out / _corpus.SCORES_DIR, names=names)
    statements = read_parts(out / _corpus.STATEMENTS_DIR, names=names)
    if statements.empty:
        from .extraction import _frame

        statements = _frame([])
    if scores.empty:
        scores = _empty_scores(statements)
    if by not in scores.columns:
        raise KeyError(f"Could not interpret value `{by}` for `by`: statements have columns {list(scores.columns)}.")
    summary = summarize(scores, by=by, n_boot=n_boot, seed=seed,
                        mentioned_only=bool(mentioned_only) and "target_mentioned" in scores.columns)
    summary.attrs.setdefault("stancekit", {})["mentioned_only"] = bool(mentioned_only)
    names_t = [t.name for t in tlist]
    _write_corpus_outputs(out, summary, scores, statements, infos, source, spec, by=by, targets=names_t,
                          report=report, chart_formats=chart_formats)
    models = AnalysisResult(articles=pd.DataFrame(), statements=statements, scores=scores, summary=summary).models
    return CorpusResult(out=out, summary=summary, by=by, targets=names_t, n_articles=n_articles,
                        n_statements=sum(i["statements"] for i in infos), n_scores=sum(i["scores"] for i in infos),
                        n_partitions=len(infos), n_processed=n_processed,
                        seconds=time.perf_counter() - started, models=models)


def _describe_source(source: Any) -> str:
    if isinstance(source, pd.DataFrame) or _is_dask_frame(source):
        return "the DataFrame"
    if isinstance(source, (str, os.PathLike)):
        return str(source)
    return ", ".join(str(s) for s in source)


def _write_corpus_outputs(out, summary, scores, statements, infos, source, spec, *, by, targets, report,
                          chart_formats) -> None:
    """summary.csv, and the charts and report.html computed from the gathered scores.

    They are written through :class:`stancekit.report.RunFolder`: staged, then moved into place together,
    and the previous run's end outputs that this one does not write again (last run's SVGs) are removed.
    The partition folders and ``run.json`` are the corpus run's own and are not part of that set.
    """
    import hashlib
    import json

    from ._corpus import RUN_FILE
    from ._utils import atomic_write_text
    from .io import write_frame
    from .report import RunFolder, order_summary_columns

    # Nothing new since the last run wrote these files: keep them (charts take seconds to draw).
    run_file = out / RUN_FILE
    record = json.loads(run_file.read_text(encoding="utf-8"))
    final = hashlib.sha256(json.dumps(
        [[i["name"], i["key"]] for i in infos] + [by, summary.attrs.get("stancekit", {}), report, list(chart_formats)],
        sort_keys=True, default=str).encode()).hexdigest()
    wanted = [out / "summary.csv"] + ([out / "report.html"] if report else [])
    if record.get("final") == final and all(p.is_file() for p in wanted):
        log.info("%s: summary, charts and report are up to date", out)
        return
    with RunFolder(out) as run:
        write_frame(order_summary_columns(summary, by), run.staging / "summary.csv", format="csv")
        if report:
            _write_report(run.staging, summary, scores, statements, infos, source, spec, by=by, targets=targets,
                          chart_formats=chart_formats)
        run.publish({"command": "analyze", "by": by, "targets": targets})
    # "final" describes the end outputs now in place; an interrupted run leaves the old ones and the old key
    record["final"] = final
    atomic_write_text(run_file, json.dumps(record, indent=1, sort_keys=True, default=str))


def _write_report(folder, summary, scores, statements, infos, source, spec, *, by, targets,
                  chart_formats) -> None:
    from .report import save_charts, write_report

    # The report highlights the first articles; the rest are listed by id only (their text stays on disk).
    ids = pd.DataFrame({"article": [a for i in infos for a in i["ids"]]})
    first = _first_articles(source, spec, 20)
    if len(first):
        head = ids.head(len(first)).merge(first, on="article", how="left")
        articles = pd.concat([head, ids.iloc[len(first):]], ignore_index=True)
    else:
        articles = ids
    registry = spec.registry
    order = (list(registry.groups) if by == "group" else [sp.name for sp in registry.speakers] if by == "speaker"
             else [])
    result = AnalysisResult(articles=articles, statements=statements, scores=scores, summary=summary, by=by,
                            targets=targets, group_order=order)
    charts = save_charts(result, folder, formats=chart_formats)
    write_report(result, folder / "report.html", charts=charts)


def _run_on_dask(client: Any, work: Any, spec: Any, out: Any, *, show: bool, dask_frame: bool):
    """Submit every partition to the cluster; gather the small per-partition infos."""
    import contextlib
    import sys

    from distributed import as_completed

    from . import _corpus

    link = getattr(client, "dashboard_link", None)
    if link:
        log.info("dask dashboard: %s", link)
        if show:
            print(f"dask dashboard: {link}", file=sys.stderr)
    if dask_frame:
        import dask

        parts = work.to_delayed()
        tasks = [dask.delayed(_corpus.run_frame_part, pure=False)(p, i, spec, str(out)) for i, p in enumerate(parts)]
        futures = client.compute(tasks)
        labels = {f.key: f"dask partition {i}" for i, f in enumerate(futures)}
    else:
        futures = client.map(_corpus.run_part, work, spec=spec, out=str(out), verify=True, pure=False)
        labels = {f.key: plan.describe() for f, plan in zip(futures, work)}
    if show and futures:
        from distributed import progress as dask_progress

        with contextlib.redirect_stdout(sys.stderr):  # the text bar writes to stdout; keep stdout for results
            dask_progress(futures)
    infos: list[dict] = []
    failures: list[tuple[str, BaseException]] = []
    for fut in as_completed(futures):
        try:
            infos.extend(fut.result())
        except Exception as exc:
            failures.append((labels.get(fut.key, str(fut.key)), exc))
    return infos, failures
