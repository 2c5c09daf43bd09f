#!/usr/bin/env python3
"""Writes a 16-byte line RATE times a second for SECONDS to stdout (for mosquitto_pub -l); prints the count sent."""
import sys
import time

rate, seconds = int(sys.argv[1]), float(sys.argv[2])
line = b"x" * 16 + b"\n"
out = sys.stdout.buffer
start = time.monotonic()
sent = 0
while True:
    elapsed = time.monotonic() - start
    if elapsed >= seconds:
        break
    due = int(elapsed * rate)
    if due > sent:
        out.write(line * (due - sent))
        out.flush()
        sent = due
    time.sleep(0.001)
print(sent, file=sys.stderr)
