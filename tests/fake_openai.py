"""A scripted OpenAI-compatible server on 127.0.0.1 (stdlib only) for the language-model tests: the one thing the
machine cannot have is a real model, so this stands in for vLLM / llama.cpp. It records every request it receives."""
from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    text: str = ""
    status: int = 200
    delay: float = 0.0             # seconds before the first byte
    stall: float = 0.0             # streaming: seconds of silence after the first chunk
    error_body: str = ""


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: dict


def _chunk(model: str, delta: dict, finish: str | None = None) -> bytes:
    data = {"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 0, "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    return f"data: {json.dumps(data)}\n\n".encode()


class FakeOpenAI:
    def __init__(self):
        self.script: Callable[[dict], Reply] = lambda body: Reply("no script set")
        self.received: list[Received] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):      # keep test output clean
                pass

            def do_GET(self):
                server.received.append(Received(self.path, dict(self.headers), {}))
                self.send_response(404)
                self.end_headers()

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:         # not a chat request (e.g. a tracer's multipart upload): recorded only
                    body = {}
                server.received.append(Received(self.path, dict(self.headers), body))
                try:
                    server.respond(self, body)
                except (BrokenPipeError, ConnectionResetError):
                    pass                       # the client gave up (timeout tests)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeOpenAI:
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def chat_requests(self) -> list[Received]:
        return [r for r in self.received if r.path.endswith("/chat/completions")]

    def respond(self, handler: BaseHTTPRequestHandler, body: dict) -> None:
        if not handler.path.endswith("/chat/completions"):
            handler.send_response(404)
            handler.end_headers()
            return
        reply = self.script(body)
        time.sleep(reply.delay)
        if reply.status != 200:
            payload = json.dumps({"error": {"message": reply.error_body or "scripted failure"}}).encode()
            handler.send_response(reply.status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)
            return
        model = body.get("model", "test")
        if body.get("stream"):
            self._stream(handler, model, reply)
            return
        payload = json.dumps({
            "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": reply.text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    def _stream(self, handler: BaseHTTPRequestHandler, model: str, reply: Reply) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.send_header("Connection", "close")
        handler.end_headers()
        words = reply.text.split(" ")
        pieces = [w if i == 0 else " " + w for i, w in enumerate(words)]
        handler.wfile.write(_chunk(model, {"role": "assistant", "content": ""}))
        for i, piece in enumerate(pieces):
            handler.wfile.write(_chunk(model, {"content": piece}))
            handler.wfile.flush()
            if i == 0 and reply.stall:
                time.sleep(reply.stall)
        handler.wfile.write(_chunk(model, {}, "stop"))
        handler.wfile.write(b"data: [DONE]\n\n")
        handler.wfile.flush()
