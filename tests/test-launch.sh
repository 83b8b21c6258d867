#!/bin/bash
# tests/test-launch.sh BUILDDIR
# Installs Passerelle into a temporary folder, then starts it the way a
# desktop does: `gio launch` on the installed .desktop file, which (it is
# DBusActivatable) asks D-Bus to start the installed D-Bus service. Passes
# when the main window appears on the X display; saves a screenshot.
# Needs a display (scripts/test runs everything under Xvfb).
set -euo pipefail
build=$1
dest=$(mktemp -d "${TMPDIR:-/tmp}/pas-launch-XXXXXX")
cleanup() {
  for pid in $(pgrep -x passerelle); do
    case "$(readlink -f "/proc/$pid/exe")" in "$dest"/*) kill "$pid" 2>/dev/null || true ;; esac
  done
  kill "${bus_pid:-0}" 2>/dev/null || true
  rm -rf "$dest"
}
trap cleanup EXIT

meson install -C "$build" --no-rebuild --quiet --destdir "$dest" >/dev/null
prefix=$(find "$dest" -name passerelle -path '*/bin/*' -printf '%h\n' | head -1)
prefix=${prefix%/bin}
share=$prefix/share
desktop=$share/applications/io.github.passerelle.Passerelle.desktop
service=$share/dbus-1/services/io.github.passerelle.Passerelle.service
test -f "$desktop" || { echo "no installed .desktop file"; exit 1; }
test -f "$service" || { echo "no installed D-Bus service file"; exit 1; }
# The service names the final install path; point it into the temporary one.
sed -i "s|^Exec=.*/passerelle |Exec=$prefix/bin/passerelle |" "$service"
glib-compile-schemas "$share/glib-2.0/schemas"

# A session bus of our own, which reads the service file from XDG_DATA_DIRS.
export XDG_DATA_DIRS="$share:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
export PATH="$prefix/bin:$PATH"
unset GSETTINGS_SCHEMA_DIR
eval "$(dbus-launch --sh-syntax)"
bus_pid=$DBUS_SESSION_BUS_PID

gio launch "$desktop"
for _ in $(seq 1 100); do
  if xwininfo -name Passerelle 2>/dev/null | grep -q 'Map State: IsViewable'; then
    sleep 1.5   # let it draw its first frames
    shot="${PAS_TEST_SCREENSHOT_DIR:-$dest}/desktop-launch.png"
    mkdir -p "$(dirname "$shot")"
    if command -v import >/dev/null; then import -window root "$shot"; fi
    echo "the window appeared; screenshot: $shot"
    # It is the installed binary that runs, not the build tree's.
    found=no
    for pid in $(pgrep -x passerelle); do
      if [ "$(readlink -f "/proc/$pid/exe")" = "$(readlink -f "$prefix/bin/passerelle")" ]; then found=yes; fi
    done
    [ $found = yes ] || { echo "the window is not the installed binary's"; exit 1; }
    exit 0
  fi
  sleep 0.1
done
echo "no Passerelle window within 10 s"
xwininfo -root -tree | head -20
exit 1
