"""A webhook receiver for the tests, over HTTPS with its own test CA, that checks every
delivery against the Standard Webhooks specification with the spec's own algorithm
(HMAC-SHA256 over "id.timestamp.body", base64, "v1," prefix, space-separated list),
written here independently of Ulak's Rust code.

    webhook_receiver.py LOG SECRETS_FILE CERT_DIR

SECRETS_FILE holds the `whsec_...` secrets the receiver knows, one a line; it is read
again for every request (the test writes it after Ulak made the secret). CERT_DIR gets
ca.pem (to trust) and the server's certificate for 127.0.0.1 / localhost. The first
line printed is the port.

Paths decide the answer: /ok 200; /fail 500; /busy 429 with Retry-After: 1; /gone 410;
/flaky 500 the first time an event id is seen, then 200; /slow answers after 20 s;
/redirect 302 to /ok on this server; /big 200 with 5 MB of body. Each request is logged
as one JSON line: path, headers, body, which secrets verified it, and the problems."""

import base64
import hashlib
import hmac
import json
import os
import ssl
import subprocess
import sys
import time

from provider_api import Handler, ThreadingHTTPServer

LOG, SECRETS, CERTS = sys.argv[1], sys.argv[2], sys.argv[3]
TOLERANCE = 5 * 60


def certificates(d):
    os.makedirs(d, exist_ok=True)
    run = lambda *a: subprocess.run(a, check=True, capture_output=True)
    if not os.path.exists(f"{d}/server.pem"):
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=Ulak Webhook Test CA", "-keyout", f"{d}/ca.key", "-out", f"{d}/ca.pem")
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
            "-keyout", f"{d}/server.key", "-out", f"{d}/server.csr")
        with open(f"{d}/san.ext", "w") as f:
            f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
        run("openssl", "x509", "-req", "-in", f"{d}/server.csr", "-CA", f"{d}/ca.pem",
            "-CAkey", f"{d}/ca.key", "-CAcreateserial", "-days", "2",
            "-extfile", f"{d}/san.ext", "-out", f"{d}/server.pem")


def secrets():
    try:
        with open(SECRETS, encoding="utf-8") as f:
            return [line.strip() for line in f if line.strip()]
    except FileNotFoundError:
        return []


def expected(secret, msg_id, ts, body):
    key = base64.b64decode(secret[len("whsec_"):] if secret.startswith("whsec_") else secret)
    mac = hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()
    return base64.b64encode(mac).decode()


class Receiver(Handler):
    LOG = LOG

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        problems = []
        msg_id = self.headers.get("webhook-id", "")
        ts = self.headers.get("webhook-timestamp", "")
        sig = self.headers.get("webhook-signature", "")
        if not msg_id:
            problems.append("no webhook-id")
        if not ts.isdigit():
            problems.append("webhook-timestamp is not whole seconds")
        elif abs(time.time() - int(ts)) > TOLERANCE:
            problems.append("webhook-timestamp outside the 5-minute tolerance")
        if not self.headers.get("Content-Type", "").startswith("application/json"):
            problems.append("Content-Type is not application/json")
        given = [s.split(",", 1)[1] for s in sig.split(" ") if s.startswith("v1,")]
        if not given:
            problems.append("no v1 signature")
        verified = [i for i, s in enumerate(secrets())
                    if any(hmac.compare_digest(expected(s, msg_id, ts, raw), g) for g in given)]
        if not verified:
            problems.append("no signature verifies with a known secret")
        try:
            body = json.loads(raw)
            for k in ("type", "timestamp", "data"):
                if k not in body:
                    problems.append(f"envelope lacks {k}")
        except ValueError:
            body = None
            problems.append("body is not JSON")
        path = self.path
        self.record({"path": path, "id": msg_id, "signatures": len(given),
                     "verified": verified, "body": body, "problems": problems})
        if path == "/ok":
            self.answer(200, {"ok": True})
        elif path == "/fail":
            self.answer(500, {"error": "veritabanı kapalı"})
        elif path == "/busy":
            self.answer(429, {"error": "slow down"}, {"Retry-After": "1"})
        elif path == "/gone":
            self.answer(410, {"error": "endpoint disabled"})
        elif path == "/flaky":
            if self.first_time(msg_id):
                self.answer(500, {"error": "first try fails"})
            else:
                self.answer(200, {"ok": True})
        elif path == "/slow":
            time.sleep(20)
            self.answer(200, {"ok": "too late"})
        elif path == "/redirect":
            port = self.server.server_address[1]
            self.answer(302, {}, {"Location": f"https://127.0.0.1:{port}/ok"})
        elif path == "/big":
            data = b"x" * (5 * 1024 * 1024)
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            try:
                self.wfile.write(data)
            except OSError:
                pass
        else:
            self.answer(404, {"error": "no such path"})


if __name__ == "__main__":
    certificates(CERTS)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(f"{CERTS}/server.pem", f"{CERTS}/server.key")
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    server.serve_forever()
