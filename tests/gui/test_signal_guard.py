"""Guard against the PySide6 6.12.0 crash on Python 3.11.

6.12.0 aborts the process ("Fatal Python error: bool_dealloc") after about 570 signal
emissions to Python slots, a reference-count bug. This runs in a child process so that a
crash fails this test with its message instead of killing the whole test run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

EMISSIONS = 10_000

CHILD = textwrap.dedent(
    f"""
    from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

    class Emitter(QObject):
        number = Signal(int)
        flag = Signal(bool)

    class Receiver(QObject):
        def __init__(self):
            super().__init__()
            self.total = 0
            self.flags = 0

        @Slot(int)
        def on_number(self, value):
            self.total += value

        @Slot(bool)
        def on_flag(self, value):
            self.flags += value

    app = QCoreApplication([])
    emitter, receiver = Emitter(), Receiver()
    emitter.number.connect(receiver.on_number)
    emitter.flag.connect(receiver.on_flag)
    plain = []
    emitter.number.connect(plain.append)
    for i in range({EMISSIONS}):
        emitter.number.emit(1)
        emitter.flag.emit(i % 2 == 0)
    print(receiver.total, receiver.flags, len(plain))
    """
)


def test_ten_thousand_signal_emissions_to_python_slots_do_not_crash() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    child = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, env=env, timeout=120
    )
    assert child.returncode == 0, f"PySide6 crashed after signal emissions:\n{child.stderr[-2000:]}"
    assert child.stdout.split() == [str(EMISSIONS), str(EMISSIONS // 2), str(EMISSIONS)]
