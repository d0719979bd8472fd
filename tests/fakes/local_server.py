"""Serving a fake provider over real HTTP on 127.0.0.1, at a free port, for one with-block."""

import threading
from http.server import ThreadingHTTPServer


class LocalServer:
    """Runs `handler` for `fake` in a daemon thread; `with` yields the fake, `url` is its root."""

    def __init__(self, fake, handler):
        self.fake = fake
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self):
        self._thread.start()
        return self.fake

    def __exit__(self, *exc) -> None:
        self.release()
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)

    def release(self) -> None:
        """Free handlers a test parked to play a timeout, so shutting down does not wait."""
