"""Loaded by Python at start-up when this folder is on PYTHONPATH (tests/test_offline.py): every attempt to reach
a non-loopback address, or to resolve a name other than localhost, is refused and appended to $VNIP_NET_LOG with
the code that tried."""
import os
import socket
import traceback

_LOG = os.environ.get("VNIP_NET_LOG")
_LOCAL = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "", None}


def _record(what):
    stack = "".join(traceback.format_stack(limit=12)[:-2])
    with open(_LOG, "a", encoding="utf-8") as f:
        f.write(f"=== {what}\n{stack}\n")


def _loopback(address):
    if not isinstance(address, tuple):          # AF_UNIX path
        return True
    host = str(address[0])
    return host in _LOCAL or host.startswith("127.") or host == "::ffff:127.0.0.1"


_connect, _connect_ex, _getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo


def connect(self, address):
    if not _loopback(address):
        _record(f"connect {address}")
        raise ConnectionRefusedError(f"outbound connection to {address} refused by the offline test")
    return _connect(self, address)


def connect_ex(self, address):
    if not _loopback(address):
        _record(f"connect_ex {address}")
        return 111
    return _connect_ex(self, address)


def getaddrinfo(host, *args, **kwargs):
    name = host.decode() if isinstance(host, bytes) else host
    if name not in _LOCAL and not str(name).startswith("127."):
        _record(f"getaddrinfo {name}")
        raise socket.gaierror(socket.EAI_NONAME, f"name resolution of {name} refused by the offline test")
    return _getaddrinfo(host, *args, **kwargs)


if _LOG:
    socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = connect, connect_ex, getaddrinfo
