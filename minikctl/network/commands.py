"""The few commands `minikctl exec` answers inside a pod: nslookup, curl and wget.

They simulate routing, not applications: a request that gets through is answered with one line saying
which pod (and which path) it reached. Output and exit codes follow BIND 9's nslookup, curl 8 and
BusyBox wget as they print them in common container images.
"""

from __future__ import annotations

import ipaddress
import shlex
from dataclasses import dataclass

from minikctl.cluster import Cluster
from minikctl.network import dns, policy, proxy

SHELLS = ("sh", "bash", "ash")
SHELL_SYNTAX = ("|", ";", "&", ">", "<", "$", "`", "(", ")")


class NotSimulated(Exception):
    """A command (or form of one) minikctl does not simulate."""


@dataclass
class Outcome:
    stdout: str = ""
    stderr: str = ""
    exit_code: int = 0


def run(cluster: Cluster, pod: dict, argv: list[str]) -> Outcome:
    program = argv[0].rsplit("/", 1)[-1]
    if program in SHELLS and len(argv) == 3 and argv[1] == "-c":
        return run(cluster, pod, _simple_command(argv[2]))
    handler = {"nslookup": nslookup, "curl": curl, "wget": wget}.get(program)
    if handler is None:
        raise NotSimulated(argv[0])
    return handler(cluster, pod, argv[1:])


def _simple_command(script: str) -> list[str]:
    if any(symbol in script for symbol in SHELL_SYNTAX) or not script.strip():
        raise NotSimulated(f"sh -c {shlex.quote(script)}")
    return shlex.split(script)


# -- name resolution shared by the clients -------------------------------------------------------
def resolve_host(cluster: Cluster, pod: dict, host: str) -> str | None:
    """The address a client in pod would connect to for host; None when the name does not resolve."""
    if host == "localhost":
        return (pod.get("status") or {}).get("podIP")
    if _is_address(host):
        return host
    config = dns.resolver_config(cluster, pod)
    if config.cluster_dns and not (dns_server_up(cluster) and policy.dns_reachable(cluster, pod, config.nameserver)):
        return None
    resolver = dns.Resolver(cluster)
    _, records = resolver.resolve(host, "A", config)
    for _ in range(8):
        addresses = [r.data for r in records or () if r.type == "A"]
        if addresses:
            return addresses[0]
        aliases = [r.data for r in records or () if r.type == "CNAME"]
        if not aliases:
            return None
        records = resolver.lookup(aliases[0], "A")
    return None


def _is_address(text: str) -> bool:
    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        return False
    return True


def dns_server_up(cluster: Cluster) -> bool:
    """kube-dns answers only while some CoreDNS pod is a ready endpoint."""
    service = cluster.get("services", *dns.DNS_SERVICE)
    if service is None:
        return False
    port = next((p for p in service["spec"].get("ports") or () if p.get("protocol") == "UDP"), None)
    return port is not None and bool(proxy.usable_endpoints(cluster, service, port))


# -- nslookup (BIND 9) ----------------------------------------------------------------------------
RECORD_TYPES = ("A", "CNAME", "SRV", "PTR", "TXT")


def nslookup(cluster: Cluster, pod: dict, args: list[str]) -> Outcome:
    record_type, names = _nslookup_arguments(args)
    if not names:
        raise NotSimulated("nslookup without a name (interactive mode)")
    config = dns.resolver_config(cluster, pod)
    server = names[1] if len(names) > 1 else config.nameserver
    if not _dns_server_answers(cluster, server) or not policy.dns_reachable(cluster, pod, server):
        return Outcome(";; connection timed out; no servers could be reached\n\n", "", 1)
    header = f"Server:\t\t{server}\nAddress:\t{server}#53\n\n"
    name = names[0]
    if _is_address(name):
        name, record_type = ".".join(reversed(name.split("."))) + ".in-addr.arpa", "PTR"
    answered, records = dns.Resolver(cluster).resolve(name, record_type, config)
    if records is None:
        return Outcome(header + f"** server can't find {name}: NXDOMAIN\n\n", "", 1)
    if not records:
        return Outcome(header + f"*** Can't find {answered}: No answer\n\n", "", 1)
    return Outcome(header + "".join(_nslookup_line(r) for r in records) + "\n")


def _nslookup_arguments(args: list[str]) -> tuple[str, list[str]]:
    record_type, names = "A", []
    for argument in args:
        option, _, value = argument.partition("=")
        if option in ("-type", "-query", "-q", "-querytype", "-t") and value.upper() in RECORD_TYPES:
            record_type = value.upper()
        elif argument.startswith("-"):
            raise NotSimulated(f"nslookup {argument}")
        else:
            names.append(argument)
    return record_type, names


def _dns_server_answers(cluster: Cluster, server: str) -> bool:
    if server == dns.cluster_dns_address(cluster):
        return dns_server_up(cluster)
    coredns = cluster.get("endpoints", *dns.DNS_SERVICE) or {}
    return any(a.get("ip") == server for s in coredns.get("subsets") or () for a in s.get("addresses") or ())


def _nslookup_line(record: dns.Record) -> str:
    if record.type == "A":
        return f"Name:\t{record.name}\nAddress: {record.data}\n"
    label = {"CNAME": "canonical name", "SRV": "service", "PTR": "name", "TXT": "text"}[record.type]
    data = f'"{record.data}"' if record.type == "TXT" else record.data
    return f"{record.name}\t{label} = {data}\n"


# -- curl and wget ---------------------------------------------------------------------------------
@dataclass
class Url:
    host: str
    port: int


def parse_url(text: str) -> Url:
    scheme, separator, rest = text.partition("://")
    if not separator:
        scheme, rest = "http", text
    if scheme not in ("http", "https"):
        raise NotSimulated(f"{scheme}:// URLs")
    authority = rest.split("/", 1)[0].split("?", 1)[0].rsplit("@", 1)[-1]
    host, _, port = authority.partition(":")
    return Url(host, int(port) if port.isdigit() else (443 if scheme == "https" else 80))


CURL_FLAGS = {"s": "silent", "S": "show-error", "f": "fail", "L": "location", "k": "insecure"}
CURL_VALUE_FLAGS = {"m": "max-time", "H": "header", "X": "request", "o": "output"}
CURL_LONG_VALUE_FLAGS = set(CURL_VALUE_FLAGS.values()) | {"connect-timeout"}
# A SYN nobody answers (NetworkPolicy drops it): the kernel gives up after tcp_syn_retries, curl reports 28.
CONNECT_TIMEOUT_MS = 130001
CURL_HELP = "curl: try 'curl --help' or 'curl --manual' for more information\n"


def curl(cluster: Cluster, pod: dict, args: list[str]) -> Outcome:
    try:
        options, urls = _curl_arguments(args)
    except _CurlUsage as problem:
        return Outcome("", f"curl: {problem}\n{CURL_HELP}", 2)
    if not urls:
        return Outcome("", f"curl: no URL specified\n{CURL_HELP}", 2)
    if options.get("output") not in (None, "-", "/dev/null"):
        raise NotSimulated("curl -o FILE")
    url = parse_url(urls[0])
    show_errors = "silent" not in options or "show-error" in options
    address = resolve_host(cluster, pod, url.host)
    if address is None:
        return Outcome("", f"curl: (6) Could not resolve host: {url.host}\n" if show_errors else "", 6)
    try:
        route = proxy.connect(cluster, pod, address, url.port)
    except proxy.ConnectionRefused:
        message = f"curl: (7) Failed to connect to {url.host} port {url.port} after 0 ms: Couldn't connect to server\n"
        return Outcome("", message if show_errors else "", 7)
    if not policy.route_allowed(cluster, pod, route):
        message = (f"curl: (28) Failed to connect to {url.host} port {url.port} after {CONNECT_TIMEOUT_MS} ms: "
                   "Couldn't connect to server\n")
        return Outcome("", message if show_errors else "", 28)
    body = route.describe() + "\n"
    return Outcome("" if options.get("output") == "/dev/null" else body)


class _CurlUsage(Exception):
    pass


def _curl_arguments(args: list[str]) -> tuple[dict, list[str]]:
    options: dict = {}
    urls: list[str] = []
    remaining = list(args)
    while remaining:
        argument = remaining.pop(0)
        if argument.startswith("--"):
            name, equals, value = argument[2:].partition("=")
            if name in CURL_LONG_VALUE_FLAGS:
                options[name] = value if equals else _curl_value(remaining, argument)
            elif name in CURL_FLAGS.values():
                options[name] = True
            else:
                raise _CurlUsage(f"option {argument}: is unknown")
        elif argument.startswith("-") and len(argument) > 1:
            _curl_short_flags(argument, remaining, options)
        else:
            urls.append(argument)
    return options, urls


def _curl_short_flags(argument: str, remaining: list[str], options: dict) -> None:
    letters = argument[1:]
    for index, letter in enumerate(letters):
        if letter in CURL_FLAGS:
            options[CURL_FLAGS[letter]] = True
        elif letter in CURL_VALUE_FLAGS:
            rest = letters[index + 1:]
            options[CURL_VALUE_FLAGS[letter]] = rest if rest else _curl_value(remaining, "-" + letter)
            return
        else:
            raise _CurlUsage(f"option -{letter}: is unknown")


def _curl_value(remaining: list[str], flag: str) -> str:
    if not remaining:
        raise _CurlUsage(f"option {flag}: requires parameter")
    return remaining.pop(0)


def wget(cluster: Cluster, pod: dict, args: list[str]) -> Outcome:
    quiet, output, urls = _wget_arguments(args)
    if output not in ("-", "/dev/null") or len(urls) != 1:
        raise NotSimulated("wget without -O - (saving files)")
    url = parse_url(urls[0])
    address = resolve_host(cluster, pod, url.host)
    if address is None:
        return Outcome("", f"wget: bad address '{url.host}'\n", 1)
    try:
        route = proxy.connect(cluster, pod, address, url.port)
    except proxy.ConnectionRefused:
        return Outcome("", f"wget: can't connect to remote host ({address}): Connection refused\n", 1)
    if not policy.route_allowed(cluster, pod, route):
        message = f"wget: can't connect to remote host ({address}): Connection timed out\n"
        return Outcome("", message, 1)
    body = "" if output == "/dev/null" else route.describe() + "\n"
    progress = "" if quiet else f"Connecting to {url.host} ({address}:{url.port})\nwriting to stdout\nwritten to stdout\n"
    return Outcome(body, progress)


def _wget_arguments(args: list[str]) -> tuple[bool, str | None, list[str]]:
    quiet, output, urls = False, None, []
    remaining = list(args)
    while remaining:
        argument = remaining.pop(0)
        if argument in ("-q", "--quiet"):
            quiet = True
        elif argument.startswith("-q") and argument[2:3] == "O":
            quiet, output = True, argument[3:] or (remaining.pop(0) if remaining else None)
        elif argument.startswith("-O"):
            output = argument[2:] or (remaining.pop(0) if remaining else None)
        elif argument.startswith("-"):
            raise NotSimulated(f"wget {argument}")
        else:
            urls.append(argument)
    return quiet, output, urls
