"""Host and Origin checks: which names this service answers to, and which pages may change
anything through it (docs/security.md).

**Host.** A page on `rebind.attacker.example` whose DNS name the attacker points at
127.0.0.1 talks to a local Yakuba as if it were its own site (DNS rebinding): in
`YAKUBA_AUTH_MODE=none` every request is the local user's, so that page could read the
audit log. The browser still names the attacker's host in `Host`, so only the names in
`YAKUBA_TRUSTED_HOSTS` (and loopback names) are served. With the setting empty, `none`
mode trusts loopback names only; the other modes check credentials a page cannot borrow
(bearer tokens, API keys, a proxy's secret) and trust any name until the operator lists
the public ones.

**Origin.** A page on another site can make a browser *send* a form or a fetch (cross-site
request forgery: the request rides on whatever the browser is trusted with — the local
user, or an SSO proxy's cookie). Browsers name the sending page's origin in `Origin`
(`Referer` in old ones), so a state-changing request whose origin is not this service's is
refused. Clients that are not browsers (curl, scripts, chat-tool webhooks) send neither
header and are not affected: what stops them is authentication, as before.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from ..errors import ConfigurationError
from ..settings import AuthMode, is_loopback
from .errors import error_response

__all__ = ["HostOriginCheck", "HostPolicy"]

# Methods that change something; GET and HEAD answers stay with the page that asked
# (no CORS headers are sent, so another site's script cannot read them).
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Probes and scrapers (kubelet, Prometheus) address a pod or container by its IP address.
# Any IP address is served for these: a DNS-rebinding page always names a host, never
# an address (a browser at http://<address>/ talks to that address's own server).
PROBE_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_KNOWN_HOSTS = 64
_LABEL = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$")

UNTRUSTED_HOST_MESSAGE = (
    "このアドレス（ホスト名）ではご利用いただけません。"
    "管理者から案内された URL からアクセスしてください。"
)
CROSS_ORIGIN_MESSAGE = (
    "別のサイト（オリジン）の画面からの送信は受け付けられません。"
    "Yakuba の画面から操作してください。"
)


def _host_name(value: str) -> str | None:
    """A host name or IP address, lower-case without a trailing dot; None if it is
    neither."""
    host = value.strip().lower().rstrip(".")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    labels = host.split(".")
    if len(host) > 253 or not all(_LABEL.match(label) for label in labels):
        return None
    return host


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def split_authority(value: str) -> tuple[str, int | None] | None:
    """`Host` → (name, port or None); None for a value that is no host."""
    value = value.strip()
    port: int | None = None
    head, sep, tail = value.rpartition(":")
    # A colon after the closing bracket, or the only colon, separates the port.
    if sep and (head.endswith("]") or (":" not in head and not head.startswith("["))):
        if not tail.isdigit() or not 0 < int(tail) < 65536:
            return None
        value, port = head, int(tail)
    name = _host_name(value)
    return None if name is None else (name, port)


@dataclass(frozen=True)
class HostPolicy:
    """The names this service answers to (`YAKUBA_TRUSTED_HOSTS`)."""

    any_host: bool
    names: frozenset[str]  # the operator's exact names: also this service's origins
    suffixes: tuple[str, ...]  # "*.city.lg.jp" → ".city.lg.jp"

    @classmethod
    def from_setting(cls, value: str, mode: AuthMode) -> HostPolicy:
        """Raises ConfigurationError, naming the entry, for anything but host names,
        `*.domain` and `*` (a URL or a port is a common mistake)."""
        entries = [e.strip() for e in value.split(",") if e.strip()]
        if not entries:
            return cls(any_host=mode is not AuthMode.NONE, names=frozenset(), suffixes=())
        names: set[str] = set()
        suffixes: list[str] = []
        for entry in entries:
            if entry == "*":
                return cls(any_host=True, names=frozenset(names), suffixes=())
            wildcard = entry.startswith("*.")
            name = _host_name(entry[2:] if wildcard else entry)
            if name is None or (wildcard and "." not in name):
                raise ConfigurationError(
                    f"YAKUBA_TRUSTED_HOSTS の「{entry}」はホスト名ではありません。"
                    "スキームやポートを付けず、yakuba.example.lg.jp や *.example.lg.jp の形で、"
                    "カンマ区切りで指定してください。"
                )
            if wildcard:
                suffixes.append("." + name)
            else:
                names.add(name)
        return cls(any_host=False, names=frozenset(names), suffixes=tuple(suffixes))

    def trusts(self, host: str) -> bool:
        """`host` is a name from `split_authority`."""
        return (
            self.any_host or is_loopback(host) or host in self.names or host.endswith(self.suffixes)
        )


def _origin(url: str) -> tuple[str, str, int] | None:
    """scheme, host and port of an Origin or Referer value; None if it has none."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    name = _host_name(parts.hostname)
    if name is None:
        return None
    return scheme, name, port or _DEFAULT_PORTS[scheme]


def is_cross_origin(headers: Headers, host: tuple[str, int | None], policy: HostPolicy) -> bool:
    """Whether a browser says the request comes from a page of another origin."""
    site = headers.get("sec-fetch-site")
    if site in ("same-origin", "none"):
        # The browser's own verdict (no page can set Sec-Fetch-*; "none": the user's own
        # navigation). It holds where a reverse proxy rewrote Host, as nginx's proxy_pass
        # does unless told otherwise.
        return False
    origin = headers.get("origin") or headers.get("referer")
    parsed = None if origin is None or origin.strip() == "null" else _origin(origin)
    if parsed is not None and parsed[1] in policy.names:
        return False  # a public name the operator listed is this service
    if site is not None:
        return True  # cross-site or same-site: another origin
    # A browser without Sec-Fetch-Site (before 2020–2023), or no browser at all.
    if origin is None:
        return False  # not a browser: no browser leaves both out of a cross-site request
    if parsed is None:
        return True  # "null" (a sandboxed frame, a file) or not an origin
    scheme, name, port = parsed
    host_name, host_port = host
    return name != host_name or port != (host_port or _DEFAULT_PORTS[scheme])


class HostOriginCheck:
    """ASGI middleware: refuses an untrusted Host (400 `untrusted_host`) and a
    state-changing request from another origin (403 `cross_origin_request`), in the error
    body of the API the path belongs to."""

    def __init__(self, app: ASGIApp, *, policy: HostPolicy) -> None:
        self.app = app
        self.policy = policy
        # Host header value → (its name and port, whether the policy trusts the name).
        # Clients send one of a few values; parsing one (IP address, labels) cost ~25
        # Python calls a request. Bounded: a scanner's guesses cannot grow it for long.
        self._hosts: dict[str, tuple[tuple[str, int | None] | None, bool]] = {}

    def _host(self, value: str) -> tuple[tuple[str, int | None] | None, bool]:
        known = self._hosts.get(value)
        if known is None:
            host = split_authority(value)
            known = (host, host is not None and self.policy.trusts(host[0]))
            if len(self._hosts) >= _KNOWN_HOSTS:
                self._hosts.clear()
            self._hosts[value] = known
        return known

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        path: str = scope["path"]
        host, trusted = self._host(headers.get("host", ""))
        if host is None or not (trusted or (path in PROBE_PATHS and _is_address(host[0]))):
            await error_response("untrusted_host", UNTRUSTED_HOST_MESSAGE, path=path)(
                scope, receive, send
            )
            return
        if (
            host is not None
            and scope["method"] in STATE_CHANGING
            and is_cross_origin(headers, host, self.policy)
        ):
            await error_response("cross_origin_request", CROSS_ORIGIN_MESSAGE, path=path)(
                scope, receive, send
            )
            return
        await self.app(scope, receive, send)
