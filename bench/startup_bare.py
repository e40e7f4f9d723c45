"""The bare arm of bench/gui_startup.py: a minimal PySide6 program, run as a process of
its own so that it pays nothing of the bench's imports. A QApplication, a window with 30
labelled inputs (the lead form's count) in a two-column grid, show. Its first frame is
noticed exactly as the LeadDesk arm's is (bench/frame_mark.py): a 1 ms timer finds the
shown window before its first expose is delivered and watches the expose; the mark is
taken by an event posted from that expose, which runs once the frame is painted. Then it
prints the marks and quits.

Prints one line: "shown <s> printed <s> imported <s> application <s> seen <how>", seconds on
time.perf_counter (the parent's clock) since this script's first line; <how> is "expose"
(the expose was watched) or "poll" (the window was already exposed when the timer found
it: the mark is later than the frame).
"""

import time

_T_TOP = time.perf_counter()

import sys  # noqa: E402

from frame_mark import FirstFrame  # noqa: E402
from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QWidget,
)

INPUTS = 30

imported = time.perf_counter()
app = QApplication(sys.argv[:1])
application = time.perf_counter()
window = QMainWindow()
window.setWindowTitle("bare")
central = QWidget(window)
grid = QGridLayout(central)
for index in range(INPUTS):
    row, column = divmod(index, 2)
    label = QLabel(f"Field {index + 1}", central)
    line = QLineEdit(central)
    label.setBuddy(line)
    grid.addWidget(label, row, column * 2)
    grid.addWidget(line, row, column * 2 + 1)
window.setCentralWidget(central)
window.resize(960, 700)

marks: dict[str, float] = {"imported": imported, "application": application}
frame = FirstFrame()


def check() -> None:
    if frame.look(window):
        timer.stop()
        assert frame.shown is not None
        marks["shown"] = frame.shown
        marks["printed"] = time.perf_counter()  # the parent counts back from the line
        order = ("shown", "printed", "imported", "application")
        line = " ".join(f"{name} {marks[name] - _T_TOP:.6f}" for name in order)
        print(f"{line} seen {frame.seen}", flush=True)
        window.close()


timer = QTimer()
timer.setTimerType(Qt.TimerType.PreciseTimer)
timer.setInterval(1)
timer.timeout.connect(check)
timer.start()
window.show()
sys.exit(app.exec())
