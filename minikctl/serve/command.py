"""minikctl serve: the Kubernetes API over the state file (this package), for kubectl and API clients.

Only this verb imports the serve extra (starlette, uvicorn); without it, it says how to install it.
"""

from __future__ import annotations

from minikctl import errors
from minikctl.cli import flags as f

SUMMARY = "Serve the Kubernetes API over the state, for kubectl, client libraries and operators (minikctl only)."
FLAGS = [
    f.Flag("address", default="127.0.0.1", help="The address to listen on (loopback by default)"),
    f.Flag("port", type=f.INT, default=0, help="The port to listen on (0: any free port)"),
    f.Flag("kubeconfig-out", help="Where to write the kubeconfig (default: 'kubeconfig' beside the state)"),
]


def run(ctx, parsed: f.Parsed) -> int:
    if parsed.args:
        raise errors.UsageError(f'unknown command "{parsed.args[0]}" for "minikctl serve"', "serve")
    try:
        import starlette  # noqa: F401
        import uvicorn
    except ModuleNotFoundError:
        raise errors.CommandError("minikctl serve needs the serve extra: pip install 'minikctl[serve]'") from None
    from minikctl.serve import app
    import socket

    from minikctl.serve import kubeconfig

    ctx.read_cluster()  # a fresh state is bootstrapped before the first request
    listener = socket.socket(socket.AF_INET6 if ":" in parsed["address"] else socket.AF_INET)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((parsed["address"], parsed["port"]))
    except OSError as problem:
        raise errors.CommandError(f"cannot listen on {parsed['address']}:{parsed['port']}: {problem.strerror}") from None
    host, port = listener.getsockname()[:2]
    url = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
    path = ctx.env.resolve_path(parsed["kubeconfig-out"]) if parsed["kubeconfig-out"] else \
        kubeconfig.default_path(ctx.state_path)
    kubeconfig.write(path, url)
    application = app.build(ctx.state_path, dict(ctx.env.environ))
    config = uvicorn.Config(application, log_level="warning", lifespan="on", access_log=False, timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    ctx.env.out(f"Serving the Kubernetes API at {url}; use it with: export KUBECONFIG={path}\n")
    ctx.env.stdout.flush()
    server.run(sockets=[listener])
    return errors.SUCCESS
