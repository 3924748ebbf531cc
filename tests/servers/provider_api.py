"""What the provider-shaped test servers (twilio.py, vonage.py, netgsm.py) share: a JSON
answer, one JSON line per request in the log file (with its time), HTTP Basic credentials, the GSM-7
alphabet, "the first time for this key", and serving on a loopback port the OS chooses
(printed as the first line, for the test to read)."""

import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# GSM 03.38's basic set and extension table; any other character needs UCS-2.
GSM7 = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
           "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€\f")


def is_gsm7(text):
    return all(c in GSM7 for c in text)


class Handler(BaseHTTPRequestHandler):
    """Subclasses set LOG (the log file's path) and implement do_GET / do_POST."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out as two writes: without this, Nagle's algorithm and the
    # client's delayed ACK hold each answer back 40 ms.
    disable_nagle_algorithm = True
    LOG = None
    _lock = threading.Lock()
    _seen = set()

    def log_message(self, *args):
        pass

    def answer(self, status, body, headers=None):
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def record(self, entry):
        entry["at"] = time.time()
        with self._lock, open(self.LOG, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def body(self):
        return self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode("utf-8", "replace")

    def basic_auth(self, problems):
        """(user, secret) from HTTP Basic auth, or None with the problem noted."""
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Basic "):
            problems.append("no HTTP Basic Authorization header")
            return None
        try:
            user, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        except Exception:
            problems.append("Authorization is not base64 user:secret")
            return None
        return user, secret

    def first_time(self, key):
        """True the first time this key is seen in this process (a fault shown once)."""
        with self._lock:
            first = key not in self._seen
            self._seen.add(key)
        return first


def serve(handler):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()
