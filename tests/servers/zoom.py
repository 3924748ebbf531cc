#!/usr/bin/env python3
"""A Zoom-API-shaped server on loopback for Ulak's tests: Server-to-Server OAuth and
meetings, as Zoom documents them.

    python3 zoom.py LOG_FILE ACCOUNT_ID CLIENT_ID CLIENT_SECRET

POST /oauth/token?grant_type=account_credentials&account_id=…  HTTP Basic client ID and
     secret; answers {access_token, token_type: "bearer", expires_in: 3599, scope,
     api_url}, or 400 {"reason", "error"} (invalid_client, invalid_request,
     unsupported_grant_type) as Zoom does.
POST /v2/users/{userId}/meetings  Bearer token; JSON {topic, type, start_time,
     timezone, duration, agenda, settings…} checked against the documented fields;
     201 with the meeting (id, join_url, password, start_url…); 401 code 124 for a
     token it did not issue; 404 code 1001 for a user other than "me" or USERS; 400
     code 4711 when the app's scopes do not include meeting:write.
DELETE /v2/meetings/{meetingId}  Bearer; 204, or 404 code 3001.
Test controls (no credentials needed):
  POST /_test/scope {"scope": "…"}   the scopes the next tokens carry
  POST /_test/fail  {"count": N, "status": 500|429}  the next N meeting calls fail so
  GET  /_test/meetings               every meeting made and not deleted
"""

import itertools
import json
import re
import secrets
import sys
import threading
from urllib.parse import parse_qs, unquote, urlsplit

import provider_api

LOG, ACCOUNT, CLIENT, SECRET = sys.argv[1:5]
USERS = ["satis@ornek.com.tr"]
START = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z?$")
IDS = itertools.count(85746065432)
STATE = {"scope": "meeting:write:meeting:admin meeting:read:meeting:admin user:read:user:admin",
         "tokens": set(), "meetings": {}, "fail": 0, "fail_status": 500}
LOCK = threading.Lock()
FIELDS = {"topic", "type", "start_time", "timezone", "duration", "agenda", "password",
          "default_password", "pre_schedule", "schedule_for", "settings", "recurrence",
          "template_id", "tracking_fields"}


def api_error(status, code, message):
    return status, {"code": code, "message": message}


class Handler(provider_api.Handler):
    LOG = LOG

    def bearer(self):
        auth = self.headers.get("Authorization", "")
        return auth[7:] if auth.startswith("Bearer ") else None

    def failing(self):
        with LOCK:
            if STATE["fail"] > 0:
                STATE["fail"] -= 1
                return STATE["fail_status"]
        return None

    def do_GET(self):
        url = urlsplit(self.path)
        self.record({"method": "GET", "path": url.path, "problems": []})
        if url.path == "/_test/meetings":
            with LOCK:
                return self.answer(200, {"meetings": list(STATE["meetings"].values())})
        self.answer(*api_error(404, 300, "Not found."))

    def token(self, url, problems):
        q = parse_qs(url.query)
        grant = q.get("grant_type", [""])[0]
        account = q.get("account_id", [""])[0]
        creds = self.basic_auth(problems)
        if grant != "account_credentials":
            return self.answer(400, {"reason": "unsupported grant type", "error": "unsupported_grant_type"})
        if creds != (CLIENT, SECRET):
            return self.answer(400, {"reason": "Invalid client_id or client_secret", "error": "invalid_client"})
        if account != ACCOUNT:
            return self.answer(400, {"reason": "Invalid request : Account ID is not valid.", "error": "invalid_request"})
        token = "zt_" + secrets.token_urlsafe(24)
        with LOCK:
            STATE["tokens"].add(token)
            scope = STATE["scope"]
        self.answer(200, {"access_token": token, "token_type": "bearer", "expires_in": 3599,
                          "scope": scope, "api_url": "https://api.zoom.us"})

    def do_POST(self):
        problems = []
        url = urlsplit(self.path)
        raw = self.body()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        entry = {"method": "POST", "path": url.path, "query": parse_qs(url.query), "json": body,
                 "problems": problems}
        if url.path == "/_test/scope":
            with LOCK:
                STATE["scope"] = body["scope"]
            return self.answer(200, {"ok": True})
        if url.path == "/_test/fail":
            with LOCK:
                STATE["fail"] = int(body.get("count", 1))
                STATE["fail_status"] = int(body.get("status", 500))
            return self.answer(200, {"ok": True})
        if url.path == "/oauth/token":
            self.record(entry)
            return self.token(url, problems)
        m = re.fullmatch(r"/v2/users/([^/]+)/meetings", url.path)
        self.record(entry)
        if not m:
            return self.answer(*api_error(404, 300, "Not found."))
        with LOCK:
            known = self.bearer() in STATE["tokens"]
            scope = STATE["scope"]
        if not known:
            return self.answer(*api_error(401, 124, "Invalid access token."))
        if not any(s.startswith("meeting:write") for s in scope.split()):
            return self.answer(*api_error(400, 4711, "Invalid access token, does not contain scopes:[meeting:write:meeting, meeting:write:meeting:admin]."))
        user = unquote(m.group(1))
        if user != "me" and user not in USERS:
            return self.answer(*api_error(404, 1001, f"User does not exist: {user}."))
        status = self.failing()
        if status == 429:
            return self.answer(*api_error(429, 429, "You have reached the maximum per-second rate limit for this API. Try again later."),
                               headers={"Retry-After": "1"})
        if status:
            return self.answer(*api_error(status, status, "Internal server error."))
        if not self.headers.get("Content-Type", "").startswith("application/json"):
            problems.append("Content-Type is not application/json")
        if not isinstance(body, dict):
            problems.append("the body is not a JSON object")
            return self.answer(*api_error(400, 300, "Request Body should be a valid JSON object."))
        for k in body:
            if k not in FIELDS:
                problems.append(f"{k} is not one of Zoom's meeting fields")
        topic = body.get("topic")
        if not isinstance(topic, str) or len(topic) > 200:
            problems.append("topic must be a string of at most 200 characters")
        if body.get("type") not in (1, 2, 3, 8):
            problems.append("type must be 1, 2, 3 or 8")
        if body.get("type") == 2:
            if not isinstance(body.get("start_time"), str) or not START.match(body["start_time"]):
                problems.append("a scheduled meeting needs start_time as yyyy-MM-ddTHH:mm:ss[Z]")
            if not isinstance(body.get("timezone"), str) and not str(body.get("start_time", "")).endswith("Z"):
                problems.append("a local start_time needs a timezone")
        if not isinstance(body.get("duration"), int) or body["duration"] <= 0:
            problems.append("duration must be a positive number of minutes")
        agenda = body.get("agenda", "")
        if not isinstance(agenda, str) or len(agenda) > 2000:
            problems.append("agenda must be a string of at most 2000 characters")
        if problems:
            return self.answer(*api_error(400, 300, "; ".join(problems)))
        mid = next(IDS)
        meeting = {
            "id": mid, "uuid": secrets.token_urlsafe(16), "host_id": "KdYKjnimT4KPd8FFgQt9FQ",
            "host_email": user if user != "me" else USERS[0], "topic": topic, "type": body["type"],
            "status": "waiting", "start_time": body.get("start_time"), "duration": body["duration"],
            "timezone": body.get("timezone"), "agenda": agenda, "created_at": "2026-12-08T10:00:00Z",
            "join_url": f"https://us05web.zoom.us/j/{mid}?pwd=Zk9vTmVldGluZw.1",
            "start_url": f"https://us05web.zoom.us/s/{mid}?zak=start-token", "password": "a1B2c3",
            "pre_schedule": False,
        }
        with LOCK:
            STATE["meetings"][mid] = meeting
        self.answer(201, meeting)

    def do_DELETE(self):
        url = urlsplit(self.path)
        self.record({"method": "DELETE", "path": url.path, "problems": []})
        m = re.fullmatch(r"/v2/meetings/(\d+)", url.path)
        if not m:
            return self.answer(*api_error(404, 300, "Not found."))
        with LOCK:
            if self.bearer() not in STATE["tokens"]:
                return self.answer(*api_error(401, 124, "Invalid access token."))
            gone = STATE["meetings"].pop(int(m.group(1)), None)
        if gone is None:
            return self.answer(*api_error(404, 3001, f"Meeting does not exist: {m.group(1)}."))
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()


if __name__ == "__main__":
    provider_api.serve(Handler)
