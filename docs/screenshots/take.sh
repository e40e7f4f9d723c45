#!/bin/sh
# Take the README's screenshots under Xvfb: a call being typed (1340x720, the README's
# first picture), narrow (1024x700), wide (1280x720), dark, and field messages where the
# form is narrowest (1280x720, the history beside it).
# Needs: apt-get install -y xvfb imagemagick. Run from the repository root.
set -eu
shoot() {  # name, screen size, extra arguments
    home=$(mktemp -d)
    Xvfb :77 -screen 0 "$2x24" >/dev/null 2>&1 &
    xvfb=$!
    sleep 1
    DISPLAY=:77 LEADDESK_HOME="$home" QT_QPA_PLATFORM=xcb PYTHONPATH=. \
        .venv/bin/python docs/screenshots/shoot.py ${3:-} >/dev/null 2>&1 &
    app=$!
    sleep "${WAIT:-6}"
    DISPLAY=:77 import -window root "docs/screenshots/$1.png"
    kill "$app"; wait "$app" || true
    kill "$xvfb"; wait "$xvfb" || true
    rm -rf "$home"
}
shoot window 1340x720 --typing
shoot narrow 1024x700
shoot narrow-history 1024x700 --history
shoot wide 1280x720
shoot dark 1280x720 --dark
shoot messages 1280x720 --messages
