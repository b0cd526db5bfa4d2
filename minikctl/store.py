"""The state file: one JSON document, written atomically under a file lock, read without one.

Layout (the file is valid JSON; every object is one compact line):

    {"minikctl": "state/v1", "index": {"size": N, "meta": [offset, length, crc32],
                                       "sections": {"pods": [offset, length, crc32], ...}},
    "meta": {...},
    "objects": {
    "pods": {
    "default/web-0": {...},
    "default/web-1": {...}
    },
    "services": {
    ...
    }}

The first line indexes the body after it: where each part starts, how long it is, and its CRC-32. A
reader reads that line, checks the file's size, then reads and checks only the sections a command
uses, so `get` stays fast on large states and never decodes a torn or edited part. Writers hold an
exclusive lock on `<state>.lock` (never removed), write a temp file, fsync it, rename it over the
state, and fsync the folder; a writer reads and checks every section before replacing the file.
"""

from __future__ import annotations

import json
import os
import zlib
from contextlib import contextmanager
from collections.abc import Iterator

from minikctl.errors import StateFileError

FORMAT = "state/v1"


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
    """A state file's meta plus its sections, each read, checked and decoded on first use."""

    def __init__(self, meta: dict, index: dict | None = None, fetch=None, path: str = "", handle=None):
        self.meta = meta
        self.handle = handle  # the open state file the sections are fetched from
        self._index: dict[str, list[int]] = index or {}  # section -> [offset, length, crc32] in the body
        self._fetch = fetch  # (offset, length) -> bytes of the body
        self._path = path
        self._sections: dict[str, Section] = {}
        self._contents: dict[str, bytes] = {}

    @classmethod
    def empty(cls) -> "StateData":
        return cls({})

    def _content(self, key: str) -> bytes:
        """A section's object lines, checked against the index's checksum (b"" when absent)."""
        content = self._contents.get(key)
        if content is None:
            entry = self._index.get(key)
            content = b"" if entry is None else _checked(self._fetch, entry, self._path)
            self._contents[key] = content
        return content

    def section(self, key: str) -> Section:
        section = self._sections.get(key)
        if section is None:
            section = self._sections[key] = Section(_split(self._content(key)))
            self._contents.pop(key, None)
        return section

    def lookup(self, key: str, obj_key: str) -> dict | None:
        """One object without splitting its whole section (the fast path of `get TYPE NAME`)."""
        section = self._sections.get(key)
        if section is not None:
            return section.get(obj_key)
        content = self._content(key)
        needle = b'"' + json.dumps(obj_key, ensure_ascii=False).encode()[1:-1] + b'": '
        if content.startswith(needle):
            start = 0
        else:
            at = content.find(b"\n" + needle)
            if at < 0:
                return None
            start = at + 1
        value_start = start + len(needle)
        value_end = content.find(b"\n", value_start)
        value = content[value_start:value_end if value_end >= 0 else len(content)]
        return decode(value[:-1] if value.endswith(b",") else value)

    def check_all(self) -> None:
        """Read and check every section now: a writer must not carry a damaged part into a new file."""
        for key in self._index:
            self._content(key)

    def section_keys(self) -> list[str]:
        return sorted(set(self._index) | set(self._sections))

    def serialize(self) -> bytes:
        """The whole file: an index line (offsets, lengths and checksums of every part), then the body."""
        body = bytearray(b'"meta": ')
        index: dict = {"meta": _append(body, encode(self.meta)), "sections": {}}
        body += b',\n"objects": {'
        separator = b"\n"
        for key in self.section_keys():
            section = self.section(key)
            if not len(section):
                continue
            content = b",\n".join(b'"' + name.encode() + b'": ' + section.raw[name] for name in section.keys())
            body += separator + b'"' + key.encode() + b'": {\n'
            index["sections"][key] = _append(body, content)
            body += b"\n}"
            separator = b",\n"
        body += b"\n}}\n"
        index["size"] = len(body)
        header = b'{"minikctl": "%s", "index": %s,\n' % (FORMAT.encode(), json.dumps(index, separators=(",", ":")).encode())
        return header + bytes(body)


def _append(body: bytearray, content: bytes) -> list[int]:
    """Add content to the body; returns its index entry [offset, length, crc32]."""
    entry = [len(body), len(content), zlib.crc32(content)]
    body += content
    return entry


def _checked(fetch, entry: list[int], path: str) -> bytes:
    offset, length, checksum = entry
    content = fetch(offset, length)
    if len(content) != length or zlib.crc32(content) != checksum:
        raise StateFileError(f'the state file "{path}" is corrupt or truncated (checksum mismatch); it was left unchanged')
    return content


def _split(content: bytes) -> dict[str, bytes]:
    raw: dict[str, bytes] = {}
    if not content:
        return raw
    for line in content.split(b"\n"):
        name_end = line.index(b'": ')
        value = line[name_end + 3:]
        raw[line[1:name_end].decode()] = value[:-1] if value.endswith(b",") else value
    return raw


def _unknown(path: str) -> StateFileError:
    return StateFileError(f'the state file "{path}" is not a minikctl state file (unknown format); it was left unchanged')


def _parse_header(line: bytes, path: str) -> dict:
    if not line.startswith(b'{"minikctl": ') or not line.endswith(b",\n"):
        raise _unknown(path)
    try:
        header = json.loads(line[:-2] + b"}")
    except ValueError:
        raise _unknown(path) from None
    if header.get("minikctl") != FORMAT:
        raise StateFileError(
            f'the state file "{path}" has format "{header.get("minikctl")}", this minikctl reads "{FORMAT}"; '
            "it was left unchanged")
    index = header.get("index")
    if not isinstance(index, dict) or not isinstance(index.get("size"), int):
        raise _unknown(path)
    return index


def read(path: str) -> StateData | None:
    """Open the state without a lock; None when there is no state file yet.

    Only the index line is read now; sections are read when used, through the open file, so a command
    sees one version of the state even if a writer replaces the file meanwhile.
    """
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StateFileError(f'cannot read the state file "{path}": {exc.strerror}') from None
    line = handle.readline(1 << 20)
    index = _parse_header(line, path)
    body_start = len(line)
    if os.fstat(handle.fileno()).st_size != body_start + index["size"]:
        raise StateFileError(f'the state file "{path}" is corrupt or truncated (checksum mismatch); it was left unchanged')

    def fetch(offset: int, length: int) -> bytes:
        return os.pread(handle.fileno(), length, body_start + offset)

    try:
        meta = json.loads(_checked(fetch, index["meta"], path))
        sections = index["sections"]
    except (KeyError, TypeError, ValueError):
        raise _unknown(path) from None
    return StateData(meta, sections, fetch, path, handle)


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
        state = read(path)
        if state is not None:
            state.check_all()
        yield state


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
