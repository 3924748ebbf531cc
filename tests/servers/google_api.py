#!/usr/bin/env python3
"""Google's APIs as Ulak uses them, on loopback for tests: the Gmail API's
users.messages.send. Checks every request against Google's documented shape and
answers with Google's bodies; one JSON line per request in the log file.

    python3 google_api.py LOG_FILE

POST /gmail/v1/users/me/messages/send
  Authorization: Bearer <a live test access token with the gmail.send scope>
  Content-Type: application/json, body {"raw": <the RFC 2822 message, base64url>}
  Gmail sends from the token's account: a From that is not its address is a problem.
  Recipients are the To, Cc and Bcc headers; the Bcc header never reaches them.
  200 {"id", "threadId", "labelIds": ["SENT"]}; the message's headers are logged.
Errors are Google's JSON: {"error": {"code", "message", "status", "errors": [{"reason"…}]}}
  no/invalid/expired token    401 UNAUTHENTICATED (authError)
  token without gmail.send    403 PERMISSION_DENIED (insufficientPermissions)
  To ratelimit@…              429 RESOURCE_EXHAUSTED (rateLimitExceeded), once
  To nobody@… (no @-domain)   400 INVALID_ARGUMENT (invalidArgument: Invalid To header)
"""

import base64
import binascii
import itertools
import json
import sys
from email import message_from_bytes, policy
from email.utils import getaddresses, parseaddr

import oauth_tokens
import provider_api

LOG = sys.argv[1]
IDS = itertools.count(0x18c0000000000001)
SEND = "/gmail/v1/users/me/messages/send"


def google_error(code, status, reason, message):
    return code, {"error": {"code": code, "message": message, "status": status,
                            "errors": [{"message": message, "domain": "global", "reason": reason}]}}


class Handler(provider_api.Handler):
    LOG = LOG

    def do_POST(self):
        problems = []
        entry = {"method": "POST", "path": self.path, "problems": problems}
        body = self.body()
        if self.path != SEND:
            self.record(entry)
            return self.answer(*google_error(404, "NOT_FOUND", "notFound", "Not Found"))
        claims = oauth_tokens.bearer(self.headers)
        if claims is None:
            self.record(entry)
            return self.answer(*google_error(401, "UNAUTHENTICATED", "authError",
                                             "Request had invalid authentication credentials."),
                               {"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'})
        if "https://www.googleapis.com/auth/gmail.send" not in claims["scope"].split():
            self.record(entry)
            return self.answer(*google_error(403, "PERMISSION_DENIED", "insufficientPermissions",
                                             "Request had insufficient authentication scopes."))
        if not self.headers.get("Content-Type", "").startswith("application/json"):
            problems.append("body is not application/json")
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        if not isinstance(data, dict) or set(data) != {"raw"} or not isinstance(data.get("raw"), str):
            problems.append('body is not {"raw": "…"}')
            self.record(entry)
            return self.answer(*google_error(400, "INVALID_ARGUMENT", "invalidArgument", "Invalid JSON payload"))
        raw = data["raw"]
        if any(c in raw for c in "+/"):
            problems.append("raw is base64, not base64url")
        try:
            eml = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
        except (binascii.Error, ValueError):
            problems.append("raw is not base64url")
            self.record(entry)
            return self.answer(*google_error(400, "INVALID_ARGUMENT", "invalidArgument", "Invalid raw"))
        msg = message_from_bytes(eml, policy=policy.default)
        sender = parseaddr(str(msg.get("From", "")))[1]
        if sender.lower() != claims["email"].lower():
            problems.append(f"From {sender!r} is not the token's account {claims['email']!r}")
        to = [a for _, a in getaddresses([str(v) for v in msg.get_all("To", [])])]
        cc = [a for _, a in getaddresses([str(v) for v in msg.get_all("Cc", [])])]
        bcc = [a for _, a in getaddresses([str(v) for v in msg.get_all("Bcc", [])])]
        entry.update({"from": sender, "to": to, "cc": cc, "bcc": bcc,
                      "subject": str(msg.get("Subject", "")), "message_id": str(msg.get("Message-ID", ""))})
        plain = msg.get_body(("plain",))
        entry["body"] = plain.get_content() if plain else ""
        recipients = to + cc + bcc
        if not recipients:
            self.record(entry)
            return self.answer(*google_error(400, "INVALID_ARGUMENT", "invalidArgument", "Recipient address required"))
        if any("@" not in r or "." not in r.split("@")[-1] for r in recipients):
            self.record(entry)
            return self.answer(*google_error(400, "INVALID_ARGUMENT", "invalidArgument", "Invalid To header"))
        if any(r.startswith("ratelimit@") for r in recipients) and self.first_time(entry["message_id"]):
            self.record(entry)
            return self.answer(*google_error(429, "RESOURCE_EXHAUSTED", "rateLimitExceeded",
                                             "User-rate limit exceeded. Retry after 2s"), {"Retry-After": "2"})
        message_id = format(next(IDS), "x")
        entry["id"] = message_id
        self.record(entry)
        self.answer(200, {"id": message_id, "threadId": message_id, "labelIds": ["SENT"]})


if __name__ == "__main__":
    provider_api.serve(Handler)
