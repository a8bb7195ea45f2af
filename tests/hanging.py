"""A TCP server that accepts connections and never answers: a Redis or an S3 server
that hangs (frozen, overloaded, a half-open network), as opposed to one that is down."""

import socket
import threading


class HangingServer:
    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = []
        self.received = 0  # bytes the clients sent; nothing is ever sent back
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:  # closed
                return
            with self.lock:
                self.connections.append(conn)
            threading.Thread(target=self._swallow, args=(conn,), daemon=True).start()

    def _swallow(self, conn):
        while True:
            try:
                data = conn.recv(65536)
            except OSError:
                return
            if not data:
                return
            with self.lock:
                self.received += len(data)

    def close(self):
        self.listener.close()
        with self.lock:
            for conn in self.connections:
                conn.close()
