"""The bare arm of bench/gui_startup.py: a minimal PySide6 program, run as a process of
its own so that it pays nothing of the bench's imports. A QApplication, a window with 30
labelled inputs (the lead form's count) in a two-column grid, show; a 1 ms timer notes
when the window is visible and exposed, prints the marks and quits.

Prints one line: "shown <s> imported <s> application <s>", seconds on time.perf_counter
(the parent's clock) since this script's first line.
"""

import time

_T_TOP = time.perf_counter()

import sys  # noqa: E402

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


def check() -> None:
    handle = window.windowHandle()
    if window.isVisible() and handle is not None and handle.isExposed():
        timer.stop()
        shown = time.perf_counter()
        marks = (("shown", shown), ("imported", imported), ("application", application))
        print(" ".join(f"{name} {mark - _T_TOP:.6f}" for name, mark in marks), flush=True)
        window.close()


timer = QTimer()
timer.setTimerType(Qt.TimerType.PreciseTimer)
timer.setInterval(1)
timer.timeout.connect(check)
timer.start()
window.show()
sys.exit(app.exec())
