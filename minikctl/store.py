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
import stat
import zlib
from contextlib import contextmanager
from collections.abc import Iterator

from minikctl.errors import StateFileError

FORMAT = "state/v1"


def _std_encode(obj: dict) -> bytes:
    try:
        return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()
    except UnicodeEncodeError:  # a lone surrogate (a JSON \\ud800 escape): stored escaped
        return json.dumps(obj, separators=(",", ":")).encode()


def _key_bytes(name: str) -> bytes:
    """An object's key as a JSON string, quotes included: any name the API server accepts (newlines,
    quotes, backslashes, `": `) stays on its one line and reads back byte for byte."""
    try:
        return json.dumps(name, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return json.dumps(name).encode()


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
        needle = _key_bytes(obj_key) + b": "
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
            content = b",\n".join(_key_bytes(name) + b": " + section.raw[name] for name in section.keys())
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
        name, name_end = _line_key(line)
        value = line[name_end + 3:]
        raw[name] = value[:-1] if value.endswith(b",") else value
    return raw


def _line_key(line: bytes) -> tuple[str, int]:
    """The key of an object line `"KEY": {...}` and where its closing quote is: the first `": ` not
    escaped (an odd run of backslashes before the quote escapes it)."""
    at = line.index(b'": ', 1)
    while (at - len(line[:at].rstrip(b"\\"))) % 2:
        at = line.index(b'": ', at + 1)
    key = line[1:at]
    return (json.loads(line[:at + 1]) if b"\\" in key else key.decode()), at


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
    if not isinstance(index, dict) or not isinstance(index.get("size"), int) or not isinstance(index.get("sections"), dict):
        raise _unknown(path)
    entries = [index.get("meta"), *index["sections"].values()]
    if not all(_entry_fits(entry, index["size"]) for entry in entries):
        raise StateFileError(f'the state file "{path}" is corrupt (its index points outside the file); '
                             "it was left unchanged")
    return index


def _entry_fits(entry, size: int) -> bool:
    """An index entry [offset, length, crc32] of integers that lies inside the body."""
    if not (isinstance(entry, list) and len(entry) == 3 and all(type(n) is int for n in entry)):
        return False
    offset, length, _ = entry
    return 0 <= offset and 0 <= length and offset + length <= size


def read(path: str) -> StateData | None:
    """Open the state without a lock; None when there is no state file yet.

    Only the index line is read now; sections are read when used, through the open file, so a command
    sees one version of the state even if a writer replaces the file meanwhile.
    """
    _refuse_special(path, path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StateFileError(f'cannot read the state file "{path}": {exc.strerror}') from None
    handle = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped for a FIFO or device after the check
        handle.close()
        raise StateFileError(f'the state file "{path}" is not a regular file; it was left unchanged')
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


# Places that look like files but are the kernel's: reading them hangs, never ends, or has side effects.
_KERNEL_TREES = ("/proc", "/sys", "/dev")
_LOCK_NOTICE_AFTER = 1.0  # seconds a writer waits silently before saying whom it waits for
_LOCK_POLL = 0.05


def _folder(path: str) -> str:
    return os.path.dirname(path) or "."


def _refuse_special(path: str, shown: str) -> None:
    """Anything but a regular file (a FIFO, a device, a folder, a kernel file) is refused, never opened."""
    real = os.path.realpath(path)
    if any(real == tree or real.startswith(tree + "/") for tree in _KERNEL_TREES):
        raise StateFileError(f'the state file "{shown}" is not a regular file; it was left unchanged')
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StateFileError(f'cannot read the state file "{shown}": {exc.strerror}') from None
    if not stat.S_ISREG(mode):
        raise StateFileError(f'the state file "{shown}" is not a regular file; it was left unchanged')


def write_atomically(path: str, data: bytes) -> None:
    """Write through a symbolic link to its target (as editors do): a temp file beside the target, in the
    target's mode (0600 for a new state), fsynced, renamed over it; then the folder is fsynced."""
    import tempfile

    target = os.path.realpath(path)
    folder = _folder(target)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = 0o600
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.{os.getpid()}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise StateFileError(f'cannot write the state file "{path}": {exc.strerror}; it was left unchanged') from None
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
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
def locked(path: str, timeout: float = 0, notify=None) -> Iterator[StateData | None]:
    """Hold the state's exclusive lock; yields the current state (None if there is none yet).

    The lock belongs to the file a symbolic link points at, so every path to one state shares it.
    timeout (seconds, 0 for none) bounds the wait for another writer; notify(text) is told, after a
    second, which process holds the lock.
    """
    _refuse_special(path, path)
    target = os.path.realpath(path)
    folder = _folder(target)
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError as exc:
        raise StateFileError(f'cannot create the state folder "{folder}": {exc.strerror}') from None
    _refuse_read_only(target, path)
    use_fast_codec()
    with _exclusive_lock(target + ".lock", timeout, notify):
        _remove_stale_temp_files(target)
        state = read(path)
        if state is not None:
            state.check_all()
        yield state


def _refuse_read_only(target: str, shown: str) -> None:
    """A state the user made read-only (no owner write bit, or no write access) is not replaced."""
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and (not mode & stat.S_IWUSR or not os.access(target, os.W_OK)):
        raise StateFileError(f'the state file "{shown}" is read-only (mode {stat.S_IMODE(mode):04o}); '
                             "it was left unchanged")
    if not os.access(_folder(target), os.W_OK | os.X_OK):
        raise StateFileError(f'cannot write the state file "{shown}": its folder "{_folder(target)}" is not '
                             "writable; it was left unchanged")


def _remove_stale_temp_files(target: str) -> None:
    """Temp files of writers that died before renaming (each a full copy, Secrets included). Under the
    lock no live writer has one in progress; those whose process still exists are left alone."""
    prefix = f".{os.path.basename(target)}."
    folder = _folder(target)
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        pid = name[len(prefix):].partition(".")[0]
        if pid.isdigit() and _process_exists(int(pid)):
            continue
        try:
            os.unlink(os.path.join(folder, name))
        except OSError:
            pass


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # EPERM: someone else's process
    return True


def _lock_error(lock_path: str, reason: str) -> StateFileError:
    return StateFileError(f'cannot lock the state: the lock file "{lock_path}" {reason}; nothing was written')


def _open_lock_file(lock_path: str) -> int:
    """Open (or create, 0600) the lock file itself: never through a symbolic link, never a FIFO or device."""
    import errno

    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(lock_path, flags, 0o600)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _lock_error(lock_path, "is a symbolic link") from None
        if exc.errno == errno.EISDIR:
            raise _lock_error(lock_path, "is a directory") from None
        raise _lock_error(lock_path, f"cannot be opened: {exc.strerror}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise _lock_error(lock_path, "is not a regular file")
    return fd


@contextmanager
def _exclusive_lock(lock_path: str, timeout: float = 0, notify=None) -> Iterator[None]:
    """flock(2) on the lock file, which then records the holder's pid.

    minikctl writes only on POSIX systems: the write protocol needs flock, O_NOFOLLOW, file modes and
    a folder fsync (README, "Platforms"). The kernel releases the lock if the holder dies.
    """
    try:
        import fcntl
    except ImportError:
        raise StateFileError("minikctl writes its state only on POSIX systems (Linux, macOS, BSD, WSL)") from None
    fd = _open_lock_file(lock_path)
    try:
        _wait_for_lock(fcntl, fd, lock_path, timeout, notify)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)


def _wait_for_lock(fcntl, fd: int, lock_path: str, timeout: float, notify) -> None:
    import time

    started = time.monotonic()
    noticed = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        waited = time.monotonic() - started
        if not noticed and waited >= _LOCK_NOTICE_AFTER and notify is not None:
            notify(f"waiting for the state lock held by {_holder(fd)} ({lock_path})\n")
            noticed = True
        if timeout and waited >= timeout:
            raise StateFileError(f"timed out after {_seconds(timeout)} waiting for the state lock held by "
                                 f"{_holder(fd)} ({lock_path}); nothing was written")
        time.sleep(_LOCK_POLL)


def _holder(fd: int) -> str:
    recorded = os.pread(fd, 32, 0).strip()
    return f"process {recorded.decode()}" if recorded.isdigit() else "another process"


def _seconds(value: float) -> str:
    return f"{value:g}s"
