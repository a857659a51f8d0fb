"""Command-line interface: ``stancekit <command> ...``.

The only module that imports all others and configures logging. Each
command is one ``_cmd_<name>(args)`` function plus an ``_add_<name>(sub)``
parser builder; user errors (:class:`stancekit.StancekitError`, bad
arguments, unreadable input) print one line to stderr and exit 2.
"""
from __future__ import annotations

import argparse
import logging
import sys

from . import __version__
from ._utils import StancekitError
from .schema import PRECISIONS

log = logging.getLogger(__name__)


def _configure_logging(verbosity: int, quiet: bool) -> None:
    level = logging.WARNING if quiet else (logging.DEBUG if verbosity > 1 else logging.INFO)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("stancekit").setLevel(level)


def _one_line_warnings(command: str) -> None:
    """Show library warnings (skipped files etc.) as one line each, without source lines."""
    import warnings

    def show(message, category, filename, lineno, file=None, line=None):
        print(f"stancekit {command}: warning: {message}", file=file or sys.stderr)

    warnings.showwarning = show


def _progress_flag(args: argparse.Namespace) -> bool | None:
    """CLI progress: off with --quiet, else on when stderr is a TTY."""
    if getattr(args, "quiet", False):
        return False
    return sys.stderr.isatty()


# --- command registry --------------------------------------------------------
# Each entry: name -> (builder, handler). Builders add their own arguments.
_COMMANDS: dict = {}


def _command(name: str, help: str):
    def deco(builder):
        _COMMANDS[name] = (help, builder)
        return builder

    return deco


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stancekit",
        description="Who said what in the news, and with what stance.",
    )
    parser.add_argument("--version", action="version", version=f"stancekit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (help_, builder) in _COMMANDS.items():
        p = sub.add_parser(name, help=help_, description=help_)
        p.add_argument("-q", "--quiet", action="store_true", help="no progress bars, warnings only")
        p.add_argument("-v", "--verbose", action="count", default=0, help="more logging (-vv for debug)")
        builder(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    _configure_logging(args.verbose, args.quiet)
    _one_line_warnings(args.command)
    try:
        return int(args.func(args) or 0)
    except (StancekitError, FileNotFoundError, ValueError, KeyError) as exc:
        msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"stancekit {args.command}: error: {msg}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # pragma: no cover
        print("interrupted", file=sys.stderr)
        return 130


# === commands ================================================================
# Each command lives in its own section below; keep imports inside handlers so
# `stancekit --help` stays fast and does not load torch or spaCy.


# --- train (lead) ------------------------------------------------------------


@_command("train", "Rebuild the default stance model (LoRA adapter + head) from a NewsMTSC folder.")
def _add_train(p: argparse.ArgumentParser) -> None:
    from . import train as _train  # light: torch is imported only when training starts

    _train.build_parser(p)
    p.set_defaults(func=_cmd_train)


def _cmd_train(args: argparse.Namespace) -> int:
    import json

    from . import train as _train

    card = _train.run(args, show_progress=_progress_flag(args))
    print(json.dumps({k: card[k] for k in ("dev_rw_macro_f1", "dev_mt_macro_f1", "best_epoch")}))
    return 0


# --- train-attribution (tagger) ------------------------------------------------


@_command("train-attribution",
          "Rebuild the learned attribution tagger (LoRA adapter + token head) from a PolNeAR folder (train only).")
def _add_train_attribution(p: argparse.ArgumentParser) -> None:
    from . import train_attribution as _ta  # light: torch is imported only when training starts

    _ta.build_parser(p)
    p.set_defaults(func=_cmd_train_attribution)


def _cmd_train_attribution(args: argparse.Namespace) -> int:
    import json

    from . import train_attribution as _ta

    card = _ta.run(args, show_progress=_progress_flag(args))
    print(json.dumps(_ta.summary(card)))
    return 0


# --- score (models) ----------------------------------------------------------


class _TargetAction(argparse.Action):
    """``--target T``: start a new target; aliases given after it attach to it."""

    def __call__(self, parser, namespace, values, option_string=None):
        targets = list(getattr(namespace, self.dest, None) or [])
        targets.append((values, []))
        setattr(namespace, self.dest, targets)


class _AliasAction(argparse.Action):
    """``--alias A``: an alias of the most recent ``--target``."""

    def __call__(self, parser, namespace, values, option_string=None):
        targets = list(getattr(namespace, "targets", None) or [])
        if not targets:
            parser.error("--alias must follow a --target")
        name, aliases = targets[-1]
        targets[-1] = (name, [*aliases, values])
        namespace.targets = targets


@_command("score", "Score the stance and tone of each statement toward one or more targets.")
def _add_score(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.jsonl",
                   help="JSONL with `text` per line (and `target`, optionally `target_start`/`target_end`, "
                        "unless --target is given); `stancekit statements` output works")
    p.add_argument("--target", dest="targets", action=_TargetAction, metavar="T",
                   help="score every line against target T (repeatable)")
    p.add_argument("--alias", action=_AliasAction, metavar="A",
                   help="another name for the preceding --target (repeatable)")
    p.add_argument("--model", default=None, metavar="NAME_OR_PATH",
                   help="default backend: artifact folder (default: the shipped model); "
                        "nli/classifier: hub id or local folder")
    p.add_argument("--backend", default="default", metavar="NAME",
                   help="default | nli | classifier | vader (default: default)")
    p.add_argument("--format", choices=["jsonl", "csv"], default=None,
                   help="output format (default: from the -o suffix, else jsonl)")
    p.add_argument("-o", "--output", default="-", metavar="OUT", help="output file (default: stdout)")
    p.add_argument("--batch-size", type=int, default=32, metavar="N", help="pairs per model call (default 32)")
    p.add_argument("--max-length", type=int, default=None, metavar="N", help="model window in tokens")
    p.add_argument("--device", default=None, help="cpu, cuda, mps (default: best available)")
    p.add_argument("--no-cache", action="store_true", help="do not read or write the score cache")
    p.add_argument("--precision", choices=PRECISIONS, default="auto",
                   help="compute precision (default auto: bf16 where the CPU/GPU computes it natively, "
                        "else fp32; int8 = dynamic quantization, CPU)")
    p.add_argument("--quantize", action="store_true", help="same as --precision int8")
    p.set_defaults(func=_cmd_score, targets=None)


def _read_score_lines(path: str, need_target: bool) -> list[dict]:
    """JSON objects of ``path`` with a string ``text``; each bad line warns once on stderr."""
    import json
    from pathlib import Path

    if path != "-" and not Path(path).is_file():
        raise FileNotFoundError(f"No such file: {path!r}")
    handle = sys.stdin if path == "-" else open(path, encoding="utf-8-sig")
    records, bad = [], 0
    try:
        for lineno, line in enumerate(handle, 1):
            if not line.strip():
                continue
            why = None
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                rec, why = None, f"not JSON ({exc.msg})"
            if why is None and not isinstance(rec, dict):
                why = "not a JSON object"
            elif why is None and not isinstance(rec.get("text"), str):
                why = "no string `text` field"
            elif why is None and need_target and not (isinstance(rec.get("target"), str) and rec["target"].strip()):
                why = "no `target` field (or pass --target)"
            if why is not None:
                bad += 1
                print(f"stancekit score: warning: {path}:{lineno}: {why}; line skipped", file=sys.stderr)
                continue
            records.append(rec)
    finally:
        if handle is not sys.stdin:
            handle.close()
    if not records:
        raise StancekitError(f"no readable lines in {path} ({bad} bad): each line must be a JSON object "
                             "with a `text` string" + ("" if not need_target else " and a `target`"))
    return records


def _cmd_score(args: argparse.Namespace) -> int:
    import pandas as pd

    from . import io as _io
    from .models import StanceModel, Target

    targets = [Target(name, aliases=aliases) for name, aliases in args.targets] if args.targets else None
    records = _read_score_lines(args.file, need_target=targets is None)
    frame = pd.DataFrame.from_records(records)
    if targets is not None:
        frame = frame.drop(columns=[c for c in ("target", "target_start", "target_end") if c in frame.columns])
    sm = StanceModel(args.model, backend=args.backend, batch_size=args.batch_size, device=args.device,
                     precision="int8" if args.quantize else args.precision, max_length=args.max_length,
                     cache=not args.no_cache,
                     show_progress=_progress_flag(args))
    scored = sm.predict(frame, targets=targets)
    fmt = args.format or ("jsonl" if args.output == "-" or not args.output.lower().endswith(".csv") else "csv")
    _io.write_frame(scored, args.output, format=fmt)
    if args.output != "-":
        log.info("wrote %d scored rows to %s", len(scored), args.output)
    return 0



# --- evaluate-statements -------------------------------------------------------


@_command("evaluate-statements", "Score extracted statements against hand-annotated gold spans.")
def _add_evaluate_statements(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders (as for stancekit.io.read_articles)")
    p.add_argument("--gold", required=True, metavar="GOLD", help="gold JSONL file, or a folder of <article>.jsonl files")
    p.add_argument("--registry", metavar="FILE", help="speaker registry YAML (for extraction and alias matching)")
    p.add_argument("--min-overlap", type=float, default=0.5,
                   help="minimum overlap as a fraction of the shorter span (default 0.5)")
    p.add_argument("--by", metavar="COLUMN", help="break scores down by this column instead of article (e.g. kind)")
    p.add_argument("--errors", dest="show_errors", action="store_true",
                   help="also list misses, false positives and wrong speakers")
    p.add_argument("--method", choices=["rules", "model", "both"], default="rules",
                   help="statement finder to evaluate: rules, the learned tagger (model), or both (default rules)")
    p.set_defaults(func=_cmd_evaluate_statements)


def _cmd_evaluate_statements(args: argparse.Namespace) -> int:
    import pandas as pd

    from . import io as _io
    from .evaluation import evaluate_statements, read_gold, statement_errors
    from .extraction import extract_statements

    gold = read_gold(args.gold)
    articles = _io.read_articles(args.paths, show_progress=_progress_flag(args))
    have_gold = set(gold["article"])
    no_gold = sorted(set(articles["article"]) - have_gold)
    if no_gold:
        log.warning("no gold for %d article(s), not scored: %s", len(no_gold), ", ".join(no_gold))
    articles = articles[articles["article"].isin(have_gold)]
    if articles.empty:
        raise StancekitError(f"none of the articles read from {args.paths} has gold statements in {args.gold}")
    unread = sorted(have_gold - set(articles["article"]))
    if unread:
        log.info("gold for %d article(s) not among the inputs, ignored: %s", len(unread), ", ".join(unread))
    gold = gold[gold["article"].isin(set(articles["article"]))]
    texts = dict(zip(articles["article"], articles["text"]))
    bad = [r for r in gold.itertuples() if texts[r.article][r.start:r.end] != r.text]
    if bad:
        log.warning("%d gold span(s) do not match the article text as read (offsets shifted?); first: %s %d-%d",
                    len(bad), bad[0].article, bad[0].start, bad[0].end)
    predicted = extract_statements(articles, registry=args.registry, show_progress=_progress_flag(args),
                                   method=args.method)
    scores = evaluate_statements(predicted, gold, registry=args.registry, min_overlap=args.min_overlap, by=args.by)
    with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200,
                           "display.max_colwidth", 60):
        print(scores.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
        overall = scores.iloc[-1]
        print(f"\noverall F1 {overall['f1']:.3f} (precision {overall['precision']:.3f}, recall {overall['recall']:.3f}); "
              f"span-only F1 {overall['span_f1']:.3f}")
        if args.show_errors:
            errs = statement_errors(predicted, gold, registry=args.registry, min_overlap=args.min_overlap)
            print(f"\n{len(errs)} error(s): " + ", ".join(f"{k} {v}" for k, v in errs["error"].value_counts().items()))
            if len(errs):
                shown = errs.assign(
                    gold_text=errs["gold_text"].map(lambda t: t if pd.isna(t) else _clip(t)),
                    pred_text=errs["pred_text"].map(lambda t: t if pd.isna(t) else _clip(t)),
                )
                print(shown.to_string(index=False))
    return 0


def _clip(text: str, width: int = 50) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "\u2026"


# --- analyze (pipeline, analysis, plotting, report) ----------------------------


@_command("analyze", "Extract statements, score their stance toward targets, summarize by group, chart and report.")
def _add_analyze(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="article files or folders (.txt/.md/.html/.jsonl/.json/.csv)")
    p.add_argument("--target", dest="targets", action=_TargetAction, metavar="TEXT",
                   help="what the stance is toward (repeatable; at least one)")
    p.add_argument("--alias", action=_AliasAction, metavar="A",
                   help="another name for the preceding --target (repeatable)")
    p.add_argument("--by", default="group", choices=["group", "speaker"],
                   help="summarize per group (default) or per speaker")
    p.add_argument("--registry", default=None, metavar="FILE", help="speaker registry (YAML/JSON/CSV)")
    p.add_argument("--model", default=None, metavar="NAME_OR_PATH",
                   help="default backend: artifact folder (default: the shipped model); "
                        "nli/classifier: hub id or local folder")
    p.add_argument("--backend", default="default", metavar="NAME",
                   help="default | nli | classifier | vader (default: default)")
    p.add_argument("--precision", choices=PRECISIONS, default="auto",
                   help="model compute precision (default auto: bf16 where computed natively, else fp32)")
    p.add_argument("--mentioned-only", action="store_true",
                   help="summarize only statements that mention the target or an alias")
    p.add_argument("--n-boot", type=int, default=2000, metavar="N", help="bootstrap resamples (default 2000)")
    p.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    p.add_argument("--svg", action="store_true", help="also write the charts as SVG")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="output folder")
    p.set_defaults(func=_cmd_analyze, targets=None)


#: Leading columns of scores.csv (the rest follow in their original order).
_SCORES_CSV_FIRST = ["speaker", "group", "text", "target", "stance", "p_favor", "p_none", "p_against", "tone"]


def _cmd_analyze(args: argparse.Namespace) -> int:
    from pathlib import Path

    import pandas as pd

    from . import io as _io
    from .models import StanceModel, Target
    from .pipeline import analyze
    from .report import format_summary, order_summary_columns, save_charts, write_report

    if not args.targets:
        raise ValueError("give at least one --target TEXT (what the stance is toward)")
    targets = [Target(name, aliases=aliases) for name, aliases in args.targets]
    out = Path(args.output)
    model = StanceModel(args.model, backend=args.backend, precision=args.precision,
                        show_progress=_progress_flag(args))
    result = analyze(args.paths, targets=targets, registry=args.registry, by=args.by, model=model,
                     mentioned_only=args.mentioned_only, n_boot=args.n_boot,
                     seed=args.seed, show_progress=_progress_flag(args))
    scores = result.scores
    scores = scores[[c for c in _SCORES_CSV_FIRST if c in scores.columns]
                    + [c for c in scores.columns if c not in _SCORES_CSV_FIRST]]
    summary = order_summary_columns(result.summary, args.by)
    _io.write_frame(result.statements, out / "statements.csv", format="csv")
    _io.write_frame(scores, out / "scores.csv", format="csv")
    _io.write_frame(summary, out / "summary.csv", format="csv")
    charts = save_charts(result, out, formats=("png", "svg") if args.svg else ("png",))
    write_report(result, out / "report.html", charts=charts)
    log.info("wrote statements.csv, scores.csv, summary.csv, %d chart(s) and report.html to %s", len(charts), out)

    shown = format_summary(summary)
    cols = [c for c in shown.columns if c not in ("n_articles", "intensity", "target")]
    if "target" in shown.columns:  # several targets: read the table target by target
        cols = ["target", *cols]
    with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200,
                           "display.max_colwidth", 70):
        if shown.empty:
            print("no statements found")
        else:
            print(shown[cols].to_string(index=False, na_rep="-", float_format=lambda x: f"{x:.2f}"))
    print(f"\n{len(result.articles)} article(s), {len(result.statements)} statement(s); "
          f"model: {', '.join(result.models) or '-'}; output in {out}/")
    return 0


# --- statements / speakers ------------------------------------------------------


@_command("statements", "Extract statements (direct, indirect, mixed, continuation) with resolved speakers.")
def _add_statements(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders (as for stancekit.io.read_articles)")
    p.add_argument("--registry", metavar="FILE", help="speaker registry YAML or CSV")
    p.add_argument("--format", choices=["jsonl", "csv", "parquet"], default=None,
                   help="output format (default: from the -o suffix, JSONL on stdout)")
    p.add_argument("-o", "--output", metavar="OUT", default="-", help="output file (default: JSONL on stdout)")
    p.add_argument("--method", choices=["rules", "model", "both"], default="rules",
                   help="rules, the learned tagger (model), or both merged (default rules)")
    p.set_defaults(func=_cmd_statements)


def _counted_articles(paths: list[str], args: argparse.Namespace, counter: list[int]):
    from .io import iter_articles

    def skipped(name: str, reason: str) -> None:  # one line per bad file; the batch goes on
        print(f"stancekit {args.command}: skipped {name}: {reason}", file=sys.stderr)

    for art in iter_articles(paths, errors="skip", on_skip=skipped, show_progress=False):
        counter[0] += 1
        yield art


def _cmd_statements(args: argparse.Namespace) -> int:
    from .extraction import iter_statements
    from .io import write_frame, write_jsonl_stream
    from .registry import SpeakerRegistry

    registry = SpeakerRegistry.coerce(args.registry)
    counter = [0]
    frames = iter_statements(_counted_articles(args.paths, args, counter), registry=registry,
                             show_progress=_progress_flag(args), method=args.method)
    fmt = args.format
    if fmt is None:
        fmt = "jsonl" if args.output == "-" or args.output.endswith((".jsonl", ".json")) else None

    def checked():
        n = 0
        for frame in frames:
            n += len(frame)
            yield frame
        if counter[0] == 0:
            raise StancekitError(f"no readable articles in {' '.join(args.paths)}")
        log.info("%d statements from %d articles", n, counter[0])

    if fmt == "jsonl":
        write_jsonl_stream(checked(), args.output)
        return 0
    import pandas as pd

    from .extraction import _frame

    parts = [f for f in checked() if len(f)]
    df = pd.concat(parts, ignore_index=True) if parts else _frame([])
    write_frame(df, args.output, format=fmt)
    return 0


@_command("speakers", "List the speakers found in articles, with counts and suggested registry entries.")
def _add_speakers(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    p.add_argument("--registry", metavar="FILE", help="speaker registry YAML or CSV")
    p.set_defaults(func=_cmd_speakers)


def _cmd_speakers(args: argparse.Namespace) -> int:
    import pandas as pd

    from .extraction import iter_statements
    from .registry import SpeakerRegistry, suggest_registry

    registry = SpeakerRegistry.coerce(args.registry)
    counter = [0]
    parts = [f for f in iter_statements(_counted_articles(args.paths, args, counter), registry=registry,
                                        show_progress=_progress_flag(args)) if len(f)]
    if counter[0] == 0:
        raise StancekitError(f"no readable articles in {' '.join(args.paths)}")
    statements = pd.concat(parts, ignore_index=True) if parts else None
    table = suggest_registry(statements, registry=registry)
    if table.empty:
        print("no speakers found")
        return 0
    cols = ["speaker", "n_statements", "n_articles", "group", "resolution", "registered"]
    with pd.option_context("display.max_rows", None, "display.width", 160, "display.max_colwidth", 40):
        print(table[cols].to_string(index=False))
    new = table[~table["registered"] & (table["group"].fillna("unregistered") != "media")]
    if len(new):
        print("\n# suggested registry entries (add under `speakers:`)")
        for entry in new["yaml"]:
            print(entry)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
