"""The state file: one JSON document, written atomically under a file lock, read without one.

Layout (every line compact JSON, so the file is valid JSON and can also be read line by line):

    {"minikctl": "state/v1", "checksum": "<crc32 of everything after this line>",
    "meta": {...},
    "objects": {
    "pods": {
    "default/web-0": {...},
    "default/web-1": {...}
    },
    "services": {
    ...
    }
    }}

Readers verify the checksum (a torn or edited file is refused, never half-read) and decode only the
sections and objects a command touches, which keeps `get` fast on large states. Writers hold an
exclusive lock on `<state>.lock` (never removed), write a temp file, fsync it, rename it over the
state, and fsync the folder.
"""

from __future__ import annotations

import json
import os
import re
import zlib
from contextlib import contextmanager
from collections.abc import Iterator

from minikctl.errors import StateFileError

FORMAT = "state/v1"
_HEADER = re.compile(rb'^\{"minikctl": "([^"]*)", "checksum": "([0-9a-f]{8})",$')


def _std_encode(obj: dict) -> bytes:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


_codec = {"encode": _std_encode, "decode": json.loads}


def encode(obj: dict) -> bytes:
    return _codec["encode"](obj)


def decode(raw: bytes) -> dict:
    return _codec["decode"](raw)


def use_fast_codec() -> None:
    """Switch to orjson for the rest of the process (writers: the reconcile pass encodes every object it
    touches, and orjson does that many times faster with the same bytes). Readers keep the standard
    library: importing orjson costs more than a single `get` decodes."""
    try:
        import orjson
    except ImportError:
        return

    def fast_encode(obj: dict) -> bytes:
        try:
            return orjson.dumps(obj)
        except TypeError:  # e.g. integers beyond 64 bits, which the standard library handles
            return _std_encode(obj)

    def fast_decode(raw: bytes) -> dict:
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            return json.loads(raw)

    _codec["encode"], _codec["decode"] = fast_encode, fast_decode


def object_key(namespace: str, name: str) -> str:
    return f"{namespace}/{name}"


def _sort_key(key: str) -> tuple[str, str]:
    namespace, _, name = key.partition("/")
    return namespace, name


class Section:
    """The objects of one resource: raw lines decoded on first use."""

    def __init__(self, raw: dict[str, bytes] | None = None):
        self.raw: dict[str, bytes] = raw or {}
        self.decoded: dict[str, dict] = {}
        self._sorted: list[str] | None = None  # keys in (namespace, name) order, until the next add/remove

    def keys(self) -> list[str]:
        if self._sorted is None:
            self._sorted = sorted(self.raw, key=_sort_key)
        return self._sorted

    def get(self, key: str) -> dict | None:
        obj = self.decoded.get(key)
        if obj is None:
            raw = self.raw.get(key)
            if raw is None:
                return None
            obj = self.decoded[key] = decode(raw)
        return obj

    def set(self, key: str, obj: dict, raw: bytes) -> None:
        if key not in self.raw:
            self._sorted = None
        self.decoded[key] = obj
        self.raw[key] = raw

    def remove(self, key: str) -> None:
        self.decoded.pop(key, None)
        if self.raw.pop(key, None) is not None:
            self._sorted = None

    def __len__(self) -> int:
        return len(self.raw)


class StateData:
    """A parsed state file: meta plus lazily decoded sections."""

    def __init__(self, meta: dict, body: bytes = b"", path: str = ""):
        self.meta = meta
        self._body = body
        self._path = path
        self._sections: dict[str, Section] = {}

    @classmethod
    def empty(cls) -> "StateData":
        return cls({})

    def _section_span(self, key: str) -> tuple[int, int] | None:
        header = b'\n"' + key.encode() + b'": {\n'
        start = self._body.find(header)
        if start < 0:
            return None
        start += len(header)
        end = self._body.find(b"\n}", start - 1)
        if end < 0:
            raise StateFileError(f'the state file "{self._path}" is corrupt: section "{key}" is not closed')
        return start, end

    def section(self, key: str) -> Section:
        section = self._sections.get(key)
        if section is None:
            section = self._sections[key] = Section(self._split(key))
        return section

    def _split(self, key: str) -> dict[str, bytes]:
        span = self._section_span(key)
        if span is None:
            return {}
        raw: dict[str, bytes] = {}
        start, end = span
        if end <= start:
            return raw
        for line in self._body[start:end].split(b"\n"):
            name_end = line.index(b'": ')
            value = line[name_end + 3:]
            if value.endswith(b","):
                value = value[:-1]
            raw[line[1:name_end].decode()] = value
        return raw

    def lookup(self, key: str, obj_key: str) -> dict | None:
        """One object without splitting its whole section (the fast path of `get TYPE NAME`)."""
        section = self._sections.get(key)
        if section is not None:
            return section.get(obj_key)
        span = self._section_span(key)
        if span is None:
            return None
        start, end = span
        needle = b'"' + json.dumps(obj_key, ensure_ascii=False).encode()[1:-1] + b'": '
        at = self._body.find(b"\n" + needle, start - 1, end)
        if at < 0:
            return None
        line_start = at + 1 + len(needle)
        line_end = self._body.find(b"\n", line_start)
        value = self._body[line_start:line_end if line_end >= 0 else len(self._body)]
        return decode(value[:-1] if value.endswith(b",") else value)

    def section_keys(self) -> list[str]:
        keys = set(self._sections)
        for match in re.finditer(rb'\n"([a-z0-9.\-]+)": \{\n', self._body):
            keys.add(match.group(1).decode())
        return sorted(keys)

    def serialize(self) -> bytes:
        parts = [b'"meta": ' + encode(self.meta) + b",", b'"objects": {']
        sections = []
        for key in self.section_keys():
            section = self.section(key)
            if not len(section):
                continue
            lines = [
                b'"' + name.encode() + b'": ' + section.raw[name]
                for name in section.keys()
            ]
            sections.append(b'"' + key.encode() + b'": {\n' + b",\n".join(lines) + b"\n}")
        if sections:
            parts.append(b",\n".join(sections))
        parts.append(b"}}\n")
        body = b"\n".join(parts)
        header = b'{"minikctl": "%s", "checksum": "%08x",\n' % (FORMAT.encode(), zlib.crc32(body))
        return header + body


def parse(data: bytes, path: str) -> StateData:
    newline = data.find(b"\n")
    header = _HEADER.match(data[:newline]) if newline > 0 else None
    if header is None:
        raise StateFileError(f'the state file "{path}" is not a minikctl state file (unknown format); it was left unchanged')
    if header.group(1).decode() != FORMAT:
        raise StateFileError(
            f'the state file "{path}" has format "{header.group(1).decode()}", this minikctl reads "{FORMAT}"; it was left unchanged')
    body = data[newline + 1:]
    if f"{zlib.crc32(body):08x}" != header.group(2).decode():
        raise StateFileError(f'the state file "{path}" is corrupt or truncated (checksum mismatch); it was left unchanged')
    meta_end = body.find(b"\n")
    meta_line = body[:meta_end]
    if not meta_line.startswith(b'"meta": ') or not meta_line.endswith(b","):
        raise StateFileError(f'the state file "{path}" is corrupt: no meta line; it was left unchanged')
    try:
        meta = json.loads(meta_line[8:-1])
    except ValueError as exc:
        raise StateFileError(f'the state file "{path}" is corrupt: {exc}; it was left unchanged') from None
    return StateData(meta, body, path)


def read(path: str) -> StateData | None:
    """Read the state without a lock; None when there is no state file yet."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StateFileError(f'cannot read the state file "{path}": {exc.strerror}') from None
    return parse(data, path)


def write_atomically(path: str, data: bytes) -> None:
    import tempfile

    folder = os.path.dirname(path) or "."
    fd, temp = tempfile.mkstemp(prefix=".cluster-", suffix=".tmp", dir=folder)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


@contextmanager
def locked(path: str) -> Iterator[StateData | None]:
    """Hold the state's exclusive lock; yields the current state (None if there is none yet)."""
    folder = os.path.dirname(path) or "."
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        raise StateFileError(f'cannot create the state folder "{folder}": {exc.strerror}') from None
    use_fast_codec()
    with _exclusive_lock(path + ".lock"):
        yield read(path)


@contextmanager
def _exclusive_lock(lock_path: str) -> Iterator[None]:
    """flock(2) on POSIX; the filelock package elsewhere.

    Importing filelock costs more than a whole small write here (it loads asyncio), and on POSIX its
    lock is this same flock call; the kernel releases it if the process dies.
    """
    try:
        import fcntl
    except ImportError:
        from filelock import FileLock

        with FileLock(lock_path):
            yield
        return
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
