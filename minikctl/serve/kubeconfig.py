"""The kubeconfig `minikctl serve` writes beside the state (never the user's ~/.kube/config)."""

from __future__ import annotations

import os

CONTEXT = "minikctl"


def default_path(state_path: str) -> str:
    return os.path.join(os.path.dirname(os.path.abspath(state_path)), "kubeconfig")


def text(server_url: str) -> str:
    return (f"apiVersion: v1\nkind: Config\nclusters:\n- name: {CONTEXT}\n  cluster:\n    server: {server_url}\n"
            f"contexts:\n- name: {CONTEXT}\n  context:\n    cluster: {CONTEXT}\n    user: {CONTEXT}\n"
            f"    namespace: default\ncurrent-context: {CONTEXT}\npreferences: {{}}\n"
            f"users:\n- name: {CONTEXT}\n  user: {{}}\n")


def write(path: str, server_url: str) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    temp = path + ".tmp"
    with open(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as handle:
        handle.write(text(server_url))
    os.replace(temp, path)
