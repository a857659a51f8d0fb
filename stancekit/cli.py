"""Command-line interface: ``stancekit <command> ...``.

The only module that imports all others and configures logging. Each
command is one ``_cmd_<name>(args)`` function plus an ``_add_<name>(sub)``
parser builder; user errors (:class:`stancekit.StancekitError`, bad
arguments, unreadable input) print one line to stderr and exit 2.
"""
from __future__ import annotations

import argparse
import logging
import os
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


def _method_kw(args: argparse.Namespace) -> dict:
    """``method=`` for extraction when --method was given (else extraction.DEFAULT_METHOD applies)."""
    return {} if getattr(args, "method", None) is None else {"method": args.method}


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
        p = sub.add_parser(name, help=help_, description=help_, epilog=_EXAMPLES.get(name),
                           formatter_class=argparse.RawDescriptionHelpFormatter)
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
    restore = _exit_cleanly_on_sigterm()
    try:
        return int(args.func(args) or 0)
    except (StancekitError, FileNotFoundError, ValueError, KeyError) as exc:
        msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"stancekit {args.command}: error: {_one_line(msg)}", file=sys.stderr)
        return 2
    except (OSError, UnicodeError) as exc:  # a file problem the checks above did not foresee: still one line
        print(f"stancekit {args.command}: error: {_one_line(_describe_os_error(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # pragma: no cover
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        restore()


# --- argument checks, one-line errors, output files (issue 10) ----------------------
# Every check here runs before any article is read or any model is loaded, so a
# typo costs a second, not a scoring run.

#: Examples shown at the end of each command's --help.
_EXAMPLES = {
    "analyze": """examples:
  stancekit analyze seeds/ --registry seeds/registry.yaml --target "the United States" --alias US -o out/seed
  stancekit analyze articles/ --target Canada --alias Ottawa --target China --by speaker --svg -o out/corpus""",
    "score": """examples:
  stancekit statements seeds/ -o statements.jsonl && stancekit score statements.jsonl --target Canada -o scores.csv
  stancekit score statements.jsonl --target "Donald Trump" --articles seeds/   # "he", "the nominee" count
  stancekit score pairs.jsonl --backend vader   # each line: {"text": ..., "target": ...}""",
    "statements": """examples:
  stancekit statements seeds/ --registry seeds/registry.yaml -o statements.csv
  stancekit statements articles/*.html > statements.jsonl""",
    "speakers": """examples:
  stancekit speakers seeds/
  stancekit speakers articles/ --registry my_registry.yaml   # suggests entries for the unregistered""",
    "evaluate-statements": """examples:
  stancekit evaluate-statements --gold tests/data/gold seeds/ --registry seeds/registry.yaml
  stancekit evaluate-statements --gold gold.jsonl articles/ --errors""",
    "train": """examples:
  stancekit train --data ../shared/data/newsmtsc        # the default model: stage 1 (model 2.0 recipe) + stage 2 (country sets)
  stancekit train --data my_labels.csv --init default --out my-model/   # adapt to your labels""",
}


def _one_line(message) -> str:
    return " ".join(str(message).split())


def _describe_os_error(exc: BaseException) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"cannot decode input as {exc.encoding} (byte 0x{exc.object[exc.start]:02X}): save it as UTF-8"
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror or exc}"
    return str(exc)


def _exit_cleanly_on_sigterm():
    """Turn SIGTERM into SystemExit so `finally` blocks (temporary files) run; returns the undo."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = signal.getsignal(signal.SIGTERM)

    def handler(signum, frame):
        raise SystemExit(128 + signum)

    try:
        signal.signal(signal.SIGTERM, handler)
    except (ValueError, OSError):  # pragma: no cover - not allowed here
        return lambda: None
    return lambda: signal.signal(signal.SIGTERM, previous)


def _check_output_file(path: str, *, flag: str = "-o", example: str = "out.jsonl") -> None:
    """``path`` can be written as a file: not a folder, no file where a parent folder should be."""
    from pathlib import Path

    if path == "-":
        return
    out = Path(path)
    if out.is_dir():
        raise StancekitError(f"{flag} {path} is a folder; give a file name, e.g. {flag} {out / example}")
    for parent in out.parents:
        if parent.exists():
            if not parent.is_dir():
                raise StancekitError(f"{flag} {path}: {parent} is a file, not a folder")
            if not os.access(parent, os.W_OK | os.X_OK):
                raise StancekitError(f"{flag} {path}: cannot write in {parent} (permission denied)")
            break


def _output_format(path: str, fmt: str | None, choices: tuple[str, ...]) -> str:
    """The format to write: ``--format``, else from the -o suffix, else JSONL for stdout."""
    from pathlib import Path

    if fmt:
        return fmt
    if path == "-":
        return "jsonl"
    suffix = Path(path).suffix.lower()
    found = {".jsonl": "jsonl", ".json": "jsonl", ".ndjson": "jsonl", ".csv": "csv",
             ".parquet": "parquet", ".pq": "parquet"}.get(suffix)
    if found is None or found not in choices:
        raise StancekitError(f"-o {path}: cannot tell the output format from {suffix or 'a missing suffix'!r}; "
                             f"add --format {{{','.join(choices)}}} or use a "
                             f"{'/'.join('.' + c for c in choices)} name")
    return found


def _check_count(flag: str, value, minimum: int = 1) -> None:
    if value is not None and value < minimum:
        raise StancekitError(f"{flag} {value}: give a whole number >= {minimum}")


def _check_device(device: str | None) -> None:
    """``--device``: cpu, cuda, cuda:N or mps, and available on this machine."""
    import re

    if device is None:
        return
    if not re.fullmatch(r"cpu|cuda(:\d+)?|mps", device):
        raise StancekitError(f"--device {device}: unknown device; use cpu, cuda, cuda:N or mps")
    if device == "cpu":
        return
    import torch

    if device.startswith("cuda"):
        if not torch.cuda.is_available():
            raise StancekitError(f"--device {device}: no CUDA device here (this torch "
                                 f"{'has no CUDA support' if not torch.backends.cuda.is_built() else 'finds no GPU'}); "
                                 "use --device cpu")
        index = int(device.split(":")[1]) if ":" in device else 0
        if index >= torch.cuda.device_count():
            raise StancekitError(f"--device {device}: only {torch.cuda.device_count()} CUDA device(s) here")
    elif device == "mps":
        mps = getattr(torch.backends, "mps", None)
        if mps is None or not mps.is_available():
            raise StancekitError("--device mps: Apple's MPS is not available here; use --device cpu")


def _position_limit(backend: str, model: str | None) -> int | None:
    """Longest input (tokens) the model's position embeddings allow, when it can be read without loading it."""
    import json
    from pathlib import Path

    folder = None
    if backend == "default":
        try:
            from ._tsc import default_base_path

            folder = Path(default_base_path())
        except StancekitError:
            return None
    elif model and Path(model).is_dir():
        folder = Path(model)
    if folder is None or not (folder / "config.json").is_file():
        return None
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    limit = config.get("max_position_embeddings")
    return int(limit) if isinstance(limit, int) else None


def _check_max_length(value: int | None, backend: str, model: str | None) -> None:
    if value is None:
        return
    if value < 8:
        raise StancekitError(f"--max-length {value}: give at least 8 tokens (statement, target and markers)")
    limit = _position_limit(backend, model)
    if limit is not None and value > limit:
        raise StancekitError(f"--max-length {value}: the model reads at most {limit} tokens; "
                             f"give --max-length {limit} or less")


def _check_registry(path: str | None):
    """Parse ``--registry`` now (one-line error naming file and line); returns the registry or None."""
    if path is None:
        return None
    from pathlib import Path

    from .registry import SpeakerRegistry

    if not Path(path).exists():
        raise StancekitError(f"--registry {path}: no such file")
    return SpeakerRegistry.from_file(path)


def _check_cache(no_cache: bool = False) -> None:
    """The score cache folder is usable; a corrupt cache file is moved aside once (and rebuilt)."""
    if no_cache:
        return
    import sqlite3
    import warnings
    from pathlib import Path

    env = os.environ.get("STANCEKIT_CACHE_DIR")
    if env:
        folder = Path(env).expanduser()
        if folder.exists() and not folder.is_dir():
            raise StancekitError(f"STANCEKIT_CACHE_DIR={env} is a file; point it at a folder (or pass --no-cache)")
        for parent in folder.parents:
            if parent.exists():
                if not parent.is_dir():
                    raise StancekitError(f"STANCEKIT_CACHE_DIR={env}: {parent} is a file, not a folder")
                break
    from .models import default_cache_dir

    db = default_cache_dir() / "scores.sqlite"
    if not db.is_file():
        return
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
        try:
            ok = conn.execute("PRAGMA quick_check").fetchone()
        finally:
            conn.close()
        if ok and ok[0] == "ok":
            return
        why = str(ok[0]) if ok else "no answer"
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc):  # another process is writing: not corrupt
            return
        why = str(exc)
    except sqlite3.DatabaseError as exc:
        why = str(exc)
    aside = db.with_name(db.name + ".corrupt")
    k = 1
    while aside.exists():
        k += 1
        aside = db.with_name(f"{db.name}.corrupt{k}")
    os.replace(db, aside)
    for extra in ("-wal", "-shm"):
        side = db.with_name(db.name + extra)
        if side.exists():
            os.replace(side, aside.with_name(aside.name + extra))
    warnings.warn(f"score cache {db} was unreadable ({why}); moved aside to {aside.name}, a new cache is built")


# === commands ================================================================
# Each command lives in its own section below; keep imports inside handlers so
# `stancekit --help` stays fast and does not load torch or spaCy.


# --- train (lead) ------------------------------------------------------------


@_command("train", "Rebuild the default stance model (NewsMTSC + the political stance set), or adapt it to "
                   "your labels with --init.")
def _add_train(p: argparse.ArgumentParser) -> None:
    from . import train as _train  # light: torch is imported only when training starts

    _train.build_parser(p)
    p.set_defaults(func=_cmd_train)


def _cmd_train(args: argparse.Namespace) -> int:
    import json

    from . import train as _train

    print(json.dumps(_train.run(args, show_progress=_progress_flag(args))))
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
                        "nli/classifier: hub id or local folder; llm: the model name on the server")
    p.add_argument("--backend", default="default", metavar="NAME",
                   help="default | nli | classifier | vader | llm (default: default)")
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
    p.add_argument("--articles", nargs="+", default=None, metavar="PATH",
                   help="the articles the statements come from (files or folders, as for `statements`): "
                        "pronouns and role nouns that refer to a target count as mentions")
    _add_llm_options(p)
    p.set_defaults(func=_cmd_score, targets=None)


def _add_llm_options(p: argparse.ArgumentParser) -> None:
    """Options of the llm backend (``--backend llm --model NAME --base-url URL``), shared by score and analyze."""
    g = p.add_argument_group("llm backend (any OpenAI-compatible server: vLLM, Ollama, llama.cpp, OpenAI)")
    g.add_argument("--base-url", default=None, metavar="URL",
                   help="server URL, e.g. http://127.0.0.1:8000/v1 (default: $OPENAI_BASE_URL, else OpenAI)")
    g.add_argument("--api-key-env", default=None, metavar="VAR",
                   help="environment variable holding the API key (default OPENAI_API_KEY)")
    g.add_argument("--max-concurrency", type=int, default=None, metavar="N", help="requests in flight (default 8)")
    g.add_argument("--timeout", type=float, default=None, metavar="S", help="seconds per request (default 60)")
    g.add_argument("--max-retries", type=int, default=None, metavar="N",
                   help="retries per pair on 429/5xx/timeouts (default 4)")
    g.add_argument("--price-per-1k", type=float, nargs="+", default=None, metavar="PRICE",
                   help="price per 1k tokens, or PROMPT COMPLETION prices, for the cost estimate")
    g.add_argument("--few-shot", default=None, metavar="FILE.jsonl",
                   help="few-shot examples (text, target, stance per line); 'none' for zero-shot")


def _llm_options(args: argparse.Namespace) -> dict:
    """StanceModel options from the llm flags that were given (other backends refuse them, one-line error)."""
    if args.price_per_1k is not None and len(args.price_per_1k) > 2:
        raise ValueError("--price-per-1k takes one price, or two (prompt, completion)")
    opts = {"base_url": args.base_url, "api_key_env": args.api_key_env, "max_concurrency": args.max_concurrency,
            "timeout": args.timeout, "max_retries": args.max_retries,
            "price_per_1k": (None if args.price_per_1k is None else
                             args.price_per_1k[0] if len(args.price_per_1k) == 1 else tuple(args.price_per_1k)),
            "few_shot": [] if (args.few_shot or "").lower() == "none" else args.few_shot}
    opts = {k: v for k, v in opts.items() if v is not None}
    if args.backend.split(".")[0] == "llm" and args.verbose < 2:
        # One INFO line per HTTP request from the client's transport would bury the run's own report.
        for name in ("httpx", "httpx2", "openai"):
            logging.getLogger(name).setLevel(logging.WARNING)
    return opts


#: At most this many bad lines are reported one by one; the rest are counted.
_MAX_LINE_WARNINGS = 20


def _score_lines(path: str):
    """``(line number, text)`` of each line of ``path``, decoded line by line.

    A file with a UTF-16/32 byte-order mark is decoded whole; otherwise each
    line is UTF-8 on its own, so one bad byte costs one line (yielded as
    ``(lineno, UnicodeDecodeError)``), not the file.
    """
    from pathlib import Path

    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        p = Path(path)
        if p.is_dir():
            raise StancekitError(f"{path} is a folder; score reads one JSONL file "
                                 "(make one with `stancekit statements FOLDER -o statements.jsonl`)")
        if not p.exists():
            raise FileNotFoundError(f"No such file: {path!r}")
        data = p.read_bytes()
    for bom, codec in ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                       (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise StancekitError(f"{path}: broken {codec.upper()} text ({exc.reason}); save it as UTF-8") from exc
            for lineno, line in enumerate(text.splitlines(), 1):
                yield lineno, line
            return
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for lineno, raw in enumerate(data.split(b"\n"), 1):
        try:
            yield lineno, raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield lineno, exc


def _bad_line_reason(rec, need_target: bool) -> str | None:
    if not isinstance(rec, dict):
        return "not a JSON object"
    if not isinstance(rec.get("text"), str):
        return "no string `text` field"
    if need_target and not (isinstance(rec.get("target"), str) and rec["target"].strip()):
        return "no `target` field (or pass --target)"
    for key in ("text", "target"):
        value = rec.get(key)
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                return f"`{key}` holds a lone surrogate {value[exc.start]!r} (an unpaired \\u escape)"
    return None


def _check_offsets(rec: dict) -> str | None:
    """Drop ``target_start``/``target_end`` that cannot be a span of ``text``; return why."""
    if "target_start" not in rec and "target_end" not in rec:
        return None
    s, e = rec.get("target_start"), rec.get("target_end")
    if s is None and e is None:
        return None
    n = len(rec["text"])
    ok = (isinstance(s, int) and isinstance(e, int) and not isinstance(s, bool) and not isinstance(e, bool)
          and 0 <= s < e <= n)
    if ok:
        return None
    rec.pop("target_start", None)
    rec.pop("target_end", None)
    if isinstance(s, int) and isinstance(e, int) and s >= e:
        what = "reversed or empty"
    elif isinstance(s, int) and isinstance(e, int):
        what = f"out of range for a text of {n} characters"
    else:
        what = "not whole numbers"
    return f"target_start/target_end {s!r}-{e!r} {what}; the offsets are ignored and the target is looked up in the text"


def _read_score_lines(path: str, need_target: bool) -> list[dict]:
    """JSON objects of ``path`` with a string ``text``; each bad line is one warning (file:line), the rest is kept."""
    import json

    records, bad, shown = [], 0, 0

    def warn(lineno: int, why: str, *, skipped: bool = True) -> None:
        nonlocal shown
        shown += 1
        if shown <= _MAX_LINE_WARNINGS:
            print(f"stancekit score: warning: {path}:{lineno}: {why}" + ("; line skipped" if skipped else ""),
                  file=sys.stderr)

    for lineno, line in _score_lines(path):
        if isinstance(line, UnicodeDecodeError):
            bad += 1
            byte = line.object[line.start]
            warn(lineno, "binary data" if byte == 0 or b"\x00" in line.object
                 else f"not UTF-8 (byte 0x{byte:02X} at column {line.start + 1})")
            continue
        if not line.strip():
            continue
        if "\x00" in line:
            bad += 1
            warn(lineno, "binary data")
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            bad += 1
            warn(lineno, f"not JSON ({exc.msg})")
            continue
        why = _bad_line_reason(rec, need_target)
        if why is not None:
            bad += 1
            warn(lineno, why)
            continue
        if need_target:
            note = _check_offsets(rec)
            if note:
                warn(lineno, note, skipped=False)
        records.append(rec)
    if shown > _MAX_LINE_WARNINGS:
        print(f"stancekit score: warning: {path}: {shown - _MAX_LINE_WARNINGS} more line warning(s) not shown",
              file=sys.stderr)
    if not records:
        raise StancekitError(f"no readable lines in {path} ({bad} bad): each line must be a JSON object "
                             "with a `text` string" + ("" if not need_target else " and a `target`"))
    return records


def _cmd_score(args: argparse.Namespace) -> int:
    import pandas as pd

    from . import io as _io

    # checks first: nothing is read or loaded until the arguments are known to work
    _check_output_file(args.output, example=f"scores.{args.format or 'jsonl'}")
    fmt = _output_format(args.output, args.format, ("jsonl", "csv"))
    _check_count("--batch-size", args.batch_size)
    _check_device(args.device)
    _check_max_length(args.max_length, args.backend, args.model)
    _check_cache(args.no_cache)

    from .models import StanceModel, Target

    targets = [Target(name, aliases=aliases) for name, aliases in args.targets] if args.targets else None
    records = _read_score_lines(args.file, need_target=targets is None)
    frame = pd.DataFrame.from_records(records)
    if targets is not None:
        frame = frame.drop(columns=[c for c in ("target", "target_start", "target_end") if c in frame.columns])
    sm = StanceModel(args.model, backend=args.backend, batch_size=args.batch_size, device=args.device,
                     precision="int8" if args.quantize else args.precision, max_length=args.max_length,
                     cache=not args.no_cache,
                     show_progress=_progress_flag(args), **_llm_options(args))
    articles = None
    if args.articles:
        if "article" not in frame.columns:
            raise ValueError(f"--articles needs an `article` field in {args.file} (as `stancekit statements` writes)")
        articles = _io.read_articles(args.articles, show_progress=False)
    scored = sm.predict(frame, targets=targets, articles=articles)
    _io.write_frame(scored, args.output, format=fmt)
    if args.output != "-":
        log.info("wrote %d scored rows to %s", len(scored), args.output)
    return 0



# --- evaluate-statements -------------------------------------------------------


@_command("evaluate-statements", "Score extracted statements against hand-annotated gold spans.")
def _add_evaluate_statements(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="article files or folders (as for stancekit.io.read_articles); with --gold-format polnear, "
                        "optional (default: every article of the split)")
    p.add_argument("--gold", required=True, metavar="GOLD",
                   help="gold JSONL file, or a folder of <article>.jsonl files; with --gold-format polnear, the "
                        "PolNeAR folder or one of its split folders (e.g. ../shared/data/polnear/dev)")
    p.add_argument("--gold-format", choices=["jsonl", "polnear"], default="jsonl",
                   help="jsonl: stancekit gold lines (default); polnear: PolNeAR's brat annotations, scored by kind")
    p.add_argument("--split", choices=["train", "dev", "test"], default=None,
                   help="PolNeAR split when --gold is the corpus folder (default dev)")
    p.add_argument("--all-attributions", action="store_true",
                   help="PolNeAR: also count attributions stancekit does not count as statements (no Source, "
                        "documents and polls, the author's 'I'), speaker unchecked")
    p.add_argument("--registry", metavar="FILE", help="speaker registry YAML (for extraction and alias matching)")
    p.add_argument("--min-overlap", type=float, default=0.5,
                   help="minimum overlap as a fraction of the shorter span (default 0.5)")
    p.add_argument("--by", metavar="COLUMN", help="break scores down by this column instead of article (e.g. kind)")
    p.add_argument("--errors", dest="show_errors", action="store_true",
                   help="also list misses, false positives and wrong speakers")
    p.add_argument("--method", choices=["rules", "model", "both"], default=None,
                   help="statement finder to evaluate: rules, the learned tagger (model), or both "
                        "(default: extraction.DEFAULT_METHOD, both)")
    p.set_defaults(func=_cmd_evaluate_statements)


def _cmd_evaluate_statements(args: argparse.Namespace) -> int:
    if args.gold_format == "polnear":
        return _evaluate_polnear(args)
    if not args.paths:
        raise StancekitError("give at least one article PATH (only --gold-format polnear reads the articles itself)")
    import pandas as pd

    from . import io as _io
    from .evaluation import evaluate_statements, read_gold, statement_errors
    from .extraction import extract_statements

    _check_utf8_files(args.gold, flag="--gold")
    _check_registry(args.registry)  # one-line error now; extraction reads the file itself
    registry = args.registry
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
    predicted = extract_statements(articles, registry=registry, show_progress=_progress_flag(args),
                                   **_method_kw(args))
    scores = evaluate_statements(predicted, gold, registry=registry, min_overlap=args.min_overlap, by=args.by)
    with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200,
                           "display.max_colwidth", 60):
        print(scores.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
        _print_overall_and_errors(scores, statement_errors(predicted, gold, registry=registry,
                                                           min_overlap=args.min_overlap)
                                  if args.show_errors else None)
    return 0


def _check_utf8_files(path: str, *, flag: str) -> None:
    """Every JSONL file at ``path`` (a file or a folder's ``*.jsonl``) is UTF-8; else name the file and line."""
    from pathlib import Path

    p = Path(path)
    files = sorted(p.glob("*.jsonl")) if p.is_dir() else [p] if p.is_file() else []
    for file in files:
        data = file.read_bytes()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise StancekitError(f"{flag} {file}:{line}: not UTF-8 (byte 0x{data[exc.start]:02X}); "
                                 "save the file as UTF-8") from exc


def _polnear_split(gold: str, split: str | None) -> tuple[str, str]:
    """(corpus folder, split) from --gold given as the corpus folder or one of its split folders."""
    from pathlib import Path

    from .polnear import SPLITS

    path = Path(gold).expanduser()
    if path.name in SPLITS and (path / "attributions").is_dir():
        if split is not None and split != path.name:
            raise StancekitError(f"--gold {gold} is the {path.name!r} split but --split is {split!r}")
        return str(path.parent), path.name
    if not path.is_dir():
        raise FileNotFoundError(f"PolNeAR folder {gold!r} does not exist.")
    return str(path), split or "dev"


def _evaluate_polnear(args: argparse.Namespace) -> int:
    import pandas as pd

    from . import io as _io
    from . import polnear
    from .evaluation import KIND_FAMILY, evaluate_statements, statement_errors
    from .extraction import extract_statements

    root, split = _polnear_split(args.gold, args.split)
    gold = polnear.gold_statements(split, path=root)
    if args.paths:
        articles = _io.read_articles(args.paths, show_progress=_progress_flag(args))
        known = set(gold["article"])
        articles = articles[articles["article"].isin(known)]
        if articles.empty:
            raise StancekitError(f"none of the articles read from {args.paths} is in PolNeAR {split}")
        # the corpus text is what the offsets count ("\r\n" kept); never a re-read of it
        articles = articles.assign(text=[polnear.article_text(a, split=split, path=root) for a in articles["article"]])
    else:
        articles = polnear.read_articles(split, path=root)
    gold = gold[gold["article"].isin(set(articles["article"]))]
    n_all = gold["statement_id"].nunique()
    if args.all_attributions:
        gold = gold.assign(speaker_check=gold["speaker_check"] & gold["counted"])
    else:
        gold = gold[gold["counted"]]
    predicted = extract_statements(articles[["article", "text"]], registry=args.registry,
                                   show_progress=_progress_flag(args), **_method_kw(args))
    predicted = predicted.assign(kind=predicted["kind"].map(lambda k: KIND_FAMILY.get(k, k)))
    by = args.by or "kind"
    scores = evaluate_statements(predicted, gold, min_overlap=args.min_overlap, by=by, speaker_match="name")
    with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200,
                           "display.max_colwidth", 60):
        print(f"PolNeAR {split}: {len(articles)} articles, {gold['statement_id'].nunique()} of {n_all} attributions "
              f"counted ({'all' if args.all_attributions else 'statements by people and organisations'}), "
              f"{len(gold)} content spans")
        print(scores.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
        _print_overall_and_errors(scores, statement_errors(predicted, gold, min_overlap=args.min_overlap,
                                                           speaker_match="name")
                                  if args.show_errors else None)
    return 0


def _print_overall_and_errors(scores, errs) -> None:
    """The overall line of an evaluate-statements table, then the errors (``errs``) when asked for."""
    import pandas as pd

    overall = scores.iloc[-1]
    print(f"\noverall F1 {overall['f1']:.3f} (precision {overall['precision']:.3f}, recall {overall['recall']:.3f}); "
          f"span-only F1 {overall['span_f1']:.3f}")
    if errs is None:
        return
    print(f"\n{len(errs)} error(s): " + ", ".join(f"{k} {v}" for k, v in errs["error"].value_counts().items()))
    if len(errs):
        shown = errs.assign(
            gold_text=errs["gold_text"].map(lambda t: t if pd.isna(t) else _clip(t)),
            pred_text=errs["pred_text"].map(lambda t: t if pd.isna(t) else _clip(t)),
        )
        print(shown.to_string(index=False))


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
                        "nli/classifier: hub id or local folder; llm: the model name on the server")
    p.add_argument("--backend", default="default", metavar="NAME",
                   help="default | nli | classifier | vader | llm (default: default)")
    p.add_argument("--precision", choices=PRECISIONS, default="auto",
                   help="model compute precision (default auto: bf16 where computed natively, else fp32)")
    p.add_argument("--mentioned-only", action="store_true",
                   help="summarize only statements that mention the target or an alias")
    p.add_argument("--n-boot", type=int, default=2000, metavar="N", help="bootstrap resamples (default 2000)")
    p.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    p.add_argument("--svg", action="store_true", help="also write the charts as SVG")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="output folder")
    _add_llm_options(p)
    _add_corpus_options(p)
    p.set_defaults(func=_cmd_analyze, targets=None)


def _add_corpus_options(p: argparse.ArgumentParser) -> None:
    """Options of streaming corpus runs (partitions, resuming, Dask)."""
    g = p.add_argument_group("large corpora")
    g.add_argument("--partition-size", type=int, default=100, metavar="N",
                   help="articles per partition, the unit of work and of recovery (default 100)")
    g.add_argument("--workers", type=int, default=None, metavar="N",
                   help="run on a local Dask cluster of N worker processes (needs stancekit[scale])")
    g.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="run on an existing Dask cluster, e.g. tcp://HOST:8786 (needs stancekit[scale])")
    g.add_argument("--overwrite", action="store_true",
                   help="replace the outputs of a run with another model or options in the output folder")


def _dask_client(args: argparse.Namespace):
    """A Dask client for --workers/--scheduler, or None; (client, cluster) to close afterwards."""
    if args.workers is not None and args.scheduler:
        raise ValueError("give either --workers (a local cluster) or --scheduler (an existing one), not both")
    if args.workers is None and not args.scheduler:
        return None, None
    if args.workers is not None and args.workers < 1:
        raise ValueError(f"--workers must be at least 1, not {args.workers}")
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise StancekitError("--workers/--scheduler need dask: pip install 'stancekit[scale]'") from exc
    if args.scheduler:
        try:
            return Client(args.scheduler, timeout="30s"), None
        except OSError as exc:
            raise StancekitError(f"cannot reach the Dask scheduler at {args.scheduler}: {exc}") from exc
    # One thread per worker process: spaCy and torch are not thread-parallel here, and processes add the cores.
    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True)
    return Client(cluster), cluster


def _cmd_analyze(args: argparse.Namespace) -> int:
    import pandas as pd

    from .models import StanceModel, Target
    from .pipeline import analyze_corpus
    from .report import RunFolder, format_summary, order_summary_columns

    if not args.targets:
        raise ValueError("give at least one --target TEXT (what the stance is toward)")
    # checks first: a bad -o, --n-boot, --partition-size or --registry is reported before any article is read
    RunFolder.check(args.output)
    _check_count("--n-boot", args.n_boot)
    _check_count("--partition-size", args.partition_size)
    registry = _check_registry(args.registry)
    targets = [Target(name, aliases=aliases) for name, aliases in args.targets]
    # No SQLite score cache: the partition files are the cache of a corpus run.
    model = StanceModel(args.model, backend=args.backend, precision=args.precision, cache=False,
                        show_progress=_progress_flag(args), **_llm_options(args))
    client, cluster = _dask_client(args)
    try:
        result = analyze_corpus(args.paths, args.output, targets=targets, registry=registry, by=args.by,
                                model=model, mentioned_only=args.mentioned_only, n_boot=args.n_boot, seed=args.seed,
                                partition_size=args.partition_size, client=client, overwrite=args.overwrite,
                                chart_formats=("png", "svg") if args.svg else ("png",),
                                show_progress=_progress_flag(args))
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
    log.info("wrote statements/, scores/ (Parquet), summary.csv, charts and report.html to %s "
             "(%d of %d partition(s) processed now)", args.output, result.n_processed, result.n_partitions)

    shown = format_summary(order_summary_columns(result.summary, args.by))
    cols = [c for c in shown.columns if c not in ("n_articles", "intensity", "target")]
    if "target" in shown.columns:  # several targets: read the table target by target
        cols = ["target", *cols]
    with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200,
                           "display.max_colwidth", 70):
        if shown.empty:
            print("no statements found")
        else:
            print(shown[cols].to_string(index=False, na_rep="-", float_format=lambda x: f"{x:.2f}"))
    print(f"\n{result.n_articles} article(s), {result.n_statements} statement(s); "
          f"model: {', '.join(result.models) or '-'}; output in {args.output.rstrip('/')}/")
    return 0


# --- statements / speakers ------------------------------------------------------


@_command("statements", "Extract statements (direct, indirect, mixed, continuation) with resolved speakers.")
def _add_statements(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders (as for stancekit.io.read_articles)")
    p.add_argument("--registry", metavar="FILE", help="speaker registry YAML or CSV")
    p.add_argument("--format", choices=["jsonl", "csv", "parquet"], default=None,
                   help="output format (default: from the -o suffix, JSONL on stdout)")
    p.add_argument("-o", "--output", metavar="OUT", default="-", help="output file (default: JSONL on stdout)")
    p.add_argument("--method", choices=["rules", "model", "both"], default=None,
                   help="rules, the learned tagger (model), or both merged (default: extraction.DEFAULT_METHOD, "
                        "both)")
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

    _check_output_file(args.output, example=f"statements.{args.format or 'jsonl'}")
    fmt = _output_format(args.output, args.format, ("jsonl", "csv", "parquet"))
    registry = _check_registry(args.registry) or SpeakerRegistry()
    counter = [0]
    frames = iter_statements(_counted_articles(args.paths, args, counter), registry=registry,
                             show_progress=_progress_flag(args), **_method_kw(args))

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

    registry = _check_registry(args.registry) or SpeakerRegistry()
    counter = [0]
    parts = [f for f in iter_statements(_counted_articles(args.paths, args, counter), registry=registry,
                                        show_progress=_progress_flag(args)) if len(f)]
    if counter[0] == 0:
        raise StancekitError(f"no readable articles in {' '.join(args.paths)}")
    statements = pd.concat(parts, ignore_index=True) if parts else None
    table = suggest_registry(statements, registry=registry, include_registered=True)
    if table.empty:
        print("no speakers found")
        return 0
    cols = ["speaker", "n_statements", "n_articles", "group", "group_inferred", "resolution", "registered"]
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
