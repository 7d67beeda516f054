#!/bin/bash
# A screen reader session for tests/web/orca.mjs (from shared/screen-reader's verified recipe).
# Inside `xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session -- bash session.sh DIR URL DRIVER...`:
# the AT-SPI bus, a window manager (Orca needs a focused window), speech-dispatcher (espeak-ng
# into a null sound device), Orca (its speech logged to DIR/orca.log, line-buffered by
# orca-launch.py) and Chromium with the accessibility bridge on URL, its DevTools port
# $BPLAB_CDP_PORT (default 9339); then runs DRIVER, which presses real keys with xdotool and
# reads DIR/orca.log, and stops them all. Exits with DRIVER's status.
D=$1; URL=$2; shift 2
here=$(cd "$(dirname "$0")" && pwd)
export HOME=$D/home XDG_RUNTIME_DIR=$D/run ACCESSIBILITY_ENABLED=1 NO_AT_BRIDGE=0
mkdir -p "$HOME/.config/speech-dispatcher" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
# Without a default ALSA device speech-dispatcher loads no output module and Orca says nothing.
printf 'pcm.!default { type null }\nctl.!default { type hw card 0 }\n' > "$HOME/.asoundrc"
printf 'LogLevel 3\nLogDir "%s"\nAddModule "espeak-ng" "sd_espeak-ng" "espeak-ng.conf"\nDefaultModule espeak-ng\nAudioOutputMethod "alsa"\nTimeout 0\n' "$D" > "$HOME/.config/speech-dispatcher/speechd.conf"
pids=()
/usr/libexec/at-spi-bus-launcher --launch-immediately > "$D/atspi.out" 2>&1 & pids+=($!)
sleep 1
openbox > "$D/openbox.out" 2>&1 & pids+=($!)
speech-dispatcher -s -t 0 -P "$D/speechd.pid" > "$D/speechd.out" 2>&1 & pids+=($!)
sleep 1
# Debian's python3 (Orca needs pyatspi; a python3 earlier on PATH may lack it).
/usr/bin/python3 "$here/orca-launch.py" "$D/orca.log" > "$D/orca.out" 2>&1 & pids+=($!)
# Orca is up once it has written its log for a while (it logs its start-up at length).
for _ in $(seq 1 60); do [[ -s $D/orca.log ]] && grep -q 'SPEECH OUTPUT' "$D/orca.log" 2>/dev/null && break; sleep 0.5; done
# --disable-gpu-compositing: the window is composited on the CPU, WebGL still draws with
# SwiftShader; the test took 33-36 core-seconds so, against 42 (Orca hears the same).
chromium --no-sandbox --force-renderer-accessibility --use-angle=swiftshader --enable-unsafe-swiftshader \
  --disable-gpu-compositing \
  --no-first-run --disable-background-networking --disable-component-update --disable-sync \
  --disable-default-apps --disable-extensions --password-store=basic --user-data-dir="$D/profile" \
  --remote-debugging-port="${BPLAB_CDP_PORT:-9339}" --window-position=0,0 --window-size=1280,1000 "$URL" \
  > "$D/chromium.out" 2>&1 & pids+=($!)
"$@"; rc=$?
for ((i=${#pids[@]}-1; i>=0; i--)); do kill "${pids[i]}" 2>/dev/null; sleep 0.5; done
for ((i=${#pids[@]}-1; i>=0; i--)); do kill -9 "${pids[i]}" 2>/dev/null; done
exit $rc
