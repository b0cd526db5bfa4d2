"""pods/exec: placeholder until the WebSocket protocol is served."""

from __future__ import annotations

from minikctl.serve.status import status_body


def routes(api) -> list:
    return []


async def refuse_plain(call):
    from minikctl.serve.app import _json

    return _json(400, status_body(400, "BadRequest", "exec is not served yet"))
