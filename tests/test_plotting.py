"""Tests for stancekit.plotting: Axes handling, artists and labels, palette, export (Agg, no image comparison)."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from matplotlib.colors import to_hex
from matplotlib.image import AxesImage

from stancekit.analysis import summarize
from stancekit.plotting import (
    OKABE_ITO,
    STANCE_COLORS,
    group_palette,
    overview_figure,
    save_figure,
    speaker_target_heatmap,
    stance_composition,
    statement_strip,
    tone_by_group,
)


@pytest.fixture
def scores() -> pd.DataFrame:
    # 9 statements, 3 groups, 6 speakers, one target.
    return pd.DataFrame(
        {
            "article": ["a1"] * 9,
            "statement_id": [f"a1:{i}-{i + 5}" for i in range(9)],
            "group": ["gov", "gov", "gov", "opp", "opp", "opp", "unregistered", "unregistered", "gov"],
            "speaker": ["A", "A", "B", "C", "D", "D", "E", "F", "B"],
            "tone": [0.6, 0.4, 0.2, -0.5, -0.1, -0.3, 0.0, 0.1, 0.5],
            "stance": ["favor", "favor", "none", "against", "none", "against", "none", "none", "favor"],
            "intensity": [0.7, 0.5, 0.2, 0.6, 0.1, 0.4, 0.05, 0.1, 0.6],
            "target": ["Canada"] * 9,
        }
    )


@pytest.fixture
def summary(scores) -> pd.DataFrame:
    return summarize(scores, n_boot=200)


def _texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def _yticklabels(ax) -> list[str]:
    return [t.get_text() for t in ax.get_yticklabels()]


# --- palette -------------------------------------------------------------------


def test_group_palette_is_independent_of_order_and_colour_blind_safe():
    groups = ["opposition", "government", "experts", "business"]
    pal = group_palette(groups)
    assert pal == group_palette(list(reversed(groups))) == group_palette(groups + groups)
    assert set(pal.values()) <= set(OKABE_ITO)
    assert len(set(pal.values())) == len(groups)  # distinct while colours last


def test_group_palette_special_groups_and_stability_when_adding_a_group():
    pal = group_palette(["government", "unregistered", "media"])
    assert pal["unregistered"] == "#999999" and pal["media"] == "#555555"
    bigger = group_palette(["government", "opposition", "unregistered"])
    assert bigger["government"] == pal["government"]


def test_group_palette_reuses_colours_beyond_the_palette():
    pal = group_palette([f"g{i}" for i in range(12)])
    assert len(pal) == 12 and set(pal.values()) == set(OKABE_ITO)


# --- tone_by_group ---------------------------------------------------------------


def test_tone_by_group_draws_on_given_axes(summary):
    fig, ax = plt.subplots()
    n_figs = len(plt.get_fignums())
    out = tone_by_group(summary, ax=ax)
    assert out is ax
    assert len(plt.get_fignums()) == n_figs
    assert _yticklabels(ax) == ["gov", "opp", "unregistered"]
    assert ax.get_xlim() == pytest.approx((-1.05, 1.05))
    # one errorbar container per row, point at the mean, colour from the palette
    assert len(ax.containers) == 3
    pal = group_palette(summary["group"])
    for container, (_, row) in zip(ax.containers, summary.iterrows()):
        line = container.lines[0]
        assert line.get_xdata()[0] == pytest.approx(row.tone)
        assert to_hex(line.get_color()) == pal[row.group].lower()
    assert "n=4 (2 spk)" in _texts(ax)
    # zero line
    assert any(np.allclose(line.get_xdata(), [0, 0]) for line in ax.lines)


def test_tone_by_group_uses_current_axes_order_and_kwargs(summary):
    fig, (ax1, ax2) = plt.subplots(1, 2)
    plt.sca(ax2)
    out = tone_by_group(summary, order=["opp", "gov", "unregistered"], markersize=11)
    assert out is ax2 and not ax1.containers
    assert _yticklabels(ax2) == ["opp", "gov", "unregistered"]
    assert ax2.containers[0].lines[0].get_markersize() == 11


def test_tone_by_group_labels_targets_and_handles_nan_bounds(scores):
    two = pd.concat([scores, scores.assign(target="USA")], ignore_index=True)
    summary = summarize(two, n_boot=100)
    ax = tone_by_group(summary)
    assert "gov · Canada" in _yticklabels(ax)
    single = summarize(scores[scores.speaker == "E"], n_boot=100)  # 1 statement: NaN bounds
    ax = tone_by_group(single, ax=plt.figure().gca())
    assert len(ax.containers) == 1


def test_tone_by_group_errors(summary):
    with pytest.raises(KeyError, match="party"):
        tone_by_group(summary, y="party")
    with pytest.raises(ValueError, match="order"):
        tone_by_group(summary, order=["greens"])
    with pytest.raises(TypeError):
        tone_by_group()


# --- stance_composition ----------------------------------------------------------


def test_stance_composition_diverges_from_zero(summary):
    fig, ax = plt.subplots()
    assert stance_composition(summary, ax=ax) is ax
    against, none, favor = ax.containers  # drawn in this order
    gov = summary.set_index("group").loc["gov"]
    bar_against, bar_none, bar_favor = against[0], none[0], favor[0]
    assert bar_none.get_x() == pytest.approx(-gov.none / 2)
    assert bar_none.get_width() == pytest.approx(gov.none)
    assert bar_against.get_x() + bar_against.get_width() == pytest.approx(-gov.none / 2)
    assert bar_favor.get_x() == pytest.approx(gov.none / 2)
    assert bar_favor.get_width() == pytest.approx(gov.favor)
    assert to_hex(bar_favor.get_facecolor()) == STANCE_COLORS["favor"].lower()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["against", "none", "favor"]
    assert "75%" in _texts(ax)  # gov favor share 3/4


def test_stance_composition_counts_shares_from_statements(scores):
    ax = stance_composition(scores, order=["opp", "gov", "unregistered"])
    assert _yticklabels(ax) == ["opp", "gov", "unregistered"]
    against = ax.containers[0]
    assert against[0].get_width() == pytest.approx(2 / 3)  # opp: 2 of 3 against


# --- heatmap -------------------------------------------------------------------


def test_speaker_target_heatmap(scores):
    two = pd.concat([scores, scores.assign(target="USA", tone=-scores["tone"])], ignore_index=True)
    two = two[~((two.speaker == "F") & (two.target == "USA"))]
    fig, ax = plt.subplots()
    assert speaker_target_heatmap(two, ax=ax) is ax
    images = [a for a in ax.get_children() if isinstance(a, AxesImage)]
    assert len(images) == 1
    assert images[0].get_clim() == (-1.0, 1.0)  # centred at 0
    assert images[0].get_array().shape == (6, 2)
    assert len(fig.axes) == 2  # the colour bar
    texts = _texts(ax)
    assert "+0.50\nn=2" in texts  # A -> Canada: mean(0.6, 0.4), 2 statements
    assert "–" in texts  # F said nothing about USA
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Canada", "USA"]


def test_speaker_target_heatmap_wide_table_no_colorbar():
    table = pd.DataFrame({"x": [0.2, -0.4], "y": [np.nan, 0.9]}, index=["A", "B"])
    fig, ax = plt.subplots()
    speaker_target_heatmap(table, ax=ax, colorbar=False, annot=False)
    assert len(fig.axes) == 1 and not ax.texts


# --- statement_strip ---------------------------------------------------------------


def test_statement_strip_one_dot_per_statement_labelled(scores):
    fig, ax = plt.subplots()
    assert statement_strip(scores, ax=ax) is ax
    (dots,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    offsets = dots.get_offsets()
    assert len(offsets) == len(scores)
    np.testing.assert_allclose(offsets[:, 0], scores["tone"])
    rows = {"gov": 0, "opp": 1, "unregistered": 2}
    expected = scores["group"].map(rows).to_numpy()
    assert np.all(np.abs(offsets[:, 1] - expected) <= 0.25)
    assert sorted(_texts(ax)) == sorted(scores["speaker"])


def test_statement_strip_jitter_is_deterministic_and_order_free(scores):
    ax1 = statement_strip(scores, ax=plt.figure().gca())
    ax2 = statement_strip(scores.iloc[::-1], ax=plt.figure().gca())
    a = ax1.collections[0].get_offsets()
    b = ax2.collections[0].get_offsets()[::-1]
    np.testing.assert_allclose(a, b)
    assert len(np.unique(np.round(a[:, 1], 6))) > 3  # actually jittered


def test_statement_strip_drops_labels_when_crowded(scores):
    ax = statement_strip(scores, max_labels=5)
    assert not ax.texts


# --- figure and export ------------------------------------------------------------


def test_overview_figure(summary, scores):
    fig = overview_figure(summary, scores)
    assert len(fig.axes) == 3


def test_save_figure_writes_png_and_svg(tmp_path, summary):
    fig, ax = plt.subplots()
    tone_by_group(summary, ax=ax)
    paths = save_figure(fig, tmp_path / "out" / "tone.png")
    assert paths == [tmp_path / "out" / "tone.png", tmp_path / "out" / "tone.svg"]
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in paths[1].read_bytes()[:500]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["tone.png", "tone.svg"]  # no temp files left
