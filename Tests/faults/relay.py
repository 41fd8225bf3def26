"""A TCP relay on 127.0.0.1 that sends each connection to an Icecast server chosen by the path of
its first request line: one onaird (one `icecast.url`) can then feed two real Icecast servers, so
one of them can be stalled (SIGSTOP) while the other keeps serving."""
import socket
import threading


class MountRelay:
    def __init__(self, routes, default):
        """`routes`: {"/a.ogg": port}; other paths (status polls) go to `default` (a port)."""
        self.routes, self.default = routes, default
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # A small receive buffer (inherited by accepted sockets): the relay adds little buffering of
        # its own, so a stalled server pushes back on onaird about as soon as it would directly.
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self):
        self._closed = True
        self.listener.close()

    def _accept(self):
        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client):
        client.settimeout(10)
        head = b""
        try:
            while b"\r\n" not in head and len(head) < 8192:
                chunk = client.recv(4096)
                if not chunk:
                    client.close()
                    return
                head += chunk
            parts = head.split(b"\r\n", 1)[0].split()
            path = parts[1].decode("latin-1") if len(parts) > 1 else "/"
            port = self.routes.get(path.split("?")[0], self.default)
            server = socket.create_connection(("127.0.0.1", port), timeout=5)
        except OSError:
            client.close()
            return
        client.settimeout(None)
        server.settimeout(None)
        server.sendall(head)
        threading.Thread(target=self._pump, args=(server, client), daemon=True).start()
        self._pump(client, server)

    @staticmethod
    def _pump(source, target):
        try:
            while True:
                data = source.recv(4096)
                if not data:
                    break
                target.sendall(data)
        except OSError:
            pass
        for s in (source, target):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
