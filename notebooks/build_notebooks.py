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
    new_code_cell("""(statements.groupby(["group", "speaker"], dropna=False)
    .agg(statements=("statement_id", "nunique"), kinds=("kind", lambda k: ", ".join(sorted(set(k)))),
         resolved_by=("resolution", lambda r: ", ".join(sorted(set(r.dropna())))))
    .sort_values("statements", ascending=False))"""),
    new_markdown_cell("## How good is it on this article?\nThe seed was annotated by hand (`tests/data/gold/`). A prediction counts when its span overlaps a gold span by at least half of the shorter one **and** the speaker is right."),
    new_code_cell("""from stancekit.evaluation import evaluate_statements, read_gold
gold = read_gold(ROOT / "tests" / "data" / "gold" / "global-times-2026-01-30-us-canada-sovereignty.jsonl")
evaluate_statements(statements, gold, registry=registry)"""),
    new_markdown_cell("""## Extending the registry
Speakers that the registry does not know are kept, with group `unregistered` and the description the article
gives them. `suggest_registry` proposes entries to paste into the YAML file; `stancekit speakers seeds/` does
the same from the shell. Here we drop one entry to show what an unregistered speaker looks like, then add it back."""),
    new_code_cell("""records = [r for r in registry.to_records() if r["name"] != "John Gradek"]
smaller = SpeakerRegistry.from_records(records)
st2 = extract_statements(articles, registry=smaller)
suggest_registry(st2, registry=smaller).head(10)"""),
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
    new_markdown_cell("## Tone by group\nPoints are statement-weighted means, lines 95% speaker-bootstrap intervals, `n` the number of statements."),
    new_code_cell("""groups = ["Canadian prime minister", "Canadian premiers", "US officials", "Chinese experts"]
fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), sharey=True)
for ax, target in zip(axes, TARGETS):
    s = res.summary[(res.summary["target"] == target) & res.summary["group"].isin(groups)]
    plotting.tone_by_group(s, order=groups, ax=ax)
    ax.set_title(f"tone toward {target}")
fig.tight_layout()"""),
    new_markdown_cell("## Stance composition\nShares of statements scored against / none / favor."),
    new_code_cell("""fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), sharey=True)
for ax, target in zip(axes, TARGETS):
    s = res.summary[(res.summary["target"] == target) & res.summary["group"].isin(groups)]
    plotting.stance_composition(s, order=groups, ax=ax)
    ax.set_title(target)
fig.tight_layout()"""),
    new_markdown_cell("## Speaker × target"),
    new_code_cell("""fig, ax = plt.subplots(figsize=(7, 4.5))
plotting.speaker_target_heatmap(res.scores, ax=ax)
fig.tight_layout()"""),
    new_markdown_cell("## Every statement, one dot each\nThe statements behind the means, toward the United States."),
    new_code_cell("""us = res.scores[res.scores["target"] == "the United States"]
fig, ax = plt.subplots(figsize=(9, 4.5))
plotting.statement_strip(us, ax=ax)
fig.tight_layout()"""),
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
* The model was trained on sentiment toward mentions in US political news (NewsMTSC); its "favor/against" is the
  sentiment the statement expresses toward the target. Statements that never mention the target
  (`target_mentioned == False`) are scored all the same and are mostly "none"; `analyze(..., mentioned_only=True)`
  keeps only those that name it."""),
    new_code_cell("""summarize(res.scores[res.scores["target_mentioned"]], by="group", seed=0)[
    ["target", "group", "n_statements", "n_speakers", "tone", "tone_low", "tone_high", "intensity", "note"]]"""),
]

NB3 = [
    new_markdown_cell("""# 03 · Your own corpus

Bring a folder or a CSV of articles, a speaker registry and the targets you care about; get the statements,
their stance scores, group summaries, charts and a report, and export them. This notebook uses the hand-written
test articles that ship in `tests/data/articles/` as a stand-in for your corpus."""),
    new_code_cell("""from pathlib import Path
import tempfile
import matplotlib.pyplot as plt
import pandas as pd
from stancekit.io import read_articles, write_frame
from stancekit.pipeline import analyze
from stancekit.registry import suggest_registry
from stancekit import plotting, report

ROOT = Path("..")
CORPUS = ROOT / "tests" / "data" / "articles"
OUT = Path(tempfile.mkdtemp(prefix="stancekit-nb03-"))
sorted(p.name for p in CORPUS.iterdir())"""),
    new_markdown_cell("## 1. Articles from a folder, or from a CSV\nA CSV (or JSONL) needs a text column; an id column is used when present."),
    new_code_cell("""articles = read_articles(CORPUS)
csv_path = OUT / "my_articles.csv"
articles[["article", "text"]].to_csv(csv_path, index=False)
from_csv = read_articles(csv_path)
print(len(articles), "articles from the folder;", len(from_csv), "from the CSV")
from_csv[["article"]].head()"""),
    new_markdown_cell("## 2. A registry and targets\nStart without a registry to see who speaks, then write one (YAML) for the groups you want to compare."),
    new_code_cell("""from stancekit.extraction import extract_statements
first_pass = extract_statements(articles)
suggest_registry(first_pass).head(12)"""),
    new_code_cell("""REGISTRY = ROOT / "tests" / "data" / "registry_test.yaml"
TARGETS = {"the United States": ["US", "U.S.", "America", "Washington", "the White House"],
           "China": ["Beijing", "Chinese government"]}
res = analyze(articles, targets=TARGETS, registry=REGISTRY, by="group", seed=0)
res"""),
    new_code_cell("""res.summary.query("n_statements >= 3")"""),
    new_markdown_cell("## 3. Charts"),
    new_code_cell("""top = (res.summary[res.summary["target"] == "the United States"]
       .sort_values("n_statements", ascending=False).head(8))
fig, ax = plt.subplots(figsize=(8, 4.5))
plotting.tone_by_group(top, ax=ax)
ax.set_title("tone toward the United States (8 largest groups)")
fig.tight_layout()"""),
    new_markdown_cell("## 4. Export\nCSV, JSONL or Parquet for the frames (atomic writes), PNG/SVG for charts, and a self-contained HTML report."),
    new_code_cell("""write_frame(res.statements, OUT / "statements.csv")
write_frame(res.scores, OUT / "scores.jsonl")
write_frame(res.summary, OUT / "summary.csv")
plotting.save_figure(fig, OUT / "tone_by_group")
report.write_report(res, OUT / "report.html")
sorted(p.name for p in OUT.iterdir())"""),
    new_markdown_cell("""## 5. A larger model through the NLI backend (needs the Hugging Face hub)

The default model is small and ships with stancekit. With network access to the hub you can score the same
statements with any zero-shot NLI model, for example `MoritzLaurer/deberta-v3-base-zeroshot-v2.0`; pin a
`revision` for reproducible results. The hypotheses are configurable. Offline, the cell below reports that the
model is not available instead of failing."""),
    new_code_cell("""import os
from stancekit.models import StanceModel
from stancekit import StancekitError

nli = StanceModel("MoritzLaurer/deberta-v3-base-zeroshot-v2.0", backend="nli",
                  templates={"favor": "The speaker supports {target}.",
                             "against": "The speaker opposes {target}.",
                             "none": "The speaker is neutral about {target}."})
try:
    if os.environ.get("HF_HUB_OFFLINE") == "1":
        raise StancekitError("HF_HUB_OFFLINE=1: the hub is switched off here")
    big = nli.predict(res.statements.head(20), targets=TARGETS)
    display(big[["speaker", "target", "stance", "tone", "text"]])
except (StancekitError, OSError) as exc:
    print("NLI model not available offline:", str(exc).splitlines()[0][:200])"""),
]


def write(name: str, cells: list) -> Path:
    nb = new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"}})
    path = HERE / name
    nbformat.write(nb, path)
    return path


def execute(path: Path, timeout: int = 600) -> float:
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    t0 = time.time()
    NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(HERE)}}).execute()
    nbformat.write(nb, path)
    return time.time() - t0


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
