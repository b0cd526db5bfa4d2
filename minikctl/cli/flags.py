"""A parser with kubectl's (spf13/pflag's) flag syntax.

Scripts written for kubectl use forms click/Typer reject: `-o=yaml`, `-ojson`, `--wait=false`,
`--all-namespaces=true`, flags after positional arguments, `--` before a command. This parser takes
each command's declared flags and accepts exactly what pflag accepts, with pflag's error texts.
"""

from __future__ import annotations

import re


from minikctl.errors import FlagError

STRING, BOOL, INT, SLICE, ARRAY, DURATION = "string", "bool", "int", "stringSlice", "stringArray", "duration"


class Flag:
    """A declared flag; no_value is what a string flag means when given without `=value` (pflag NoOptDefVal)."""

    __slots__ = ("name", "short", "type", "default", "help", "no_value")

    def __init__(self, name: str, short: str = "", type: str = STRING, default=None, help: str = "",
                 no_value: str | None = None):
        self.name, self.short, self.type = name, short, type
        self.default, self.help, self.no_value = default, help, no_value

    def initial(self):
        if self.type in (SLICE, ARRAY):
            return list(self.default or [])
        if self.type == DURATION:
            return None if self.default is None else parse_duration(self.default, self.name)
        if self.type == BOOL:
            return bool(self.default)
        return self.default


class Parsed:
    """Flag values by long name, positional arguments, and what came after `--`."""

    def __init__(self, values: dict | None = None):
        self.values: dict = values if values is not None else {}
        self.args: list[str] = []
        self.after_dash: list[str] | None = None
        self.given: set[str] = set()

    def __getitem__(self, name: str):
        return self.values[name]

    def get(self, name: str, default=None):
        return self.values.get(name, default)


_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")


def parse_duration(text: str, flag: str = "timeout") -> float:
    """Seconds in a Go duration (`30s`, `1m30s`, `500ms`, `0`), or pflag's error for a duration flag."""
    body = text.lstrip("+-")
    if body == "0":
        return 0.0
    position, total = 0, 0.0
    while position < len(body):
        match = _DURATION_PART.match(body, position)
        if match is None:
            break
        total += float(match.group(1)) * _UNITS[match.group(2)]
        position = match.end()
    if not body or position != len(body):
        raise FlagError(f'invalid argument "{text}" for "--{flag}" flag: time: invalid duration "{text}"')
    return -total if text.startswith("-") else total


def _parse_bool(text: str, flag: Flag) -> bool:
    lowered = text
    if lowered in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if lowered in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    raise FlagError(f'invalid argument "{text}" for "{_display(flag)}" flag: strconv.ParseBool: parsing "{text}": invalid syntax')


def _display(flag: Flag) -> str:
    return f"-{flag.short}, --{flag.name}" if flag.short else f"--{flag.name}"


def _convert(flag: Flag, text: str, parsed: Parsed) -> None:
    parsed.given.add(flag.name)
    if flag.type == BOOL:
        parsed.values[flag.name] = _parse_bool(text, flag)
    elif flag.type == INT:
        try:
            parsed.values[flag.name] = int(text, 10)
        except ValueError:
            raise FlagError(
                f'invalid argument "{text}" for "{_display(flag)}" flag: strconv.ParseInt: parsing "{text}": invalid syntax') from None
    elif flag.type == DURATION:
        parsed.values[flag.name] = parse_duration(text, flag.name)
    elif flag.type == SLICE:
        parsed.values[flag.name].extend(part for part in text.split(",") if part != "" or text == "")
    elif flag.type == ARRAY:
        parsed.values[flag.name].append(text)
    else:
        parsed.values[flag.name] = text


def parse(argv: list[str], flags: list[Flag], stop_at_first_arg: bool = False) -> Parsed:
    """Parse argv against flags; positional arguments may come before, between or after flags."""
    by_long = {f.name: f for f in flags}
    by_short = {f.short: f for f in flags if f.short}
    parsed = Parsed(values={f.name: f.initial() for f in flags})
    index = 0
    while index < len(argv):
        token = argv[index]
        index += 1
        if token == "--":
            parsed.after_dash = argv[index:]
            break
        if token.startswith("--") and len(token) > 2:
            name, has_value, value = token[2:].partition("=")
            flag = by_long.get(name)
            if flag is None:
                raise FlagError(f"unknown flag: --{name}")
            if has_value:
                _convert(flag, value, parsed)
            elif flag.type == BOOL:
                _convert(flag, "true", parsed)
            else:
                index = _take_value(flag, argv, index, parsed, f"--{name}")
        elif token.startswith("-") and len(token) > 1:
            index = _parse_shorts(token, argv, index, by_short, parsed)
        else:
            parsed.args.append(token)
            if stop_at_first_arg:
                parsed.args.extend(argv[index:])
                break
    return parsed


def positionals(argv: list[str], flags: list[Flag]) -> list[str]:
    """The positional arguments of argv, read leniently (unknown flags taken as bare): for naming the
    subcommand in an error about the flags themselves."""
    takes_value = {f"--{fl.name}" for fl in flags if fl.type != BOOL and fl.no_value is None}
    takes_value |= {f"-{fl.short}" for fl in flags if fl.short and fl.type != BOOL and fl.no_value is None}
    args, index = [], 0
    while index < len(argv):
        token = argv[index]
        index += 1
        if token == "--":
            break
        if token.startswith("-") and len(token) > 1:
            index += 1 if token in takes_value else 0
        else:
            args.append(token)
    return args


def _take_value(flag: Flag, argv: list[str], index: int, parsed: Parsed, spelled: str) -> int:
    """A value-taking flag written without `=`: its optional default, else the next argument."""
    if flag.no_value is not None:
        _convert(flag, flag.no_value, parsed)
        return index
    if index < len(argv):
        _convert(flag, argv[index], parsed)
        return index + 1
    raise FlagError(f"flag needs an argument: {spelled}")


def _parse_shorts(token: str, argv: list[str], index: int, by_short: dict[str, Flag], parsed: Parsed) -> int:
    shorts = token[1:]
    position = 0
    while position < len(shorts):
        letter = shorts[position]
        flag = by_short.get(letter)
        if flag is None:
            raise FlagError(f"unknown shorthand flag: '{letter}' in {token}")
        rest = shorts[position + 1:]
        if flag.type == BOOL:
            if rest.startswith("="):
                _convert(flag, rest[1:], parsed)
                return index
            _convert(flag, "true", parsed)
            position += 1
            continue
        if rest:
            _convert(flag, rest[1:] if rest.startswith("=") else rest, parsed)
            return index
        return _take_value(flag, argv, index, parsed, f"'{letter}' in -{letter}")
    return index
