"""Read PolNeAR, the Political News Attribution Relations corpus, from its folder.

PolNeAR (Newell, Margolin & Ruths, "An Attribution Relations Corpus for
Political News", LREC 2018) annotates every attribution in 2016 US election
news with its Source, Cue and Content spans in brat standoff format. stancekit
uses it as development data for statement extraction and as the text source
of its political stance labels. The articles remain their publishers'
copyright: the project never copies their text, it reads them from the
corpus folder (``../shared/data/polnear`` next to a checkout, or
``$STANCEKIT_POLNEAR``) and refers to them by article id and character offsets.

Folder layout read here::

    polnear/metadata.tsv                    compartment, filename, publisher, date, author, title, ...
    polnear/<split>/text/<article>.txt
    polnear/<split>/attributions/<article>_<annotator>.ann

An annotation file holds ``T<n>\\t<Label> <start> <end>[;<start> <end>...]\\t<text>``
lines (Label: Source, Cue, Content, Attribution, ...) and
``E<n>\\tAttribution:T<a> Content:T<c> Cue:T<k> Source:T<s>`` lines tying one
attribution's parts together (Source or Cue may be missing; a second Content
part is ``Content2``). The text field of a T line may run over several lines;
it is never used, the spans are read from the article text instead.

Only the standard library and pandas are used: no NLP.
"""
from __future__ import annotations

import csv
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from ._utils import StancekitError, check_choice, verb_forms

#: The compartments this reader knows (the corpus's test compartment is not distributed with stancekit's data).
SPLITS = ("train", "dev", "test")

#: Columns of :func:`read_attributions`.
ATTRIBUTION_COLUMNS = [
    "article",          # article id (file name without .txt)
    "split",
    "annotator",        # annotator id from the .ann file name
    "attribution_id",   # "E<n>" in that file
    "relation",         # "Attribution" or "Attribution-no-source"
    "source_spans",     # list of (start, end), possibly empty
    "cue_spans",
    "content_spans",    # Content then Content2 parts, in text order
    "source",           # source text, parts joined by " ... " (pd.NA when none)
    "cue",
    "content",
    "start",            # first and last character of the content
    "end",
]

_T_LINE = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t")
_E_LINE = re.compile(r"^(E\d+)\t(.*)$")


def default_polnear_dir() -> Path:
    """``$STANCEKIT_POLNEAR``, else ``../shared/data/polnear`` beside the repository.

    The second is where the project's CI places the shared data; the path may
    not exist (tests that need it skip).
    """
    env = os.environ.get("STANCEKIT_POLNEAR")
    if env:
        return Path(env).expanduser()
    return Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear"


def _root(path: str | os.PathLike | None) -> Path:
    root = Path(path).expanduser() if path is not None else default_polnear_dir()
    if not (root / "metadata.tsv").is_file() and not any((root / s / "text").is_dir() for s in SPLITS):
        raise StancekitError(f"{root}: not a PolNeAR folder (no metadata.tsv and no <split>/text/ folder).")
    return root


def _spans(field: str) -> list[tuple[int, int]]:
    out = []
    for part in field.split(";"):
        a, b = part.split()
        out.append((int(a), int(b)))
    return out


def parse_ann(text: str) -> tuple[dict[str, tuple[str, list[tuple[int, int]]]], list[tuple[str, str, dict[str, str]]]]:
    """Parse one brat ``.ann`` file.

    Returns
    -------
    tuple
        ``(spans, events)``: ``spans`` maps ``T<n>`` to ``(label, [(start, end), ...])``;
        ``events`` lists ``(E<n>, relation, {role: T<n>})`` in file order.

    Examples
    --------
    >>> spans, events = parse_ann("T1\\tSource 0 5\\tObama\\nT2\\tCue 6 10\\tsaid\\n"
    ...                           "T3\\tContent 11 20\\tit is ok.\\nE1\\tAttribution:T2 Content:T3 Cue:T2 Source:T1\\n")
    >>> events[0][2]["Source"], spans["T3"]
    ('T1', ('Content', [(11, 20)]))
    """
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    events: list[tuple[str, str, dict[str, str]]] = []
    for line in text.splitlines():
        m = _T_LINE.match(line)
        if m:
            try:
                spans[m.group(1)] = (m.group(2), _spans(m.group(3)))
            except ValueError:
                continue
            continue
        m = _E_LINE.match(line)
        if m:
            parts = m.group(2).split()
            if not parts:
                continue
            relation = parts[0].split(":")[0]
            roles: dict[str, str] = {}
            for p in parts[1:]:
                if ":" in p:
                    role, ref = p.split(":", 1)
                    roles[role] = ref
            events.append((m.group(1), relation, roles))
    return spans, events


def _join(text: str, spans: list[tuple[int, int]]) -> Any:
    if not spans:
        return pd.NA
    return " ... ".join(text[a:b] for a, b in spans)


@lru_cache(maxsize=4)
def _metadata(root: str) -> pd.DataFrame:
    path = Path(root) / "metadata.tsv"
    if not path.is_file():
        return pd.DataFrame(columns=["compartment", "filename", "publisher", "publication_date", "title"])
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if r.get("filename")]
    return pd.DataFrame(rows)


def article_path(article: str, *, split: str | None = None, path: str | os.PathLike | None = None) -> Path:
    """Path of one article's text file; ``split=None`` looks in every compartment present."""
    root = _root(path)
    for s in ([split] if split else SPLITS):
        p = root / s / "text" / f"{article}.txt"
        if p.is_file():
            return p
    raise StancekitError(f"{root}: no article {article!r} in {split or 'any split'}.")


@lru_cache(maxsize=4096)
def _read_text(p: str) -> str:
    # newline="" keeps "\r\n" as two characters: brat offsets count every character of the file.
    with open(p, encoding="utf-8", newline="") as fh:
        return fh.read()


def article_text(article: str, *, split: str | None = None, path: str | os.PathLike | None = None) -> str:
    """The exact text of one article, as the annotation offsets count it.

    Examples
    --------
    >>> text = article_text("breitbart_2016-09-12_stealth-over-health-hillary-clin")  # doctest: +SKIP
    """
    return _read_text(str(article_path(article, split=split, path=path)))


def read_articles(split: str = "train", *, path: str | os.PathLike | None = None) -> pd.DataFrame:
    """The articles of one compartment as a stancekit articles frame.

    Parameters
    ----------
    split : str
        ``"train"``, ``"dev"`` or ``"test"``.
    path : str or path-like, optional
        The PolNeAR folder; default :func:`default_polnear_dir`.

    Returns
    -------
    pandas.DataFrame
        ``article, text, source, title, outlet, date`` (stancekit's
        ``ARTICLE_COLUMNS``), sorted by article id.
    """
    check_choice("split", split, SPLITS)
    root = _root(path)
    folder = root / split / "text"
    if not folder.is_dir():
        raise StancekitError(f"{root}: no {split}/text/ folder.")
    meta = _metadata(str(root))
    meta = meta.set_index("filename") if "filename" in meta.columns else meta
    rows = []
    for f in sorted(folder.glob("*.txt")):
        art = f.stem
        m = meta.loc[art] if art in meta.index else {}
        rows.append({
            "article": art,
            "text": _read_text(str(f)),
            "source": str(f),
            "title": m.get("title", pd.NA) if len(m) else pd.NA,
            "outlet": m.get("publisher", pd.NA) if len(m) else art.split("_")[0],
            "date": pd.to_datetime(m.get("publication_date"), errors="coerce") if len(m) else pd.NaT,
        })
    return pd.DataFrame(rows, columns=["article", "text", "source", "title", "outlet", "date"])


def read_attributions(split: str = "train", *, path: str | os.PathLike | None = None,
                      annotators: str = "first") -> pd.DataFrame:
    """Every attribution of one compartment, one row each.

    Parameters
    ----------
    split : str
        ``"train"``, ``"dev"`` or ``"test"``.
    path : str or path-like, optional
        The PolNeAR folder; default :func:`default_polnear_dir`.
    annotators : str
        ``"first"`` keeps one annotation file per article (the first by
        annotator id), ``"all"`` keeps every file (some articles were annotated
        twice).

    Returns
    -------
    pandas.DataFrame
        :data:`ATTRIBUTION_COLUMNS`, sorted by article, annotator and content
        start. Attributions without a content span are dropped. Every span is
        a ``(start, end)`` pair into :func:`article_text`, and ``content`` is
        the content parts joined by ``" ... "``.

    Examples
    --------
    >>> attr = read_attributions("dev")  # doctest: +SKIP
    >>> row = attr.iloc[0]; text = article_text(row.article)  # doctest: +SKIP
    >>> text[row.content_spans[0][0]:row.content_spans[0][1]] in row.content  # doctest: +SKIP
    True
    """
    check_choice("split", split, SPLITS)
    check_choice("annotators", annotators, ("first", "all"))
    root = _root(path)
    folder = root / split / "attributions"
    if not folder.is_dir():
        raise StancekitError(f"{root}: no {split}/attributions/ folder.")
    files: dict[str, list[Path]] = {}
    for f in sorted(folder.glob("*.ann")):
        art, _, ann = f.stem.rpartition("_")
        files.setdefault(art, []).append(f)
    rows = []
    for art, paths in sorted(files.items()):
        tpath = root / split / "text" / f"{art}.txt"
        if not tpath.is_file():
            continue
        text = _read_text(str(tpath))
        for f in paths[:1] if annotators == "first" else paths:
            annotator = f.stem.rpartition("_")[2]
            spans, events = parse_ann(f.read_text(encoding="utf-8"))
            for eid, relation, roles in events:
                def get(role: str) -> list[tuple[int, int]]:
                    ref = roles.get(role)
                    return list(spans[ref][1]) if ref in spans else []
                content = sorted(get("Content") + get("Content2"))
                if not content:
                    continue
                content = [(a, b) for a, b in content if 0 <= a < b <= len(text)]
                if not content:
                    continue
                src, cue = get("Source"), get("Cue")
                rows.append({
                    "article": art, "split": split, "annotator": annotator, "attribution_id": eid,
                    "relation": relation, "source_spans": src, "cue_spans": cue, "content_spans": content,
                    "source": _join(text, src), "cue": _join(text, cue), "content": _join(text, content),
                    "start": content[0][0], "end": content[-1][1],
                })
    out = pd.DataFrame(rows, columns=ATTRIBUTION_COLUMNS)
    return out.sort_values(["article", "annotator", "start", "end", "attribution_id"], kind="stable").reset_index(drop=True)



# --------------------------------------------------------------------------
# PolNeAR attributions as stancekit gold statements
# --------------------------------------------------------------------------

#: Columns of :func:`gold_statements` (stancekit's gold columns plus the PolNeAR fields used to score).
GOLD_STATEMENT_COLUMNS = [
    "article", "statement_id", "speaker", "group", "kind", "cue", "via", "text", "start", "end",
    "source", "source_type", "speaker_check", "counted",
]

#: Why an attribution is not counted as a statement (``source_type`` values with ``counted=False``).
NOT_COUNTED = ("none", "document", "author")

_QUOTES = "\"\u201c\u201d\u201e\u00ab\u00bb"
_PERSONAL = {"he": "male", "him": "male", "his": "male", "himself": "male",
             "she": "female", "her": "female", "hers": "female", "herself": "female"}
_RELATIVE = {"who", "whom", "whose"}
_FIRST = {"i", "me", "my", "we", "us", "our", "myself", "ourselves"}
_OTHER_PRONOUNS = {"they", "them", "their", "it", "its", "which", "that", "this", "these", "those", "one",
                   "another", "you", "your", "both", "some", "many", "others", "most", "all", "each",
                   "anyone", "everyone", "someone", "nobody", "none", "few", "several", "themselves", "itself"}
#: Heads of Sources that are documents, data or polls rather than people or organisations: their
#: "statements" have no speaker to attribute (the report's authors are not named in the Source).
_DOCUMENT_HEADS = frozenset("""poll polls polling survey surveys report reports study studies research data
numbers number figures figure analysis analyses records record documents document emails email memo memos
book books article articles story stories law laws lawsuit lawsuits complaint filing filings indictment
bill bills platform website site page chart results result estimate estimates forecast forecasts model
models projection projections index count counts percent % majority plurality evidence transcript
transcripts release releases order orders ruling rulings decision verdict rules rule policy policies
proposal plan plans agreement deal guidelines constitution ad ads advertisement advertisements video
videos tweet tweets message messages letter letters note notes post posts headline headlines poster
sign signs statement statements speech remarks letterhead map maps graph graphs list lists photo photos
image images footage tape tapes recording recordings text texts cable cables file files brief briefs
amendment amendments resolution platform manifesto campaign-ad film documentary show episode column
columns editorial editorials op-ed piece pieces paper papers cover issue page pages table tables
question questions answer answers ballot ballots exit-poll exit-polls tally tallies""".split())
#: Party, nationality and other capitalised modifiers that do not make a description a name.
_NORP = frozenset("""republican republicans democratic democrat democrats gop american americans u.s. us
conservative liberal progressive independent libertarian former senior top leading presidential
national state federal white black hispanic latino evangelical catholic christian muslim jewish
british russian chinese mexican european foreign new""".split())
#: Titles and honorifics dropped before a name is compared.
_TITLES = frozenset("""mr mr. mrs mrs. ms ms. miss dr dr. sen sen. senator rep rep. representative gov gov.
governor president pres. vice secretary sec. gen. gen general lt. col. adm. judge justice rev. rev
reverend speaker chairman chairwoman mayor former candidate nominee presidential prof prof. sir dame
lord lady atty. attorney""".split())
#: Organisation nouns whose capitalised modifier names them ("the Clinton campaign").
_ORG_HEADS = frozenset("""campaign campaigns administration department committee party office team pac
super-pac foundation group organization organisation association council union coalition agency
ministry company corporation network camp""".split())
_STOP = frozenset("""and but or nor neither either both all some many most several few other others
another each every any no not so then when while as if because since after before also even still yet
this that these those there here one two three four five six seven eight nine ten he she it they we
i you his her its their our my your him them us me who whom whose which""".split())
#: Plural and common nouns for people: capitalised only because they open a sentence.
_COMMON_PEOPLE = frozenset("""ally allie allies aide aides critic critics supporter supporter official
officials expert experts voter voters adviser advisers advisor advisors analyst analysts observer observers
strategist strategists source sources insider insiders leader leaders member members lawmaker lawmakers
people person resident residents activist activists delegate delegates donor donors staffer staffers
reporter reporters journalist journalists pundit pundits opponent opponents rival rivals friend friends
protester protesters protestor protestors organizer organizers attendee attendees scholar scholars
economist economists historian historians researcher researchers witness witnesses investigator
investigators prosecutor prosecutors lawyer lawyers attorney attorneys officer officers agent agents
candidate candidates politician politicians conservative conservatives liberal liberals progressive
progressives moderate moderates independent independents evangelical evangelicals parent parents
student students worker workers woman women man men veteran veterans""".split())
#: Heads of named institutions that are never "he" or "she".
_INSTITUTIONS = frozenset("""congress senate house court government police times post news press network
journal tribune herald globe magazine university college school church bank fund fed reserve board
commission council agency bureau service army navy state states city county nation country""".split())
_CAP_WORD = re.compile(r"[A-Z][\w'\u2019.&-]*")


def _words(phrase: str) -> list[str]:
    phrase = re.sub(r"\([^)]*\)", " ", phrase)
    phrase = re.sub(r"['\u2019]s\b|['\u2019](?=\s|$)", "", phrase)
    return [w for w in re.findall(r"[\w.&%-]+", phrase) if w.strip(".-")]


def _at_sentence_start(text: str, pos: int) -> bool:
    k = pos - 1
    while k >= 0 and text[k] in " \t\u00a0" + _QUOTES + "\u2018\u2019'(":
        k -= 1
    return k < 0 or text[k] in "\n.!?:\u2014"


def name_part(source: str, text: str = "", start: int = 0) -> str | None:
    """The part of a PolNeAR Source that names its speaker, or None when it only describes one.

    A Source names its speaker when, after dropping a leading determiner, possessives,
    bracketed parts ("(I-Vt.)") and party or nationality words, its last word is
    capitalised ("Sen. Bernie Sanders", "Trump's", "CNN"), or it is an organisation noun
    with a capitalised modifier ("the Clinton campaign"). An appositive Source ("Clinton's
    rival, Councillor Amy Shah,") is read part by part, the first naming part
    winning; a relative clause ("..., who ...") is never a naming part. A capitalised word
    that only opens the sentence ("Officials said") does not make a name when the article
    also writes it in lower case.

    Examples
    --------
    >>> name_part("the mayor's chief rival, Councillor Amy Shah,")
    'Councillor Amy Shah'
    >>> name_part("the Clinton campaign"), name_part("Republican presidential candidate")
    ('Clinton campaign', None)
    """
    offset = 0
    for part in re.split(r"[,;\u2014\u2013]|\s-\s", source):
        pstart = source.find(part, offset)
        offset = pstart + len(part)
        stripped = part.strip()
        low = stripped.lower()
        if not stripped or re.match(r"(?:who|whom|whose|which|that|where|when)\b", low):
            continue
        words = _words(stripped)
        while words and words[-1].lower() in ("jr.", "jr", "sr.", "sr", "ii", "iii"):
            words = words[:-1]
        if not words:
            continue
        head = words[-1]
        caps = [w for w in words if w[:1].isupper() and w.lower() not in _NORP and w.lower() not in _TITLES
                and w.lower() not in _STOP]
        if caps and caps[0] == words[0] and len(caps) == 1:
            # a capital that may only open the sentence: "Allies said", "Officials say"
            first = words[0].lower()
            abs_pos = start + pstart + (len(part) - len(part.lstrip()))
            common = first in _COMMON_PEOPLE or first.rstrip("s") in _COMMON_PEOPLE
            if common or text and _at_sentence_start(text, abs_pos) and re.search(rf"\b{re.escape(first)}\b", text):
                caps = []
        if not caps:
            continue
        if head in caps or head.lower() in _ORG_HEADS:
            # "experts like Ana Brook", "the Clinton campaign": the name starts at its first capital
            m = re.search(r"[A-Z0-9]", stripped)
            return stripped[m.start():] if m else stripped
    return None


def name_gender(text: str) -> dict[str, str]:
    """Surname -> gender from the honorifics an article writes ("Mr. Trump", "Mrs. Clinton")."""
    out: dict[str, str] = {}
    for m in re.finditer(r"\b(Mr|Mrs|Ms|Miss)\.?\s+(?:[A-Z]\.\s+)?([A-Z][\w'\u2019-]+)", text):
        g = "male" if m.group(1) == "Mr" else "female"
        out.setdefault(m.group(2).lower(), g)
    return out


def _content_kind(text: str, spans: list[tuple[int, int]], cue: str, families: dict[str, str]) -> str:
    # two apostrophes stand for a double quote mark in some archives (''Yes,'' she said)
    parts = [text[a:b].strip().replace("''", '"') for a, b in spans]
    if parts and all(p[:1] in _QUOTES and p.rstrip(".,!? ")[-1:] in _QUOTES for p in parts if p):
        return "direct"
    words = re.findall(r"[a-z]+", str(cue).lower())
    content_first = re.findall(r"[a-z]+", text[spans[0][0]:spans[0][1]].lower())[:1]
    for k, w in enumerate(words):
        if w in families:
            nxt = (words[k + 1:k + 2] or content_first or [""])[0]
            if w.startswith("call") and nxt in ("for", "on", "upon"):
                return "indirect"   # "called for X", "called on X to Y": a demand, not a judgement
            return families[w]
    return "indirect"


def gold_statements(split: str = "dev", *, path: str | os.PathLike | None = None,
                    annotators: str = "first", families: dict[str, str] | None = None) -> pd.DataFrame:
    """PolNeAR's attributions of one compartment as gold statements, one row per content part.

    PolNeAR's definition of attribution is broader than "who said what". This function
    keeps every attribution and says, per row, whether stancekit counts it as a statement
    (``counted``) and whether the speaker is checked when scoring (``speaker_check``):

    ``source_type``
        ``name``: the Source names a person or organisation (see :func:`name_part`);
        its speaker is checked. ``pronoun``: "he"/"she" (resolved to the nearest
        earlier named Source of the article's gold attributions within three
        paragraphs whose gender, when the article tells it by "Mr."/"Mrs."/"Ms.", does
        not disagree) and "who" (resolved to the name just before it in the same
        sentence); checked when resolved, unchecked otherwise. ``description``: a
        Source that describes ("officials", "the candidate", "many Republicans")
        or a pronoun that cannot be resolved from the gold ("they", "it"); counted,
        speaker unchecked. Not counted: ``none`` (no Source: "is expected", "seemed"),
        ``document`` (polls, reports, emails, ads: no speaker) and ``author`` ("I"/"we"
        outside quotation marks, the writer's own voice). PolNeAR does not nest
        attributions, so "I" inside quotation marks is a ``description``.

    Content parts separated only by white space (a quote marked sentence by sentence)
    are joined into one row; parts split by the cue or the Source stay separate rows.

    ``kind`` is ``direct`` (every content part in quotation marks), else
    ``evaluative`` / ``belief`` when a word of the cue is in ``families`` (default:
    stancekit's evaluative and belief verb lists), else ``indirect``.

    Parameters
    ----------
    split : str
        ``"train"``, ``"dev"`` or ``"test"``.
    path : str or path-like, optional
        The PolNeAR folder; default :func:`default_polnear_dir`.
    annotators : str
        As for :func:`read_attributions`.
    families : dict, optional
        Cue word form -> kind; default the forms of ``resources/en/evaluative_verbs.txt``
        and ``belief_verbs.txt``.

    Returns
    -------
    pandas.DataFrame
        :data:`GOLD_STATEMENT_COLUMNS`; ``speaker`` is the Source's naming part (or the
        resolved name of a pronoun; pd.NA when unchecked), ``statement_id`` is
        ``<article>:<E id>`` (shared by the parts of one attribution), and
        ``text == article_text[start:end]``.

    Examples
    --------
    >>> gold = gold_statements("dev")                      # doctest: +SKIP
    >>> gold[gold.counted].groupby("kind").size()          # doctest: +SKIP
    """
    attr = read_attributions(split, path=path, annotators=annotators)
    if families is None:
        families = kind_families()
    root = _root(path)
    rows: list[dict[str, Any]] = []
    for art, frame in attr.groupby("article", sort=True):
        text = _read_text(str(root / split / "text" / f"{art}.txt"))
        genders = name_gender(text)
        paras = [m.start() for m in re.finditer(r"\n\s*\S", text)]

        def para_of(pos: int) -> int:
            import bisect
            return bisect.bisect_right(paras, pos)

        named: list[tuple[int, str]] = []   # (source position, name) of named Sources
        items = []
        for r in frame.sort_values("start", kind="stable").itertuples():
            src = r.source if isinstance(r.source, str) else ""
            spos = r.source_spans[0][0] if r.source_spans else r.start
            low = re.sub(r"^(?:the|a|an)\s+", "", src.strip().lower())
            if not r.source_spans:
                stype, speaker = "none", None
            elif low in _FIRST:
                # inside quotation marks "I" is whoever is quoted (PolNeAR does not nest attributions,
                # so the gold cannot tell who); outside them it is the writer
                stype, speaker = ("description" if _inside_quotes(text, spos) else "author"), None
            else:
                first_np = _words(re.split(r"[,;(\u2014\u2013]", low)[0])
                nm = name_part(src, text, spos)
                if low in _PERSONAL or low in _RELATIVE:
                    stype, speaker = "pronoun", None
                elif any(w in _DOCUMENT_HEADS for w in first_np) or "%" in low:
                    stype, speaker = "document", None
                elif nm is not None:
                    stype, speaker = "name", nm
                else:
                    stype, speaker = "description", None
            items.append((r, src, spos, low, stype, speaker))
            if stype == "name":
                named.append((spos, speaker))
        for r, src, spos, low, stype, speaker in items:
            if stype == "pronoun":
                speaker = _resolve_gold_pronoun(low, spos, text, named, genders, para_of)
                if speaker is None:
                    stype = "description"
            kind = _content_kind(text, r.content_spans, r.cue, families)
            for a, b in _merge_contiguous(text, r.content_spans):
                # trim spaces so the part is what a reader would mark; offsets stay exact
                while a < b and text[a].isspace():
                    a += 1
                while b > a and text[b - 1].isspace():
                    b -= 1
                if b <= a:
                    continue
                rows.append({
                    "article": art, "statement_id": f"{art}:{r.attribution_id}",
                    "speaker": speaker if speaker is not None else pd.NA, "group": pd.NA, "kind": kind,
                    "cue": r.cue, "via": pd.NA, "text": text[a:b], "start": a, "end": b,
                    "source": src or pd.NA, "source_type": stype,
                    "speaker_check": speaker is not None and stype in ("name", "pronoun"),
                    "counted": stype not in NOT_COUNTED,
                })
    out = pd.DataFrame(rows, columns=GOLD_STATEMENT_COLUMNS)
    out["start"] = out["start"].astype("int64")
    out["end"] = out["end"].astype("int64")
    return out.sort_values(["article", "start", "end", "statement_id"], kind="stable").reset_index(drop=True)


def _merge_contiguous(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join content parts separated only by white space: one quote marked sentence by sentence is one span."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and not text[out[-1][1]:a].strip():
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _inside_quotes(text: str, pos: int) -> bool:
    """Whether ``pos`` lies between quotation marks of its paragraph (curly marks, or an odd count of straight ones)."""
    start = text.rfind("\n", 0, pos) + 1
    before = text[start:pos]
    if before.count("\u201c") > before.count("\u201d"):
        return True
    return before.count('"') % 2 == 1


def _resolve_gold_pronoun(low: str, pos: int, text: str, named: list[tuple[int, str]],
                          genders: dict[str, str], para_of) -> str | None:
    """The name a "he"/"she"/"who" Source refers to, when the gold and the text can tell."""
    if low in _RELATIVE:
        # "Donald Trump, who ..." / "Donald Trump, the Republican nominee, who ...": a name right
        # before "who", or before one appositive between commas; anything else ("a banker and
        # former Treasury official who") the gold cannot tell
        k = max(text.rfind(". ", 0, pos), text.rfind("\n", 0, pos), pos - 300)
        before = re.sub(r"\([^)]*\)", "", text[k + 1:pos]).rstrip(" ,")
        for _ in range(2):
            m = re.search(r"((?:[A-Z][\w'\u2019.-]*\s+)*[A-Z][\w'\u2019.-]*)$", before)
            if m:
                nm = name_part(m.group(1))
                words = _words(nm) if nm else []
                if nm and words and words[0].lower() not in _STOP and not nm.isupper():
                    return nm
                return None
            if "," not in before:
                return None
            before = before[:before.rfind(",")].rstrip(" ,")
        return None
    want = _PERSONAL.get(low)
    here = para_of(pos)
    for p, name in sorted(named, reverse=True):
        if p >= pos:
            continue
        if here - para_of(p) > 3:
            return None
        words = _words(name)
        g = genders.get(words[-1].lower()) if words else None
        if want and g and g != want:
            continue
        if not words or words[-1].lower() in _ORG_HEADS | _INSTITUTIONS or words[0].lower() in _STOP \
                or name.isupper() or text[p:p + 4].lower() == "the " or len(words) > 5:
            continue    # "the Clinton campaign", "the New York Times", "Both houses of the legislature", "WXYZ-TV"
        return name
    return None


@lru_cache(maxsize=1)
def _family_forms() -> tuple[tuple[str, str], ...]:
    from importlib import resources

    out = []
    for kind, name in (("evaluative", "evaluative_verbs.txt"), ("belief", "belief_verbs.txt")):
        res = resources.files("stancekit").joinpath("resources", "en", name)
        for line in res.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            for form in line.split():
                out.append((form.lower(), kind))
    return tuple(out)


def kind_families() -> dict[str, str]:
    """Word form -> ``"evaluative"`` or ``"belief"``, from stancekit's verb lists (all inflections)."""
    out: dict[str, str] = {}
    for form, kind in _family_forms():
        for f in verb_forms(form):
            out.setdefault(f, kind)
    return out


__all__ = [
    "ATTRIBUTION_COLUMNS",
    "GOLD_STATEMENT_COLUMNS",
    "gold_statements",
    "kind_families",
    "name_part",
    "SPLITS",
    "article_path",
    "article_text",
    "default_polnear_dir",
    "parse_ann",
    "read_articles",
    "read_attributions",
]
