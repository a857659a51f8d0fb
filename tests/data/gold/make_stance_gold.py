"""Build the hand-labelled stance gold for the seed article.

Writes ``tests/data/gold/global-times-2026-01-30-us-canada-sovereignty.stance.jsonl``:
one line per (gold statement row, target) with the stance of that statement toward
the target, labelled by careful human reading of the article (no model output was
consulted).  Definitions and judgement calls: ``STANCE_GUIDELINES.md``.

The labels live in ``LABELS`` below, keyed by statement_id.  A group reference (one
span, several speakers, ids ``<stem>:<start>-<end>:<Speaker>``) is labelled once under
its base id ``<stem>:<start>-<end>``; every member row gets the same labels.  The
statement rows themselves (speaker, group, text, offsets) come from the statement gold
``<stem>.jsonl``; this script refuses to run if a row has no label or a label matches
no row.  Output order: start offset, end offset, speaker, then target in the order of
``TARGETS``.  Run from anywhere::

    python tests/data/gold/make_stance_gold.py          # rewrite the file
    python tests/data/gold/make_stance_gold.py --check  # fail if it would change
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
STEM = "global-times-2026-01-30-us-canada-sovereignty"
GOLD = HERE / f"{STEM}.jsonl"
OUT = HERE / f"{STEM}.stance.jsonl"

US = "the United States"
CC = "Canada–China cooperation"
TARGETS = (US, CC)
STANCES = {"favor", "against", "none"}

#: Reused rationale for statements that do not touch Canada–China ties at all.
NO_CHINA = "Does not mention or bear on Canada–China ties."


def L(us, cc=("none", 0, NO_CHINA)):
    """Labels of one statement: (stance, intensity, rationale) per target."""
    return {US: us, CC: cc}


def sid(span: str) -> str:
    return f"{STEM}:{span}"


LABELS: dict[str, dict[str, tuple[str, int, str]]] = {
    # --- Sovereignty row over the Alberta separatists ------------------------------
    sid("198-388"): L(
        ("against", 1, "Carney demands the US respect Canadian sovereignty after US officials met "
                       "separatists: implicit reproach, in restrained diplomatic wording.")),
    sid("553-590"): L(
        ("none", 0, "Trump's own threat toward Canada; hostile to Canada, but expresses no "
                    "evaluation of the US (speaker = target; threats are not self-praise).")),
    sid("1033-1096"): L(
        ("against", 1, "'I expect the US administration to respect Canadian sovereignty': a firm "
                       "but diplomatically worded demand implying the US is not doing so.")),
    sid("1112-1230"): L(
        ("none", 0, "Balanced: restates the sovereignty point to Trump but pivots to 'what we can "
                    "do together'; neither critical nor supportive on net.")),
    sid("1246-1413"): L(
        ("none", 0, "Global Times describes the tone of Canadian leaders (restrained vs. blunt); "
                    "it reports their outrage without itself evaluating the US.")),
    sid("1509-1564"): L(
        ("against", 1, "Smith: the US 'should stay out of Alberta and Canadian politics' — a direct "
                       "rebuke of US interference, but without loaded wording.")),
    sid("1573-1678"): L(
        ("against", 1, "Smith will have her Washington delegate 'raise her concerns' with the Trump "
                       "administration: a formal complaint, mild.")),
    sid("1819-1960"): L(
        ("against", 1, "The 'treason' charge targets the separatists; the US is the 'foreign country' "
                       "asked to help break up Canada, so only a mild, implicit rebuke of the meetings "
                       "reaches the US.")),
    sid("2013-2117"): L(
        ("none", 0, "CNN on Eby's emotion and anger at the separatists; nothing about the US itself.")),
    sid("2165-2260"): L(
        ("against", 2, "Ford calls the meetings with US officials 'unacceptable' and 'unethical': "
                       "blunt, morally loaded condemnation of conduct the US took part in.")),
    sid("2365-2470"): L(
        ("none", 0, "FT factual report that APP leaders met State Department officials.")),
    sid("2489-2587"): L(
        ("none", 0, "FT characterises the APP ('far-right separatists'); not about the US.")),
    sid("2806-2841"): L(
        ("none", 0, "Factual: no referendum has been called.")),
    sid("2933-3001"): L(
        ("favor", 1, "White House defends its officials: calling the separatists 'civil society groups' "
                     "normalises the meetings (exculpatory framing of US conduct).")),
    sid("3011-3053"): L(
        ("favor", 1, "White House denial that 'support or commitments were conveyed': defends US "
                     "conduct against the interference charge.")),
    sid("3097-3334"): L(
        ("none", 0, "FT reports Bessent's remark and the separatists' excitement; factual reporting, "
                    "no evaluation of the US (the contrastive 'However' is the Global Times', not FT's).")),
    sid("3219-3334"): L(
        ("none", 0, "Bessent praises Alberta as 'a natural partner for the US': positive about Alberta, "
                    "not an evaluation of the US.")),
    sid("3348-3386"): L(
        ("none", 0, "Bessent calls Albertans 'very independent people'; about Albertans, not the US.")),
    # --- Chinese expert commentary ----------------------------------------------------
    sid("3556-3690"): L(
        ("against", 2, "Li: US 'diplomatic meddling' has 'far exceeded the boundaries' of normal "
                       "interaction — strong, loaded criticism.")),
    sid("3692-3881"): L(
        ("against", 2, "Li: 'habitual disregard' for sovereignty, 'contempt for international law', "
                       "'hegemonic bullying' — maximally hostile.")),
    sid("3883-4050"): L(
        ("against", 2, "Li: the US is reviving a 'territorial expansion agenda' (Venezuela, Greenland, "
                       "Canada) — strong accusation of expansionism.")),
    sid("4083-4177"): L(
        ("none", 0, "CNN factual background on Alberta's oil sands.")),
    sid("4179-4250"): L(
        ("none", 0, "CNN background: Alberta as a bastion of conservatism.")),
    sid("4279-4472"): L(
        ("none", 0, "Separatists' grievance is with Canada's federal government, not the US.")),
    sid("4523-4716"): L(
        ("none", 0, "Separatists' grievance is with Canada's federal government, not the US "
                    "(same text repeated in the article).")),
    sid("4719-4854"): L(
        ("none", 0, "CNN analysis: Trump's return buoyed the secession movement; causal description, "
                    "no evaluation of the US.")),
    sid("4866-4964"): L(
        ("against", 2, "Li: the US is 'the paramount external threat' to Canada's territorial "
                       "integrity — strong hostile framing.")),
    sid("4966-5052"): L(
        ("against", 1, "Li: the US is the 'most binding external limitation' on Canada's growth — "
                       "negative but analytical in register. Does not name China.")),
    sid("5080-5183"): L(
        ("none", 0, "Li forecasts a lasting 'downward spiral' in US-Canada ties; a prediction about the "
                    "relationship that assigns no blame and does not evaluate the US.")),
    # --- Aircraft tariff threat and the China angle -------------------------------------
    sid("5449-5511"): L(
        ("none", 0, "Trump's tariff threat toward Canada; hostile to Canada, no evaluation of the US."),
        ("none", 0, "The 50% aircraft tariff threat is not tied to China in this statement (the earlier "
                    "100% China-deal threat is narration, not part of the span).")),
    sid("5679-5895"): L(
        ("none", 0, "Trump's decertification threat, justified by Gulfstream certification; no "
                    "evaluation of the US."),
        ("none", 0, "Stated motive is aircraft certification, not China.")),
    sid("5969-6059"): L(
        ("against", 1, "Gradek: decertifying for trade reasons would be 'unprecedented' and "
                       "certification is about safety — measured criticism of the US move.")),
    sid("6062-6163"): L(
        ("against", 2, "Gradek calls the move 'really a smokescreen' and a 'red flag in the face of "
                       "Mr. Carney' — blunt accusation of bad faith."),
        ("none", 0, "'Smokescreen' for an unstated aim; China is not mentioned by Gradek.")),
    sid("6179-6250"): L(
        ("against", 2, "Gradek: 'taking it to the extreme', 'a new salvo in the trade war' — strong "
                       "criticism of the escalation.")),
    sid("6252-6587"): L(
        ("against", 1, "Gao: the tariff threats are 'not genuinely aimed' at trade fairness but political "
                       "pressure — accuses the US of pretext, in analytical register."),
        ("favor", 1, "Frames US pressure 'to deter Canada from deepening economic and trade cooperation "
                     "with China' as illegitimate: implicit support for that cooperation.")),
    sid("6677-6993"): L(
        ("none", 0, "Speaks to US participation and US firms' benefit only to reassure; no criticism "
                    "or praise of the US itself."),
        ("favor", 1, "Gao argues expanded Canada–China cooperation enlarges the market and is "
                     "non-exclusive — explicit advocacy in a measured, technical register.")),
    sid("6995-7194"): L(
        ("against", 2, "Gao: a 'zero-sum mindset' 'forcing allies to take sides', driven by 'deep "
                       "anxiety and unease' — loaded, disparaging characterisation of the US."),
        ("favor", 1, "Allies' 'pursuit of diversified trade partnerships' (here: Canada with China) "
                     "is presented as legitimate and US opposition as wrong — implicit support.")),
    # --- Carney in Ottawa ---------------------------------------------------------------
    sid("7271-7379"): L(
        ("none", 0, "About the Canada–China relationship; says nothing about the US."),
        ("favor", 2, "Carney: the Canada–China relationship is 'at its best' and 'has created massive "
                     "opportunities for both our peoples' — emphatic endorsement.")),
    sid("7411-7536"): L(
        ("against", 1, "Carney rejects a US official's claim and so stands by his Davos condemnation "
                       "of great-power economic coercion (implicitly the US) — mild, indirect.")),
    sid("7460-7536"): L(
        ("none", 0, "Bessent's claim that Carney walked back his Davos remarks is about Carney; no "
                    "evaluation of the US.")),
    sid("7681-7773"): L(
        ("against", 2, "Carney: 'Washington has changed. There is almost nothing normal now in the US' — "
                       "sweeping, blunt negative judgement from a head of government.")),
    # --- Closing analysis ----------------------------------------------------------------
    sid("7876-8057"): L(
        ("against", 2, "Both experts: US actions are 'steadily eroding the foundation of trust' with allies "
                       "and 'forcing' them to reassess — strong criticism."),
        ("none", 0, "Allies reassessing 'external economic and trade options' is stated as a consequence, "
                    "not evaluated; China is not named in the statement.")),
    sid("8339-8608"): L(
        ("none", 0, "Li: Ottawa's response will be a model for how others deal with the US; analytical, "
                    "no evaluation of the US.")),
}


def base_id(statement_id: str) -> str:
    """``<stem>:<start>-<end>`` of any statement id (drops a group member suffix)."""
    return ":".join(statement_id.split(":")[:2])


def load_rows() -> list[dict]:
    with open(GOLD, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def build(rows: list[dict]) -> list[dict]:
    out, used = [], set()
    for row in sorted(rows, key=lambda r: (r["start"], r["end"], r["speaker"])):
        key = row["statement_id"] if row["statement_id"] in LABELS else base_id(row["statement_id"])
        if key not in LABELS:
            raise SystemExit(f"no stance label for {row['statement_id']}")
        used.add(key)
        for target in TARGETS:
            stance, intensity, rationale = LABELS[key][target]
            if stance not in STANCES or intensity not in (0, 1, 2) or (stance == "none") != (intensity == 0):
                raise SystemExit(f"bad label for {key} / {target}: {stance!r}, {intensity!r}")
            out.append({
                "statement_id": row["statement_id"],
                "speaker": row["speaker"],
                "group": row["group"],
                "target": target,
                "stance": stance,
                "intensity": intensity,
                "rationale": rationale,
                "text": row["text"],
            })
    unused = sorted(set(LABELS) - used)
    if unused:
        raise SystemExit("labels matching no gold row: " + ", ".join(unused))
    return out


def render(records: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def main(argv: list[str]) -> int:
    text = render(build(load_rows()))
    if "--check" in argv:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"stale: {OUT.name}", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"{OUT.name}: {text.count(chr(10))} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
