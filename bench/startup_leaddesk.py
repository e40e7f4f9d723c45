"""The LeadDesk arm of bench/gui_startup.py, run as a process of its own as the bare arm
is (bench/startup_bare.py), so that neither pays the bench's own imports: the real
start-up path of `python -m leaddesk --demo` (leaddesk.cli.main.main(["--demo"])). Its
first frame is noticed exactly as the bare arm's is (bench/frame_mark.py), before
anything LeadDesk itself posts from the same expose. The same timer notes when the window
is attached (ready to submit: settings read, the history's first page shown, the worker
built), then prints the marks and closes the window the normal way.

    startup_leaddesk.py [PROFILE_PATH]   (a cProfile of the whole start, written there)

Prints one line: "shown <s> ready <s> printed <s> imported <s> application <s> seen <how>", seconds
on time.perf_counter (the parent's clock) since this script's first line; <how> as in
bench/startup_bare.py.
"""

import time

_T_TOP = time.perf_counter()

import sys  # noqa: E402


def main() -> int:
    profile = None
    if len(sys.argv) > 1:
        import cProfile

        profile = cProfile.Profile()
        profile.enable()
    from leaddesk.cli.main import main as leaddesk_main  # what `python -m leaddesk` imports
    from leaddesk.gui.app import create_application  # then run_gui's module: PySide6

    imported = time.perf_counter()
    # run_gui's own first step; it finds this instance and reuses it. Made here only so
    # that the watching timer can exist before run_gui builds the window.
    app = create_application()
    application = time.perf_counter()

    from frame_mark import FirstFrame
    from PySide6.QtCore import Qt, QTimer

    marks: dict[str, float] = {"imported": imported, "application": application}
    frame = FirstFrame()

    def check() -> None:
        for widget in app.topLevelWidgets():
            if widget.objectName() != "main_window":
                continue
            if not frame.look(widget) or not getattr(widget, "attached", False):
                return
            timer.stop()
            assert frame.shown is not None
            marks["shown"] = frame.shown
            marks["ready"] = marks["printed"] = time.perf_counter()
            order = ("shown", "ready", "printed", "imported", "application")
            line = " ".join(f"{name} {marks[name] - _T_TOP:.6f}" for name in order)
            print(f"{line} seen {frame.seen}", flush=True)
            widget.close()
            return

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(1)
    timer.timeout.connect(check)
    timer.start()
    status = leaddesk_main(["--demo"])
    if profile is not None:
        profile.disable()
        profile.dump_stats(sys.argv[1])
    return status


sys.exit(main())
