"""Block network access from Python (used by the test command and its notebook kernels).

The lessons promise to run offline; the tests prove it by refusing every socket
connection that does not stay on this machine. Loopback and Unix sockets still work
(Jupyter kernels talk to nbval over loopback).
"""

from __future__ import annotations

import ipaddress
import socket

_ORIGINAL: dict[str, object] = {}


class NetworkBlockedError(OSError):
    """Raised when code tries to reach the network while it is blocked."""


def _is_local(address) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX path
        return True
    host = address[0] if isinstance(address, tuple) and address else address
    if host in ("localhost", "", None):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def block_network() -> None:
    """Make every non-local connection (and DNS look-up) raise :class:`NetworkBlockedError`."""
    if _ORIGINAL:
        return
    _ORIGINAL["connect"] = socket.socket.connect
    _ORIGINAL["connect_ex"] = socket.socket.connect_ex
    _ORIGINAL["getaddrinfo"] = socket.getaddrinfo

    def connect(self, address):
        if not _is_local(address):
            raise NetworkBlockedError(f"network access is blocked in mkt-lessons (tried {address!r})")
        return _ORIGINAL["connect"](self, address)

    def connect_ex(self, address):
        if not _is_local(address):
            raise NetworkBlockedError(f"network access is blocked in mkt-lessons (tried {address!r})")
        return _ORIGINAL["connect_ex"](self, address)

    def getaddrinfo(host, *args, **kwargs):
        if not _is_local((host,)):
            raise NetworkBlockedError(f"network access is blocked in mkt-lessons (looked up {host!r})")
        return _ORIGINAL["getaddrinfo"](host, *args, **kwargs)

    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.getaddrinfo = getaddrinfo


def unblock_network() -> None:
    """Undo :func:`block_network`."""
    if not _ORIGINAL:
        return
    socket.socket.connect = _ORIGINAL.pop("connect")
    socket.socket.connect_ex = _ORIGINAL.pop("connect_ex")
    socket.getaddrinfo = _ORIGINAL.pop("getaddrinfo")
