#!/usr/bin/env bash
# Build the one-folder bundle with PyInstaller and smoke-test it, as CI does on Linux:
#   1. `leaddesk --version` prints the version and exits 0;
#   2. `leaddesk --demo` starts offscreen, opens its window, and on SIGTERM (a quit request)
#      closes it through the window's own close path and exits 0;
#   3. prints the bundle's size.
#
#   packaging/smoke_test.sh            build in a temporary folder, removed afterwards
#   packaging/smoke_test.sh OUT_DIR    build in OUT_DIR (OUT_DIR/dist/leaddesk is kept)
#
# PYTHON names the interpreter to build with (default: the repository's .venv); PyInstaller
# is installed into it from the packaging extra when missing.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
START_SECONDS=60 # a cold start on a loaded machine takes a few seconds
QUIT_SECONDS=20

RUN=$(mktemp -d -t leaddesk-run.XXXXXX) # the bundle's LEADDESK_HOME and working folder
if [ $# -gt 0 ]; then
  OUT=$(mkdir -p "$1" && cd "$1" && pwd)
  trap 'rm -rf "$RUN"' EXIT
else
  OUT=$(mktemp -d -t leaddesk-bundle.XXXXXX)
  trap 'rm -rf "$RUN" "$OUT"' EXIT
fi

fail() {
  echo "smoke test FAILED: $*" >&2
  exit 1
}

if ! "$PYTHON" -c "import PyInstaller" 2>/dev/null; then
  echo "-- installing the packaging extra (PyInstaller)"
  "$PYTHON" -m pip install -q -e "$ROOT[packaging]"
fi

echo "-- building with PyInstaller $("$PYTHON" -m PyInstaller --version) into $OUT/dist"
started=$SECONDS
(cd "$ROOT" && "$PYTHON" -m PyInstaller packaging/leaddesk.spec --noconfirm --log-level WARN \
  --distpath "$OUT/dist" --workpath "$OUT/work")
echo "-- built in $((SECONDS - started)) s"
APP="$OUT/dist/leaddesk/leaddesk"
[ -x "$APP" ] || fail "no executable at $APP"

# Run the bundle as a user would: away from the source tree, with no Python settings.
cd "$RUN"
run_env=(env -u PYTHONPATH -u PYTHONHOME -u VIRTUAL_ENV QT_QPA_PLATFORM=offscreen
  LEADDESK_HOME="$RUN/home" LEADDESK_SITE_CONFIG="$RUN/site")

echo "-- leaddesk --version"
version=$("${run_env[@]}" "$APP" --version) || fail "--version exited $?"
expected="LeadDesk $(cd "$ROOT" && "$PYTHON" -c 'import leaddesk; print(leaddesk.__version__)')"
[ "$version" = "$expected" ] || fail "--version printed '$version', expected '$expected'"
echo "$version"

echo "-- leaddesk --demo, offscreen, then SIGTERM"
"${run_env[@]}" "$APP" --demo >"$RUN/output.txt" 2>&1 &
pid=$!
database="$RUN/home/data/demo.sqlite3" # opened just before the window is built
deadline=$((SECONDS + START_SECONDS))
until [ -f "$database" ]; do
  if ! kill -0 "$pid" 2>/dev/null; then
    cat "$RUN/output.txt" >&2
    wait "$pid" && code=0 || code=$?
    fail "leaddesk --demo exited ($code) before opening its window"
  fi
  if [ $SECONDS -ge $deadline ]; then
    kill -KILL "$pid" 2>/dev/null || true
    cat "$RUN/output.txt" >&2
    fail "no window after ${START_SECONDS} s"
  fi
  sleep 0.1
done
sleep 1 # the window is up and idle: the quit request finds it, not its start-up
kill -TERM "$pid"
deadline=$((SECONDS + QUIT_SECONDS))
while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
if kill -0 "$pid" 2>/dev/null; then
  kill -KILL "$pid" 2>/dev/null || true
  cat "$RUN/output.txt" >&2
  fail "still running ${QUIT_SECONDS} s after SIGTERM"
fi
wait "$pid" && code=0 || code=$?
if [ "$code" -ne 0 ]; then
  cat "$RUN/output.txt" >&2
  fail "exited $code after SIGTERM, expected 0"
fi
# The window's close path ran: it saves the window's geometry as it closes.
grep -q '^geometry=' "$RUN/home/config/window.ini" 2>/dev/null ||
  fail "the window did not close through its close path (no geometry in window.ini)"
echo "exited 0 after SIGTERM; window state saved"

echo "-- bundle size"
du -sh "$OUT/dist/leaddesk"
echo "bundle smoke test passed"
