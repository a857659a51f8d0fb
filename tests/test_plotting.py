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
    GROUP_COLORS,
    OKABE_ITO,
    STANCE_COLORS,
    group_palette,
    heatmap_figure,
    mention_note,
    overview_figure,
    save_figure,
    speaker_target_heatmap,
    stance_composition,
    stance_composition_figure,
    statement_counts,
    statement_strip,
    statement_strip_figure,
    tone_by_group,
    tone_by_group_figure,
    tone_by_outlet,
    tone_over_time,
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


def test_group_palette_follows_the_given_order_whatever_the_subset():
    order = ["government", "opposition", "experts", "business"]
    full = group_palette(order, order=order)
    assert list(full.values())[:4] == GROUP_COLORS[:4]
    # a chart of a subset gives each group the colour it has in the full chart
    sub = group_palette(["experts", "government"], order=order)
    assert sub["experts"] == full["experts"] and sub["government"] == full["government"]
    # without an order: sorted names, so the row order of the data does not matter
    assert group_palette(order) == group_palette(list(reversed(order))) == group_palette(order + order)


def test_group_palette_special_groups_and_extra_groups():
    pal = group_palette(["government", "unregistered", "media", "inferred one"], order=["government"])
    assert pal["unregistered"] == "#999999" and pal["media"] == "#555555"
    assert pal["government"] == GROUP_COLORS[0] and pal["inferred one"] == GROUP_COLORS[1]


def test_group_palette_gives_17_distinct_colours_then_repeats():
    pal = group_palette([f"g{i:02d}" for i in range(17)])
    assert len(set(pal.values())) == 17
    bigger = group_palette([f"g{i:02d}" for i in range(20)])
    assert len(bigger) == 20 and len(set(bigger.values())) == 17
    assert set(OKABE_ITO[:6]) <= set(GROUP_COLORS[:6])  # the colour-blind-safe colours come first


def test_fourteen_speakers_of_the_seed_get_fourteen_colours():
    speakers = ["CNN", "Danielle Smith", "David Eby", "Donald Trump", "Doug Ford", "Financial Times", "Gao Lingyun",
                "Global Times", "John Gradek", "Li Haidong", "Mark Carney", "Scott Bessent",
                "Separatist Albertans", "White House official"]
    pal = group_palette(speakers)
    assert len(set(pal.values())) == 14
    assert pal["Donald Trump"] != pal["Scott Bessent"]


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


def test_groups_with_few_speakers_are_hollow_without_interval(scores):
    many = pd.concat([scores, scores.assign(speaker=scores["speaker"] + "2"),
                      scores.assign(speaker=scores["speaker"] + "3")], ignore_index=True)
    summary = summarize(many, n_boot=100)  # gov and opp: 6 speakers; unregistered: 6
    summary.loc[summary["group"] == "opp", "n_speakers"] = 2  # pretend opp rests on 2 speakers
    ax = tone_by_group(summary, ax=plt.figure().gca())
    by_group = dict(zip(summary["group"], ax.containers))
    gov, opp = by_group["gov"], by_group["opp"]
    assert gov.has_xerr and not opp.has_xerr  # no whiskers for too few speakers
    assert opp.lines[0].get_markerfacecolor() == "white"  # hollow
    assert gov.lines[0].get_markerfacecolor() != "white"
    assert _texts(ax).count("too few speakers") == 1
    # min_speakers moves the threshold
    ax = tone_by_group(summary, min_speakers=1, ax=plt.figure().gca())
    assert "too few speakers" not in _texts(ax)


def test_tone_by_group_uses_current_axes_order_and_kwargs(summary):
    fig, (ax1, ax2) = plt.subplots(1, 2)
    plt.sca(ax2)
    out = tone_by_group(summary, order=["opp", "gov", "unregistered"], markersize=11)
    assert out is ax2 and not ax1.containers
    assert _yticklabels(ax2) == ["opp", "gov", "unregistered"]
    assert ax2.containers[0].lines[0].get_markersize() == 11


def test_tone_by_group_several_targets_share_a_row(scores):
    two = pd.concat([scores, scores.assign(target="USA")], ignore_index=True)
    summary = summarize(two, n_boot=100)
    ax = tone_by_group(summary)
    assert _yticklabels(ax) == ["gov", "opp", "unregistered"]  # not interleaved "gov · Canada" rows
    assert len(ax.containers) == 6
    assert [t.get_text() for t in ax.get_legend().get_texts()][:2] == ["Canada", "USA"]
    markers = {c.lines[0].get_marker() for c in ax.containers}
    assert len(markers) == 2  # one marker shape per target
    single = summarize(scores[scores.speaker == "E"], n_boot=100)  # 1 statement: NaN bounds
    ax = tone_by_group(single, ax=plt.figure().gca())
    assert len(ax.containers) == 1


def test_tone_by_group_figure_one_panel_per_target_with_mention_counts(scores):
    two = pd.concat([scores.assign(target_mentioned=[True] * 3 + [False] * 6),
                     scores.assign(target="USA", target_mentioned=False)], ignore_index=True)
    summary = summarize(two, n_boot=100)
    fig = tone_by_group_figure(summary, col_order=["USA", "Canada"])
    assert len(fig.axes) == 2
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[0].startswith("USA") and "0 of 9 statements mention it" in titles[0]
    assert "3 of 9 statements mention it" in titles[1]
    assert _yticklabels(fig.axes[0]) == ["gov", "opp", "unregistered"]
    for ax in fig.axes:  # same rows in every panel (y shared)
        assert list(ax.get_yticks()) == [0, 1, 2] and ax.get_ylim() == fig.axes[0].get_ylim()
    only = summarize(two, n_boot=100, mentioned_only=True)
    fig = tone_by_group_figure(only)
    assert "only the 3 of 9 statements that mention it" in fig.axes[0].get_title()
    assert "Hollow" in fig.get_supxlabel()


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


def _labels(ax) -> list[str]:
    return [t for t in _texts(ax) if not t.startswith("n=")]


def test_statement_strip_one_dot_per_statement_one_label_per_speaker(scores):
    fig, ax = plt.subplots()
    assert statement_strip(scores, ax=ax) is ax
    (dots,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    offsets = dots.get_offsets()
    assert len(offsets) == len(scores)
    np.testing.assert_allclose(offsets[:, 0], scores["tone"])
    # rows top to bottom, each speaker in a lane of its own row, labelled once
    assert _yticklabels(ax) == ["gov", "opp", "unregistered"]
    assert sorted(_labels(ax)) == sorted(scores["speaker"].unique())
    lanes = pd.DataFrame({"speaker": scores["speaker"], "group": scores["group"], "y": offsets[:, 1]})
    lane_of = lanes.groupby("speaker")["y"].agg(lambda v: round(float(np.mean(v))))
    assert lane_of.nunique() == scores["speaker"].nunique()  # one lane per speaker
    ticks = dict(zip(_yticklabels(ax), ax.get_yticks()))
    for group, sub in lanes.groupby("group"):  # a speaker's lane lies inside its group's row
        assert (sub["y"] - ticks[group]).abs().max() <= 1.0
    assert "n=4 (2 spk)" in _texts(ax)  # gov: 4 statements by A and B


def test_statement_strip_labels_do_not_overlap():
    rng = np.random.default_rng(1)
    speakers = [f"Speaker number {i}" for i in range(12)]
    data = pd.DataFrame({"group": ["g"] * 60, "speaker": [speakers[i % 12] for i in range(60)],
                         "tone": rng.uniform(-0.4, 0.4, 60)})
    fig, ax = plt.subplots(figsize=(7, 4.5), layout="constrained")
    statement_strip(data, ax=ax)
    fig.canvas.draw()
    boxes = [t.get_window_extent() for t in ax.texts if not t.get_text().startswith("n=")]
    assert len(boxes) == 12
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b)


def test_statement_strip_jitter_is_deterministic_and_order_free(scores):
    ax1 = statement_strip(scores, ax=plt.figure().gca())
    ax2 = statement_strip(scores.iloc[::-1], ax=plt.figure().gca())
    a = ax1.collections[0].get_offsets()
    b = ax2.collections[0].get_offsets()[::-1]
    np.testing.assert_allclose(a, b)
    ax3 = statement_strip(scores, label=None, ax=plt.figure().gca())
    c = ax3.collections[0].get_offsets()
    assert len(np.unique(np.round(c[:, 1], 6))) > 3  # actually jittered


def test_statement_strip_drops_lanes_and_labels_when_crowded(scores):
    ax = statement_strip(scores, max_labels=5)
    assert _labels(ax) == []
    assert len([t for t in _texts(ax) if t.startswith("n=")]) == 3


def test_statement_strip_figure_shares_lanes_across_targets(scores):
    two = pd.concat([scores, scores.assign(target="USA")[scores["speaker"] != "A"]], ignore_index=True)
    fig = statement_strip_figure(two)
    assert len(fig.axes) == 2
    left, right = fig.axes
    assert left.get_ylim() == right.get_ylim()
    assert "A" in _labels(left) and "A" not in _labels(right)  # A said nothing scored toward USA
    assert "n=2 (1 spk)" in _texts(right)  # gov toward USA: B's two statements


# --- stance composition, heatmap and counts, n on every chart -----------------------


def test_stance_composition_writes_n(summary):
    ax = stance_composition(summary, ax=plt.figure().gca())
    assert "n=4 (2 spk)" in _texts(ax)
    fig = stance_composition_figure(summary)
    assert len(fig.axes) == 1 and fig.legends


def test_heatmap_labels_fit_the_cells(scores):
    many = pd.concat([scores.assign(speaker=f"S{i}", tone=scores["tone"] / (i + 1)) for i in range(30)],
                     ignore_index=True)
    fig, ax = plt.subplots(figsize=(5, 3))  # 30 rows in 3 inches: no room for "value\nn=" labels
    speaker_target_heatmap(many, ax=ax)
    texts = _texts(ax)
    assert not any("\n" in t for t in texts)
    sizes = {t.get_fontsize() for t in ax.texts}
    assert not texts or max(sizes) * 1.25 <= 3 * 72 / 30 * 0.8 + 1e-9
    fig = heatmap_figure(many)  # sized by its rows: two-line labels fit
    heat_ax = fig.axes[0]
    assert any("\nn=" in t for t in _texts(heat_ax))
    assert fig.get_size_inches()[1] >= 0.42 * 30
    assert "30 speakers" in heat_ax.get_title()


def test_statement_counts_per_speaker_and_kind():
    st = pd.DataFrame({"statement_id": ["s1", "s1", "s2", "s3", "s4"], "speaker": ["A", "A", "A", "B", pd.NA],
                       "kind": ["direct", "direct", "indirect", "direct", "mixed"]})
    ax = statement_counts(st, ax=plt.figure().gca())
    assert _yticklabels(ax) == ["A", "(unknown)", "B"] or _yticklabels(ax) == ["A", "B", "(unknown)"]
    assert "n=2" in _texts(ax) and _texts(ax).count("n=1") == 2  # s1's two spans count once
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["direct", "mixed", "indirect"]


def test_mention_note_wording():
    s = summarize(pd.DataFrame({"group": ["g"] * 3, "speaker": ["A", "B", "C"], "tone": [0.1, 0.2, 0.3],
                                "target": "US", "target_mentioned": [True, False, True]}), n_boot=50)
    assert mention_note(s) == "2 of 3 statements mention it"
    s = summarize(s.attrs and pd.DataFrame({"group": ["g"] * 3, "speaker": ["A", "B", "C"], "tone": [0.1, 0.2, 0.3],
                                            "target": "US", "target_mentioned": [True, False, True]}),
                  n_boot=50, mentioned_only=True)
    assert mention_note(s) == "only the 2 of 3 statements that mention it"
    assert mention_note(pd.DataFrame({"group": ["g"]})) == ""


# --- corpus views -----------------------------------------------------------------


@pytest.fixture
def dated() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    rows = []
    for month, shift in (("2026-01", -0.4), ("2026-02", 0.0), ("2026-04", 0.4)):
        for g, n_spk in (("gov", 4), ("opp", 2)):
            for k in range(n_spk):
                for day in (3, 17):
                    rows.append({"date": f"{month}-{day:02d}", "group": g, "speaker": f"{g}{k}",
                                 "outlet": "Daily" if k % 2 else "Weekly", "target": "US",
                                 "tone": float(np.clip(shift + rng.normal(0, 0.2), -1, 1))})
    return pd.DataFrame(rows)


def test_tone_over_time_line_and_band_per_group(dated):
    fig, ax = plt.subplots()
    assert tone_over_time(dated, freq="month", ax=ax) is ax
    lines = [l for l in ax.lines if l.get_label().startswith(("gov", "opp"))]
    assert [l.get_label() for l in lines] == ["gov (n=24, 4 spk)", "opp (n=12, 2 spk)"]
    gov = lines[0]
    ys = np.asarray(gov.get_ydata(), dtype=float)
    assert len(ys) == 4 and np.isnan(ys[2])  # Jan, Feb, (no March), Apr: the line breaks
    assert ys[0] < ys[1] < ys[3]
    bands = [c for c in ax.collections if c.__class__.__name__ in ("PolyCollection", "FillBetweenPolyCollection")]
    assert len(bands) == 2
    # opp has 2 speakers per month: hollow points, no band drawn
    hollow = [c for c in ax.collections if isinstance(c, PathCollection) and len(c.get_offsets())
              and np.allclose(c.get_facecolors()[0][:3], 1.0)]
    assert len(hollow) == 1 and len(hollow[0].get_offsets()) == 3
    assert ax.get_ylim() == pytest.approx((-1.05, 1.05))


def test_tone_over_time_needs_a_target_and_a_date(dated):
    two = pd.concat([dated, dated.assign(target="China")], ignore_index=True)
    with pytest.raises(ValueError, match="target"):
        tone_over_time(two)
    ax = tone_over_time(two, target="China", freq="quarter", ax=plt.figure().gca())
    assert ax.lines
    with pytest.raises(KeyError, match="date"):
        tone_over_time(dated.drop(columns="date"))
    with pytest.raises(ValueError, match="freq"):
        tone_over_time(dated, freq="fortnight")


def test_tone_by_outlet_rows_and_hue(dated):
    ax = tone_by_outlet(dated, ax=plt.figure().gca())
    assert sorted(_yticklabels(ax)) == ["Daily", "Weekly"]
    assert any(t.startswith("n=") for t in _texts(ax))
    ax = tone_by_outlet(dated, hue="group", ax=plt.figure().gca())
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["gov", "opp", "hollow: < 3 speakers, no interval"]
    assert len(ax.containers) == 4  # 2 outlets x 2 groups
    assert "too few speakers" not in _texts(ax)  # said once in the legend, not beside every point


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
