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

log = logging.getLogger(__name__)


def _configure_logging(verbosity: int, quiet: bool) -> None:
    level = logging.WARNING if quiet else (logging.DEBUG if verbosity > 1 else logging.INFO)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("stancekit").setLevel(level)


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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
