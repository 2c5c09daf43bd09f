#!/usr/bin/env python3
"""A minimal Skynet v2 client for docker/test.sh (standard library only: the test machine may have no
CBOR or websocket package).

  skynet_v2.py send   HOST PORT CHANNEL TEXT      send TEXT on CHANNEL, then close
  skynet_v2.py listen HOST PORT CHANNEL SECONDS   open CHANNEL, print "ready", then print the first push
                                                  as JSON and exit 0, or exit 1 after SECONDS

CHANNEL: digits (optionally signed) are a numeric channel, anything else a string channel.
"""
import base64
import json
import os
import socket
import struct
import sys
import time


def encode(value):
    """CBOR for the few types a request needs: int, str, list, dict."""
    def head(major, length):
        if length < 24:
            return bytes([major << 5 | length])
        for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
            if length < 1 << (8 * size):
                return bytes([major << 5 | info]) + length.to_bytes(size, "big")
        raise ValueError("too long")
    if isinstance(value, bool) or value is None:
        raise TypeError("not needed here")
    if isinstance(value, int):
        return head(0, value) if value >= 0 else head(1, -1 - value)
    if isinstance(value, str):
        data = value.encode()
        return head(3, len(data)) + data
    if isinstance(value, list):
        return head(4, len(value)) + b"".join(encode(v) for v in value)
    if isinstance(value, dict):
        return head(5, len(value)) + b"".join(encode(k) + encode(v) for k, v in value.items())
    raise TypeError(type(value))


def decode(data):
    """Decodes one CBOR item (definite and indefinite lengths; tags skipped); returns (value, rest)."""
    first, data = data[0], data[1:]
    major, info = first >> 5, first & 31
    if major == 7:
        if info == 20:
            return False, data
        if info == 21:
            return True, data
        if info in (22, 23):
            return None, data
        if info == 25:
            return _half(struct.unpack(">H", data[:2])[0]), data[2:]
        if info == 26:
            return struct.unpack(">f", data[:4])[0], data[4:]
        if info == 27:
            return struct.unpack(">d", data[:8])[0], data[8:]
        raise ValueError("unexpected simple value %d" % info)
    if info == 31:
        items = []
        while data[0] != 0xFF:
            item, data = decode(data)
            items.append(item)
        data = data[1:]
        if major in (2, 3):
            return (b"" if major == 2 else "").join(items), data
        if major == 4:
            return items, data
        if major == 5:
            return dict(zip(items[0::2], items[1::2])), data
        raise ValueError("indefinite length for major type %d" % major)
    if info < 24:
        argument = info
    else:
        size = 1 << (info - 24)
        argument, data = int.from_bytes(data[:size], "big"), data[size:]
    if major == 0:
        return argument, data
    if major == 1:
        return -1 - argument, data
    if major == 2:
        return data[:argument], data[argument:]
    if major == 3:
        return data[:argument].decode(), data[argument:]
    if major == 4:
        items = []
        for _ in range(argument):
            item, data = decode(data)
            items.append(item)
        return items, data
    if major == 5:
        result = {}
        for _ in range(argument):
            key, data = decode(data)
            result[key], data = decode(data)
        return result, data
    return decode(data)  # major 6: a tag, skipped


def _half(bits):
    sign = -1.0 if bits & 0x8000 else 1.0
    exponent, fraction = (bits >> 10) & 0x1F, bits & 0x3FF
    if exponent == 0:
        return sign * fraction * 2.0 ** -24
    if exponent == 31:
        return sign * float("inf") if fraction == 0 else float("nan")
    return sign * (1 + fraction / 1024.0) * 2.0 ** (exponent - 15)


class Connection:
    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(("GET /connect/ HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\n"
                           "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n"
                           % (host, port, key)).encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            chunk = self.sock.recv(4096)
            if not chunk:
                sys.exit("the server closed the connection during the websocket handshake")
            self.buffer += chunk
        status, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        if b" 101 " not in status.split(b"\r\n")[0]:
            sys.exit("no websocket upgrade on /connect/: %r" % status.split(b"\r\n")[0])

    def send(self, opcode, payload):
        mask = os.urandom(4)
        length = len(payload)
        if length < 126:
            header = bytes([0x80 | opcode, 0x80 | length])
        elif length < 1 << 16:
            header = bytes([0x80 | opcode, 0x80 | 126]) + struct.pack(">H", length)
        else:
            header = bytes([0x80 | opcode, 0x80 | 127]) + struct.pack(">Q", length)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def _read(self, count):
        while len(self.buffer) < count:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("the server closed the connection")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def receive(self):
        """The next data frame's payload (control frames answered or skipped)."""
        while True:
            first, second = self._read(2)
            length = second & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._read(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(length)
            opcode = first & 0x0F
            if opcode == 0x9:
                self.send(0xA, payload)
            elif opcode == 0x8:
                raise EOFError("the server closed the websocket")
            elif opcode in (0x1, 0x2):
                return payload

    def close(self):
        self.send(0x8, struct.pack(">H", 1000))
        self.sock.close()


def channel_of(text):
    try:
        return int(text)
    except ValueError:
        return text


def main(args):
    if len(args) != 5 or args[0] not in ("send", "listen"):
        sys.exit(__doc__)
    command, host, port, channel = args[0], args[1], int(args[2]), channel_of(args[3])
    connection = Connection(host, port)
    if command == "send":
        connection.send(0x2, encode(["message", {"channel": channel, "message": args[4]}]))
        connection.close()
        print("sent over v2 to channel %r" % (channel,))
        return 0
    connection.send(0x2, encode(["open", channel]))
    print("ready", flush=True)
    deadline = time.monotonic() + float(args[4])
    while time.monotonic() < deadline:
        connection.sock.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            payload = connection.receive()
        except socket.timeout:
            break
        push, rest = decode(payload)
        if rest:
            sys.exit("trailing bytes after the CBOR item: %r" % rest)
        print(json.dumps(push, default=repr), flush=True)
        connection.close()
        return 0
    print("nothing received on channel %r within %s s" % (channel, args[4]), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
