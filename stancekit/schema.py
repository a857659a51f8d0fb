"""Column names shared by every stancekit frame, and a frame checker.

Every module may import this one. Frames are tidy: one row per statement
(``STATEMENT_COLUMNS``), one row per statement and target (``SCORE_COLUMNS``),
or one row per group (``SUMMARY_COLUMNS``). Offsets are ints, 0-based and
end-exclusive, measured in the original article text, so that
``article_text[start:end] == text`` holds on every row.
"""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

#: Columns of an articles frame, as returned by :func:`stancekit.io.read_articles`.
ARTICLE_COLUMNS = ["article", "text", "source", "title", "outlet", "date"]

#: Columns of a statements frame, as returned by
#: :func:`stancekit.extraction.extract_statements`.
STATEMENT_COLUMNS = [
    "article",          # article id
    "statement_id",     # f"{article}:{start}-{end}" of the statement's first span
    "speaker",          # canonical speaker name (pd.NA when unknown)
    "mention",          # the speaker mention as written in the text that resolved it
    "mention_start",    # offsets of that mention (pd.NA when none)
    "mention_end",
    "resolution",       # name | pronoun | role | group | anonymous | outlet | unresolved (speaker NA)
    "group",            # registry group, or "unregistered" / "media", or inferred (see group_inferred)
    "group_inferred",   # bool: group inferred from the article's description, not from the registry
    "role",             # registry role or appositive description
    "country",
    "kind",             # direct | indirect | mixed | continuation | reported | evaluative | belief
                        # (evaluative: "accused X of Y", "called X Y", the verb inside the span;
                        #  belief: "hopes to X", "believes X", "saw X as Y": attributed, not said)
    "cue",              # the speech verb / frame ("said", "according to")
    "via",              # outlet the statement was relayed through (pd.NA when none)
    "text",             # the statement's own characters: article_text[start:end]
    "start",
    "end",
    "sentence",         # 0-based sentence index of the span's start
    "confidence",       # 0..1
    "method",           # versioned rule set, e.g. "rules.v2"
]

#: Minimum columns a statements JSONL line must carry (issue contract).
STATEMENT_JSONL_REQUIRED = ["article", "speaker", "group", "kind", "cue", "text", "start", "end"]

#: Stance labels in model output order.
STANCE_LABELS = ["against", "none", "favor"]

#: Compute precisions of the torch backends (``StanceModel(precision=...)``, CLI ``--precision``).
PRECISIONS = ("auto", "fp32", "bf16", "fp16", "int8")

#: Columns the stance model adds, per (statement, target) row.
SCORE_COLUMNS = [
    "target",
    "stance",
    "p_favor",
    "p_none",
    "p_against",
    "tone",               # p_favor - p_against, in [-1, 1]
    "intensity",          # 1 - p_none, in [0, 1]
    "target_mentioned",   # bool: the statement refers to the target (target_mention != "none")
    "target_mention",     # how: name | alias | role | pronoun | speaker | cue | given | none
    "target_start",       # the mention's offsets in `text` (pd.NA when none, or when the speaker is the target)
    "target_end",
    "model",
    "model_version",
]

#: Columns of a summary frame (after the ``by`` key column(s)).
SUMMARY_COLUMNS = [
    "n_statements",
    "n_speakers",
    "n_articles",
    "tone",
    "tone_low",
    "tone_high",
    "favor",
    "none",
    "against",
    "intensity",
]


def check_frame(data: pd.DataFrame, columns: Iterable[str], *, name: str = "data") -> pd.DataFrame:
    """Check that ``data`` is a DataFrame holding ``columns``.

    Parameters
    ----------
    data : pandas.DataFrame
        The frame to check.
    columns : iterable of str
        Column names that must be present.
    name : str
        The argument name to use in error messages.

    Returns
    -------
    pandas.DataFrame
        ``data`` itself, unchanged.

    Raises
    ------
    TypeError
        If ``data`` is not a DataFrame.
    KeyError
        If a column is missing; the message lists the missing and the present columns.

    Examples
    --------
    >>> import pandas as pd
    >>> check_frame(pd.DataFrame({"text": ["a"]}), ["text"]).shape
    (1, 1)
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"`{name}` must be a pandas DataFrame, not {type(data).__name__}.")
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise KeyError(
            f"`{name}` lacks column(s) {missing}; it has {list(data.columns)}."
        )
    return data
