"""Choosing and running a printer for `-o` (kubernetes/cli-runtime pkg/genericclioptions/print_flags.go)."""

from __future__ import annotations

from minikctl.errors import CommandError

GET_FORMATS = ("custom-columns", "custom-columns-file", "go-template", "go-template-file", "json", "jsonpath",
               "jsonpath-as-json", "jsonpath-file", "name", "template", "templatefile", "wide", "yaml")
MUTATE_FORMATS = ("go-template", "go-template-file", "json", "jsonpath", "jsonpath-as-json", "jsonpath-file",
                  "name", "template", "templatefile", "yaml")
TEMPLATE_FORMATS = ("jsonpath", "jsonpath-file", "jsonpath-as-json", "custom-columns", "custom-columns-file",
                    "go-template", "go-template-file", "template", "templatefile")


class OutputFormat:
    """An `-o` value: name is "" for the default table; argument is the template or column spec."""

    __slots__ = ("name", "argument")

    def __init__(self, name: str, argument: str = ""):
        self.name, self.argument = name, argument

    @property
    def is_table(self) -> bool:
        return self.name in ("", "wide")


def parse_output(value: str, template: str = "", allowed: tuple[str, ...] = GET_FORMATS,
                 cwd: str = "") -> OutputFormat:
    """The printer for an -o value; template files are read now, relative to cwd, as kubectl reads them
    when it builds its printer."""
    if not value:
        return OutputFormat("")
    name, has_argument, argument = value.partition("=")
    if name not in allowed:
        raise CommandError(f'unable to match a printer suitable for the output format "{value}", '
                           f"allowed formats are: {','.join(allowed)}")
    if name in ("go-template", "go-template-file", "template", "templatefile"):
        raise CommandError(f'output format "{name}" is not supported by minikctl (Go templates are not simulated); '
                           "use -o jsonpath or -o custom-columns")
    if name in TEMPLATE_FORMATS:
        argument = argument if has_argument else template
        if not argument:
            if name.startswith("custom-columns"):
                raise CommandError("custom-columns format specified but no custom columns given")
            raise CommandError("template format specified but no template given")
        if name.endswith("-file"):
            argument = read_template_file(argument, cwd)
    return OutputFormat(name, argument)


def read_template_file(path: str, cwd: str = "") -> str:
    import os

    try:
        with open(os.path.join(cwd, path), encoding="utf-8") as handle:
            return handle.read()
    except OSError as exc:
        raise CommandError(f"error reading --template {path}, open {path}: {_go_os_error(exc)}") from None


def _go_os_error(exc: OSError) -> str:
    return "no such file or directory" if isinstance(exc, FileNotFoundError) else (exc.strerror or str(exc)).lower()


def render_jsonpath(fmt: OutputFormat, obj: dict, allow_missing_keys: bool = True) -> str:
    from minikctl.printers import jsonpath

    text = fmt.argument
    try:
        template = jsonpath.parse(text)
    except jsonpath.JSONPathParseError as exc:
        raise CommandError(jsonpath.format_parse_error(text, exc)) from None
    try:
        if fmt.name == "jsonpath-as-json":
            return template.execute_as_json(obj)
        return template.execute(obj, allow_missing_keys=allow_missing_keys)
    except jsonpath.JSONPathExecError as exc:
        raise CommandError(jsonpath.format_exec_error(text, exc, obj)) from None


def render_custom_columns(fmt: OutputFormat, objects: list[dict], no_headers: bool) -> str:
    from minikctl.printers import custom_columns

    if fmt.name == "custom-columns-file":
        columns = custom_columns.parse_file(fmt.argument)
    else:
        columns = custom_columns.parse_spec(fmt.argument)
    return custom_columns.render(columns, objects, no_headers=no_headers)


def render_document(fmt: OutputFormat, obj: dict, allow_missing_keys: bool = True) -> str:
    """One object (or List) in a machine format: json, yaml, jsonpath family."""
    from minikctl.printers import serialize

    if fmt.name == "json":
        return serialize.to_json(obj)
    if fmt.name == "yaml":
        return serialize.to_yaml(obj)
    return render_jsonpath(fmt, obj, allow_missing_keys)
