"""The command line: `leaddesk [gui]`, sandbox, send, history, show, resend, purge, open,
and team mode's sync and team init.

Exit codes: 0 all went well (every lead accepted), 1 some lead was not accepted or a row
was invalid, 2 bad usage or a file or database that cannot be used, 130 stopped by Ctrl+C,
141 the output's reader went away (as a shell reports a process ended by SIGPIPE).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from leaddesk import __version__
from leaddesk.cli.team_options import add_floor_options, add_team_commands
from leaddesk.config.logs import setup_logging
from leaddesk.config.paths import Paths
from leaddesk.domain.errors import CsvError, SettingsError, StoreError, UsageError
from leaddesk.domain.states import State

EXIT_OK, EXIT_NOT_ALL_ACCEPTED, EXIT_USAGE, EXIT_BROKEN_PIPE = 0, 1, 2, 141
log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leaddesk",
        description="Enter home-security leads and deliver them to SecurityTrax.",
    )
    parser.add_argument("--version", action="version", version=f"LeadDesk {__version__}")
    _add_debug(parser, default=False)
    _add_demo(parser, default=False)
    parser.add_argument(
        "--url",
        dest="window_url",
        metavar="URL",
        help="the dealer's leadpostxml.php address, for this window",
    )
    parser.add_argument(
        "--source-id",
        dest="window_source_id",
        metavar="ID",
        help="your SecurityTrax source ID, for this window",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    # --debug and --demo are also taken after the command (`leaddesk send x.csv --demo`);
    # SUPPRESS leaves the value given before the command in place when they are not.
    debug_only = argparse.ArgumentParser(add_help=False)
    _add_debug(debug_only, default=argparse.SUPPRESS)
    both = argparse.ArgumentParser(add_help=False)
    _add_debug(both, default=argparse.SUPPRESS)
    _add_demo(both, default=argparse.SUPPRESS)

    sandbox = commands.add_parser(
        "sandbox", parents=[debug_only], help="run a local SecurityTrax-compatible endpoint"
    )
    sandbox.add_argument("--host", default="127.0.0.1", help="address to listen on")
    sandbox.add_argument("--port", type=int, default=8765, help="port to listen on")
    sandbox.add_argument(
        "--delay",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="wait this long before answering",
    )
    for name, what in (
        ("reject", "reject this share of valid leads"),
        ("error", "answer HTTP 500 to this share of posts"),
        ("garbage", "answer an HTML page to this share of posts"),
        ("drop", "close the connection, unanswered, after reading this share of posts"),
        ("lost-reply", "accept the leads of this share of posts, then close unanswered"),
    ):
        sandbox.add_argument(f"--{name}-rate", type=_rate, default=0.0, metavar="0..1", help=what)
    sandbox.add_argument(
        "--drip",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="send replies one byte per this many seconds",
    )
    sandbox.add_argument(
        "--seed", type=int, default=None, metavar="N", help="repeat the same faults run to run"
    )

    send = commands.add_parser(
        "send", parents=[both], help="send the leads of a file (CSV, a dialer's list, an ad export)"
    )
    send.add_argument(
        "file",
        type=Path,
        metavar="FILE",
        help="a header row of column names; comma, semicolon, tab or pipe separated",
    )
    send.add_argument(
        "--map",
        type=Path,
        metavar="FILE.toml",
        help="which field each column fills ([columns]) and values for every row ([constants])",
    )
    send.add_argument(
        "--dry-run",
        action="store_true",
        help="show how each column is read and the first rows as they would be sent; send nothing",
    )
    _destination_options(send)
    send.add_argument(
        "--batch-size",
        type=int,
        default=None,
        metavar="N",
        help="leads per post, 1 to 100 (default: the settings' batch_size)",
    )
    send.add_argument(
        "--allow-duplicates",
        action="store_true",
        help="send leads that match a recent lead's phone and last name",
    )

    history = commands.add_parser("history", parents=[both], help="list leads, newest first")
    history.add_argument(
        "--state", choices=[state.value for state in State], help="only leads in this state"
    )
    history.add_argument(
        "--search", default="", metavar="TEXT", help="only leads whose name, phone, email "
        "or customer ID holds this text"
    )  # fmt: skip
    history.add_argument("--limit", type=int, default=None, metavar="N", help="at most N leads")
    history.add_argument("--json", action="store_true", help="print JSON, for scripts")

    show = commands.add_parser(
        "show", parents=[both], help="show a lead and every attempt to send it"
    )
    show.add_argument("id", type=int, metavar="ID", help="the lead's ID, as history lists it")
    show.add_argument("--json", action="store_true", help="print JSON, for scripts")

    resend = commands.add_parser(
        "resend",
        parents=[both],
        help="send rejected, failed or queued leads again, here or to another destination",
    )
    resend.add_argument("ids", type=int, nargs="*", metavar="ID", help="the leads to resend")
    resend.add_argument("--failed", action="store_true", help="every failed lead")
    resend.add_argument(
        "--queued",
        action="store_true",
        help="every queued lead, now (with --url or --destination: moved there)",
    )
    resend.add_argument(
        "--force",
        action="store_true",
        help="also resend unconfirmed leads (they may already be with the dealer)",
    )
    _destination_options(resend)
    add_floor_options(history, resend, show)
    add_team_commands(commands, both, debug_only)

    config = commands.add_parser(
        "config", parents=[debug_only], help="show the effective settings, or check a file"
    )
    config_commands = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    config_commands.add_parser(
        "show", parents=[debug_only], help="the effective settings and where each came from"
    )
    check = config_commands.add_parser(
        "check", parents=[debug_only], help="validate a config file before rolling it out"
    )
    check.add_argument("file", type=Path, metavar="FILE", help="the TOML file to check")

    open_link = commands.add_parser(
        "open",
        parents=[both],
        help="fill the window's form from a dialer's leaddesk://new?… link (never sends)",
        description="Fill the window's form from a dialer's leaddesk://new?… link; never "
        "sends. Exit codes: 0 the link was handed to the window (or the window started for it "
        "closed normally), 1 the open window did not answer, 2 a "
        "link it cannot use (not a leaddesk://new? link, or naming no lead field it knows: "
        "the names of the link's parameters are then shown, never their values).",
    )
    open_link.add_argument(
        "link",
        nargs="?",
        metavar="URL",
        help="a leaddesk://new?… link; without one, show the open window or start one",
    )

    purge = commands.add_parser(
        "purge", parents=[both], help="delete finished leads older than DAYS"
    )
    purge.add_argument(
        "--older-than",
        type=float,
        required=True,
        metavar="DAYS",
        help="age in days; queued leads are always kept",
    )
    return parser


def _add_debug(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--debug",
        action="store_true",
        default=default,
        help="write more detail to the log file (never lead data)",
    )


def _add_demo(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--demo",
        action="store_true",
        default=default,
        help="use a built-in sandbox instead of a real SecurityTrax account; "
        "demo leads are kept apart from real ones",
    )


def _destination_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--destination", metavar="NAME", help="a configured destination")
    parser.add_argument(
        "--url", metavar="URL", help="the dealer's leadpostxml.php address, for this run"
    )
    parser.add_argument(
        "--source-id", metavar="ID", help="your SecurityTrax source ID, for this run"
    )


def _rate(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("a rate is a number from 0 to 1")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    paths = Paths.from_environment()
    setup_logging(paths.log_dir, debug=args.debug)
    log.info("LeadDesk %s: %s", __version__, args.command or "window")
    try:
        code = _dispatch(args, paths)
        sys.stdout.flush()  # here, not at exit, so that a closed pipe is caught below
        return code
    except (UsageError, CsvError, SettingsError, StoreError) as error:
        log.warning("%s", getattr(error, "for_log", error))  # never a CSV file's cells
        print(f"leaddesk: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("leaddesk: stopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`leaddesk history | head -1`): end quietly.
        # Leads not sent yet stay queued for the next send. Python's docs' recipe: point
        # stdout at devnull, so that the flush at exit does not fail a second time.
        log.info("output closed by its reader; stopping")
        _discard_stdout()
        return EXIT_BROKEN_PIPE


def _discard_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout is no real file: nothing will flush to it
        pass


def _open(link: str | None, demo: bool, paths: Paths) -> int:
    """`leaddesk open [URL]`. A link it cannot use is told in the open window as well as
    here: a browser or a dialer runs this command, and nobody reads its terminal. What is
    no LeadDesk link at all starts no window."""
    from leaddesk.app.dialer_link import NO_KNOWN_FIELD, parse_link, refused, what_the_link_named
    from leaddesk.gui.app import open_link  # the window's, as for `leaddesk` above

    if link is None:
        return open_link({}, demo, paths)
    try:
        values = parse_link(link).values
    except UsageError as error:  # its message never repeats the link (passwords)
        log.warning("Refused a dialer link: %s", error)
        print(f"leaddesk: {error}", file=sys.stderr)
        open_link(refused(f"The dialer's link was not used: {error}"), demo, paths, start=False)
        return EXIT_USAGE
    if not values:
        # A failure, as for a link that is none: the dialer's web form is to be fixed. The
        # terminal gets the link's parameter names (never the log: they are the dialer's).
        log.warning("A dialer link named no lead field LeadDesk knows.")
        print(f"leaddesk: {NO_KNOWN_FIELD}\n{what_the_link_named(link)}", file=sys.stderr)
        open_link(refused(NO_KNOWN_FIELD), demo, paths)
        return EXIT_USAGE
    return open_link(values, demo, paths)


def _dispatch(args: argparse.Namespace, paths: Paths) -> int:
    # Each command imports what it needs, so that the window starts without them.
    if args.command == "sandbox":
        from leaddesk.sandbox import Faults
        from leaddesk.sandbox import run as run_sandbox

        faults = Faults(
            delay=args.delay,
            reject_rate=args.reject_rate,
            error_rate=args.error_rate,
            garbage_rate=args.garbage_rate,
            drop_rate=args.drop_rate,
            lost_reply_rate=args.lost_reply_rate,
            drip=args.drip,
            seed=args.seed,
        )
        return run_sandbox(args.host, args.port, faults)
    if args.command is None:
        from leaddesk.gui.app import run_gui  # Qt loads only when the window is wanted

        return run_gui(args.demo, args.window_url, args.window_source_id, paths)
    if args.command == "open":
        return _open(args.link, args.demo, paths)
    if args.command == "config":
        from leaddesk.cli.config import check_config, show_config

        return check_config(args.file) if args.config_command == "check" else show_config()
    if args.command == "team":
        from leaddesk.cli.team import run_team_init

        return run_team_init(args, paths)
    from leaddesk.app.context import Context
    from leaddesk.cli.history import print_history, print_show
    from leaddesk.cli.send import resend_leads
    from leaddesk.cli.send_stream import send_file
    from leaddesk.cli.team import floor_session, run_floor_command
    from leaddesk.wire.formats import cut_document

    with (
        Context.from_environment(demo=args.demo, paths=paths) as context,
        floor_session(context, args.command) as team,  # team mode: pushes after the command
    ):
        floor_code = run_floor_command(context, args, team)
        if floor_code is not None:
            return floor_code
        if args.command == "send":
            if args.batch_size is not None and not 1 <= args.batch_size <= 100:
                raise UsageError("--batch-size must be from 1 to 100.")
            return send_file(context, args, team)
        if args.command == "resend":
            if not args.ids and not args.failed and not args.queued:
                raise UsageError("name the leads to resend (IDs), or give --failed or --queued.")
            return resend_leads(context, args, team)
        if args.command == "history":
            return print_history(context, args)
        if args.command == "show":
            return print_show(context, args)
        if args.command == "purge":
            with context.open_store() as store:
                removed = store.purge(args.older_than, cut_document)
            print(
                f"Deleted {removed} finished lead{'s' if removed != 1 else ''} "
                f"older than {args.older_than:g} days; queued leads are kept."
            )
            return EXIT_OK
    raise AssertionError(args.command)
