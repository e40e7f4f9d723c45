"""The bench's own teardown: a window is quit without a question left for nobody to
answer, shown or not. pytest-qt calls quit_now on each window it tracks and then closes
the window itself; a window a test never showed, with leads still queued, asked there
about them, and the run hung in that question's modal loop."""

from __future__ import annotations

from leaddesk.config.settings import Sending
from tests.support.gui_helpers import QUICK, Bench, DialogAnswerer, quit_now
from tests.support.leads import make_lead


def test_a_window_never_shown_is_quit_with_its_queued_leads_asking_nobody(bench: Bench) -> None:
    slow_retries = QUICK.replace(retry_limit=5, backoff_seconds=60.0)
    assert isinstance(slow_retries, Sending)
    rig = bench.open(bench.dead_url(), sending=slow_retries, show=False)
    rig.store.add(make_lead(1), rig.desk.destination.url)  # nothing listens: it stays queued
    assert rig.window.desk.history.still_to_send() == 1
    try:
        quit_now(rig.window)  # pytest-qt's before_close_func
        with DialogAnswerer(None) as unexpected:  # pytest-qt's own close(), with nobody to answer
            rig.window.close()
        assert unexpected.seen == []
        assert not rig.worker.isRunning()
    finally:
        rig.window.closing.quitting = True  # whatever happened: the teardown must not hang
