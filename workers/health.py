"""A tiny HTTP server for a worker's probes: /healthz now, room for /metrics later."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

log = logging.getLogger(__name__)

Probe = Callable[[], tuple[bool, dict[str, Any]]]


class HealthServer:
    """Serves GET /healthz (200 when `probe` says healthy, else 503) on a loopback-or-any port."""

    def __init__(self, probe: Probe, *, host: str = "0.0.0.0", port: int = 0) -> None:  # noqa: S104 (a probe port inside the pod)
        routes: dict[str, Probe] = {"/healthz": probe}  # "/metrics" goes here later

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                """Answer a probe."""
                route = routes.get(self.path.split("?", 1)[0])
                if route is None:
                    self._answer(404, {"error": "not found"})
                    return
                try:
                    healthy, detail = route()
                except Exception:  # a probe must answer, whatever broke
                    log.exception("health probe failed")
                    healthy, detail = False, {"error": "probe failed"}
                self._answer(200 if healthy else 503, {"ok": healthy, **detail})

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                """Probes are frequent; stay quiet."""

            def _answer(self, status: int, payload: dict[str, Any]) -> None:
                body = json.dumps(payload, default=str).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True

    @property
    def port(self) -> int:
        """The port it listens on."""
        return int(self._server.server_address[1])

    def start(self) -> HealthServer:
        """Serve in a daemon thread."""
        threading.Thread(target=self._server.serve_forever, name="healthz", daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()
