"""A lead's details as the history pane shows them and copies them: its fields, every
attempt with its request and reply, and the errors in plain words."""

from __future__ import annotations

from leaddesk.app.describe import outcome_words
from leaddesk.app.queue_notes import QueueNote
from leaddesk.app.times import TimeStyle, format_time
from leaddesk.domain.fields import FIELD_BY_NAME, Kind, format_phone
from leaddesk.domain.state_words import STATE_LOOKS
from leaddesk.domain.states import State
from leaddesk.history.store import Attempt, StoredLead


def details_html(lead: StoredLead, attempts: list[Attempt], note: QueueNote | None = None) -> str:
    """`note`: a queued lead's next retry, or the fix its destination waits for."""
    from html import escape  # loaded when a lead is first selected, not with the window

    parts = [
        f"<h3>Lead {lead.id}: {escape(STATE_LOOKS[lead.state].label)}"
        + (f", customer {escape(lead.customer_id)}" if lead.customer_id else "")
        + "</h3>",
    ]
    if note is None:
        parts.append(f"<p>{escape(STATE_LOOKS[lead.state].advice)}</p>")
    else:  # instead of "goes out by itself": what it waits for
        parts.append(f"<p><b>{escape(note.text)}</b>: {escape(note.tip)}</p>")
    if lead.errors and lead.state is not State.ACCEPTED:
        items = "".join(f"<li>{escape(error)}</li>" for error in lead.errors)
        parts.append(f"<p><b>Errors</b></p><ul>{items}</ul>")
    rows = "".join(
        f"<tr><td><i>{escape(FIELD_BY_NAME[name].label)}</i></td><td>{escape(value)}</td></tr>"
        for name, value in _shown_fields(lead)
    )
    parts.append(f"<table cellspacing='2'>{rows}</table>")
    when = format_time(lead.created_at, TimeStyle.FULL)
    parts.append(f"<p>Created {escape(when)}, to {escape(lead.destination)}</p>")
    for number, attempt in enumerate(attempts, start=1):
        status = attempt.status if attempt.status is not None else "no answer"
        parts.append(
            f"<p><b>Attempt {number}</b>: "
            f"{escape(format_time(attempt.started_at, TimeStyle.FULL))}, "
            f"{escape(outcome_words(attempt.outcome, explained=True))}, "
            f"HTTP {escape(str(status))}, "
            f"{attempt.elapsed:.2f} s</p>"
        )
        if attempt.errors:
            parts.append(
                "<ul>" + "".join(f"<li>{escape(e)}</li>" for e in attempt.errors) + "</ul>"
            )
        parts.append(f"<p>Request:</p><pre>{escape(attempt.request)}</pre>")
        parts.append(f"<p>Reply:</p><pre>{escape(attempt.reply or '(none)')}</pre>")
    if not attempts:
        parts.append("<p>No attempts yet.</p>")
    return "\n".join(parts)


def details_text(lead: StoredLead, attempts: list[Attempt], note: QueueNote | None = None) -> str:
    """The same, as plain text for the clipboard."""
    lines = [f"Lead {lead.id}: {STATE_LOOKS[lead.state].label}"]
    if lead.customer_id:
        lines[0] += f", customer {lead.customer_id}"
    if note is not None:
        lines.append(f"{note.text}: {note.tip}")
    lines += [f"  ! {error}" for error in lead.errors if lead.state is not State.ACCEPTED]
    lines += [f"{FIELD_BY_NAME[name].label}: {value}" for name, value in _shown_fields(lead)]
    created = format_time(lead.created_at, TimeStyle.FULL)
    lines.append(f"Created {created}, to {lead.destination}")
    for number, attempt in enumerate(attempts, start=1):
        status = attempt.status if attempt.status is not None else "no answer"
        lines.append(
            f"Attempt {number}: {format_time(attempt.started_at, TimeStyle.FULL)}, "
            f"{outcome_words(attempt.outcome, explained=True)}, HTTP {status}"
        )
        lines += [f"  ! {error}" for error in attempt.errors]
        lines += ["  Request:", attempt.request, "  Reply:", attempt.reply or "(none)"]
    return "\n".join(lines)


def _shown_fields(lead: StoredLead) -> list[tuple[str, str]]:
    shown = []
    for name, value in lead.lead.values().items():
        if value:
            phone = FIELD_BY_NAME[name].kind is Kind.PHONE
            shown.append((name, format_phone(value) if phone else value))
    return shown
