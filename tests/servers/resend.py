#!/usr/bin/env python3
"""A Resend-API-shaped server on loopback for Ulak's tests.

Checks every request against Resend's documented shape (POST /emails, GET /domains),
answers with its documented bodies ({"id"} or {"statusCode", "name", "message"}), and
appends one JSON line per request to a log file (the request's JSON, the
Idempotency-Key, and the shape problems found).

    python3 resend.py LOG_FILE API_KEY [SEND_ONLY_KEY]

Keys: API_KEY has full access; SEND_ONLY_KEY may send but not list domains (401
restricted_api_key); any other key: 401 validation_error "API key is invalid" on
/emails, 400 on other endpoints (as Resend answers).
Domains: ornek.com.tr verified, yeni.com.tr pending; a sender on another domain gets
403 validation_error "The … domain is not verified".
Idempotency: the same key with the same body answers the first id again and sends
nothing more; the same key with another body: 409 invalid_idempotent_request.
Test controls (no key needed):
  POST /_test/fail  {"count": N, "status": 500|429}  the next N sends fail so
  GET  /_test/sent                                   every accepted e-mail
"""

import base64
import itertools
import json
import re
import sys
import threading

import provider_api

LOG, KEY = sys.argv[1], sys.argv[2]
SEND_ONLY = sys.argv[3] if len(sys.argv) > 3 else None
DOMAINS = [
    {"id": "d91cd9bd-1176-453e-8fc1-35364d380206", "object": "domain", "name": "ornek.com.tr",
     "status": "verified", "created_at": "2026-11-01 10:00:00.000000+00", "region": "eu-west-1"},
    {"id": "4dd369bc-aa82-4ff3-97de-514ae3000ee0", "object": "domain", "name": "yeni.com.tr",
     "status": "pending", "created_at": "2026-12-01 10:00:00.000000+00", "region": "eu-west-1"},
]
ADDRESS = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
NAMED = re.compile(r'^(?:"(?:[^"\\]|\\.)*"|[^"<>,;@]+) <([^<>\s]+)>$')
IDS = itertools.count(1)
STATE = {"fail": 0, "fail_status": 500, "sent": [], "keys": {}}
LOCK = threading.Lock()


def error(status, name, message):
    return status, {"statusCode": status, "name": name, "message": message}


def address_of(value, problems, field):
    """The bare address of `a@b.c` or `Name <a@b.c>`, noting a malformed one."""
    if not isinstance(value, str):
        problems.append(f"{field}: {value!r} is not a string")
        return None
    m = NAMED.match(value)
    addr = m.group(1) if m else value
    if not ADDRESS.match(addr):
        problems.append(f"{field}: {value!r} is not an address or Name <address>")
        return None
    return addr


def addresses(body, field, problems, required=False):
    v = body.get(field)
    if v is None:
        if required:
            problems.append(f"{field} is required")
        return []
    items = v if isinstance(v, list) else [v]
    if len(items) > 50:
        problems.append(f"{field} has more than 50 addresses")
    return [a for a in (address_of(x, problems, field) for x in items) if a]


class Handler(provider_api.Handler):
    LOG = LOG

    def key(self):
        auth = self.headers.get("Authorization", "")
        return auth[7:] if auth.startswith("Bearer ") else None

    def do_GET(self):
        problems = []
        key = self.key()
        self.record({"method": "GET", "path": self.path, "problems": problems})
        if self.path == "/_test/sent":
            with LOCK:
                return self.answer(200, {"sent": STATE["sent"]})
        if key is None:
            return self.answer(*error(401, "missing_api_key", "Missing API key in the authorization header."))
        if self.path != "/domains":
            return self.answer(*error(404, "not_found", "The requested endpoint does not exist."))
        if key == SEND_ONLY:
            return self.answer(*error(401, "restricted_api_key", "This API key is restricted to only send emails."))
        if key != KEY:
            return self.answer(*error(400, "validation_error", "API key is invalid"))
        self.answer(200, {"object": "list", "has_more": False, "data": DOMAINS})

    def do_POST(self):
        problems = []
        raw = self.body()
        if self.path == "/_test/fail":
            v = json.loads(raw or "{}")
            with LOCK:
                STATE["fail"] = int(v.get("count", 1))
                STATE["fail_status"] = int(v.get("status", 500))
            return self.answer(200, {"ok": True})
        key = self.key()
        idem = self.headers.get("Idempotency-Key")
        entry = {"method": "POST", "path": self.path, "idempotency_key": idem, "problems": problems}
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        entry["json"] = body
        self.record(entry)
        if self.path != "/emails":
            return self.answer(*error(404, "not_found", "The requested endpoint does not exist."))
        if key is None:
            return self.answer(*error(401, "missing_api_key", "Missing API key in the authorization header."))
        if key not in (KEY, SEND_ONLY):
            return self.answer(*error(401, "validation_error", "API key is invalid"))
        if not (self.headers.get("Content-Type", "").startswith("application/json")):
            problems.append("Content-Type is not application/json")
        if not isinstance(body, dict):
            problems.append("the body is not a JSON object")
            return self.answer(*error(422, "validation_error", "Invalid JSON"))
        if idem is not None and not (1 <= len(idem) <= 256):
            return self.answer(*error(400, "invalid_idempotency_key", "The key must be between 1-256 chars."))
        known = {"from", "to", "subject", "bcc", "cc", "reply_to", "html", "text", "headers",
                 "attachments", "tags", "scheduled_at"}
        for k in body:
            if k not in known:
                problems.append(f"{k} is not one of Resend's fields")
        sender = address_of(body.get("from"), problems, "from")
        to = addresses(body, "to", problems, required=True)
        cc = addresses(body, "cc", problems)
        bcc = addresses(body, "bcc", problems)
        addresses(body, "reply_to", problems)
        if not isinstance(body.get("subject"), str) or not body.get("subject"):
            problems.append("subject is required")
        if not isinstance(body.get("html"), str) and not isinstance(body.get("text"), str):
            problems.append("html or text is required")
        headers = body.get("headers", {})
        if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
            problems.append("headers is not an object of strings")
        for a in body.get("attachments", []):
            if not isinstance(a.get("filename"), str) or not a.get("filename"):
                problems.append("an attachment has no filename")
            try:
                base64.b64decode(a.get("content", ""), validate=True)
            except Exception:
                problems.append("an attachment's content is not base64")
        if problems:
            return self.answer(*error(422, "validation_error", "; ".join(problems)))
        domain = sender.rsplit("@", 1)[1].lower() if sender else ""
        verified = [d["name"] for d in DOMAINS if d["status"] == "verified"]
        if not any(domain == d or domain.endswith("." + d) for d in verified):
            return self.answer(*error(403, "validation_error",
                                      f"The {domain} domain is not verified. Please, add and verify your domain on https://resend.com/domains"))
        with LOCK:
            if idem is not None and idem in STATE["keys"]:
                first_body, first_id = STATE["keys"][idem]
                if first_body != body:
                    return self.answer(*error(409, "invalid_idempotent_request",
                                              "Same idempotency key used with a different request payload."))
                return self.answer(200, {"id": first_id})
            if STATE["fail"] > 0:
                STATE["fail"] -= 1
                status = STATE["fail_status"]
                if status == 429:
                    return self.answer(*error(429, "rate_limit_exceeded", "Too many requests. Please limit the number of requests per second."),
                                       headers={"Retry-After": "1"})
                return self.answer(*error(status, "application_error", "An unexpected error occurred."))
            email_id = f"4ef9a417-02e9-4d39-ad75-{next(IDS):012d}"
            if idem is not None:
                STATE["keys"][idem] = (body, email_id)
            STATE["sent"].append({"id": email_id, "idempotency_key": idem, "to": to, "cc": cc,
                                  "bcc": bcc, **body})
        self.answer(200, {"id": email_id})


if __name__ == "__main__":
    provider_api.serve(Handler)
