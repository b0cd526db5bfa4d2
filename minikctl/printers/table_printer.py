"""The client half of `kubectl get`: decorating the server's tables and laying them out.

Decorations follow kubernetes/cli-runtime pkg/printers/tableprinter.go (NAMESPACE, `-L` columns,
LABELS, kind prefix, cell truncation); grouping and the blank line between kinds follow
kubernetes/kubectl pkg/cmd/get/get.go. See ../shared/reference/kubectl-cli.md §3.
"""

from __future__ import annotations

from datetime import datetime

from minikctl.core.kinds import Kind
from minikctl.printers.labels import format_labels
from minikctl.printers.tables import CellContext, Column, columns_for
from minikctl.printers.tabwriter import format_rows

LINE_BREAKS = "\n\r\f"


class TableOptions:
    def __init__(self, wide: bool = False, all_namespaces: bool = False, show_labels: bool = False,
                 label_columns: list[str] | None = None, no_headers: bool = False, show_kind: bool = False):
        self.wide, self.all_namespaces, self.show_labels = wide, all_namespaces, show_labels
        self.label_columns = label_columns if label_columns is not None else []
        self.no_headers, self.show_kind = no_headers, show_kind


def render_tables(groups: list[tuple[Kind, list[dict]]], options: TableOptions, now: datetime) -> str:
    """stdout of `get` in table form: one table per kind, empty kinds print nothing.

    The kind prefix depends on how many kinds were asked for, not on how many had objects:
    kubectl decides it from the per-kind tables it received (get.go multipleGVKsRequested), so a
    fresh cluster's `get all` prints `service/kubernetes`.
    """
    with_kind = options.show_kind or len(groups) > 1
    tables = [_render_group(kind, objects, options, now, with_kind) for kind, objects in groups]
    # kubectl separates kinds with an empty line only when it prints headers.
    separator = "" if options.no_headers else "\n"
    return separator.join(table for table in tables if table)


def _render_group(kind: Kind, objects: list[dict], options: TableOptions, now: datetime,
                  with_kind: bool) -> str:
    if not objects:
        return ""
    columns = columns_for(kind.key, options.wide)
    with_namespace = options.all_namespaces and kind.namespaced
    context = CellContext(now=now, wide=options.wide)
    rows = [] if options.no_headers else [_header(columns, options, with_namespace)]
    rows += [_row(obj, kind, columns, context, options, with_namespace, with_kind) for obj in objects]
    return format_rows(rows)


def _header(columns: list[Column], options: TableOptions, with_namespace: bool) -> list[str]:
    header = ["NAMESPACE"] if with_namespace else []
    header += [column.header for column in columns]
    header += [_label_column_header(key) for key in options.label_columns]
    return header + (["LABELS"] if options.show_labels else [])


def _label_column_header(key: str) -> str:
    """`-L app.kubernetes.io/name` is headed `NAME`: the part after the last slash, upper-cased."""
    return key.rpartition("/")[2].upper()


def _row(obj: dict, kind: Kind, columns: list[Column], context: CellContext, options: TableOptions,
         with_namespace: bool, with_kind: bool) -> list[str]:
    metadata = obj.get("metadata") or {}
    labels = metadata.get("labels") or {}
    row = [metadata.get("namespace", "")] if with_namespace else []
    for column in columns:
        cell = _single_line(column.cell(obj, context))
        row.append(kind.name_of(cell) if with_kind and column.is_name else cell)
    row += [labels.get(key, "") for key in options.label_columns]
    return row + ([format_labels(labels)] if options.show_labels else [])


def _single_line(cell: str) -> str:
    """Cells stop at the first line break, marked with `...` (tableprinter.go printRows)."""
    cut = min((cell.find(mark) for mark in LINE_BREAKS if mark in cell), default=-1)
    return cell if cut < 0 else cell[:cut] + "..."
