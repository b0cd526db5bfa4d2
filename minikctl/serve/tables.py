"""Server-side printing: `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` answers.

The cells come from the same column functions `minikctl get` prints with (printers/tables.py), so
kubectl's own table printer, fed these rows, prints what `minikctl get` prints. Wide-only columns
have priority 1, as the API server marks them (kubernetes/kubernetes pkg/printers/internalversion).
"""

from __future__ import annotations

from datetime import datetime

from minikctl.printers.tables import CellContext, columns_for


def wants_table(accept: str) -> bool:
    return "as=Table" in accept


def table(kind, objects: list[dict], now: datetime, resource_version: str, include_object: str = "Metadata",
          with_columns: bool = True, continue_token: str = "") -> dict:
    columns = columns_for(kind.key, wide=True)
    context = CellContext(now=now, wide=True)
    result = {"kind": "Table", "apiVersion": "meta.k8s.io/v1",
              "metadata": {"resourceVersion": resource_version}}
    if continue_token:
        result["metadata"]["continue"] = continue_token
    if with_columns:
        result["columnDefinitions"] = [
            {"name": _title(column.header), "type": "string", "format": "name" if column.is_name else "",
             "description": "", "priority": 1 if column.wide else 0}
            for column in columns]
    result["rows"] = [{"cells": [column.cell(obj, context) for column in columns],
                       "object": _row_object(obj, include_object)} for obj in objects]
    return result


def _title(header: str) -> str:
    """kubectl upper-cases column names; the server sends them titled (`Nominated Node`)."""
    return " ".join(word.capitalize() for word in header.split(" "))


def _row_object(obj: dict, include_object: str):
    if include_object == "None":
        return None
    if include_object == "Object":
        return obj
    return {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": obj.get("metadata", {})}
