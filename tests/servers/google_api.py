#!/usr/bin/env python3
"""Google's APIs as Ulak uses them, on loopback for tests: the Gmail API's
users.messages.send and the Calendar API's events.insert/list/delete on the primary
calendar. Checks every request against Google's documented shape and answers with
Google's bodies; one JSON line per request in the log file.

    python3 google_api.py LOG_FILE

POST /gmail/v1/users/me/messages/send
  Authorization: Bearer <a live test access token with the gmail.send scope>
  Content-Type: application/json, body {"raw": <the RFC 2822 message, base64url>}
  Gmail sends from the token's account: a From that is not its address is a problem.
  Recipients are the To, Cc and Bcc headers; the Bcc header never reaches them.
  200 {"id", "threadId", "labelIds": ["SENT"]}; the message's headers are logged.
POST   /calendar/v3/calendars/primary/events[?sendUpdates=…&conferenceDataVersion=1]
GET    /calendar/v3/calendars/primary/events?timeMin=…&timeMax=…&singleEvents=true&orderBy=startTime
DELETE /calendar/v3/calendars/primary/events/{id}[?sendUpdates=…]
  Bearer token with calendar.events (or calendar). An event: summary, start/end as
  {dateTime, timeZone} (or {date}), end after start, attendees [{email}], reminders
  {useDefault, overrides ≤ 5 × {method popup|email, minutes 0–40320}}; a Meet link from
  conferenceData.createRequest {requestId, conferenceSolutionKey {type hangoutsMeet}},
  which Google heeds only with conferenceDataVersion=1. Deleted twice: 410 Gone.
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
import re
import secrets
import sys
import threading
from datetime import datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo
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


EVENTS = "/calendar/v3/calendars/primary/events"
CALENDAR_SCOPES = {"https://www.googleapis.com/auth/calendar.events", "https://www.googleapis.com/auth/calendar"}
STORE = {}  # event id -> event resource (None once deleted)
LOCK = threading.Lock()
DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$")
KNOWN = {"summary", "description", "location", "start", "end", "attendees", "reminders", "conferenceData"}


def instant(when, problems, name):
    """The moment a start/end object names, or None (with the problem noted)."""
    if not isinstance(when, dict):
        problems.append(f"{name} is not an object")
        return None
    if "date" in when:
        return datetime.fromisoformat(when["date"]).replace(tzinfo=ZoneInfo("UTC"))
    dt = when.get("dateTime", "")
    if not isinstance(dt, str) or not DATETIME.match(dt):
        problems.append(f"{name}.dateTime {dt!r} is not RFC 3339")
        return None
    zone = when.get("timeZone")
    has_offset = dt.endswith("Z") or re.search(r"[+-]\d\d:\d\d$", dt)
    if not has_offset and not zone:
        problems.append(f"{name} has neither an offset nor a timeZone")
        return None
    try:
        tz = ZoneInfo(zone) if zone else None
    except Exception:
        problems.append(f"{name}.timeZone {zone!r} is not an IANA zone")
        return None
    t = datetime.fromisoformat(dt.replace("Z", "+00:00"))
    return t if t.tzinfo else t.replace(tzinfo=tz)


def check_event(ev, problems):
    if not isinstance(ev, dict):
        problems.append("body is not an event object")
        return None, None
    for k in ev:
        if k not in KNOWN:
            problems.append(f"unexpected field {k!r}")
    if not isinstance(ev.get("summary"), str) or not ev["summary"].strip():
        problems.append("summary missing")
    start, end = instant(ev.get("start"), problems, "start"), instant(ev.get("end"), problems, "end")
    if start and end and end <= start:
        problems.append("end is not after start")
    for a in ev.get("attendees", []):
        if not isinstance(a, dict) or "@" not in str(a.get("email", "")):
            problems.append(f"attendee {a!r} is not {{email}}")
    rem = ev.get("reminders")
    if rem is not None:
        if not isinstance(rem.get("useDefault"), bool):
            problems.append("reminders.useDefault is not a boolean")
        over = rem.get("overrides", [])
        if rem.get("useDefault") and over:
            problems.append("reminder overrides with useDefault true")
        if len(over) > 5:
            problems.append("more than 5 reminder overrides")
        for o in over:
            if o.get("method") not in ("popup", "email") or not (0 <= int(o.get("minutes", -1)) <= 40320):
                problems.append(f"reminder override {o!r}")
    return start, end


class Handler(provider_api.Handler):
    LOG = LOG

    def calendar_claims(self, entry):
        claims = oauth_tokens.bearer(self.headers)
        if claims is None:
            self.record(entry)
            self.answer(*google_error(401, "UNAUTHENTICATED", "authError",
                                      "Request had invalid authentication credentials."))
            return None
        if not CALENDAR_SCOPES & set(claims["scope"].split()):
            self.record(entry)
            self.answer(*google_error(403, "PERMISSION_DENIED", "insufficientPermissions",
                                      "Request had insufficient authentication scopes."))
            return None
        return claims

    def do_GET(self):
        url = urlsplit(self.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        problems = []
        entry = {"method": "GET", "path": url.path, "query": q, "problems": problems}
        if url.path != EVENTS:
            self.record(entry)
            return self.answer(*google_error(404, "NOT_FOUND", "notFound", "Not Found"))
        if self.calendar_claims(entry) is None:
            return
        lo = instant({"dateTime": q.get("timeMin", "")}, problems, "timeMin")
        hi = instant({"dateTime": q.get("timeMax", "")}, problems, "timeMax")
        if q.get("orderBy") == "startTime" and q.get("singleEvents") != "true":
            problems.append("orderBy=startTime needs singleEvents=true")
        items = []
        with LOCK:
            for ev in STORE.values():
                if ev is None:
                    continue
                s = instant(ev["start"], [], "start")
                if (lo is None or s >= lo) and (hi is None or s < hi):
                    items.append((s, ev))
        items.sort(key=lambda x: x[0])
        entry["count"] = len(items)
        self.record(entry)
        self.answer(200, {"kind": "calendar#events", "summary": "primary", "timeZone": "Europe/Istanbul",
                          "items": [ev for _, ev in items]})

    def do_DELETE(self):
        url = urlsplit(self.path)
        problems = []
        entry = {"method": "DELETE", "path": url.path, "problems": problems}
        if not url.path.startswith(EVENTS + "/"):
            self.record(entry)
            return self.answer(*google_error(404, "NOT_FOUND", "notFound", "Not Found"))
        if self.calendar_claims(entry) is None:
            return
        eid = url.path[len(EVENTS) + 1:]
        self.record(entry)
        with LOCK:
            if eid not in STORE:
                return self.answer(*google_error(404, "NOT_FOUND", "notFound", "Not Found"))
            if STORE[eid] is None:
                return self.answer(*google_error(410, "GONE", "deleted", "Resource has been deleted"))
            STORE[eid] = None
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def insert_event(self, url, body):
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        problems = []
        entry = {"method": "POST", "path": url.path, "query": q, "problems": problems}
        claims = self.calendar_claims(entry)
        if claims is None:
            return
        if q.get("sendUpdates", "none") not in ("all", "externalOnly", "none"):
            problems.append(f"sendUpdates {q.get('sendUpdates')!r}")
        try:
            ev = json.loads(body)
        except ValueError:
            ev = None
        check_event(ev, problems)
        entry["event"] = ev
        if problems:
            self.record(entry)
            return self.answer(*google_error(400, "INVALID_ARGUMENT", "invalid", "; ".join(problems)))
        eid = secrets.token_hex(13)
        out = {"kind": "calendar#event", "id": eid, "status": "confirmed",
               "htmlLink": f"https://www.google.com/calendar/event?eid={eid}",
               "organizer": {"email": claims["email"], "self": True},
               "creator": {"email": claims["email"], "self": True}, **ev}
        out["attendees"] = [{"email": a["email"], "responseStatus": "needsAction"} for a in ev.get("attendees", [])]
        create = (ev.get("conferenceData") or {}).get("createRequest")
        if create:
            out.pop("conferenceData")
            if q.get("conferenceDataVersion") != "1":
                problems.append("conferenceData without conferenceDataVersion=1 is ignored by Google")
            elif create.get("conferenceSolutionKey", {}).get("type") != "hangoutsMeet" or not create.get("requestId"):
                problems.append("createRequest needs requestId and conferenceSolutionKey.type hangoutsMeet")
            else:
                code = "-".join(secrets.token_hex(n)[:m] for n, m in ((2, 3), (2, 4), (2, 3)))
                link = f"https://meet.google.com/{code}"
                out["hangoutLink"] = link
                out["conferenceData"] = {"createRequest": {"requestId": create["requestId"],
                                                           "status": {"statusCode": "success"}},
                                         "entryPoints": [{"entryPointType": "video", "uri": link, "label": link[8:]}],
                                         "conferenceSolution": {"key": {"type": "hangoutsMeet"}, "name": "Google Meet"},
                                         "conferenceId": code}
        with LOCK:
            STORE[eid] = out
        entry["id"] = eid
        self.record(entry)
        self.answer(200, out)

    def do_POST(self):
        problems = []
        entry = {"method": "POST", "path": self.path, "problems": problems}
        body = self.body()
        url = urlsplit(self.path)
        if url.path == EVENTS:
            return self.insert_event(url, body)
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
