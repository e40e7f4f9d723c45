"""What the window works with, and the decisions about destinations it takes: Qt-free, so
that they are plain to read and to test."""

from __future__ import annotations

from dataclasses import dataclass

from leaddesk.config.config_files import Loaded
from leaddesk.config.draft import Draft
from leaddesk.config.settings import Destination, Paths, Settings
from leaddesk.domain.zip_lookup import ZipDirectory
from leaddesk.history.store import Store, StoredLead


@dataclass
class Desk:
    """Built by the app, or by tests with temporary parts."""

    paths: Paths
    settings: Settings
    destination: Destination  # where the next lead goes
    store: Store  # the GUI thread's connection: quick inserts and counts only
    draft: Draft
    zips: ZipDirectory
    demo: bool = False
    loaded: Loaded | None = None  # the config as read, for the settings dialog to save

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
        self.loaded, self.settings = loaded, loaded.settings
        current = self.settings.destination(self.destination.name)
        if current is not None and not current.archived:
            self.destination = current
        elif current is not None or was_configured:
            self.destination = self.settings.starting_destination() or Destination()

    def send_fixed(self, old: Settings, new: Settings) -> list[int]:
        """After the settings changed from `old` to `new`: the leads that waited for a
        destination now fixed go to it (its corrected address, with the fields it now
        sets), keeping their lead IDs. Their ids; the caller wakes the sender."""
        held = {hold.destination for hold in self.store.holds()}
        moved: list[int] = []
        for fix in destination_fixes(old, new):
            if fix.old_url in held or (fix.url_changed and self.store.waiting_for(fix.old_url)):
                moved += self.store.redirect_destination(
                    fix.old_url,
                    fix.destination.url,
                    fields=fix.destination.lead_fields(),
                    destination_name=fix.destination.name,
                    only_of=fix.destination.name,  # matched by name: not another at its URL
                )
        return moved


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
