"""Write the three stancekit notebooks and execute them in place (offline).

Run from the repository root::

    python notebooks/build_notebooks.py            # write + execute all
    python notebooks/build_notebooks.py --no-exec  # write only

The notebooks are committed executed, with their outputs; tests/test_notebooks.py
executes them again with nbclient on every CI run.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent
FIGURES = HERE / "figures"


def figure(name: str) -> dict:
    """Cell metadata: after execution the builder writes this cell's chart to notebooks/figures/NAME.png."""
    return {"stancekit": {"figure": name}}

US = '{"the United States": ["US", "U.S.", "America", "Washington", "the White House", "Trump administration"]}'

NB1 = [
    new_markdown_cell("""# 01 · The seed article, statement by statement

The founding document of stancekit is a Global Times report (30 January 2026) on the US–Canada rift over
US officials' meetings with Alberta separatists. This notebook reads it, finds every statement a person makes
(direct, indirect, mixed, continuation), shows who said what in the text, and explains the speaker registry
that maps speakers to groups. Everything runs offline."""),
    new_code_cell("""from pathlib import Path
import pandas as pd
import stancekit
from stancekit.io import read_articles
from stancekit.registry import SpeakerRegistry, suggest_registry
from stancekit.extraction import extract_statements
from stancekit.display import show_article

ROOT = Path("..")
pd.set_option("display.max_colwidth", 90)
print("stancekit", stancekit.__version__)"""),
    new_code_cell("""import matplotlib.pyplot as plt
plt.rcParams["figure.dpi"] = 120  # crisp charts in the notebook (and in notebooks/figures/)"""),
    new_markdown_cell("## Read the article\n`read_articles` takes files, folders or a DataFrame; the `.meta.json` sidecar gives outlet, date and title."),
    new_code_cell("""articles = read_articles(ROOT / "seeds")
articles[["article", "outlet", "date", "title"]]"""),
    new_markdown_cell("## The speaker registry\nA YAML file: canonical name, aliases, role, role nouns (\"the US president\"), country and group."),
    new_code_cell("""registry = SpeakerRegistry.from_file(ROOT / "seeds" / "registry.yaml")
pd.DataFrame(registry.to_records())"""),
    new_markdown_cell("## Extract the statements\nOne row per statement span, with character offsets into the original text (`article[start:end] == text`)."),
    new_code_cell("""statements = extract_statements(articles, registry=registry)
text = articles.loc[0, "text"]
assert all(text[s:e] == t for s, e, t in zip(statements["start"], statements["end"], statements["text"]))
print(len(statements), "statements")
statements[["speaker", "mention", "resolution", "group", "kind", "cue", "via", "text"]]"""),
    new_markdown_cell("## The article with its statements highlighted\nHover over a highlight for speaker, group, kind and cue; speaker mentions are underlined."),
    new_code_cell("""show_article(articles.iloc[0], statements, hue="speaker")"""),
    new_markdown_cell("## Speakers\nWho speaks, how often, and how each was found (name, pronoun, role noun, group reference, anonymous)."),
    new_code_cell("""from stancekit import plotting

n_speakers = statements["speaker"].nunique(dropna=False)
fig, ax = plt.subplots(figsize=(7.5, 1.2 + 0.32 * n_speakers), layout="constrained")
plotting.statement_counts(statements, y="speaker", hue="kind", ax=ax)
ax.set_title(f"Statements per speaker and kind ({statements['statement_id'].nunique()} statements)", fontsize=10);""",
                  metadata=figure("seed_statements_per_speaker")),
    new_code_cell("""(statements.groupby(["group", "speaker"], dropna=False)
    .agg(statements=("statement_id", "nunique"), kinds=("kind", lambda k: ", ".join(sorted(set(k)))),
         resolved_by=("resolution", lambda r: ", ".join(sorted(set(r.dropna())))))
    .sort_values("statements", ascending=False))"""),
    new_markdown_cell("## How good is it on this article?\nThe seed was annotated by hand (`tests/data/gold/`). A prediction counts when its span overlaps a gold span by at least half of the shorter one **and** the speaker is right."),
    new_code_cell("""from stancekit.evaluation import evaluate_statements, read_gold
gold = read_gold(ROOT / "tests" / "data" / "gold" / "global-times-2026-01-30-us-canada-sovereignty.jsonl")
evaluate_statements(statements, gold, registry=registry)"""),
    new_markdown_cell("""## Extending the registry
Speakers that the registry does not know are kept, with the description the article gives them and a group
**inferred** from it (`group_inferred=True`): the country or nationality it names plus a role class, so
"Alberta Premier Danielle Smith" becomes *Canadian premiers* and "a White House official" *US officials*
(word lists in `stancekit/resources/en/places.txt` and `role_classes.txt`); a description that names neither
stays `unregistered`. A registry entry always wins. `suggest_registry` proposes entries for the speakers the
registry does not hold yet, to paste into the YAML file; `stancekit speakers seeds/` does the same from the shell.
Here we drop one entry to show what an unregistered speaker looks like, then add it back."""),
    new_code_cell("""records = [r for r in registry.to_records() if r["name"] != "John Gradek"]
smaller = SpeakerRegistry.from_records(records)
st2 = extract_statements(articles, registry=smaller)
suggest_registry(st2, registry=smaller)[["speaker", "n_statements", "group", "group_inferred", "role", "yaml"]]"""),
    new_code_cell("""# Without any registry every speaker's group is inferred from the article's description.
no_registry = extract_statements(articles)
(no_registry.drop_duplicates("speaker")[["speaker", "role", "group", "group_inferred"]]
    .sort_values(["group", "speaker"], kind="stable"))"""),
    new_code_cell("""extended = SpeakerRegistry.from_records(records + [{
    "name": "John Gradek", "aliases": ["Gradek"], "role": "aviation management lecturer, McGill University",
    "country": "Canada", "group": "Canadian experts"}])
extract_statements(articles, registry=extended).query("speaker == 'John Gradek'")[["speaker", "group", "kind", "text"]]"""),
]

NB2 = [
    new_markdown_cell("""# 02 · Tone across groups

How do Canadian premiers, the Canadian prime minister, US officials and Chinese experts speak about
**the United States**, and about **Canada–China cooperation**, in the seed article? Every statement is scored by
stancekit's offline stance model (MiniLM + LoRA, trained on NewsMTSC) toward each target:
`tone = p_favor − p_against` in [−1, 1], `intensity = 1 − p_none`. Group means come with 95% intervals that
resample **speakers**, because statements by one speaker are not independent."""),
    new_code_cell("""from pathlib import Path
import matplotlib.pyplot as plt
import pandas as pd
from stancekit.pipeline import analyze
from stancekit.analysis import summarize, compare
from stancekit import plotting

ROOT = Path("..")
plt.rcParams["figure.dpi"] = 120
pd.set_option("display.max_colwidth", 100)
TARGETS = {
    "the United States": ["US", "U.S.", "America", "Washington", "the White House", "Trump administration"],
    "Canada–China cooperation": ["Canada-China", "China-Canada", "Canada–China", "China–Canada",
                                 "cooperation between Canada and China", "trade deal with China"],
}
res = analyze(ROOT / "seeds", targets=TARGETS, registry=ROOT / "seeds" / "registry.yaml", by="group", seed=0)
res"""),
    new_markdown_cell("## Summary per group and target"),
    new_code_cell("""res.summary"""),
    new_markdown_cell("""## Tone by group
One panel per target. Points are statement-weighted means, lines 95% speaker-bootstrap intervals, `n` the number
of statements (and speakers). A group resting on fewer than 3 speakers is drawn hollow, without an interval: one or
two speakers cannot show how much a group varies. Each panel says how many of the statements mention its target.
`res.palette` gives every group the colour it has in every other chart of this analysis (and in the CLI's report),
in the registry's order."""),
    new_code_cell("""groups = ["Canadian prime minister", "Canadian premiers", "US officials", "Chinese experts"]
four = res.summary[res.summary["group"].isin(groups)]
fig = plotting.tone_by_group_figure(four, order=groups, col_order=list(TARGETS), palette=res.palette)""",
                  metadata=figure("seed_tone_by_group")),
    new_markdown_cell("## Stance composition\nShares of statements scored against / none / favor."),
    new_code_cell("""fig = plotting.stance_composition_figure(four, order=groups, col_order=list(TARGETS))""",
                  metadata=figure("seed_stance_composition")),
    new_markdown_cell("## Speaker × target\nThe figure's height follows its rows, so every cell keeps its value and its n."),
    new_code_cell("""fig = plotting.heatmap_figure(res.scores)""", metadata=figure("seed_speaker_target_heatmap")),
    new_markdown_cell("## Every statement, one dot each\nThe statements behind the means: one lane per speaker, labelled once."),
    new_code_cell("""fig = plotting.statement_strip_figure(res.scores, order=[g for g in res.group_order if g in set(res.scores["group"])],
                                     col_order=list(TARGETS), palette=res.palette)""",
                  metadata=figure("seed_statement_strip")),
    new_code_cell("""us = res.scores[res.scores["target"] == "the United States"]"""),
    new_code_cell("""cols = ["group", "speaker", "kind", "stance", "tone", "intensity", "target_mentioned", "text"]
us.sort_values(["group", "tone"], kind="stable")[cols]"""),
    new_markdown_cell("""## The article's own claim: restrained Carney, blunt premiers

The Global Times writes that "compared to Prime Minister Carney's restrained and concise diplomatic language,
some provincial leaders in Canada expressed their outrage far more bluntly and directly". If that holds in the
statements themselves, the premiers' statements about the United States should be more **intense**
(further from neutral) and more negative in tone than Carney's."""),
    new_code_cell("""pair = dict(a="Canadian premiers", b="Canadian prime minister", target="the United States", seed=0)
by_intensity = compare(res.scores, value="intensity", **pair)
by_tone = compare(res.scores, value="tone", **pair)
for name, c in [("intensity", by_intensity), ("tone", by_tone)]:
    r = c.iloc[0]
    print(f"{name:9s}: premiers {r[name + '_a']:+.2f} vs Carney {r[name + '_b']:+.2f}, "
          f"difference {r['diff']:+.2f}, permutation p = {r['p_value']:.2f} "
          f"({r['n_speakers_a']} vs {r['n_speakers_b']} speakers, {r['permutation']})")
by_intensity"""),
    new_code_cell("""us[us["group"].isin(["Canadian premiers", "Canadian prime minister"])].sort_values("group")[
    ["group", "speaker", "stance", "tone", "intensity", "text"]]"""),
    new_markdown_cell("""## Does the model agree with a careful human reading?

Every gold statement of the seed was labelled by hand toward both targets (favor / against / none, with a
rationale: `tests/data/gold/*.stance.jsonl`, guidelines in `STANCE_GUIDELINES.md`), without looking at the
model. Below: agreement per target, and where the model and the human reading part ways."""),
    new_code_cell("""from stancekit.evaluation import evaluate_stance, match_stance
gold_stance = pd.read_json(ROOT / "tests" / "data" / "gold" /
                           "global-times-2026-01-30-us-canada-sovereignty.stance.jsonl", lines=True)
evaluate_stance(res.scores, gold_stance)[["target", "n_gold", "n_matched", "accuracy", "macro_f1"]]"""),
    new_code_cell("""pairs = match_stance(res.scores, gold_stance)
pd.crosstab([pairs["target"], pairs["gold_stance"]], pairs["pred_stance"].fillna("(not extracted)"),
            rownames=["target", "hand label"], colnames=["model"])"""),
    new_code_cell("""# Group picture: share of statements labelled "against" the United States, by hand and by the model.
us_pairs = pairs[pairs["target"] == "the United States"].merge(
    res.statements[["start", "end", "group"]].drop_duplicates(["start", "end"]), on=["start", "end"], how="left")
(us_pairs.assign(hand_against=us_pairs["gold_stance"].eq("against"),
                 model_against=us_pairs["pred_stance"].eq("against"))
    .groupby("group")[["hand_against", "model_against"]].mean().round(2))"""),
    new_markdown_cell("""## What one article can and cannot support

* **Can:** describe how *this report* renders each speaker: which statements it attributes to whom, and how a
  news-trained model reads their tone toward each target. The statement table above is the evidence for every number.
* **Cannot:** say how these groups speak in general. The groups hold one to three speakers each, chosen and
  paraphrased by one outlet with its own editorial line; most "statements" by Chinese experts and by US officials
  are indirect speech written by the journalist, not the speakers' own words. Intervals that resample two or three
  speakers are wide or undefined (see the `note` column), and the permutation p-values cannot get small with so few
  speakers. Treat the comparison as a hypothesis to test on a corpus (notebook 03), not a finding.
* The model (2.0) was trained on sentiment toward mentions in news (NewsMTSC), on hand-labelled stance of political
  statements toward 8 targets (PolNeAR) and on pairs where the statement is not about the target. It reads the
  speaker and cue, and finds mentions through the article (`target_mention`: name, alias, role, pronoun, speaker).
  It is cautious: criticism that never names the target is often read as "none" (README, model card), so the
  "against" shares above are lower bounds. `analyze(..., mentioned_only=True)` keeps only the statements that
  refer to the target."""),
    new_code_cell("""mentioned = summarize(res.scores, by="group", seed=0, mentioned_only=True)
mentioned[["target", "group", "n_statements", "n_speakers", "tone", "tone_low", "tone_high", "intensity", "note"]]"""),
    new_code_cell("""fig = plotting.tone_by_group_figure(mentioned, col_order=list(TARGETS), palette=res.palette,
                                   title="Mean tone by group, statements that name the target only")"""),
]

NB3 = [
    new_markdown_cell("""# 03 · Your own corpus

Bring a folder or a CSV of articles, a speaker registry (or none: groups are then inferred from how each article
describes its speakers) and the targets you care about; get the statements, their stance scores, group summaries,
charts over time and across outlets, and a report, and export them. This notebook uses the 15 hand-written test
articles in `tests/data/articles/` (13 outlets, February–March 2026) as a stand-in for your corpus."""),
    new_code_cell("""from pathlib import Path
import os
import tempfile
import matplotlib.pyplot as plt
import pandas as pd
from stancekit.io import read_articles, write_frame
from stancekit.pipeline import analyze
from stancekit.analysis import summarize
from stancekit.registry import suggest_registry
from stancekit import plotting, report

ROOT = Path("..")
plt.rcParams["figure.dpi"] = 120
CORPUS = ROOT / "tests" / "data" / "articles"
OUT = Path(tempfile.mkdtemp(prefix="stancekit-nb03-"))
sorted(p.name for p in CORPUS.iterdir())"""),
    new_markdown_cell("""## 1. Articles, with their outlet and date
`read_articles` takes files, folders, a CSV/JSONL or a DataFrame. Outlet and date come from a `NAME.meta.json`
sidecar, the HTML's metadata or `outlet`/`date` columns; these files carry them in their names
(`outlet-YYYY-MM-DD-slug.txt`), so we add the two columns ourselves."""),
    new_code_cell("""articles = read_articles(CORPUS)
meta = articles["article"].str.extract(r"^(?P<outlet>.+?)-(?P<date>\\d{4}-\\d{2}-\\d{2})-")
articles = articles.assign(outlet=meta["outlet"].str.replace("-", " ").str.title(), date=meta["date"])
articles[["article", "outlet", "date"]]"""),
    new_code_cell("""csv_path = OUT / "my_articles.csv"
articles[["article", "outlet", "date", "text"]].to_csv(csv_path, index=False)
from_csv = read_articles(csv_path)
print(len(articles), "articles from the folder;", len(from_csv), "from the CSV, with",
      from_csv["outlet"].nunique(), "outlets")"""),
    new_markdown_cell("""## 2. Who speaks: groups without a registry, then a registry
Without a registry, each speaker's group is inferred from the article's description of them (country or
nationality plus a role class: *Canadian premiers*, *US officials*, *Chinese experts*; `group_inferred=True`).
`suggest_registry` lists them as entries to paste into a registry, where you can rename or merge groups."""),
    new_code_cell("""from stancekit.extraction import extract_statements
first_pass = extract_statements(articles.head(6))  # a first look at six articles
suggest_registry(first_pass)[["speaker", "n_statements", "n_articles", "group", "group_inferred", "role"]].head(12)"""),
    new_code_cell("""REGISTRY = ROOT / "tests" / "data" / "registry_test.yaml"
TARGETS = {"the United States": ["US", "U.S.", "America", "Washington", "the White House"],
           "China": ["Beijing", "Chinese government"]}
res = analyze(articles, targets=TARGETS, registry=REGISTRY, by="group", seed=0)
res"""),
    new_code_cell("""res.summary.query("n_statements >= 3")"""),
    new_markdown_cell("## 3. Tone by group\nThe eight groups with the most statements; one panel per target."),
    new_code_cell("""top = res.summary.groupby("group")["n_statements"].sum().sort_values(ascending=False).index[:8].tolist()
fig = plotting.tone_by_group_figure(res.summary[res.summary["group"].isin(top)], order=top,
                                   col_order=list(TARGETS), palette=res.palette)""",
                  metadata=figure("corpus_tone_by_group")),
    new_markdown_cell("""## 4. Across time and outlets
Every score row carries its article's `outlet` and `date`, so `summarize` takes any list of columns, and the
period keys `year`, `quarter`, `month`, `week` and `day` are derived from the date. With a few articles per week most
cells rest on one or two speakers: their `note` says so, and the charts draw them hollow, without an interval."""),
    new_code_cell("""by_week = summarize(res.scores, by=["group", "week"], seed=0)
by_week[by_week["group"].isin(top[:3])][["target", "group", "week", "n_statements", "n_speakers", "tone",
                                         "tone_low", "tone_high", "note"]].head(12)"""),
    new_code_cell("""fig, axes = plt.subplots(2, 1, figsize=(9, 7), layout="constrained", sharex=True)
for ax, target in zip(axes, TARGETS):
    plotting.tone_over_time(res.scores, freq="week", target=target, order=top[:5], palette=res.palette, ax=ax)
    ax.set_title(f"{target}: {plotting.mention_note(res.scores, target)}", fontsize=9)
axes[0].set_xlabel("")""",
                  metadata=figure("corpus_tone_over_time")),
    new_code_cell("""fig, axes = plt.subplots(1, 2, figsize=(11, 6.5), layout="constrained", sharey=True)
for ax, target in zip(axes, TARGETS):
    plotting.tone_by_outlet(res.scores, target=target, ax=ax)
    ax.set_title(f"{target}\\n{plotting.mention_note(res.scores, target)}", fontsize=9)
axes[1].set_ylabel("")""", metadata=figure("corpus_tone_by_outlet")),
    new_code_cell("""# Whose statements each outlet quotes, in what tone: three largest groups, toward the United States.
three = res.scores[res.scores["group"].isin(top[:3])]
fig, ax = plt.subplots(figsize=(8, 6.5), layout="constrained")
plotting.tone_by_outlet(three, target="the United States", hue="group", hue_order=top[:3], palette=res.palette, ax=ax)
ax.set_title("tone toward the United States, by outlet and group", fontsize=9);"""),
    new_markdown_cell("""## 5. Export
CSV, JSONL or Parquet for the frames (atomic writes), PNG/SVG for charts, and a self-contained HTML report, which
includes the time and outlet charts because these articles have dates and several outlets.
`stancekit analyze FOLDER -o OUT` writes all of this in one go."""),
    new_code_cell("""write_frame(res.statements, OUT / "statements.csv")
write_frame(res.scores, OUT / "scores.jsonl")
write_frame(res.summary, OUT / "summary.csv")
charts = report.save_charts(res, OUT)
report.write_report(res, OUT / "report.html", charts=charts)
sorted(p.name for p in OUT.iterdir())"""),
    new_markdown_cell("""## 6. A larger model through the NLI backend (needs the Hugging Face hub)

The default model is small and ships with stancekit. With network access to the hub you can score the same
statements with any zero-shot NLI model, for example `MoritzLaurer/deberta-v3-base-zeroshot-v2.0`; pin a
`revision` for reproducible results. The hypotheses are configurable. The cell below runs only when the model is
already in your local hub cache or you set `STANCEKIT_NB_HUB=1`; otherwise it says so and touches no network."""),
    new_code_cell("""from stancekit.models import StanceModel
from stancekit import StancekitError

MODEL = "MoritzLaurer/deberta-v3-base-zeroshot-v2.0"

def in_local_cache(repo_id: str) -> bool:
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return False
    return isinstance(try_to_load_from_cache(repo_id, "config.json"), str)

if os.environ.get("HF_HUB_OFFLINE") == "1" and not in_local_cache(MODEL):
    print(f"skipped: HF_HUB_OFFLINE=1 and {MODEL} is not in the local hub cache")
elif not (in_local_cache(MODEL) or os.environ.get("STANCEKIT_NB_HUB") == "1"):
    print(f"skipped: {MODEL} is not in the local hub cache; set STANCEKIT_NB_HUB=1 to download it")
else:
    nli = StanceModel(MODEL, backend="nli",
                      templates={"favor": "The speaker supports {target}.",
                                 "against": "The speaker opposes {target}.",
                                 "none": "The speaker is neutral about {target}."})
    try:
        big = nli.predict(res.statements.head(20), targets=TARGETS)
        display(big[["speaker", "target", "stance", "tone", "text"]])
    except (StancekitError, OSError) as exc:
        print("NLI model not available:", str(exc).splitlines()[0][:200])"""),
]


def write(name: str, cells: list) -> Path:
    nb = new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"}})
    path = HERE / name
    nbformat.write(nb, path)
    return path


def execute(path: Path, timeout: int = 600) -> float:
    import os

    from nbclient import NotebookClient

    # the kernel imports stancekit from this checkout, whatever an editable install elsewhere points to
    os.environ["PYTHONPATH"] = os.pathsep.join([str(HERE.parent), *filter(None, [os.environ.get("PYTHONPATH")])])
    nb = nbformat.read(path, as_version=4)
    t0 = time.time()
    NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(HERE)}}).execute()
    nbformat.write(nb, path)
    write_figures(nb)
    return time.time() - t0


def write_figures(nb) -> list[Path]:
    """Write the chart of every cell tagged with :func:`figure` to ``notebooks/figures/``."""
    import base64

    written = []
    for cell in nb.cells:
        name = cell.get("metadata", {}).get("stancekit", {}).get("figure")
        if not name:
            continue
        pngs = [o["data"]["image/png"] for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
        if len(pngs) != 1:
            raise RuntimeError(f"cell for figure {name!r} has {len(pngs)} PNG outputs, expected 1")
        FIGURES.mkdir(exist_ok=True)
        target = FIGURES / f"{name}.png"
        target.write_bytes(base64.b64decode(pngs[0]))
        written.append(target)
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--no-exec", action="store_true")
    ap.add_argument("names", nargs="*", help="only these notebooks (e.g. 01)")
    args = ap.parse_args()
    books = {"01_seed_walkthrough.ipynb": NB1, "02_tone_across_groups.ipynb": NB2, "03_your_own_corpus.ipynb": NB3}
    for name, cells in books.items():
        if args.names and not any(name.startswith(n) for n in args.names):
            continue
        path = write(name, cells)
        if not args.no_exec:
            print(f"{name}: executed in {execute(path):.1f} s", flush=True)


if __name__ == "__main__":
    main()
