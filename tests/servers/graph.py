#!/usr/bin/env python3
"""A Microsoft-Graph-shaped server on loopback for Ulak's tests: Teams online meetings, as
Graph documents them, for tokens the test authorization server (oauth.py) issued.

    python3 graph.py LOG_FILE

POST   /v1.0/me/onlineMeetings       Bearer token with OnlineMeetings.ReadWrite; JSON
       {subject, startDateTime, endDateTime, …} checked (RFC 3339 times with an offset,
       the end after the start, Graph's documented fields only); 201 with the meeting
       (id, joinWebUrl, joinMeetingIdSettings {joinMeetingId, passcode}…); 401
       InvalidAuthenticationToken for a token it cannot verify; 403 Forbidden without
       the scope, and for a personal account (…@outlook.com, …@hotmail.com), as Graph
       makes online meetings for work or school accounts only.
DELETE /v1.0/me/onlineMeetings/{id}  204, or 404 NotFound.
GET    /_test/meetings               every meeting made and not deleted (no token).
"""

import json
import re
import secrets
import sys
import threading
from datetime import datetime
from urllib.parse import unquote, urlsplit

import oauth_tokens
import provider_api

LOG = sys.argv[1]
SCOPE = "https://graph.microsoft.com/OnlineMeetings.ReadWrite"
TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
FIELDS = {"subject", "startDateTime", "endDateTime", "externalId", "participants",
          "lobbyBypassSettings", "allowedPresenters", "isEntryExitAnnounced",
          "allowMeetingChat", "allowTeamworkReactions", "recordAutomatically", "chatInfo"}
MEETINGS = {}
LOCK = threading.Lock()


def graph_error(status, code, message):
    return status, {"error": {"code": code, "message": message,
                              "innerError": {"request-id": secrets.token_hex(8)}}}


class Handler(provider_api.Handler):
    LOG = LOG

    def claims(self):
        auth = self.headers.get("Authorization", "")
        return oauth_tokens.read(auth[7:]) if auth.startswith("Bearer ") else None

    def allowed(self):
        """The token's claims, or the answer Graph gives instead."""
        c = self.claims()
        if c is None:
            return None, graph_error(401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.")
        if SCOPE not in c["scope"].split():
            return None, graph_error(403, "Forbidden", "Insufficient privileges to complete the operation.")
        if c["email"].endswith(("@outlook.com", "@hotmail.com")):
            return None, graph_error(403, "Forbidden", "Online meetings are not supported for personal Microsoft accounts.")
        return c, None

    def do_GET(self):
        url = urlsplit(self.path)
        self.record({"method": "GET", "path": url.path, "problems": []})
        if url.path == "/_test/meetings":
            with LOCK:
                return self.answer(200, {"meetings": list(MEETINGS.values())})
        self.answer(*graph_error(404, "NotFound", "Resource not found."))

    def do_POST(self):
        problems = []
        url = urlsplit(self.path)
        raw = self.body()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        self.record({"method": "POST", "path": url.path, "json": body, "problems": problems})
        if url.path != "/v1.0/me/onlineMeetings":
            return self.answer(*graph_error(404, "NotFound", "Resource not found."))
        claims, refused = self.allowed()
        if refused:
            return self.answer(*refused)
        if not self.headers.get("Content-Type", "").startswith("application/json"):
            problems.append("Content-Type is not application/json")
        if not isinstance(body, dict):
            problems.append("the body is not a JSON object")
            return self.answer(*graph_error(400, "BadRequest", "; ".join(problems)))
        for k in body:
            if k not in FIELDS:
                problems.append(f"{k} is not a property of onlineMeeting")
        times = {}
        for k in ("startDateTime", "endDateTime"):
            v = body.get(k)
            if not isinstance(v, str) or not TIME.match(v):
                problems.append(f"{k} must be an RFC 3339 time with an offset")
            else:
                times[k] = datetime.fromisoformat(v.replace("Z", "+00:00"))
        if len(times) == 2 and times["endDateTime"] <= times["startDateTime"]:
            problems.append("endDateTime is not after startDateTime")
        if not isinstance(body.get("subject"), str):
            problems.append("subject must be a string")
        if problems:
            return self.answer(*graph_error(400, "BadRequest", "; ".join(problems)))
        mid = "MSo" + secrets.token_urlsafe(30) + "=="
        thread = secrets.token_hex(12)
        meeting = {
            "id": mid,
            "creationDateTime": "2026-12-08T10:00:00.0000000Z",
            "startDateTime": body["startDateTime"],
            "endDateTime": body["endDateTime"],
            "subject": body["subject"],
            "joinWebUrl": f"https://teams.microsoft.com/l/meetup-join/19%3ameeting_{thread}%40thread.v2/0?context=%7b%22Tid%22%3a%22test%22%7d",
            "joinMeetingIdSettings": {"isPasscodeRequired": True, "joinMeetingId": "3214569870123",
                                      "passcode": "Xy7Ab2"},
            "participants": {"organizer": {"upn": claims["email"], "role": "presenter"}},
        }
        with LOCK:
            MEETINGS[mid] = meeting
        self.answer(201, meeting)

    def do_DELETE(self):
        url = urlsplit(self.path)
        self.record({"method": "DELETE", "path": url.path, "problems": []})
        m = re.fullmatch(r"/v1\.0/me/onlineMeetings/([^/]+)", url.path)
        if not m:
            return self.answer(*graph_error(404, "NotFound", "Resource not found."))
        _, refused = self.allowed()
        if refused:
            return self.answer(*refused)
        with LOCK:
            gone = MEETINGS.pop(unquote(m.group(1)), None)
        if gone is None:
            return self.answer(*graph_error(404, "NotFound", "The onlineMeeting was not found."))
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()


if __name__ == "__main__":
    provider_api.serve(Handler)
