"""Build the hand-annotated gold statement files (``tests/data/gold/<stem>.jsonl``).

Annotations follow the statement guidelines of stancekit issue 2: ``text`` is the
content only (no cue, no "that", no "according to X" tail, no final period),
``article[start:end] == text`` on every line.  Each annotation below is written
by hand as a text snippet plus speaker, kind, cue and outlet; this script only
finds the snippet in the article (it must be unique, or be located with
``after=``, a string that occurs once before it), computes the offsets, derives
the group from ``tests/data/registry_test.yaml`` and writes the JSONL files
deterministically.  Run from anywhere::

    python tests/data/gold/make_gold.py          # rewrite all gold files
    python tests/data/gold/make_gold.py --check  # fail if a file would change
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
DATA = HERE.parent
REPO = DATA.parent.parent
REGISTRY = DATA / "registry_test.yaml"

#: Where each annotated article lives; every other stem is in tests/data/articles/.
ARTICLE_PATHS = {
    "global-times-2026-01-30-us-canada-sovereignty": REPO / "seeds" / "global-times-2026-01-30-us-canada-sovereignty.txt",
}


def S(text, speaker, kind, cue, via=None, *, after=None, join=False, group=None):
    """One annotation.

    ``speaker`` is a canonical name or a list of names (a group reference: one row
    per member, ids suffixed with the member).  ``join=True`` marks the second
    part of a quote split by its attribution: it shares the previous entry's
    statement_id.  ``group`` overrides the registry group (for unregistered
    collective speakers).
    """
    return dict(text=text, speaker=speaker, kind=kind, cue=cue, via=via, after=after, join=join, group=group)


GOLD: dict[str, list[dict]] = {}

# --------------------------------------------------------------------------
# Seed: Global Times, 30 January 2026
# --------------------------------------------------------------------------
GOLD["global-times-2026-01-30-us-canada-sovereignty"] = [
    S('he expects the US to "respect Canadian sovereignty" after media reported that US officials had met with a group advocating the separation of the province of Alberta from Canada several times',
      "Mark Carney", "mixed", "said"),
    # "US president" without a name, resolved to Trump; a threat is a speech act.
    S('to turn Canada into its "51st state,"', "Donald Trump", "mixed", "threatened"),
    S("I expect the US administration to respect Canadian sovereignty,", "Mark Carney", "direct", "said"),
    S("I'm always clear in my conversations with President Trump to that effect, and then move on to what we can do together,",
      "Mark Carney", "direct", "reported", "CNN"),
    S("Compared to Prime Minister Carney's restrained and concise diplomatic language, some provincial leaders in Canada expressed their outrage far more bluntly and directly",
      "Global Times", "indirect", "noticed"),
    S("the US should stay out of Alberta and Canadian politics", "Danielle Smith", "indirect", "told", "CBC"),
    S("she would ask her government's delegate in Washington to raise her concerns with the Trump administration",
      "Danielle Smith", "indirect", "saying", "CBC"),
    S("To go to a foreign country and to ask for assistance in breaking up Canada, there's an old-fashioned word for that, and that word is treason,",
      "David Eby", "direct", "told"),
    S('Eby\'s voice "wavered with emotion" as he expressed his anger with the separatists who went to Washington',
      "CNN", "mixed", "added"),
    S('the meetings between the separatist group and US officials were "unacceptable" and "unethical,"',
      "Doug Ford", "mixed", "told", "Toronto Today"),
    S("leaders of APP had met with US State Department officials in Washington three times since April last year",
      "Financial Times", "indirect", "said"),
    S('the APP as "a group of far-right separatists who want the western province to become independent."',
      "Financial Times", "mixed", "described"),
    S("Such referendum is yet to be called", "Financial Times", "indirect", "according to"),
    S('US government officials met with "a number of civil society groups,"', "White House official", "mixed", "told", "CNN"),
    S('"no support or commitments were conveyed."', "White House official", "mixed", "told", "CNN"),
    S('US Treasury Secretary Scott Bessent "caused a flurry of excitement" among Alberta separatists last week when he described the province — the single biggest source of foreign oil in the American market — as "a natural partner for the US."',
      "Financial Times", "mixed", "reported"),
    # Bessent's own words, nested in the FT's report.
    S('the province — the single biggest source of foreign oil in the American market — as "a natural partner for the US."',
      "Scott Bessent", "mixed", "described", "Financial Times"),
    S('Albertans as "very independent people"', "Scott Bessent", "mixed", "described", "Financial Times"),
    S("the US diplomatic meddling in Canada's domestic separatist issues has far exceeded the boundaries of normal state-to-state interaction",
      "Li Haidong", "indirect", "told", "Global Times"),
    S("It starkly reveals America's habitual disregard for other nations' sovereignty and territorial integrity, its contempt for international law, and its signature pattern of hegemonic bullying",
      "Li Haidong", "continuation", None),
    S('From Venezuela to Greenland and now Canada, the US is likely reviving a territorial expansion agenda aimed at turning the Western Hemisphere into "America\'s Americas,"',
      "Li Haidong", "mixed", "said"),
    S("Alberta has oil sands that account for about 84 percent of Canada's total crude oil production", "CNN", "indirect", "mentioned"),
    S("And politically, it is considered the bastion of conservatism in Canada", "CNN", "continuation", None),
    S("the federal government's efforts to stop climate change are holding back Alberta's oil industry, and their conservative values are drowned out by the more liberal and populous eastern provinces",
      "Separatist Albertans", "indirect", "argue", "CNN", group="unregistered", after="The CNN mentioned"),
    S("the federal government's efforts to stop climate change are holding back Alberta's oil industry, and their conservative values are drowned out by the more liberal and populous eastern provinces",
      "Separatist Albertans", "indirect", "argue", "CNN", group="unregistered", after="According to the CNN"),
    S("The return of Trump, a pro-oil conservative, to the White House has buoyed the secession movement and, for some, reshaped its end goal,",
      "CNN", "direct", "said"),
    # "according to the expert" covers both sentences of this paragraph ("likewise").
    S("At present, the paramount external threat to Canada's territorial integrity originates from the US",
      "Li Haidong", "indirect", "according to"),
    S("The most binding external limitation on its economic growth likewise stems from the US", "Li Haidong", "indirect", "according to"),
    S("The downward spiral is likely to persist… US-Canada ties are unlikely to return to what they once were,", "Li Haidong", "direct", "said"),
    S("Canada with a 50 percent tariff on any aircraft sold in the US", "Donald Trump", "indirect", "threatened", "Associated Press"),
    S("the US would decertify all Canadian aircraft, including planes from its largest aircraft manufacturer, Bombardier, in retaliation for Canada's refusal to certify jets from Savannah, Georgia-based Gulfstream Aerospace",
      "Donald Trump", "indirect", "claimed"),
    S("certification is about safety and it would be unprecedented to decertify for trade reasons", "John Gradek", "indirect", "said"),
    S("This is really a smokescreen that's basically throwing up another red flag in the face of Mr. Carney,", "John Gradek", "direct", "said"),
    S("This is taking it to the extreme. This is a new salvo in the trade war.", "John Gradek", "direct", "said"),
    S("The current scale of Canada's aircraft manufacturing industry is relatively limited, which means the US tariff threats against Canadian aircraft are not genuinely aimed at addressing trade fairness issues: they are primarily a form of political pressure designed to deter Canada from deepening economic and trade cooperation with China",
      "Gao Lingyun", "indirect", "said"),
    S("the China-Canada cooperation framework contains no exclusive clauses that restrict US participation, and expanded cooperation between Canada and China helps enlarge the overall market size, which means American companies could also benefit indirectly through global supply chain linkages and market spillover effects",
      "Gao Lingyun", "indirect", "noted"),
    S("This zero-sum mindset, attempting to reshape trade relations by forcing allies to take sides, reflects the deep anxiety and unease in the US over its allies' pursuit of diversified trade partnerships",
      "Gao Lingyun", "indirect", "said"),
    S('the Canada-China relationship is "at its best" and "has created massive opportunities for both our peoples."',
      "Mark Carney", "mixed", "said"),
    S("US Treasury Secretary Scott Bessent's claim that he had walked back the comments he made in Davos at the World Economic Forum",
      "Mark Carney", "indirect", "denied"),
    # Bessent's claim, reported inside Carney's denial.
    S("he had walked back the comments he made in Davos at the World Economic Forum", "Scott Bessent", "indirect", "claim"),
    S("The world has changed, Washington has changed. There is almost nothing normal now in the US,", "Mark Carney", "direct", "told", "BBC"),
    S("US actions are steadily eroding the foundation of trust between the US and its allies, forcing countries to reassess their strategic autonomy and external economic and trade options",
      ["Li Haidong", "Gao Lingyun"], "indirect", "believed"),
    S('Given Canada\'s unique position as both a geographic neighbor and a historic "special relationship" ally of the US, Ottawa\'s response to Washington will serve as a highly influential model for how countries around the world approach and adjust their dealings with the US',
      "Li Haidong", "mixed", "said"),
]


# ==========================================================================
# Machinery
# ==========================================================================
def load_groups(path: Path = REGISTRY) -> dict[str, str]:
    """Canonical speaker name -> registry group."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {sp["name"]: sp.get("group", "unregistered") for sp in data.get("speakers", [])}


def article_path(stem: str) -> Path:
    return ARTICLE_PATHS.get(stem, DATA / "articles" / f"{stem}.txt")


def read_article(stem: str) -> str:
    # newline="" keeps the file's characters exactly, so offsets are into the raw text.
    with open(article_path(stem), encoding="utf-8", newline="") as fh:
        return fh.read()


def locate(article: str, text: str, after: str | None, stem: str) -> int:
    lo = 0
    if after is not None:
        if article.count(after) != 1:
            raise ValueError(f"{stem}: anchor {after!r} occurs {article.count(after)} times")
        lo = article.index(after)
    first = article.find(text, lo)
    if first < 0:
        raise ValueError(f"{stem}: text not found: {text!r}")
    if after is None and article.find(text, first + 1) >= 0:
        raise ValueError(f"{stem}: text occurs more than once, give after=: {text!r}")
    return first


def build_rows(stem: str, entries: list[dict], groups: dict[str, str]) -> list[dict]:
    article = read_article(stem)
    rows = []
    prev_ids: dict[str, str] | None = None
    for e in entries:
        start = locate(article, e["text"], e["after"], stem)
        end = start + len(e["text"])
        speakers = e["speaker"] if isinstance(e["speaker"], list) else [e["speaker"]]
        ids = {}
        for sp in speakers:
            if e["join"]:
                if prev_ids is None or sp not in prev_ids:
                    raise ValueError(f"{stem}: join=True without a matching previous entry: {e['text']!r}")
                sid = prev_ids[sp]
            else:
                sid = f"{stem}:{start}-{end}"
                if len(speakers) > 1:
                    sid = f"{sid}:{sp}"
            ids[sp] = sid
            if e["group"] is not None:
                group = e["group"]
            else:
                group = groups.get(sp, "unregistered")
            row = {
                "article": stem,
                "statement_id": sid,
                "speaker": sp,
                "group": group,
                "kind": e["kind"],
                "cue": e["cue"],
                "via": e["via"],
                "text": e["text"],
                "start": start,
                "end": end,
            }
            if article[start:end] != row["text"]:  # pragma: no cover - locate() guarantees it
                raise ValueError(f"{stem}: offset mismatch for {row['text']!r}")
            rows.append(row)
        prev_ids = ids
    rows.sort(key=lambda r: (r["start"], r["end"], r["speaker"]))
    keys = [(r["statement_id"], r["start"], r["end"]) for r in rows]
    if len(set(keys)) != len(keys):
        raise ValueError(f"{stem}: duplicate annotation")
    return rows


def render(rows: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    groups = load_groups()
    stale = []
    for stem, entries in GOLD.items():
        out = HERE / f"{stem}.jsonl"
        text = render(build_rows(stem, entries, groups))
        if check:
            if not out.exists() or out.read_text(encoding="utf-8") != text:
                stale.append(out.name)
        else:
            out.write_text(text, encoding="utf-8")
            print(f"{out.name}: {text.count(chr(10))} statements")
    if stale:
        print("stale gold files: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
