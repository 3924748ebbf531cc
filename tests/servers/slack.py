#!/usr/bin/env python3
"""A Slack-shaped server on loopback for Ulak's tests: the Web API's chat.postMessage and
auth.test, and incoming webhooks, each request checked against Slack's documented shape
and answered as Slack does. One JSON line per request goes to the log file.

    python3 slack.py LOG_FILE BOT_TOKEN

Web API (/api/<method>): Authorization: Bearer BOT_TOKEN, else 200 {"ok": false,
"error": "invalid_auth"} (Slack answers errors with 200). chat.postMessage by channel:
  #yok        channel_not_found
  #arsiv      is_archived
  #yogun      429 with Retry-After: 1 and {"ok": false, "error": "ratelimited"} (once)
  anything    {"ok": true, "channel": "C0…", "ts": "1800000000.0001…"}
Incoming webhooks: POST /services/T0001/B0001/<secret> with JSON {text} → 200 "ok";
another path → 404 "no_service"; no text → 400 "invalid_payload".
"""

import itertools
import json
import sys

import provider_api

LOG, TOKEN = sys.argv[1], sys.argv[2]
HOOK = "/services/T0001/B0001/"
HOOK_SECRET = "gizliWebhookAnahtari"
TS = itertools.count(1)


class Handler(provider_api.Handler):
    LOG = LOG

    def plain(self, status, text):
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        problems = []
        raw = self.body()
        ctype = self.headers.get("Content-Type", "")
        try:
            msg = json.loads(raw) if raw else {}
        except ValueError:
            msg = {}
            problems.append("body is not JSON")
        if self.path.startswith("/services/"):
            if not ctype.startswith("application/json"):
                problems.append("Content-Type is not application/json")
            text = msg.get("text")
            if not isinstance(text, str) or not text.strip():
                problems.append("text missing or blank")
            self.record({"method": "POST", "path": "/services/…", "body": msg, "problems": problems})
            if self.path != HOOK + HOOK_SECRET:
                return self.plain(404, "no_service")
            if problems:
                return self.plain(400, "invalid_payload")
            return self.plain(200, "ok")
        method = self.path.removeprefix("/api/")
        auth = self.headers.get("Authorization", "")
        if method == "chat.postMessage":
            if not ctype.startswith("application/json"):
                problems.append("Content-Type is not application/json")
            if not isinstance(msg.get("channel"), str) or not msg["channel"]:
                problems.append("channel missing")
            text = msg.get("text")
            if not isinstance(text, str) or not text.strip():
                problems.append("text missing or blank")
            elif len(text) > 40000:
                problems.append("text over 40,000 characters")
        self.record({"method": "POST", "path": self.path, "body": msg, "problems": problems})
        if auth != f"Bearer {TOKEN}":
            return self.answer(200, {"ok": False, "error": "invalid_auth"})
        if method == "auth.test":
            return self.answer(200, {"ok": True, "url": "https://ulak-test.slack.com/", "team": "Ulak Test",
                                     "user": "ulak_bot", "team_id": "T0001", "user_id": "U0001"})
        if method != "chat.postMessage":
            return self.answer(404, {"ok": False, "error": "unknown_method"})
        if problems:
            return self.answer(200, {"ok": False, "error": "invalid_arguments"})
        channel = msg["channel"]
        if channel == "#yok":
            return self.answer(200, {"ok": False, "error": "channel_not_found"})
        if channel == "#arsiv":
            return self.answer(200, {"ok": False, "error": "is_archived"})
        if channel == "#yogun" and self.first_time("ratelimited"):
            return self.answer(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"})
        self.answer(200, {"ok": True, "channel": "C0SATIS01", "ts": f"1800000000.{next(TS):06d}",
                          "message": {"text": msg["text"], "type": "message"}})


provider_api.serve(Handler)
