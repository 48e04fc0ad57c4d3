"""Where the harvester may connect: public addresses, and the ranges the admin names.

A source's URL is typed by an admin, but where it leads is decided by the partner's
DNS and redirects.  Without a bound, a partner (or a mistyped URL) could make the
harvester send requests to services that only trust the machine's own network: a
database console on loopback, a cloud's metadata address (169.254.169.254), an
intranet.  So the harvester talks only to globally routable addresses unless the
admin lists a private range in NAVETTE_HARVEST_ALLOWED_NETWORKS.  The check is made
on the address the socket actually connected to, before a byte is sent, so a name
that resolves to a public address when the source is added and to a private one at
harvest time is refused too.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
SETTING = "NAVETTE_HARVEST_ALLOWED_NETWORKS"


class OutOfReach(RuntimeError):
    """The partner's address is one the harvester may not connect to."""


@dataclass(frozen=True)
class Reach:
    """Public addresses, and besides them ``allowed`` (loopback, intranet ranges)."""

    allowed: tuple[Network, ...] = ()

    @classmethod
    def parse(cls, text: str | None) -> Reach:
        """The ranges of a setting such as ``10.0.0.0/8, 127.0.0.1, ::1``."""
        networks = []
        for part in (text or "").split(","):
            if not part.strip():
                continue
            try:
                networks.append(ipaddress.ip_network(part.strip(), strict=False))
            except ValueError as error:
                raise ValueError(
                    f"{SETTING}: {part.strip()!r} is not an address range such as "
                    "10.0.0.0/8 or 127.0.0.1"
                ) from error
        return cls(tuple(networks))

    def permits(self, address: str) -> bool:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if ip.is_global and not ip.is_multicast:
            return True
        return any(ip.version == network.version and ip in network for network in self.allowed)

    def check(self, host: str, address: str) -> None:
        if not self.permits(address):
            raise OutOfReach(
                f"{host} is at {address}, a loopback, private or reserved address the "
                f"harvester does not connect to; if this partner is on your own network, "
                f"add its range to {SETTING} (for example {address}/32 or 10.0.0.0/8)"
            )


class _Guarded:
    """A connection that refuses, once connected and before sending, an address out of reach."""

    reach: Reach = Reach()

    def _new_conn(self):
        sock = super()._new_conn()
        try:
            self.reach.check(self.host, sock.getpeername()[0])
        except OutOfReach:
            sock.close()
            raise
        return sock


class ReachAdapter(HTTPAdapter):
    """requests' adapter whose every connection (plain and TLS) is held to ``reach``."""

    def __init__(self, reach: Reach) -> None:
        self.reach = reach
        super().__init__()

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _pool(HTTPConnectionPool, HTTPConnection, self.reach),
            "https": _pool(HTTPSConnectionPool, HTTPSConnection, self.reach),
        }


def _pool(pool: type, connection: type, reach: Reach) -> type:
    guarded = type(f"Guarded{connection.__name__}", (_Guarded, connection), {"reach": reach})
    return type(f"Guarded{pool.__name__}", (pool,), {"ConnectionCls": guarded})
