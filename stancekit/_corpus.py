"""The work of one corpus partition, the same in-process and on a Dask worker.

:func:`process_partition` is the pure function from a frame of articles to
its statements and scores. :func:`run_part` wraps it for one partition plan:
read the articles, skip the pieces whose outputs are already complete, and
write the others atomically. Heavy state (spaCy, the stance model) is loaded
once per process and kept in a small module-level cache, so a worker that
runs a thousand partitions loads each model once.

What makes a partition's output valid is its key: a hash of the run's key
(stancekit version, extraction rules, spaCy model, registry, targets, stance
model identity and settings) and of the partition's articles (ids, metadata,
text hashes). A partition is complete when its manifest
``_partitions/<name>.json`` exists with that key; the manifest is written
last, after the Parquet files, so a crash at any point leaves either a
complete partition or one that is redone.
"""
from __future__ import annotations

import hashlib
import inspect
import json
import logging
import os
import threading
import time
import warnings
from collections import OrderedDict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from ._utils import StancekitError, atomic_write_text
from .io.corpus import CorpusPart, articles_key, part_name, read_part, split_articles, write_part

log = logging.getLogger("stancekit.pipeline")

#: Folders of a corpus output: one Parquet file per partition in each.
STATEMENTS_DIR = "statements"
SCORES_DIR = "scores"
#: One JSON manifest per partition (its key and counts), written last.
PARTS_DIR = "_partitions"
#: The run's settings and key; a run with other settings refuses this folder.
RUN_FILE = "run.json"
#: Layout version of the output folder.
LAYOUT = "stancekit-corpus.v1"

#: How many stance models a process keeps loaded (a notebook may alternate two).
_MAX_MODELS = 2
_MODELS: OrderedDict[str, Any] = OrderedDict()
_LOCK = threading.Lock()
#: Stance models built in this process (read by tests: once per worker, not per partition).
MODEL_LOADS = 0


@dataclass(frozen=True)
class RunSpec:
    """Everything a worker needs for a partition, and nothing heavy (it is pickled to workers)."""

    targets: tuple
    registry: Any
    model_params: dict
    text: str = "text"
    article: str = "article"
    errors: str = "warn"
    encoding: str | None = None
    partition_size: int = 100
    run_key: str = ""
    pass_articles: bool | None = None
    identity: dict | None = None

    def model_key(self) -> str:
        return json.dumps(self.model_params, sort_keys=True, default=repr)


# --- per-process state ------------------------------------------------------------


def _model(spec: RunSpec):
    """The stance model of ``spec``, built once per process."""
    global MODEL_LOADS
    from .models import StanceModel

    key = spec.model_key()
    with _LOCK:
        model = _MODELS.get(key)
        if model is None:
            model = StanceModel(**spec.model_params)
            MODEL_LOADS += 1
            _MODELS[key] = model
            while len(_MODELS) > _MAX_MODELS:
                _MODELS.popitem(last=False)
        else:
            _MODELS.move_to_end(key)
    return model


def warm_up(spec: RunSpec) -> None:
    """Load spaCy and the stance model of ``spec`` in this process (e.g. ``client.run(warm_up, spec)``)."""
    from .extraction import load_nlp

    load_nlp(precision=extraction_precision(spec))   # the pipeline its partitions will use
    probe_identity(spec)  # builds the model and loads its weights (one empty statement, no forward pass)


def model_params(model: Any) -> dict:
    """The ``__init__`` arguments of a StanceModel, read back from its attributes (scikit-learn style)."""
    params = {}
    for name, p in inspect.signature(type(model).__init__).parameters.items():
        if name == "self" or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        params[name] = getattr(model, name, p.default)
    return params


def _accepts_articles(model: Any) -> bool:
    """Whether ``model.predict`` takes the articles as context (``articles=``)."""
    try:
        return "articles" in inspect.signature(model.predict).parameters
    except (TypeError, ValueError):  # pragma: no cover - builtins without a signature
        return False


# --- identity -------------------------------------------------------------------


def extraction_precision(spec: RunSpec) -> str:
    """The stance model's precision choice carries to extraction (spaCy's matrix products and the tagger):
    fp32 (or bf16) for all, so a run asked to be reproducible in fp32 gets the same statements with any
    number of threads or workers."""
    return {"fp32": "fp32", "bf16": "bf16"}.get(spec.model_params.get("precision"), "auto")


def probe_identity(spec: RunSpec, model: Any = None) -> dict:
    """Identity of the run's models in this process: spaCy model and stance model.

    The stance model is asked to score one empty statement: the engine
    answers ``none`` for it without a forward pass, and the result's
    ``attrs["stancekit"]`` carries the model's name, version, fingerprint and
    settings. This also loads both models, which the partitions reuse.
    """
    from . import _spacy_ops
    from .extraction import DEFAULT_METHOD, DEFAULT_MODEL, METHOD
    from .models import Target

    extraction = METHOD
    if DEFAULT_METHOD in ("model", "both"):  # the attribution tagger's weights are part of what finds statements
        from . import _nn, _tagger

        tagger_fp = _nn.file_sha256(_tagger.DEFAULT_ARTIFACT / _nn.ADAPTER_FILE)[:16]
        extraction = (f"{DEFAULT_METHOD}: {_tagger.METHOD} {tagger_fp}" if DEFAULT_METHOD == "model"
                      else f"{DEFAULT_METHOD}: {METHOD} + {_tagger.METHOD} {tagger_fp}")

    model = model if model is not None else _model(spec)
    probe = model.predict(pd.DataFrame({"text": [""]}), targets=[Target("stancekit probe", builtin_aliases=False)])
    meta = dict(probe.attrs.get("stancekit", {}))
    return {
        "stance_model": {k: meta.get(k) for k in ("backend", "model", "model_version", "revision",
                                                    "fingerprint", "settings")},
        "stancekit_version": meta.get("stancekit_version") or _version(),
        "extraction": extraction,
        # installed versions, read without loading spaCy (a finished run need not load it)
        "spacy_model": f"{DEFAULT_MODEL} {_dist_version(DEFAULT_MODEL)}, spacy {_dist_version('spacy')}, "
                       f"matrix products {_spacy_ops.resolve(extraction_precision(spec))}",
        "pass_articles": _accepts_articles(model),
    }


def _dist_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


def _version() -> str:
    from . import __version__

    return __version__


def registry_digest(registry: Any) -> str:
    """A stable hash of a registry's content (speakers and groups)."""
    if registry is None:
        return "none"
    content = {"speakers": registry.to_records(), "groups": {k: list(v) for k, v in registry.groups.items()}}
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()[:16]


def run_settings(spec: RunSpec, identity: dict) -> dict:
    """The settings that change results, as written to ``run.json`` (JSON-native, so they compare after a round trip)."""
    settings = {
        "layout": LAYOUT,
        "stancekit_version": identity["stancekit_version"],
        "extraction": identity["extraction"],
        "spacy_model": identity["spacy_model"],
        "registry": registry_digest(spec.registry),
        "targets": [json.loads(t.key) for t in spec.targets],
        "stance_model": identity["stance_model"],
        "text_field": spec.text,
        "article_field": spec.article,
        "partition_size": spec.partition_size,
    }
    return json.loads(json.dumps(settings, sort_keys=True, default=str))


def settings_key(settings: dict) -> str:
    return hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode()).hexdigest()


# --- one partition ----------------------------------------------------------------


def process_partition(articles: pd.DataFrame, spec: RunSpec, model: Any = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Statements and scores of one partition's articles (a pure function of its inputs).

    Parameters
    ----------
    articles : pandas.DataFrame
        The partition's articles (``ARTICLE_COLUMNS``).
    spec : RunSpec
        Targets, registry and stance model settings.
    model : StanceModel, optional
        Use this model instead of the process's cached one (in-process runs).

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        Statements (``STATEMENT_COLUMNS``) and scores (one row per statement and target).
    """
    from .extraction import extract_statements

    model = model if model is not None else _model(spec)
    statements = extract_statements(articles, registry=spec.registry, errors=spec.errors, show_progress=False,
                                    precision=extraction_precision(spec))
    if statements.empty:
        from .pipeline import _empty_scores

        return statements, _empty_scores(statements)
    pass_articles = _accepts_articles(model) if spec.pass_articles is None else spec.pass_articles
    kwargs = {"articles": articles} if pass_articles else {}
    scores = model.predict(statements, targets=list(spec.targets), **kwargs)
    # each score row carries its article's outlet and date, as in analyze(), for the corpus views
    from .analysis import add_article_columns

    return statements, add_article_columns(scores, articles)


def _manifest_path(out: Path, name: str) -> Path:
    return out / PARTS_DIR / f"{name}.json"


def _complete(out: Path, name: str, key: str) -> dict | None:
    """The manifest of a complete partition with this key, else None."""
    path = _manifest_path(out, name)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("key") != key:
        return None
    for folder, count in ((STATEMENTS_DIR, "statements"), (SCORES_DIR, "scores")):
        if manifest.get(count, 0) and not (out / folder / f"{name}.parquet").is_file():
            return None
    return manifest


def _remove_piece(out: Path, name: str) -> None:
    for path in (out / STATEMENTS_DIR / f"{name}.parquet", out / SCORES_DIR / f"{name}.parquet"):
        try:
            path.unlink()
        except FileNotFoundError:
            pass


def run_part(part: CorpusPart, spec: RunSpec, out: str | os.PathLike, model: Any = None, *,
             verify: bool = False) -> list[dict]:
    """Read one partition plan, then extract, score and write each piece not already complete.

    ``verify`` checks, once per process, that this process's models are
    those the run was keyed with (on cluster workers; in-process the run's
    identity was probed with the very same model).

    Returns one small dict per piece (name, status ``"done"``/``"complete"``,
    counts, article ids, skipped inputs, warnings); nothing large travels back.
    """
    out = Path(out)
    started = time.perf_counter()
    articles, skipped = read_part(part, text=spec.text, article=spec.article, errors=spec.errors,
                                  encoding=spec.encoding)
    pieces = split_articles(articles, spec.partition_size)
    infos = []
    for piece_no, piece in enumerate(pieces):
        name = part_name(part.index, piece_no)
        key = articles_key(piece, spec.run_key)
        info = {"name": name, "index": part.index, "piece": piece_no, "key": key,
                "skipped": skipped if piece_no == 0 else [], "warnings": []}
        manifest = _complete(out, name, key)
        if manifest is not None:
            infos.append({**info, "status": "complete", "articles": manifest["articles"],
                          "statements": manifest["statements"], "scores": manifest["scores"],
                          "ids": manifest["ids"]})
            continue
        if verify:
            check_identity(spec, model)
        t0 = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if len(piece):
                statements, scores = process_partition(piece, spec, model)
            else:
                statements = scores = pd.DataFrame()
        _remove_piece(out, name)
        if len(statements):
            write_part(out / STATEMENTS_DIR, name, statements)
        if len(scores):
            write_part(out / SCORES_DIR, name, scores)
        manifest = {"key": key, "articles": len(piece), "statements": len(statements), "scores": len(scores),
                    "ids": piece["article"].astype(str).tolist(), "skipped": skipped if piece_no == 0 else [],
                    "seconds": round(time.perf_counter() - t0, 3)}
        atomic_write_text(_manifest_path(out, name), json.dumps(manifest, ensure_ascii=False))
        infos.append({**info, "status": "done", "articles": manifest["articles"],
                      "statements": manifest["statements"], "scores": manifest["scores"],
                      "ids": manifest["ids"], "warnings": sorted({str(w.message) for w in caught})})
    log.debug("partition %d (%s): %d piece(s) in %.1f s", part.index, part.describe(), len(pieces),
              time.perf_counter() - started)
    return infos


def run_frame_part(frame: pd.DataFrame, index: int, spec: RunSpec, out: str | os.PathLike) -> list[dict]:
    """:func:`run_part` for one partition of a dask DataFrame (already materialised on the worker)."""
    return run_part(CorpusPart(index=index, frame=frame), spec, out, verify=True)


def with_key(spec: RunSpec, run_key: str, identity: dict) -> RunSpec:
    return replace(spec, run_key=run_key, pass_articles=identity["pass_articles"], identity=identity)


#: Identity of each stance model as this process sees it (model key -> identity).
_IDENTITIES: dict[str, dict] = {}


def check_identity(spec: RunSpec, model: Any = None) -> None:
    """Refuse to work where the stance model differs from the run's (another precision, other weights).

    The run's identity is probed on one process; on a cluster of mixed
    hardware, ``precision="auto"`` can resolve differently on another worker,
    which would mix bf16 and fp32 scores in one output.
    """
    if spec.identity is None:
        return
    key = spec.model_key()
    mine = _IDENTITIES.get(key)
    if mine is None:
        mine = _IDENTITIES[key] = probe_identity(spec, model)
    want, got = _flat(spec.identity), _flat(mine)
    if got != want:
        differ = ", ".join(f"{k} {got.get(k)!r} here, {want.get(k)!r} in the run"
                           for k in sorted(set(want) | set(got)) if got.get(k) != want.get(k))
        import socket

        raise StancekitError(f"the models on {socket.gethostname()} differ from the run's ({differ}); "
                             "give an explicit precision (e.g. precision='fp32') or install the same versions")


def _flat(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out
