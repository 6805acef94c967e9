"""Run a command with the network cut off: in a new network namespace (``unshare --net``) whose
loopback interface is brought up, so that local services (Jupyter kernels talk over 127.0.0.1)
still work while every other address is unreachable."""

from __future__ import annotations

import fcntl
import os
import socket
import struct
import sys

SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1


def loopback_up() -> None:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    ifr = struct.pack("16sh", b"lo", 0)
    flags = struct.unpack("16sh", fcntl.ioctl(s, SIOCGIFFLAGS, ifr))[1]
    fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack("16sh", b"lo", flags | IFF_UP))
    s.close()


if __name__ == "__main__":  # python offline.py COMMAND [ARGS...], run inside `unshare --net`
    loopback_up()
    os.execvp(sys.argv[1], sys.argv[1:])
