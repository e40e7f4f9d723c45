"""Team mode on the command line: `leaddesk team init`, `leaddesk sync`, `history --floor`,
`resend --floor`, and the push to the floor after each command."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from leaddesk.app.context import Context
from leaddesk.app.floor_resend import FloorResent, Retarget, resend_for_floor
from leaddesk.app.team_desk import TeamDesk
from leaddesk.cli.history import lead_record
from leaddesk.config import config_files
from leaddesk.config.paths import Paths
from leaddesk.config.team_settings import team_database, without_password
from leaddesk.domain.errors import UsageError
from leaddesk.domain.server_text import escape_controls
from leaddesk.domain.states import State

EXIT_OK, EXIT_NOT_ALL_ACCEPTED, EXIT_UNUSABLE = 0, 1, 2
# A command's closing push stops after this many pages (of 500 leads): the first command
# of a desk with a long history does not hold its terminal for long.
CLOSING_PUSH_PAGES = 20


def run_team_init(args: argparse.Namespace, paths: Paths) -> int:
    from leaddesk.team.floor_setup import init_floor
    from leaddesk.team.schema import FLOOR_SCHEMA_VERSION, setup_sql

    if args.sql:
        print(setup_sql(), end="")
        return EXIT_OK
    url = args.database or team_database(config_files.load(paths).settings.team)
    if not url:
        raise UsageError(
            "No team database: give --database URL, set [team] database in the site config, "
            "or LEADDESK_TEAM_DATABASE."
        )
    import psycopg

    try:
        migrated = init_floor(url)
    except psycopg.Error as error:
        print(f"leaddesk: cannot set up the floor at {without_password(url)}: {error}",
              file=sys.stderr)  # fmt: skip
        return EXIT_UNUSABLE
    if migrated.ahead:
        print(f"The floor is at schema version {migrated.before}, newer than this LeadDesk's "
              f"({FLOOR_SCHEMA_VERSION}); left as it is.")  # fmt: skip
    elif migrated.before == migrated.after:
        print(f"The floor is up to date (schema version {migrated.after}).")
    else:
        print(f"The floor's schema went from version {migrated.before} to {migrated.after}; "
              "roles leaddesk_agent and leaddesk_supervisor are ready.")  # fmt: skip
    return EXIT_OK


def _say(text: str) -> None:
    print(f"leaddesk: {text}", file=sys.stderr)


@contextmanager
def floor_session(context: Context, command: str) -> Iterator[TeamDesk | None]:
    """Team mode for one command, when configured; after the command, what changed here
    goes to the floor (a floor offline is said once, and nothing waits for it)."""
    team = TeamDesk.open(context, _say)
    if team is None:
        yield None
        return
    try:
        yield team
        if command != "sync":
            with context.open_store() as store:
                synced = team.sync(store, max_pages=CLOSING_PUSH_PAGES)
            if synced is not None and synced.more:
                _say("more of this desk's history is still to go to the floor: leaddesk sync")
    finally:
        team.close()


def run_floor_command(
    context: Context, args: argparse.Namespace, team: TeamDesk | None
) -> int | None:
    """`sync`, `history --floor`, `resend --floor`; None for any other command."""
    floor_asked = getattr(args, "floor", False)
    if getattr(args, "agent", None) and not floor_asked:
        raise UsageError("--agent goes with --floor: this desk's own history is one agent's.")
    if args.command != "sync" and not floor_asked:
        return None
    if team is None:
        raise UsageError(
            "This desk is not in team mode: set [team] database in the site config "
            "(or LEADDESK_TEAM_DATABASE)."
            + (" Demo leads never go to the floor." if context.demo else "")
        )
    if args.command == "sync":
        return _sync(context, team)
    if args.command == "history":
        return _floor_history(team, args)
    if args.command == "resend":
        return _floor_resend(context, team, args)
    if args.command == "show":
        return _floor_show(team, args)
    raise UsageError(f"--floor does not go with {args.command}.")


def _sync(context: Context, team: TeamDesk) -> int:
    with context.open_store() as store:
        synced = team.sync(store)
    if synced is None:
        return EXIT_NOT_ALL_ACCEPTED  # the floor offline was said
    taken = f"; {len(synced.taken)} resent elsewhere taken in" if synced.taken else ""
    print(f"Synced with the floor: {synced.pushed} lead{'s' if synced.pushed != 1 else ''} "
          f"new or changed there{taken}.")  # fmt: skip
    return EXIT_OK


def _floor_history(team: TeamDesk, args: argparse.Namespace) -> int:
    from leaddesk.team.floor import FloorOffline

    state = State(args.state) if args.state else None
    try:
        leads = team.history(state, args.agent, args.search, args.limit)
    except FloorOffline:
        return EXIT_UNUSABLE  # said once, by the floor
    if args.json:
        records = [
            lead_record(found.stored)
            | {"id": found.floor_id, "desk_lead_id": found.stored.id, "agent": found.agent,
               "desk": found.desk}
            for found in leads
        ]  # fmt: skip
        print(json.dumps(records, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not leads:
        print("No leads match." if (state or args.search or args.agent) else "No leads yet.")
        return EXIT_OK
    print(f"{'ID':>8}  {'STATE':11}  {'AGENT':16}  {'DESK':20}  {'NAME':24}  {'PHONE':10}  NOTE")
    for found in leads:
        stored = found.stored
        name = f"{stored.lead.fname} {stored.lead.lname}"
        note = stored.errors[0] if stored.errors and stored.state is not State.ACCEPTED else ""
        print(f"{found.floor_id:>8}  {stored.state.value:11}  {_clip(found.agent, 16):16}  "
              f"{_clip(found.desk, 20):20}  {_clip(name, 24):24}  {stored.lead.phone1:10}  "
              f"{escape_controls(_clip(note, 50))}")  # fmt: skip
    return EXIT_OK


def _floor_show(team: TeamDesk, args: argparse.Namespace) -> int:
    from leaddesk.team.floor import FloorOffline

    try:
        found = team.floor_lead(args.id)
    except FloorOffline:
        return EXIT_UNUSABLE  # said once, by the floor
    if found is None:
        raise UsageError(f"There is no floor lead {args.id} (or it is not yours to see).")
    stored = found.stored
    if args.json:
        record = lead_record(stored) | {"id": found.floor_id, "desk_lead_id": stored.id,
                                        "agent": found.agent, "desk": found.desk}  # fmt: skip
        print(json.dumps(record, ensure_ascii=False, indent=2))
        return EXIT_OK
    customer = f", customer {stored.customer_id}" if stored.customer_id else ""
    print(f"Floor lead {found.floor_id}: {stored.state.value}{customer}")
    print(f"Agent {found.agent} at desk {found.desk} (lead {stored.id} there), "
          f"to {escape_controls(stored.destination)}")  # fmt: skip
    for error in stored.errors:
        print(f"  ! {escape_controls(error)}")
    print()
    for name, value in stored.lead.values().items():
        if value:
            print(f"  {name:24} {escape_controls(value)}")
    print(f"\nEach attempt's request and reply: leaddesk show {stored.id} at desk {found.desk}.")
    return EXIT_OK


def _floor_resend(context: Context, team: TeamDesk, args: argparse.Namespace) -> int:
    from leaddesk.sending.poster import Poster
    from leaddesk.team.floor import FloorOffline

    if args.queued:
        raise UsageError("--queued is this desk's own outbox: it does not go with --floor.")
    if not args.ids and not args.failed:
        raise UsageError("name the floor's leads to resend (IDs), or give --failed.")
    target = None
    if args.url or args.destination or args.source_id:
        destination = context.destination(args.url, args.source_id, args.destination)
        moved = bool(args.destination or args.source_id)
        target = Retarget(destination.url, destination.name if moved else None,
                          destination.lead_fields() if moved else None)  # fmt: skip
    with Poster(context.settings.sending.timeouts()) as poster:
        try:
            results = resend_for_floor(
                team, poster, args.ids, args.failed, args.force, target, _print_resent
            )
        except FloorOffline:
            return EXIT_UNUSABLE  # said once, by the floor
    if not results:
        print("No failed leads on the floor to resend.")
    ok = all(result.state is State.ACCEPTED for result in results)
    return EXIT_OK if ok else EXIT_NOT_ALL_ACCEPTED


def _print_resent(result: FloorResent) -> None:
    if result.state is None:
        print(f"floor lead {result.floor_id}: not resent: {result.note}")
        return
    words = result.state.value
    if result.state is State.ACCEPTED:
        words += f", customer {result.customer_id or '(no id given)'}"
    elif result.errors:
        words += ": " + "; ".join(escape_controls(error) for error in result.errors)
    if result.note:
        words += f" ({result.note})"
    print(f"floor lead {result.floor_id} {words}")


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
