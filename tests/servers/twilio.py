#!/usr/bin/env python3
"""A Twilio-shaped HTTP server on loopback for Ulak's tests.

Checks every request against Twilio's documented shape for the Messages and Accounts
resources of the 2010-04-01 API, answers with the documented success and error bodies,
and appends one JSON line per request (with any shape violation) to a log file.

    python3 twilio.py LOG_FILE ACCOUNT_SID AUTH_TOKEN

Prints the port it listens on (127.0.0.1, chosen by the OS) as its first line.

Behaviour by recipient (Twilio's own test numbers where it has them):
  +15005550001  400, code 21211 (invalid 'To' number)
  +15005550009  400, code 21614 ('To' is not a mobile number)
  +15005550004  400, code 21610 (recipient replied STOP)
  +15005550008  400, code 21608 (trial account, unverified number)
  +15005550429  429, code 20429, Retry-After: 2 (once per process; then accepted)
  +15005550503  503 (once per process; then accepted)
  anything else 201 with a new message sid
WhatsApp (both numbers prefixed `whatsapp:`; free text as Body, or a content template
as ContentSid HX… with ContentVariables, a JSON object of "1", "2"… to strings):
  whatsapp:+15005550016  free text is accepted, then fetched as "undelivered" with error
                         63016 (outside the 24-hour window), as Twilio reports it
Fetching a message (GET …/Messages/{sid}.json) says "delivered", or "undelivered" with
error 30003 for +15005550030 and +905320000030.
Wrong credentials get 401, code 20003.
"""

import json

import re
import sys
import uuid
from urllib.parse import parse_qs

import provider_api

LOG, SID, TOKEN = sys.argv[1], sys.argv[2], sys.argv[3]

# Reported undelivered (error 30003) when the message's status is fetched.
UNDELIVERED = {"+15005550030", "+905320000030", "whatsapp:+905320000030"}
E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
CONTENT = re.compile(r"^HX[0-9a-fA-F]{32}$")
ACCOUNT = re.compile(r"^AC[0-9a-f]{32}$")
SERVICE = re.compile(r"^MG[0-9a-f]{32}$")
MESSAGES = re.compile(r"^/2010-04-01/Accounts/([^/]+)/Messages\.json$")
MESSAGE = re.compile(r"^/2010-04-01/Accounts/([^/]+)/Messages/(SM[0-9a-f]{32})\.json$")
ACCOUNT_PATH = re.compile(r"^/2010-04-01/Accounts/([^/]+)\.json$")


def error(status, code, message):
    return status, {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


class Handler(provider_api.Handler):
    LOG = LOG
    # sid → recipient of every message created, for fetching its status.
    created = {}
    # Free-text WhatsApp messages sent outside the 24-hour window.
    window_closed = set()

    def authorized(self, problems):
        return self.basic_auth(problems) == (SID, TOKEN)

    def do_GET(self):
        problems = []
        m = ACCOUNT_PATH.match(self.path)
        ok = self.authorized(problems)
        self.record({"method": "GET", "path": self.path, "problems": problems})
        fetch = MESSAGE.match(self.path)
        if fetch:
            if not ok:
                return self.answer(*error(401, 20003, "Authenticate"))
            to = self.created.get(fetch.group(2))
            if to is None:
                return self.answer(*error(404, 20404, "The requested resource was not found"))
            if fetch.group(2) in self.window_closed:
                return self.answer(200, {
                    "sid": fetch.group(2), "account_sid": SID, "to": to, "status": "failed",
                    "error_code": 63016,
                    "error_message": "Failed to send freeform message because you are outside "
                                     "the allowed window. Please use a Template.",
                })
            failed = to in UNDELIVERED
            return self.answer(200, {
                "sid": fetch.group(2), "account_sid": SID, "to": to,
                "status": "undelivered" if failed else "delivered",
                "error_code": 30003 if failed else None,
                "error_message": "Unreachable destination handset" if failed else None,
            })
        if not m:
            return self.answer(*error(404, 20404, "The requested resource was not found"))
        if not ok:
            return self.answer(*error(401, 20003, "Authenticate"))
        self.answer(200, {"sid": m.group(1), "friendly_name": "Ulak test", "status": "active",
                          "type": "Full"})

    def do_POST(self):
        problems = []
        raw = self.body()
        m = MESSAGES.match(self.path)
        ctype = self.headers.get("Content-Type", "")
        if not ctype.startswith("application/x-www-form-urlencoded"):
            problems.append(f"Content-Type is {ctype!r}, not form-encoded")
        form = {k: v for k, v in parse_qs(raw, keep_blank_values=True).items()}
        one = {k: v[0] for k, v in form.items()}
        if any(len(v) > 1 for v in form.values()):
            problems.append("a parameter given twice")
        if not m:
            problems.append(f"path {self.path}")
        elif not ACCOUNT.match(m.group(1)):
            problems.append(f"AccountSid {m.group(1)!r} in the path")
        to = one.get("To", "")
        whatsapp = to.startswith("whatsapp:")
        number = to[len("whatsapp:"):] if whatsapp else to
        if not E164.match(number):
            problems.append(f"To {to!r} is not E.164")
        if whatsapp and "From" in one and not one["From"].startswith("whatsapp:"):
            problems.append("To is whatsapp: but From is not")
        if not whatsapp and one.get("From", "").startswith("whatsapp:"):
            problems.append("From is whatsapp: but To is not")
        body = one.get("Body", "")
        if "ContentSid" in one:
            if not whatsapp:
                problems.append("ContentSid outside WhatsApp in this test server")
            if not CONTENT.match(one["ContentSid"]):
                problems.append("ContentSid is not HX + 32 hex digits")
            if "Body" in one:
                problems.append("both Body and ContentSid")
            if "ContentVariables" in one:
                try:
                    v = json.loads(one["ContentVariables"])
                    if not (isinstance(v, dict) and all(k.isdigit() and isinstance(x, str)
                                                        for k, x in v.items())):
                        problems.append("ContentVariables is not {\"1\": \"…\"}")
                except ValueError:
                    problems.append("ContentVariables is not JSON")
        elif not body or len(body) > 1600:
            problems.append("Body missing or over 1600 characters")
        sender = [k for k in ("From", "MessagingServiceSid") if k in one]
        if len(sender) != 1:
            problems.append(f"need exactly one of From, MessagingServiceSid: {sender}")
        if "MessagingServiceSid" in one and not SERVICE.match(one["MessagingServiceSid"]):
            problems.append("MessagingServiceSid is not MG + 32 hex digits")
        unknown = set(one) - {"To", "From", "MessagingServiceSid", "Body", "StatusCallback",
                              "ContentSid", "ContentVariables"}
        if unknown:
            problems.append(f"unknown parameters {sorted(unknown)}")
        ok = self.authorized(problems)
        self.record({"method": "POST", "path": self.path, "form": one, "problems": problems})
        if problems:
            return self.answer(*error(400, 21000, "; ".join(problems)))
        if not ok:
            return self.answer(*error(401, 20003, "Authenticate"))
        canned = {
            "+15005550001": (400, 21211, f"Invalid 'To' Phone Number: {to}"),
            "+15005550009": (400, 21614, f"'To' number {to} is not a valid mobile number"),
            "+15005550004": (400, 21610, "Attempt to send to unsubscribed recipient"),
            "+15005550008": (400, 21608, "The number is unverified. Trial accounts cannot send "
                                         "messages to unverified numbers"),
        }
        if to in canned:
            return self.answer(*error(*canned[to]))
        first = self.first_time(to)
        if to == "+15005550429" and first:
            status, body = error(429, 20429, "Too Many Requests")
            return self.answer(status, body, {"Retry-After": "2"})
        if to == "+15005550503" and first:
            return self.answer(503, {"code": 20500, "message": "Internal Server Error",
                                     "status": 503})
        sid = "SM" + uuid.uuid4().hex
        self.created[sid] = to
        if to == "whatsapp:+15005550016" and "Body" in one:
            self.window_closed.add(sid)
        self.answer(201, {
            "sid": sid, "account_sid": SID, "to": to, "from": one.get("From"),
            "messaging_service_sid": one.get("MessagingServiceSid"), "body": body,
            "status": "queued", "num_segments": "1", "direction": "outbound-api",
            "api_version": "2010-04-01", "error_code": None, "error_message": None,
            "uri": f"/2010-04-01/Accounts/{SID}/Messages/{sid}.json",
        })


provider_api.serve(Handler)
