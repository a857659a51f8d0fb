"""Tests for stancekit.analysis: known answers on hand-built frames, clustering, notes, coverage."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from stancekit.analysis import compare, speaker_target_matrix, summarize
from stancekit.schema import SUMMARY_COLUMNS


def _frame(rows, columns=("group", "speaker", "tone")) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(columns))


@pytest.fixture
def hand_scores() -> pd.DataFrame:
    # 7 statements, 2 groups, 4 speakers, 3 articles; one target.
    return pd.DataFrame(
        {
            "article": ["a1", "a1", "a2", "a2", "a3", "a3", "a3"],
            "group": ["gov", "gov", "gov", "gov", "opp", "opp", "opp"],
            "speaker": ["A", "A", "B", "A", "C", "D", "D"],
            "tone": [0.6, 0.4, 0.2, 0.8, -0.5, -0.1, -0.3],
            "intensity": [0.8, 0.6, 0.3, 0.9, 0.7, 0.2, 0.4],
            "stance": ["favor", "favor", "none", "favor", "against", "none", "against"],
            "target": ["Canada"] * 7,
        }
    )


# --- summarize: known answers ------------------------------------------------


def test_summarize_known_answers(hand_scores):
    out = summarize(hand_scores, n_boot=200)
    assert list(out.columns) == ["group", *SUMMARY_COLUMNS, "note"]
    assert out["group"].tolist() == ["gov", "opp"]
    gov, opp = out.iloc[0], out.iloc[1]
    assert (gov.n_statements, gov.n_speakers, gov.n_articles) == (4, 2, 2)
    assert (opp.n_statements, opp.n_speakers, opp.n_articles) == (3, 2, 1)
    assert gov.tone == pytest.approx(0.5)
    assert opp.tone == pytest.approx(-0.3)
    assert (gov.favor, gov.none, gov.against) == pytest.approx((0.75, 0.25, 0.0))
    assert (opp.favor, opp.none, opp.against) == pytest.approx((0.0, 1 / 3, 2 / 3))
    assert gov.intensity == pytest.approx(0.65)
    assert gov.tone_low <= gov.tone <= gov.tone_high
    assert out["n_statements"].dtype == np.int64


def test_summarize_mean_is_statement_weighted():
    # A speaks three times at 1.0, B once at 0.0: 0.75, not the speaker average 0.5.
    scores = _frame([("g", "A", 1.0)] * 3 + [("g", "B", 0.0)])
    assert summarize(scores, n_boot=100)["tone"].iloc[0] == pytest.approx(0.75)


def test_summarize_does_not_mutate_input(hand_scores):
    before = hand_scores.copy()
    summarize(hand_scores, n_boot=50)
    pd.testing.assert_frame_equal(hand_scores, before)


def test_summarize_by_speaker_and_by_list(hand_scores):
    by_speaker = summarize(hand_scores, by="speaker", n_boot=50)
    assert by_speaker["speaker"].tolist() == ["A", "B", "C", "D"]
    assert by_speaker["n_statements"].tolist() == [3, 1, 1, 2]
    both = summarize(hand_scores, by=["group", "speaker"], n_boot=50)
    assert list(both.columns[:2]) == ["group", "speaker"]
    assert len(both) == 4


# --- the interval resamples speakers -------------------------------------------


def test_speaker_bootstrap_keeps_a_speakers_statements_together():
    # Each speaker's own mean is 0.5, so every resample of whole speakers has
    # mean 0.5; a statement bootstrap would scatter between 0 and 1.
    scores = _frame([("g", "A", 0.0), ("g", "A", 1.0), ("g", "B", 0.5), ("g", "B", 0.5)])
    row = summarize(scores, n_boot=500).iloc[0]
    assert (row.tone_low, row.tone_high) == pytest.approx((0.5, 0.5))
    naive = summarize(scores, n_boot=500, method="statements").iloc[0]
    assert naive.tone_high - naive.tone_low > 0.2


def test_repeated_statements_do_not_narrow_the_speaker_interval():
    # Two speakers, each quoted ten times with the same tone: only two
    # independent views. Resampling speakers spans the whole range.
    scores = _frame([("g", "A", 0.0)] * 10 + [("g", "B", 1.0)] * 10)
    row = summarize(scores, n_boot=1000).iloc[0]
    assert row.n_speakers == 2
    assert (row.tone_low, row.tone_high) == pytest.approx((0.0, 1.0))
    naive = summarize(scores, n_boot=1000, method="statements").iloc[0]
    assert naive.tone_high - naive.tone_low < 0.6
    assert "ignores speaker clustering" in naive.note


def test_unknown_speakers_are_one_cluster_per_article():
    scores = pd.DataFrame(
        {
            "group": ["g"] * 5,
            "speaker": pd.array([pd.NA, pd.NA, pd.NA, "A", "B"], dtype="string"),
            "article": ["x", "x", "y", "x", "y"],
            "tone": [0.1, 0.2, 0.3, 0.4, 0.5],
        }
    )
    row = summarize(scores, n_boot=100).iloc[0]
    assert row.n_speakers == 4  # <unknown>@x, <unknown>@y, A, B


# --- determinism -------------------------------------------------------------


def test_summarize_is_deterministic_with_seed():
    data = simulate_clustered(3, 10, seed=5)
    a = summarize(data, by="rep", n_boot=300, seed=7)
    b = summarize(data, by="rep", n_boot=300, seed=7)
    pd.testing.assert_frame_equal(a, b)
    c = summarize(data, by="rep", n_boot=300, seed=8)
    assert not np.allclose(a["tone_low"], c["tone_low"])
    pd.testing.assert_series_equal(a["tone"], c["tone"])


def test_group_interval_does_not_depend_on_other_groups(hand_scores):
    full = summarize(hand_scores, n_boot=300).set_index("group")
    gov_only = summarize(hand_scores[hand_scores.group == "gov"], n_boot=300).set_index("group")
    pd.testing.assert_series_equal(full.loc["gov"], gov_only.loc["gov"])


def test_output_sorted_regardless_of_input_order(hand_scores):
    shuffled = hand_scores.iloc[::-1].reset_index(drop=True)
    pd.testing.assert_frame_equal(summarize(shuffled, n_boot=100), summarize(hand_scores, n_boot=100))


# --- small n and notes --------------------------------------------------------


def test_single_statement_has_nan_bounds_and_note():
    row = summarize(_frame([("g", "A", 0.3)]), n_boot=100).iloc[0]
    assert row.tone == pytest.approx(0.3)
    assert math.isnan(row.tone_low) and math.isnan(row.tone_high)
    assert row.note == "n too small: 1 statement; no interval"


def test_single_speaker_falls_back_to_statements_and_says_so():
    scores = _frame([("g", "A", t) for t in (0.1, 0.2, 0.3, 0.4, 0.5)])
    row = summarize(scores, n_boot=500).iloc[0]
    assert row.n_speakers == 1
    assert row.note.startswith("n too small: 1 speaker; interval not meaningful")
    assert 0.1 <= row.tone_low < row.tone < row.tone_high <= 0.5


def test_few_speakers_get_a_note_and_enough_do_not():
    few = _frame([("g", "A", 0.1), ("g", "B", 0.3)])
    assert summarize(few, n_boot=100)["note"].iloc[0] == "n too small: 2 speakers (< 3); interval unreliable"
    enough = _frame([("g", s, t) for s, t in zip("ABC", (0.1, 0.3, 0.2))])
    assert summarize(enough, n_boot=100)["note"].iloc[0] == ""
    assert summarize(few, n_boot=100, min_speakers=2)["note"].iloc[0] == ""


def test_missing_values_are_left_out_and_noted():
    scores = _frame([("g", "A", 0.2), ("g", "B", np.nan), ("g", "C", 0.4), ("g", "D", 0.0)])
    row = summarize(scores, n_boot=100).iloc[0]
    assert row.n_statements == 3
    assert row.tone == pytest.approx(0.2)
    assert "1 statement without tone left out" in row.note


def test_errorbar_none_gives_nan_bounds(hand_scores):
    out = summarize(hand_scores, errorbar=None)
    assert out["tone_low"].isna().all() and out["tone_high"].isna().all()
    assert out["tone"].notna().all()


def test_wider_level_gives_wider_interval():
    rng = np.random.default_rng(3)
    scores = _frame([("g", f"s{i}", v) for i, v in enumerate(rng.normal(size=30))])
    r90 = summarize(scores, errorbar=("ci", 90), n_boot=1000).iloc[0]
    r99 = summarize(scores, errorbar=("ci", 99), n_boot=1000).iloc[0]
    assert r99.tone_low < r90.tone_low < r90.tone_high < r99.tone_high


# --- targets and value ---------------------------------------------------------


def test_several_targets_make_target_the_leading_key(hand_scores):
    other = hand_scores.assign(target="USA", tone=-hand_scores["tone"])
    both = pd.concat([hand_scores, other], ignore_index=True)
    out = summarize(both, n_boot=100)
    assert list(out.columns[:2]) == ["target", "group"]
    assert out[["target", "group"]].values.tolist() == [
        ["Canada", "gov"], ["Canada", "opp"], ["USA", "gov"], ["USA", "opp"]
    ]
    assert out["tone"].tolist() == pytest.approx([0.5, -0.3, -0.5, 0.3])
    # one target: no target key
    assert "target" not in summarize(hand_scores, n_boot=50).columns


def test_value_names_the_mean_columns(hand_scores):
    out = summarize(hand_scores, value="intensity", n_boot=100)
    assert {"intensity", "intensity_low", "intensity_high"} <= set(out.columns)
    assert "tone" not in out.columns
    assert out.set_index("group").loc["gov", "intensity"] == pytest.approx(0.65)


# --- argument checks ---------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"errorbar": ("sd", 1)}, ValueError, "errorbar"),
        ({"errorbar": ("ci", 120)}, ValueError, "errorbar"),
        ({"n_boot": 0}, ValueError, "n_boot"),
        ({"method": "rows"}, ValueError, "method"),
        ({"seed": -1}, ValueError, "seed"),
        ({"by": "party"}, KeyError, "party"),
        ({"value": "score"}, KeyError, "score"),
    ],
)
def test_summarize_rejects_bad_arguments(hand_scores, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        summarize(hand_scores, **kwargs)


def test_summarize_needs_speaker_for_the_cluster_bootstrap(hand_scores):
    with pytest.raises(KeyError, match="speaker"):
        summarize(hand_scores.drop(columns="speaker"))
    out = summarize(hand_scores.drop(columns="speaker"), method="statements", n_boot=50)
    assert out["n_statements"].tolist() == [4, 3]


# --- compare ------------------------------------------------------------------


def _two_groups(tones_a, tones_b, per_speaker=1):
    rows = []
    for grp, tones in (("a", tones_a), ("b", tones_b)):
        for i, t in enumerate(tones):
            rows += [(grp, f"{grp}{i}", t)] * per_speaker
    return _frame(rows)


def test_compare_sign_and_means():
    scores = _two_groups([0.5, 0.6, 0.7, 0.4], [-0.2, -0.3, -0.1, -0.4])
    row = compare(scores, "a", "b", n_boot=500).iloc[0]
    assert row.tone_a == pytest.approx(0.55) and row.tone_b == pytest.approx(-0.25)
    assert row["diff"] == pytest.approx(0.8)
    assert row.diff_low <= row["diff"] <= row.diff_high
    assert row.diff_low > 0
    flipped = compare(scores, "b", "a", n_boot=500).iloc[0]
    assert flipped["diff"] == pytest.approx(-0.8)
    assert (row.n_speakers_a, row.n_speakers_b, row.n_statements_a) == (4, 4, 4)


def test_compare_exact_permutation_known_p():
    # 3 vs 3 speakers, perfectly separated: 2 of the C(6,3)=20 relabelings
    # are as extreme (the observed one and its mirror): p = 0.1.
    scores = _two_groups([0.7, 0.8, 0.9], [0.1, 0.2, 0.3])
    row = compare(scores, "a", "b").iloc[0]
    assert row.permutation == "exact"
    assert row.p_value == pytest.approx(0.1)


def test_compare_permutes_speakers_not_statements():
    # Two speakers per side, each quoted 20 times with one tone. Permuting
    # statements would give a tiny p; there are only C(4,2)=6 speaker
    # relabelings, 2 of them as extreme as the data: p = 1/3.
    scores = _two_groups([0.9, 1.0], [0.0, -0.1], per_speaker=20)
    row = compare(scores, "a", "b").iloc[0]
    assert row.p_value == pytest.approx(1 / 3)
    assert (row.n_speakers_a, row.n_statements_a) == (2, 40)
    assert "n too small" in row.note


def test_compare_separated_groups_small_p_identical_groups_large_p():
    rng = np.random.default_rng(1)
    sep = _two_groups(rng.normal(0.6, 0.1, 12), rng.normal(-0.4, 0.1, 12), per_speaker=2)
    row = compare(sep, "a", "b", n_perm=2000).iloc[0]
    assert row.permutation == "monte carlo"
    assert row.p_value == pytest.approx(1 / 2001)  # +1 correction: never 0
    same = _two_groups([0.1, 0.3, -0.2, 0.0, 0.2, -0.1], [0.1, 0.3, -0.2, 0.0, 0.2, -0.1])
    row = compare(same, "a", "b").iloc[0]
    assert row["diff"] == pytest.approx(0.0)
    assert row.p_value == pytest.approx(1.0)


def test_compare_is_deterministic_and_checks_arguments(hand_scores):
    a = compare(hand_scores, "gov", "opp", n_boot=300, n_perm=100)
    pd.testing.assert_frame_equal(a, compare(hand_scores, "gov", "opp", n_boot=300, n_perm=100))
    with pytest.raises(ValueError, match="present values"):
        compare(hand_scores, "gov", "greens")
    with pytest.raises(ValueError, match="same value"):
        compare(hand_scores, "gov", "gov")
    two = pd.concat([hand_scores, hand_scores.assign(target="USA")], ignore_index=True)
    with pytest.raises(ValueError, match="target="):
        compare(two, "gov", "opp")
    assert compare(two, "gov", "opp", target="USA", n_boot=100)["target"].iloc[0] == "USA"


def test_compare_single_speaker_group_has_no_interval():
    scores = _two_groups([0.5], [0.1, 0.2, 0.0], per_speaker=3)
    row = compare(scores, "a", "b").iloc[0]
    assert math.isnan(row.diff_low) and math.isnan(row.diff_high)
    assert "1 speaker" in row.note


# --- speaker x target matrix ----------------------------------------------------


def test_speaker_target_matrix(hand_scores):
    two = pd.concat([hand_scores, hand_scores.assign(target="USA", tone=0.0)], ignore_index=True)
    two = two[~((two.speaker == "B") & (two.target == "USA"))]
    table = speaker_target_matrix(two)
    assert table.index.tolist() == ["A", "B", "C", "D"]
    assert table.columns.tolist() == ["Canada", "USA"]
    assert table.loc["A", "Canada"] == pytest.approx(0.6)
    assert table.loc["D", "Canada"] == pytest.approx(-0.2)
    assert math.isnan(table.loc["B", "USA"])
    counts = speaker_target_matrix(two, aggfunc="count")
    assert counts.loc["A", "Canada"] == 3 and counts.loc["B", "USA"] == 0


# --- coverage simulation ----------------------------------------------------------


def simulate_clustered(reps: int, n_speakers: int, *, mu=0.2, sd_speaker=0.3, sd_statement=0.15, seed=0):
    """``reps`` independent data sets (column ``rep``) of speakers with random effects.

    Each speaker has a random effect ~ N(0, sd_speaker) and 1..8 statements
    with noise ~ N(0, sd_statement); the true mean tone is ``mu``.
    """
    rng = np.random.default_rng(seed)
    reps_col, speakers, tones = [], [], []
    for r in range(reps):
        sizes = rng.integers(1, 9, size=n_speakers)
        effects = rng.normal(0.0, sd_speaker, size=n_speakers)
        for j, (m, u) in enumerate(zip(sizes, effects)):
            reps_col += [r] * m
            speakers += [f"s{j}"] * m
            tones += list(mu + u + rng.normal(0.0, sd_statement, size=m))
    return pd.DataFrame({"rep": reps_col, "speaker": speakers, "tone": tones})


def test_speaker_bootstrap_covers_and_statement_bootstrap_undercovers():
    # 200 independent data sets as 200 groups of one summarize() call: each
    # group is resampled on its own stream, exactly as 200 separate calls.
    # (benchmarks/coverage_check.py runs 1000 replicates over several designs.)
    data = simulate_clustered(200, 12, seed=11)
    cluster = summarize(data, by="rep", n_boot=300, seed=0)
    naive = summarize(data, by="rep", n_boot=300, seed=0, method="statements")
    covered = ((cluster.tone_low <= 0.2) & (cluster.tone_high >= 0.2)).mean()
    covered_naive = ((naive.tone_low <= 0.2) & (naive.tone_high >= 0.2)).mean()
    assert 0.88 <= covered <= 0.99
    assert covered_naive < 0.8


# --- corpus-level keys: periods, outlets, article metadata, mentions -----------------


def test_summarize_by_group_and_month_from_article_dates(hand_scores):
    from stancekit.analysis import add_article_columns

    articles = pd.DataFrame({"article": ["a1", "a2", "a3"], "outlet": ["X", "Y", "X"],
                             "date": ["2026-01-30", "2026-02-02T09:00:00+05:00", "2026-02-20"]})
    scores = add_article_columns(hand_scores, articles)
    assert "date" not in hand_scores.columns  # input not mutated
    assert scores["outlet"].tolist() == ["X", "X", "Y", "Y", "X", "X", "X"]
    out = summarize(scores, by=["group", "month"], n_boot=100)
    assert list(out.columns[:2]) == ["group", "month"]
    assert list(zip(out["group"], out["month"], out["n_statements"])) == [
        ("gov", "2026-01", 2), ("gov", "2026-02", 2), ("opp", "2026-02", 3)]
    # any list of columns; outlets come from the articles
    by_outlet = summarize(scores, by=["outlet", "group"], n_boot=100)
    assert by_outlet[["outlet", "group"]].values.tolist() == [["X", "gov"], ["X", "opp"], ["Y", "gov"]]
    weeks = summarize(scores, by="week", n_boot=100)
    assert weeks["week"].tolist() == ["2026-01-26", "2026-02-02", "2026-02-16"]  # Mondays


def test_summarize_time_key_without_dates_says_what_is_missing(hand_scores):
    with pytest.raises(KeyError, match="date"):
        summarize(hand_scores, by=["group", "month"])


def test_period_labels_and_missing_dates():
    from stancekit.analysis import period_labels

    dates = pd.Series(["2026-03-31", None, "not a date", "2025-12-31T23:00:00-02:00"])
    assert period_labels(dates, "quarter").tolist() == ["2026Q1", pd.NA, pd.NA, "2026Q1"]
    assert period_labels(dates, "year").tolist()[0] == "2026"
    with pytest.raises(ValueError, match="freq"):
        period_labels(dates, "decade")


def test_summarize_records_mentions_and_filters_mentioned_only(hand_scores):
    scores = hand_scores.assign(target_mentioned=[True, False, True, False, False, False, True])
    out = summarize(scores, n_boot=100)
    assert out.attrs["stancekit"]["mentions"] == {"Canada": {"mentioned": 3, "statements": 7}}
    assert out.attrs["stancekit"]["mentioned_only"] is False
    only = summarize(scores, n_boot=100, mentioned_only=True)
    assert only["n_statements"].tolist() == [2, 1]
    assert only.attrs["stancekit"]["mentioned_only"] is True
    with pytest.raises(KeyError, match="target_mentioned"):
        summarize(hand_scores, mentioned_only=True)
