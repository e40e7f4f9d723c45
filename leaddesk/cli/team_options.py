"""The command line's team-mode options and commands (argparse only: parsing stays light
for the window's start)."""

from __future__ import annotations

import argparse


def add_team_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    both: argparse.ArgumentParser,
    debug_only: argparse.ArgumentParser,
) -> None:
    team = commands.add_parser("team", parents=[debug_only], help="set up a call floor's database")
    actions = team.add_subparsers(dest="team_command", metavar="ACTION", required=True)
    init = actions.add_parser(
        "init",
        parents=[debug_only],
        help="create or migrate the floor's tables, roles and row-level security",
    )
    init.add_argument(
        "--database", metavar="URL", help="as its owner (default: the team database setting)"
    )
    init.add_argument("--sql", action="store_true", help="print the SQL instead of running it")
    commands.add_parser(
        "sync", parents=[both], help="push this desk's leads to the floor's database now"
    )


def add_floor_options(
    history: argparse.ArgumentParser,
    resend: argparse.ArgumentParser,
    show: argparse.ArgumentParser,
) -> None:
    show.add_argument(
        "--floor", action="store_true", help="a lead of the whole floor, by its floor ID"
    )
    history.add_argument("--floor", action="store_true", help="the whole floor's leads (team mode)")
    history.add_argument("--agent", metavar="NAME", help="with --floor: only this agent's leads")
    resend.add_argument(
        "--floor",
        action="store_true",
        help="resend leads of the whole floor, by their floor IDs (history --floor)",
    )
