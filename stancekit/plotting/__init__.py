"""Charts of tone and stance across groups, speakers, outlets and time (matplotlib only).

Axes-level charts follow seaborn's shape::

    ax = tone_by_group(summary, ax=None, **kwargs)

They draw on ``ax`` (``plt.gca()`` when None), never create a figure when
``ax`` is given, never call ``plt.show()`` and return the Axes; extra
keyword arguments go to the main matplotlib call. Charts with one panel per
target are figure-level and named ``*_figure`` (they return a new Figure).

Every chart shows how many statements stand behind it (``n``), and rows
resting on fewer than ``min_speakers`` speakers are drawn hollow, without an
interval, and marked "too few speakers": an interval from one or two
speakers says nothing about the group.

Colours: :func:`group_palette` is the one source of group (and speaker)
colours for every chart, the CLI's report and the notebooks
(:mod:`stancekit.display` uses it too). Given the registry's group order it
gives each group the same colour whatever subset a chart shows. The first
colours are Okabe & Ito's (2008) colour-blind-safe palette, continued with
Tol's (2021) muted scheme for larger sets. Save with :func:`save_figure`
(PNG and SVG, written atomically).

References
----------
Okabe, M. & Ito, K. (2008). Color Universal Design (CUD): how to make
    figures and presentations that are friendly to colorblind people.
    https://jfly.uni-koeln.de/color/
Tol, P. (2021). Colour schemes. SRON technical note SRON/EPS/TN/09-002,
    issue 3.2. https://personal.sron.nl/~pault/
"""
from __future__ import annotations

from ._common import (
    GROUP_COLORS,
    KIND_COLORS,
    MIN_SPEAKERS,
    OKABE_ITO,
    SPECIAL_GROUPS,
    STANCE_COLORS,
    TONE_CMAP,
    group_palette,
    mention_note,
    save_figure,
)
from ._corpus import tone_by_outlet, tone_over_time
from ._groups import (
    overview_figure,
    stance_composition,
    stance_composition_figure,
    tone_by_group,
    tone_by_group_figure,
)
from ._statements import (
    heatmap_figure,
    speaker_target_heatmap,
    statement_counts,
    statement_strip,
    statement_strip_figure,
)

__all__ = [
    "OKABE_ITO",
    "GROUP_COLORS",
    "SPECIAL_GROUPS",
    "TONE_CMAP",
    "MIN_SPEAKERS",
    "STANCE_COLORS",
    "KIND_COLORS",
    "group_palette",
    "mention_note",
    "tone_by_group",
    "tone_by_group_figure",
    "stance_composition",
    "stance_composition_figure",
    "speaker_target_heatmap",
    "heatmap_figure",
    "statement_strip",
    "statement_strip_figure",
    "statement_counts",
    "tone_over_time",
    "tone_by_outlet",
    "overview_figure",
    "save_figure",
]
