"""The application as the window works with it: the context (paths, settings, demo
mode) with what a window session adds (the destination chosen, the history, the draft,
the ZIP directory), and the decisions about destinations it takes. Qt-free, so that
they are plain to read and to test. The command line uses the Context alone."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from leaddesk.app.context import Context
from leaddesk.app.history_access import HistoryAccess
from leaddesk.app.outboxes import ThreadOutboxes
from leaddesk.app.resend import Target, resend
from leaddesk.config.config_files import Loaded
from leaddesk.config.draft import Draft
from leaddesk.config.settings import Destination, Paths, Settings
from leaddesk.domain.zip_lookup import ZipDirectory
from leaddesk.history.store import Store, StoredLead

# Long enough for this desk's worker and another LeadDesk's short transactions (an import
# queues a chunk at a time), short enough that the agent does not sit before a frozen window.
WINDOW_WAITS_FOR_LOCKS_SECONDS = 1.0


@dataclass
class Desk:
    """Built by the app (Desk.open), or by tests with temporary parts."""

    context: Context  # paths, settings and demo mode: one place for both faces
    destination: Destination  # where the next lead goes
    store: Store  # the GUI thread's connection: quick inserts and counts only
    draft: Draft
    zips: ZipDirectory
    history: HistoryAccess = field(init=False, repr=False)  # the widgets' door to the store

    def __post_init__(self) -> None:
        # The GUI thread's writes (Submit, a resend) are quick: a write lock held longer
        # than this by another program is told at once (the lead stays in the form),
        # rather than holding the window for SQLite's busy timeout.
        self.store.wait_for_locks(WINDOW_WAITS_FOR_LOCKS_SECONDS)
        self.history = HistoryAccess(self.store)

    @classmethod
    def open(
        cls, context: Context, destination: Destination, draft: Draft, zips: ZipDirectory
    ) -> Desk:
        """The desk of this context, its history opened (StoreError if it cannot be);
        close() closes it."""
        return cls(context, destination, context.open_store(), draft, zips)

    def take_demo_leads(self) -> None:
        """Demo mode: the leads an earlier run left queued go to this run's sandbox (a
        new port each run)."""
        if self.demo:
            self.store.retarget_queued(self.destination.url)

    def close(self) -> None:
        self.store.close()

    @property
    def paths(self) -> Paths:
        return self.context.paths

    @property
    def settings(self) -> Settings:
        return self.context.settings

    @property
    def demo(self) -> bool:
        return self.context.demo

    @demo.setter
    def demo(self, demo: bool) -> None:
        self.context.demo = demo

    @property
    def loaded(self) -> Loaded | None:
        """The config as read, for the settings dialog to save; None in demo mode, whose
        settings are not the agent's to change."""
        return None if self.demo else self.context.loaded

    def outboxes(self) -> ThreadOutboxes:
        """How the sending thread opens its own connection and poster."""
        senders = self.paths.data_dir / "senders"
        return ThreadOutboxes(
            self.store.path, senders, self.context.format_for, self.context.start_demo_dealer
        )

    def lead_defaults(self) -> dict[str, str]:
        return self.destination.lead_defaults(self.settings.agent_name)

    def offered(self, remembered: str) -> tuple[list[Destination], str]:
        """(the destinations to offer, the name to choose): a one-off destination (demo,
        --url) first and chosen; else the remembered one, or the configured default."""
        offered = [] if self.demo else self.settings.offered()
        one_off = self.destination
        if one_off.url and self.settings.destination(one_off.name) is None:
            return [one_off, *offered], one_off.name
        return offered, remembered or self.settings.default_destination

    def resend_url(self, lead: StoredLead | None) -> str | None:
        """Where a resent lead goes: its destination as configured now (a corrected URL
        applies), the current sandbox in demo mode; None keeps the URL it went to."""
        if lead is None:
            return None
        if self.demo:
            return self.destination.url
        configured = self.settings.destination(lead.destination_name)
        return configured.url if configured is not None and configured.url else None

    def apply(self, loaded: Loaded) -> None:
        """New settings. A destination archived or removed meanwhile is left for another:
        the window never goes on sending where the agent retired."""
        was_configured = self.settings.destination(self.destination.name) is not None
        self.context.loaded = loaded
        current = self.settings.destination(self.destination.name)
        if current is not None and not current.archived:
            self.destination = current
        elif current is not None or was_configured:
            self.destination = self.settings.starting_destination() or Destination()

    def send_fixed(self, old: Settings, new: Settings) -> list[int]:
        """After the settings changed from `old` to `new`: the leads that waited for a
        destination now fixed go to it (its corrected address, with the fields it now
        sets), keeping their lead IDs. Their ids; the caller wakes the sender. In team
        mode the window claims them on the floor first (fixed_waiting, move_fixed)."""
        return move_fixed(self.history, old, new)


def fixed_waiting(history: HistoryAccess, old: Settings, new: Settings) -> list[int]:
    """The leads a change of settings from `old` to `new` would move (move_fixed), or a
    few more (of another destination at the same address): those to claim first."""
    held = {hold.destination for hold in history.holds()}
    waiting: list[int] = []
    for fix in destination_fixes(old, new):
        stuck = history.waiting_for(fix.old_url)
        if fix.old_url in held or (fix.url_changed and stuck):
            waiting += [lead_id for lead_id in stuck if lead_id not in waiting]
    return waiting


def move_fixed(
    history: HistoryAccess, old: Settings, new: Settings, keep: Collection[int] = ()
) -> list[int]:
    """The leads that waited for a destination fixed between `old` and `new` go to it;
    their ids. Those in `keep` (being resent elsewhere: team mode) stay where they are,
    and the others of their destination go one by one."""
    held = {hold.destination for hold in history.holds()}
    moved: list[int] = []
    for fix in destination_fixes(old, new):
        stuck = history.waiting_for(fix.old_url)
        if not (fix.old_url in held or (fix.url_changed and stuck)):
            continue
        destination = fix.destination
        if not set(stuck) & set(keep):
            moved += history.redirect_destination(
                fix.old_url,
                destination.url,
                fields=destination.lead_fields(),
                destination_name=destination.name,
                only_of=destination.name,  # matched by name: not another at its URL
            )
            continue
        others = [
            lead.id
            for lead in history.get_many(stuck)
            if lead.destination_name == destination.name and lead.id not in keep
        ]
        moved += resend(history, others, where=_to(Target.of(destination))).queued
    return moved


def _to(target: Target) -> Callable[[int], Target]:
    return lambda _lead_id: target


@dataclass(frozen=True)
class DestinationFix:
    """A configured destination whose address or lead fields changed in the settings."""

    old_url: str
    destination: Destination  # as it is now
    url_changed: bool


def destination_fixes(old: Settings, new: Settings) -> list[DestinationFix]:
    """The destinations (matched by name) whose URL or the fields they set on a lead
    changed between two settings. One archived or left without an address is not a fix:
    its leads stay where they are until a person moves them."""
    fixes = []
    for before in old.destinations:
        after = new.destination(before.name)
        if after is None or after.archived or not after.url or not before.url:
            continue
        url_changed = after.url != before.url
        if url_changed or after.lead_fields() != before.lead_fields():
            fixes.append(DestinationFix(before.url, after, url_changed))
    return fixes
