"""A tiny HTTP service used by the Stagecraft example pipeline."""
import os
from http.server import BaseHTTPRequestHandler, HTTPServer


def greeting(name: str) -> str:
    return f"Hello, {name or 'world'}! (version {os.environ.get('APP_VERSION', 'dev')})"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        if self.path == "/healthz":
            body = b"ok"
        else:
            body = greeting(self.path.strip("/")).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    HTTPServer(("0.0.0.0", int(os.environ.get("PORT", "8080"))), Handler).serve_forever()
