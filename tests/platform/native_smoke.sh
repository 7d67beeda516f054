#!/usr/bin/env bash
# The native desktop app starts under Xvfb, renders frames, writes a screenshot and exits
# cleanly. Usage: native_smoke.sh APP SCREENSHOT.png
set -euo pipefail
app=${1:?usage: native_smoke.sh APP SCREENSHOT.png}
shot=${2:?usage: native_smoke.sh APP SCREENSHOT.png}
mkdir -p "$(dirname "$shot")"
rm -f "$shot"
timeout 300 xvfb-run -a -s "-screen 0 1280x800x24" "$app" --frames 30 --screenshot "$shot"
# The screenshot must exist and show more than one colour (a blank window fails).
/usr/bin/python3 - "$shot" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", data[16:24])
chunks, pos = b"", 8
while pos < len(data):
    n = struct.unpack(">I", data[pos:pos + 4])[0]
    if data[pos + 4:pos + 8] == b"IDAT":
        chunks += data[pos + 8:pos + 8 + n]
    pos += 12 + n
raw = zlib.decompress(chunks)
distinct = len(set(raw[i:i + 3] for i in range(1, len(raw) - 3, 97)))
print("screenshot %dx%d, %d distinct sampled colours" % (w, h, distinct))
assert w >= 320 and h >= 240, "too small"
assert distinct > 5, "the window looks blank"
print("1 passed, 0 failed")
PY
