"""The reporting frame: who said a statement, and how it was reported, as model input.

Models trained with frames (config ``"frame": true``; stance model 2.0) read
``"SPEAKER CUE: statement"``, so that "Clinton accused: ..." and "Trump said:
we will win" carry who speaks and how. :func:`prepare_pair` builds the model
input for one (statement, target) pair in the engine and in training alike,
so both see the same text and the same marked mention. No torch here.
"""
from __future__ import annotations

from .mentions import resolve_mention
from .targets import Target

#: Longest speaker and cue kept in the reporting frame (characters); longer ones are descriptions, cut at a word.
FRAME_MAX_SPEAKER = 60
FRAME_MAX_CUE = 40


def _short(value: str | None, limit: int) -> str:
    if not value:
        return ""
    v = " ".join(str(value).split())
    if len(v) > limit:
        v = v[:limit].rsplit(" ", 1)[0]
    return v


def frame_text(text: str, speaker: str | None, cue: str | None) -> tuple[str, int, tuple[int, int] | None]:
    """Put the reporting frame before a statement: ``"SPEAKER CUE: statement"``.

    Models trained with frames (config ``"frame": true``) read who speaks and
    how the statement was reported ("accused", "praised", "said"). Returns
    ``(framed, shift, speaker_span)``: the framed text, the offset of the
    statement in it, and the speaker's span in it (None without a speaker).
    Without speaker and cue the text is returned unchanged.

    Examples
    --------
    >>> frame_text("he is unfit", "Hillary Clinton", "said")
    ('Hillary Clinton said: he is unfit', 22, (0, 15))
    """
    spk, cue = _short(speaker, FRAME_MAX_SPEAKER), _short(cue, FRAME_MAX_CUE)
    if not spk and not cue:
        return text, 0, None
    prefix = f"{spk} {cue}: " if spk and cue else f"{spk or cue}: "
    return prefix + text, len(prefix), ((0, len(spk)) if spk else None)


def prepare_pair(text: str, target: Target, *, speaker: str | None = None, cue: str | None = None,
                 article: str | None = None, start: int | None = None, frame: bool = False
                 ) -> tuple[str, tuple[int, int] | None, tuple[int, int] | None, str]:
    """Model text, mention span in it, mention span in ``text``, and how the mention was found.

    Without ``frame`` the model text is ``text``. With it, the speaker and cue
    go in front; a statement with no reference to the target whose cue names
    it ("accused Trump") gets the cue's mention marked (how = "cue");
    a statement by the target itself gets the speaker marked (how = "speaker").
    """
    span, how = resolve_mention(text, target, article=article, start=start, speaker=speaker if frame else None)
    if not frame:
        return text, span, span, how
    framed, shift, spk_span = frame_text(text, speaker, cue)
    if how == "none" and cue and shift:
        cue_at = framed.find(" ".join(str(cue).split())[:FRAME_MAX_CUE], spk_span[1] if spk_span else 0)
        if cue_at >= 0:
            found = target.find_mention_spans(framed[cue_at:shift])
            if found:
                s, e, _ = found[0]
                return framed, (cue_at + s, cue_at + e), None, "cue"
    if how == "speaker":
        return framed, spk_span, None, how
    return framed, (None if span is None else (span[0] + shift, span[1] + shift)), span, how
