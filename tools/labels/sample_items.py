"""Draw the PolNeAR attributions to be labelled for stance (ids and offsets only, no article text).

Run once, seeded; the item files are committed before any labelling starts:

    python tools/labels/sample_items.py --polnear ../shared/data/polnear

Design (see tests/data/gold/STANCE_GUIDELINES.md, "Political statements"):
- one attribution per article, so that items spread over as many articles and
  publishers as the corpus has (train: 520 of 838 articles; dev: 84 of 84);
- the attribution is drawn uniformly among the article's attributions whose
  content has 3 to 80 words (shorter contents are pronouns like "it"; longer
  ones are whole paragraphs), from the first annotator's file;
- no filtering by target: pairs where a target is absent occur at their
  natural rate, since every item is labelled toward every target;
- dev items are the test split (never used for training or model selection);
- 40 items (20 train, 20 dev) are labelled a second time, independently, for
  Cohen's kappa.

Round 2 (``--round 2``, drawn after round 1 was labelled, before any model was
trained or evaluated on the labels): round 1 left the favor/against classes
thin (about one item in four carries any stance), so it adds, with the same
rules, one item from each train article round 1 did not draw (318), one more
item from every train article (838), and two more items from every dev article
(168, the test split), each distinct from the items already drawn. Batches:
``train_09`` onwards and ``test_03`` onwards; round 1's files are unchanged.
"""
from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from stancekit import polnear

HERE = Path(__file__).resolve().parent


def eligible(df):
    n = df["content"].str.split().str.len()
    return df[(n >= 3) & (n <= 80)]


def _item(split, art, r) -> dict:
    return {
        "item_id": f"{split}:{art}:{r.attribution_id}",
        "split": split,
        "article": art,
        "annotator": r.annotator,
        "attribution_id": r.attribution_id,
        "content_spans": [list(s) for s in r.content_spans],
        "source_spans": [list(s) for s in r.source_spans],
        "cue_spans": [list(s) for s in r.cue_spans],
        "start": int(r.start),
        "end": int(r.end),
    }


def draw(split: str, n_articles: int | None, seed: int, root) -> list[dict]:
    attr = eligible(polnear.read_attributions(split, path=root))
    rng = random.Random(seed)
    arts = sorted(attr["article"].unique())
    if n_articles is not None and n_articles < len(arts):
        arts = sorted(rng.sample(arts, n_articles))
    items = []
    for art in arts:
        rows = attr[attr["article"] == art]
        r = rows.iloc[rng.randrange(len(rows))]
        items.append(_item(split, art, r))
    return items


def draw_more(split: str, per_article: int, taken: set[str], seed: int, root, *, fill: bool = False) -> list[dict]:
    """``per_article`` more items from every article, none already in ``taken``.

    With ``fill``, an article with no item in ``taken`` gets one extra item first.
    """
    attr = eligible(polnear.read_attributions(split, path=root))
    rng = random.Random(seed)
    items = []
    for art in sorted(attr["article"].unique()):
        rows = attr[attr["article"] == art]
        ids = [f"{split}:{art}:{e}" for e in rows.attribution_id]
        had = any(i in taken for i in ids)
        free = [k for k, i in enumerate(ids) if i not in taken]
        want = per_article + (1 if fill and not had else 0)
        for k in sorted(rng.sample(free, min(want, len(free)))):
            items.append(_item(split, art, rows.iloc[k]))
    return items


def round2(args) -> None:
    out = HERE / "items"
    taken = set()
    for f in sorted(out.glob("*.jsonl")):
        taken |= {json.loads(x)["item_id"] for x in open(f, encoding="utf-8")}
    train = draw_more("train", 1, taken, args.seed + 10, args.polnear, fill=True)
    dev = draw_more("dev", 2, taken, args.seed + 11, args.polnear)
    rng = random.Random(args.seed + 12)
    rng.shuffle(train)
    rng.shuffle(dev)
    batches = {}
    first = 1 + max(int(f.stem.split("_")[1]) for f in out.glob("train_*.jsonl"))
    for i in range(0, len(train), args.batch_size):
        batches[f"train_{first + i // args.batch_size:02d}"] = train[i:i + args.batch_size]
    first = 1 + max(int(f.stem.split("_")[1]) for f in out.glob("test_*.jsonl"))
    for i in range(0, len(dev), 42):
        batches[f"test_{first + i // 42:02d}"] = dev[i:i + 42]
    for name, items in batches.items():
        if (out / f"{name}.jsonl").exists():
            raise SystemExit(f"{name} exists; round 2 was drawn already")
    for name, items in batches.items():
        with open(out / f"{name}.jsonl", "w", encoding="utf-8") as fh:
            for it in items:
                fh.write(json.dumps(it) + "\n")
        print(name, len(items))


def _undrawn_train(args, prefix: str, name: str):
    """(items folder, PolNeAR train attributions of 3-80 words not drawn in any earlier round), sorted;
    stops if the batches ``<prefix>_*`` exist already."""
    out = HERE / "items"
    taken = set()
    for f in sorted(out.glob("*.jsonl")):
        taken |= {json.loads(x)["item_id"] for x in open(f, encoding="utf-8")}
    if any(out.glob(f"{prefix}_*.jsonl")):
        raise SystemExit(f"{name} was drawn already")
    attr = eligible(polnear.read_attributions("train", path=args.polnear))
    attr = attr.assign(item_id="train:" + attr["article"] + ":" + attr["attribution_id"])
    return out, attr[~attr["item_id"].isin(taken)].sort_values(["article", "attribution_id"])


#: Round 3: the country targets and the words that make a content mention one (case-sensitive).
COUNTRY_PATTERNS = {
    "the United States": r"\b(?:United States|U\.S\.|US|USA|America|Washington)\b",
    "Russia": r"\b(?:Russia|Russians?|Moscow|Kremlin|Putin)\b",
    "China": r"\b(?:China|Chinese|Beijing)\b",
    "Mexico": r"\b(?:Mexico|Mexicans?)\b",
}


def round3(args) -> None:
    """Countries as targets: train items whose content mentions one of four countries.

    Model 2.0 read implicit criticism of a country (demands, accusations without
    loaded words) as ``none``; the political set has few such pairs, since its
    targets are US candidates, parties and policies. Round 3 draws, from PolNeAR
    train only, for each article and each country its content mentions, one
    attribution (seeded, not already drawn, contents of 3-80 words), and labels
    every item toward all four countries (absent ones at their natural rate).
    Batches ``country_01``...; 40 of the items again in ``country_double_01``.
    """
    out, attr = _undrawn_train(args, "country", "round 3")
    rng = random.Random(args.seed + 30)
    chosen: dict[str, dict] = {}
    for country, pat in COUNTRY_PATTERNS.items():
        hit = attr[attr["content"].str.contains(pat, regex=True)]
        for art in sorted(hit["article"].unique()):
            rows = hit[(hit["article"] == art) & ~hit["item_id"].isin(chosen)]
            if len(rows):
                r = rows.iloc[rng.randrange(len(rows))]
                chosen[r.item_id] = _item("train", art, r)
    items = sorted(chosen.values(), key=lambda it: it["item_id"])
    rng.shuffle(items)
    items = items[: args.country_items]
    batches = {f"country_{i // 100 + 1:02d}": items[i:i + 100] for i in range(0, len(items), 100)}
    batches["country_double_01"] = rng.sample(items, 40)
    for name, its in batches.items():
        with open(out / f"{name}.jsonl", "w", encoding="utf-8") as fh:
            for it in its:
                fh.write(json.dumps(it) + "\n")
        print(name, len(its))


#: Round 4: more countries, so that stance toward a state (demands, accusations, praise of its conduct)
#: is learned beyond four names. Case-sensitive patterns over the content; the four round-3 countries keep
#: their round-3 patterns.
WORLD_PATTERNS = {
    **COUNTRY_PATTERNS,
    "Iran": r"\b(?:Iran|Iranian|Tehran)\b",
    "Syria": r"\b(?:Syria|Syrian|Damascus|Assad)\b",
    "Israel": r"\b(?:Israel|Israeli|Netanyahu)\b",
    "North Korea": r"\b(?:North Korea|North Korean|Pyongyang)\b",
    "Cuba": r"\b(?:Cuba|Cuban|Havana|Castro)\b",
    "Canada": r"\b(?:Canada|Canadian|Ottawa|Trudeau)\b",
    "the United Kingdom": r"\b(?:Britain|British|United Kingdom|U\.K\.|UK)\b",
    "Germany": r"\b(?:Germany|German|Berlin|Merkel)\b",
    "France": r"\b(?:France|French|Hollande)\b",
    "Japan": r"\b(?:Japan|Japanese|Tokyo)\b",
    "Saudi Arabia": r"\b(?:Saudi Arabia|Saudi|Saudis|Riyadh)\b",
    "Ukraine": r"\b(?:Ukraine|Ukrainian|Kiev)\b",
    "Iraq": r"\b(?:Iraq|Iraqi|Baghdad)\b",
    "Afghanistan": r"\b(?:Afghanistan|Afghan|Kabul)\b",
    "Libya": r"\b(?:Libya|Libyan|Tripoli|Gadhafi|Qaddafi)\b",
    "Turkey": r"\b(?:Turkey|Turkish|Ankara|Erdogan)\b",
    "Venezuela": r"\b(?:Venezuela|Venezuelan|Caracas)\b",
    "India": r"\b(?:India|Indian government|New Delhi|Modi)\b",
    "Pakistan": r"\b(?:Pakistan|Pakistani|Islamabad)\b",
    "Egypt": r"\b(?:Egypt|Egyptian|Cairo)\b",
    "South Korea": r"\b(?:South Korea|South Korean|Seoul)\b",
    "Philippines": r"\b(?:Philippines|Philippine|Duterte|Manila)\b",
    "Vietnam": r"\b(?:Vietnam|Vietnamese|Hanoi)\b",
    "Qatar": r"\b(?:Qatar|Qatari|Doha)\b",
    "Australia": r"\b(?:Australia|Australian|Canberra)\b",
}


def round4(args) -> None:
    """More countries: train items whose content mentions any of :data:`WORLD_PATTERNS`.

    The round-3 model run (four countries, 74 stance-bearing pairs) showed the
    country pairs too few to teach stance toward a state. Round 4 draws from
    PolNeAR train only, from the attributions not drawn before (contents of
    3-80 words, one per distinct content in an article), at most
    ``--per-article`` per (article, country), seeded. Each item is labelled
    toward the countries its content mentions (at most three, listed in the
    item as ``targets``); absent targets are not labelled in this round (the
    political and round-3 sets hold those at their natural rate). Batches
    ``world_01``...; ``--double`` of the items again in ``world_double_01``.
    """
    import re

    out, attr = _undrawn_train(args, "world", "round 4")
    attr = attr.drop_duplicates(["article", "content"])
    rng = random.Random(args.seed + 40)
    chosen: dict[str, dict] = {}
    for country, pat in WORLD_PATTERNS.items():
        hit = attr[attr["content"].str.contains(pat, regex=True)]
        for art in sorted(hit["article"].unique()):
            rows = hit[(hit["article"] == art) & ~hit["item_id"].isin(chosen)]
            for k in sorted(rng.sample(range(len(rows)), min(args.per_article, len(rows)))):
                r = rows.iloc[k]
                chosen[r.item_id] = {**_item("train", art, r), "content": r.content}
    items = []
    for it in sorted(chosen.values(), key=lambda it: it["item_id"]):
        content = it.pop("content")
        it["targets"] = [c for c, pat in WORLD_PATTERNS.items() if re.search(pat, content)][:3]
        items.append(it)
    rng.shuffle(items)
    items = items[: args.world_items]
    size = -(-len(items) // args.world_batches)
    batches = {f"world_{i // size + 1:02d}": items[i:i + size] for i in range(0, len(items), size)}
    batches["world_double_01"] = rng.sample(items, args.double)
    for name, its in batches.items():
        with open(out / f"{name}.jsonl", "w", encoding="utf-8") as fh:
            for it in its:
                fh.write(json.dumps(it) + "\n")
        print(name, len(its), sum(len(it["targets"]) for it in its), "pairs")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--polnear", default=None)
    ap.add_argument("--seed", type=int, default=2016)
    ap.add_argument("--train-articles", type=int, default=520)
    ap.add_argument("--batch-size", type=int, default=65)
    ap.add_argument("--round", type=int, default=1, choices=(1, 2, 3, 4))
    ap.add_argument("--country-items", type=int, default=400, help="round 3: items to draw (default 400)")
    ap.add_argument("--world-items", type=int, default=700, help="round 4: items to draw (default 700)")
    ap.add_argument("--per-article", type=int, default=3, help="round 4: items per (article, country)")
    ap.add_argument("--world-batches", type=int, default=7, help="round 4: batches to split the items into")
    ap.add_argument("--double", type=int, default=60, help="round 4: items labelled a second time")
    args = ap.parse_args()
    if args.round == 4:
        return round4(args)
    if args.round == 2:
        return round2(args)
    if args.round == 3:
        return round3(args)
    train = draw("train", args.train_articles, args.seed, args.polnear)
    dev = draw("dev", None, args.seed + 1, args.polnear)
    rng = random.Random(args.seed + 2)
    rng.shuffle(train)
    rng.shuffle(dev)
    out = HERE / "items"
    out.mkdir(exist_ok=True)
    batches = {}
    for i in range(0, len(train), args.batch_size):
        batches[f"train_{i // args.batch_size + 1:02d}"] = train[i:i + args.batch_size]
    half = (len(dev) + 1) // 2
    batches["test_01"], batches["test_02"] = dev[:half], dev[half:]
    # Second, independent labels: 20 train items and 20 dev (test) items, drawn from every batch.
    double = rng.sample(train, 20) + rng.sample(dev, 20)
    batches["double_01"] = double
    for name, items in batches.items():
        with open(out / f"{name}.jsonl", "w", encoding="utf-8") as fh:
            for it in items:
                fh.write(json.dumps(it) + "\n")
        print(name, len(items))


if __name__ == "__main__":
    main()
