#!/usr/bin/env python3
"""A Vonage-shaped HTTP server (the SMS API) on loopback for Ulak's tests.

Checks every request against Vonage's documented shape for POST /sms/json and
GET /account/get-balance, answers with the documented bodies, and appends one JSON line
per request (with any shape violation) to a log file.

    python3 vonage.py LOG_FILE API_KEY API_SECRET

Prints its port (127.0.0.1, chosen by the OS) as its first line. By recipient:
  905550000006  status "6"  (invalid message: unroutable)
  905550000029  status "29" (non-whitelisted destination)
  905550000001  status "1"  (throttled), once per process; then accepted
  anything else status "0" with a message-id
Wrong credentials get status "4" (and 401 for the balance).
"""

import re
import sys
import uuid
from urllib.parse import parse_qs, urlsplit

import provider_api

LOG, KEY, SECRET = sys.argv[1], sys.argv[2], sys.argv[3]


class Handler(provider_api.Handler):
    LOG = LOG

    def do_GET(self):
        url = urlsplit(self.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        problems = [] if url.path == "/account/get-balance" else [f"path {url.path}"]
        self.record({"method": "GET", "path": url.path, "problems": problems})
        if q.get("api_key") != KEY or q.get("api_secret") != SECRET:
            return self.answer(401, {"error-code": "401", "error-code-label": "authentication failed"})
        self.answer(200, {"value": 10.5, "autoReload": False})

    def do_POST(self):
        problems = []
        raw = self.body()
        if self.path != "/sms/json":
            problems.append(f"path {self.path}")
        ctype = self.headers.get("Content-Type", "")
        if not ctype.startswith("application/x-www-form-urlencoded"):
            problems.append(f"Content-Type is {ctype!r}")
        form = parse_qs(raw, keep_blank_values=True)
        one = {k: v[0] for k, v in form.items()}
        for k in ("api_key", "api_secret", "from", "to", "text"):
            if not one.get(k):
                problems.append(f"{k} missing")
        to = one.get("to", "")
        if not re.fullmatch(r"[1-9][0-9]{6,14}", to):
            problems.append(f"to {to!r} is not an international number without '+'")
        text = one.get("text", "")
        unicode = not provider_api.is_gsm7(text)
        if unicode and one.get("type") != "unicode":
            problems.append("a text outside GSM-7 without type=unicode")
        if not unicode and "type" in one and one["type"] not in ("text",):
            problems.append(f"type={one['type']} for a GSM-7 text")
        unknown = set(one) - {"api_key", "api_secret", "from", "to", "text", "type", "client-ref"}
        if unknown:
            problems.append(f"unknown parameters {sorted(unknown)}")
        entry = dict(one)
        entry.pop("api_secret", None)
        self.record({"method": "POST", "path": self.path, "form": entry, "problems": problems})

        def status(code, words):
            return self.answer(200, {"message-count": "1", "messages": [
                {"to": to, "status": code, "error-text": words}]})

        if problems:
            return status("2" if any("missing" in p for p in problems) else "3", "; ".join(problems))
        if one["api_key"] != KEY or one["api_secret"] != SECRET:
            return status("4", "Bad Credentials")
        if to == "905550000006":
            return status("6", "Unroutable message - rejected")
        if to == "905550000029":
            return status("29", "Non White-listed Destination - rejected")
        first = self.first_time(to)
        if to == "905550000001" and first:
            return status("1", "Throughput Rate Exceeded - please wait [ 1000 ] and retry")
        self.answer(200, {"message-count": "1", "messages": [{
            "to": to, "message-id": uuid.uuid4().hex[:16].upper(), "status": "0",
            "remaining-balance": "10.40000000", "message-price": "0.05000000", "network": "28601"}]})


provider_api.serve(Handler)
