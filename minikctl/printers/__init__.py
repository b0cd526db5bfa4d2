"""Printers: tables, describe, JSONPath, custom columns, YAML/JSON, names."""
