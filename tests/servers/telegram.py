#!/usr/bin/env python3
"""A Telegram-Bot-API-shaped server on loopback for Ulak's tests.

Checks every request against the Bot API's documented shape (sendMessage, getMe),
answers with the documented bodies ({"ok": true, "result": …} or {"ok": false,
"error_code", "description"}), and appends one JSON line per request to a log file.

    python3 telegram.py LOG_FILE BOT_TOKEN

Paths are /bot<token>/<method>; another token gets 401 Unauthorized (404 Not Found
for a malformed path, as Telegram answers). Behaviour by chat_id:
  -1009999999999  400 Bad Request: chat not found
  -1004030000000  403 Forbidden: bot was kicked from the supergroup chat
  -1004290000000  429 Too Many Requests, parameters.retry_after 2 (once; then accepted)
  anything else   200 with a new message_id
"""

import itertools
import json
import re
import sys

import provider_api

LOG, TOKEN = sys.argv[1], sys.argv[2]
PATH = re.compile(r"^/bot([^/]+)/([A-Za-z]+)$")
CHAT_ID = re.compile(r"^(-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$")
IDS = itertools.count(101)


def failed(code, description, **extra):
    return code, {"ok": False, "error_code": code, "description": description, **extra}


class Handler(provider_api.Handler):
    LOG = LOG

    def route(self, problems):
        m = PATH.match(self.path)
        if not m:
            problems.append(f"path {self.path!r} is not /bot<token>/<method>")
            return None, None
        return m.group(1), m.group(2)

    def do_GET(self):
        problems = []
        token, method = self.route(problems)
        self.record({"method": "GET", "path": "/bot…/" + str(method), "problems": problems})
        if method is None:
            return self.answer(*failed(404, "Not Found"))
        if token != TOKEN:
            return self.answer(*failed(401, "Unauthorized"))
        if method != "getMe":
            return self.answer(*failed(404, "Not Found: method not found"))
        self.answer(200, {"ok": True, "result": {"id": 7000001, "is_bot": True,
                                                  "first_name": "Ulak Bildirim", "username": "ulak_test_bot"}})

    def do_POST(self):
        problems = []
        token, method = self.route(problems)
        raw = self.body()
        if not self.headers.get("Content-Type", "").startswith("application/json"):
            problems.append("Content-Type is not application/json")
        try:
            msg = json.loads(raw)
        except ValueError:
            msg = {}
            problems.append("body is not JSON")
        if method == "sendMessage":
            chat_id = str(msg.get("chat_id", ""))
            if not CHAT_ID.match(chat_id):
                problems.append(f"chat_id {chat_id!r}")
            text = msg.get("text")
            if not isinstance(text, str) or not text.strip():
                problems.append("text missing or blank")
            elif len(text) > 4096:
                problems.append("text over 4096 characters")
            unknown = set(msg) - {"chat_id", "text", "parse_mode", "disable_notification",
                                  "link_preview_options"}
            if unknown:
                problems.append(f"unknown fields {sorted(unknown)}")
        # The token never reaches the log.
        self.record({"method": "POST", "path": "/bot…/" + str(method), "body": msg, "problems": problems})
        if method is None:
            return self.answer(*failed(404, "Not Found"))
        if token != TOKEN:
            return self.answer(*failed(401, "Unauthorized"))
        if method != "sendMessage":
            return self.answer(*failed(404, "Not Found: method not found"))
        if problems:
            return self.answer(*failed(400, "Bad Request: " + "; ".join(problems)))
        chat_id = str(msg["chat_id"])
        if chat_id == "-1009999999999":
            return self.answer(*failed(400, "Bad Request: chat not found"))
        if chat_id == "-1004030000000":
            return self.answer(*failed(403, "Forbidden: bot was kicked from the supergroup chat"))
        if chat_id == "-1004290000000" and self.first_time("429"):
            return self.answer(*failed(429, "Too Many Requests: retry after 2",
                                       parameters={"retry_after": 2}))
        self.answer(200, {"ok": True, "result": {"message_id": next(IDS), "date": 1800000000,
                                                  "chat": {"id": int(chat_id) if chat_id.lstrip("-").isdigit() else 0,
                                                           "type": "supergroup"},
                                                  "text": msg["text"]}})


provider_api.serve(Handler)
