"""Targets: what a stance is toward, and where a text mentions it."""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

#: Built-in aliases added to a :class:`Target` whose name (without a leading
#: "the", case-insensitive) is a key here. Kept short on purpose: news usage
#: for the most common state actors only; pass ``builtin_aliases=False`` to skip.
BUILTIN_ALIASES: dict[str, tuple[str, ...]] = {
    "united states": ("US", "U.S.", "USA", "U.S.A.", "America", "Washington"),
    "united kingdom": ("UK", "U.K.", "Britain", "Great Britain", "London"),
    "european union": ("EU", "E.U.", "Brussels"),
    "china": ("PRC", "Beijing", "People's Republic of China"),
    "russia": ("Russian Federation", "Moscow", "Kremlin"),
    "canada": ("Ottawa",),
}

# --- targets --------------------------------------------------------------------


class Target:
    """A target phrase with optional aliases, and the rule to find it in a text.

    Parameters
    ----------
    name : str
        The target as it is reported (``"the United States"``).
    aliases : iterable of str
        Other ways the text may refer to it (``["US", "America"]``).
    builtin_aliases : bool
        Add :data:`BUILTIN_ALIASES` for a few common state actors.

    Examples
    --------
    >>> t = Target("the United States", aliases=["US"], builtin_aliases=False)
    >>> t.find_mentions("Tariffs by the US. United States officials said")
    [(15, 17), (19, 32)]
    """

    def __init__(self, name: str, aliases: Iterable[str] = (), *, builtin_aliases: bool = True):
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"Invalid value {name!r} for target `name`; give a non-empty string.")
        if isinstance(aliases, str):
            aliases = [aliases]
        self.name = name.strip()
        extra: tuple[str, ...] = ()
        if builtin_aliases:
            extra = BUILTIN_ALIASES.get(_strip_the(self.name).lower(), ())
        seen: dict[str, None] = {}
        for a in [*aliases, *extra]:
            a = str(a).strip()
            if a and a.lower() != self.name.lower():
                seen.setdefault(a, None)
        self.aliases: tuple[str, ...] = tuple(seen)
        self._pattern: re.Pattern | None = None

    def __repr__(self) -> str:
        return f"Target({self.name!r}, aliases={list(self.aliases)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Target) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)

    @property
    def key(self) -> str:
        """Name and sorted aliases: the target's identity in the cache."""
        src = (self.name, self.aliases)
        if getattr(self, "_key_src", None) != src:  # computed once per (name, aliases): hot on cached runs
            self._key = json.dumps([self.name, sorted(self.aliases)], ensure_ascii=False)
            self._key_src = src
        return self._key

    def _phrases(self) -> list[str]:
        phrases = {self.name, _strip_the(self.name), *self.aliases}
        return sorted((p for p in phrases if p), key=lambda p: (-len(p), p))

    def find_mentions(self, text: str) -> list[tuple[int, int]]:
        """Character spans of the target in ``text``, in text order.

        Matching is case-insensitive at word boundaries, longest phrase first
        (so "United States" wins over "States"); the name also matches without
        a leading "the". Short all-caps aliases (acronyms such as "US") match
        case-sensitively, so that "us" the pronoun is not a mention.
        """
        if self._pattern is None:
            parts = []
            for p in self._phrases():
                esc = re.escape(p)
                if len(p) <= 4 and p.isupper():
                    esc = f"(?-i:{esc})"
                parts.append(esc)
            self._pattern = re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)
        return [m.span() for m in self._pattern.finditer(text)]


def _strip_the(name: str) -> str:
    return re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)


def _as_targets(targets: Any) -> list[Target]:
    if isinstance(targets, (str, Target)):
        targets = [targets]
    if isinstance(targets, Mapping):
        out = [t if isinstance(t, Target) else Target(str(t), aliases=a or ()) for t, a in targets.items()]
    else:
        out = []
        for t in targets:
            if isinstance(t, Target):
                out.append(t)
            elif isinstance(t, str):
                out.append(Target(t))
            else:
                raise TypeError(f"`targets` entries must be str or Target, not {type(t).__name__}.")
    if not out:
        raise ValueError("`targets` is empty; give at least one target.")
    return out
