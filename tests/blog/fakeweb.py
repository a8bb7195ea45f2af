"""A tiny web server on 127.0.0.1 for the fetcher's tests: a fake oEmbed provider, image
host, redirector, slow server. Tests never touch the network; blog/fetcher.py may reach
this server only because the test lists its port in WEB_FETCH_ALLOWED_ADDRESSES."""

import io
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PIL import Image


def image_bytes(fmt="PNG", size=(640, 360), mode="RGB", colour="teal"):
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, format=fmt)
    return buffer.getvalue()


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/plain"
    headers: dict = field(default_factory=dict)
    length: bool = True  # send Content-Length (else the body ends when the connection does)
    dribble: float = 0.0  # seconds between bytes: a slow server
    stall: float = 0.0  # seconds of silence after the headers


class FakeWeb:
    def __init__(self):
        self.routes = {}
        self.requests = []  # (path, headers) of every request received
        web = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_GET(self):
                web.requests.append((self.path, dict(self.headers)))
                answer = web.routes.get(self.path) or web.routes.get(self.path.split("?")[0])
                answer = answer or Answer(404, b"not found")
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                if answer.length:
                    self.send_header("Content-Length", str(len(answer.body)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                try:
                    if answer.stall:
                        self.wfile.flush()
                        time.sleep(answer.stall)
                    if answer.dribble:
                        for byte in answer.body:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(answer.dribble)
                    else:
                        self.wfile.write(answer.body)
                except OSError:
                    pass  # the fetcher hung up, as it should

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.stopped = False

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path, answer=None, **kwargs):
        self.routes[path] = answer or Answer(**kwargs)
        return self.url(path)

    def json(self, path, data):
        return self.route(path, body=json.dumps(data).encode(), content_type="application/json")

    def image(self, path, data=None, content_type="image/png"):
        return self.route(path, body=data or image_bytes(), content_type=content_type)

    def redirect(self, path, to, status=302):
        return self.route(path, status=status, headers={"Location": to})

    def paths(self):
        return [path for path, _ in self.requests]

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        if self.stopped:
            return
        self.stopped = True
        self.server.shutdown()
        self.server.server_close()
