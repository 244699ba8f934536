"""A minimal token-checking reverse proxy on loopback, for the Chroma server test.

chromadb 1.5's server (`chroma run`, the Rust frontend) has no authentication of its own: the 0.x settings
(CHROMA_SERVER_AUTHN_PROVIDER …) are ignored. A deployment puts a proxy in front that checks a token (and ends TLS);
this is the smallest such proxy: it forwards a request only when it carries `Authorization: Bearer <token>`.
"""
from __future__ import annotations

import hmac
import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
       "transfer-encoding", "upgrade", "host", "content-length"}


def start_proxy(upstream_port: int, token: str) -> ThreadingHTTPServer:
    expected = f"Bearer {token}".encode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _forward(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            given = (self.headers.get("Authorization") or "").encode()
            if not hmac.compare_digest(given, expected):
                self._reply(401, [("Content-Type", "application/json")],
                            b'{"error":"Unauthorized","message":"missing or wrong bearer token"}')
                return
            conn = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=120)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP and k.lower() != "authorization"}
            conn.request(self.command, self.path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            conn.close()
            self._reply(resp.status, [(k, v) for k, v in resp.getheaders() if k.lower() not in HOP], data)

        def _reply(self, status: int, headers, data: bytes) -> None:
            self.send_response(status)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _forward

        def log_message(self, *args) -> None:     # quiet; and a token must never reach a log
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
