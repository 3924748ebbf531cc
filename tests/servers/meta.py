#!/usr/bin/env python3
"""A Meta-shaped WhatsApp Cloud API server on loopback for Ulak's tests.

Checks every request against the Cloud API's documented shape (Messages and the phone
number node of the Graph API), answers with the documented success and error bodies,
and appends one JSON line per request (with any shape violation) to a log file.

    python3 meta.py LOG_FILE PHONE_NUMBER_ID ACCESS_TOKEN

Prints the port it listens on (127.0.0.1, chosen by the OS) as its first line. Paths
carry the Graph API version: /v21.0/{phone-number-id}/messages.

Templates it knows (name, language → number of body parameters):
  teklif_hatirlatma tr → 2, hello_world en_US → 0
An unknown name or language gets 132001; a wrong number of parameters 132000.

Behaviour by recipient (digits, no '+'):
  905320000026  131026 (not a WhatsApp user)
  905320000429  429, 130429, Retry-After: 2 (once per process; then accepted)
  905320000500  500, 131000 (once per process; then accepted)
  anything else 200 with a new wamid
A wrong access token gets 401, code 190.
Free text outside the 24-hour window is accepted here as by Meta: Meta reports its
failure (131047) later, in a status webhook, never in the answer to the send.

It also plays Meta's webhooks, once told where to send them:
  POST /_test/webhook {"url": …, "appSecret": …}  first Meta's subscription check (a
      GET with hub.mode=subscribe, hub.verify_token = the URL's last path segment, a
      challenge it expects back), then, after each accepted message, a signed status
      notification (X-Hub-Signature-256 over the raw body): "delivered", or "failed"
      131047 for free text to a number whose 24-hour window is closed.
  POST /_test/inbound {"from": "905…", "text": …}  a customer's message: a signed
      "messages" notification, which opens that number's window here as at Meta.
Each webhook sent is logged as {"method": "WEBHOOK", "kind", "status" (the answer)}.
"""

import hashlib
import hmac
import json
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import provider_api

LOG, PHONE_ID, TOKEN = sys.argv[1], sys.argv[2], sys.argv[3]

VERSION = r"v[0-9]+\.[0-9]+"
MESSAGES = re.compile(rf"^/{VERSION}/([^/?]+)/messages$")
NODE = re.compile(rf"^/{VERSION}/([^/?]+)(\?.*)?$")
WA_NUMBER = re.compile(r"^[1-9][0-9]{6,14}$")
TEMPLATE_NAME = re.compile(r"^[a-z0-9_]{1,512}$")
TEMPLATES = {("teklif_hatirlatma", "tr"): 2, ("hello_world", "en_US"): 0}


HOOK = {}          # url, appSecret: where Meta's webhooks go, once told
OPENED = {}        # wa_id -> when the customer last wrote (the 24-hour window)


def notification(value):
    return {"object": "whatsapp_business_account",
            "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": dict(
                {"messaging_product": "whatsapp",
                 "metadata": {"display_phone_number": "908500000000", "phone_number_id": PHONE_ID}},
                **value)}]}]}


def send_hook(kind, body):
    """POSTs one notification as Meta does; returns and logs the receiver's status."""
    raw = json.dumps(body, ensure_ascii=False).encode()
    sig = "sha256=" + hmac.new(HOOK["appSecret"].encode(), raw, hashlib.sha256).hexdigest()
    req = urllib.request.Request(HOOK["url"], data=raw, method="POST", headers={
        "Content-Type": "application/json", "X-Hub-Signature-256": sig})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            status = r.status
    except urllib.error.HTTPError as e:
        status = e.code
    except OSError as e:
        status = f"unreachable: {e}"
    Handler.record(Handler, {"method": "WEBHOOK", "kind": kind, "status": status, "problems": []})
    return status


def status_later(wamid, to, text):
    """Meta's status for an accepted message, a moment after the answer."""
    def run():
        time.sleep(0.3)
        opened = OPENED.get(to)
        if text and (opened is None or time.time() - opened > 24 * 3600):
            st = {"id": wamid, "status": "failed", "timestamp": str(int(time.time())), "recipient_id": to,
                  "errors": [{"code": 131047, "title": "Re-engagement message",
                              "message": "Re-engagement message",
                              "error_data": {"details": "Message failed to send because more than 24 hours have passed since the customer last replied to this number."}}]}
        else:
            st = {"id": wamid, "status": "delivered", "timestamp": str(int(time.time())), "recipient_id": to,
                  "conversation": {"id": uuid.uuid4().hex, "origin": {"type": "utility"}},
                  "pricing": {"billable": True, "pricing_model": "CBP", "category": "utility"}}
        send_hook("status", notification({"statuses": [st]}))
    threading.Thread(target=run, daemon=True).start()


def error(status, code, message, details=None, kind="OAuthException"):
    e = {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEf" + uuid.uuid4().hex[:8]}
    if details:
        e["error_data"] = {"messaging_product": "whatsapp", "details": details}
    return status, {"error": e}


def check_text(msg, problems):
    text = msg.get("text")
    if not isinstance(text, dict):
        return problems.append("type text needs a text object")
    body = text.get("body")
    if not isinstance(body, str) or not body.strip() or len(body) > 4096:
        problems.append("text.body missing, blank or over 4096 characters")
    if "preview_url" in text and not isinstance(text["preview_url"], bool):
        problems.append("text.preview_url is not a boolean")
    unknown = set(text) - {"body", "preview_url"}
    if unknown:
        problems.append(f"unknown text fields {sorted(unknown)}")


def check_template(msg, problems):
    """The template's body parameters (texts), or None when its shape is wrong."""
    t = msg.get("template")
    if not isinstance(t, dict):
        problems.append("type template needs a template object")
        return None
    if not TEMPLATE_NAME.match(str(t.get("name", ""))):
        problems.append(f"template.name {t.get('name')!r}")
    lang = t.get("language")
    if not isinstance(lang, dict) or not isinstance(lang.get("code"), str):
        problems.append("template.language.code missing")
    params = []
    for c in t.get("components", []):
        if c.get("type") not in ("header", "body", "button"):
            problems.append(f"component type {c.get('type')!r}")
        for p in c.get("parameters", []):
            if p.get("type") != "text" or not isinstance(p.get("text"), str):
                problems.append(f"parameter {p!r} is not {{type: text, text}}")
            elif not p["text"].strip() or re.search(r"[\n\t]| {5,}", p["text"]):
                problems.append("a parameter is blank or has a line break, a tab or 5 spaces")
            elif c.get("type") == "body":
                params.append(p["text"])
    unknown = set(t) - {"name", "language", "components"}
    if unknown:
        problems.append(f"unknown template fields {sorted(unknown)}")
    return params


class Handler(provider_api.Handler):
    LOG = LOG

    def token_ok(self, problems):
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer "):
            problems.append("no Bearer Authorization header")
            return False
        return auth[7:] == TOKEN

    def do_GET(self):
        problems = []
        m = NODE.match(self.path)
        ok = self.token_ok(problems)
        self.record({"method": "GET", "path": self.path, "problems": problems})
        if not m or m.group(1) != PHONE_ID:
            return self.answer(*error(400, 100, "Unsupported get request.", kind="GraphMethodException"))
        if not ok:
            return self.answer(*error(401, 190, "Error validating access token: Session has expired"))
        self.answer(200, {"display_phone_number": "+90 850 000 00 00",
                          "verified_name": "Öztürk Gıda", "id": PHONE_ID})

    def test_control(self, raw):
        """The test's own requests: where webhooks go, and a customer's message."""
        body = json.loads(raw or "{}")
        if self.path == "/_test/webhook":
            HOOK.update(url=body["url"], appSecret=body["appSecret"])
            token = urllib.parse.urlsplit(body["url"]).path.rstrip("/").rsplit("/", 1)[-1]
            q = urllib.parse.urlencode({"hub.mode": "subscribe", "hub.challenge": "1158201444",
                                        "hub.verify_token": token})
            try:
                with urllib.request.urlopen(f"{body['url']}?{q}", timeout=10) as r:
                    verified = r.status == 200 and r.read().decode() == "1158201444"
            except OSError:
                verified = False
            self.record({"method": "WEBHOOK", "kind": "verify", "status": verified, "problems": []})
            return self.answer(200 if verified else 502, {"verified": verified})
        if self.path == "/_test/inbound":
            OPENED[body["from"]] = time.time()
            msg = {"from": body["from"], "id": "wamid.IN" + uuid.uuid4().hex.upper(),
                   "timestamp": str(int(time.time())), "type": "text", "text": {"body": body["text"]}}
            status = send_hook("message", notification({
                "contacts": [{"profile": {"name": body.get("name", "Müşteri")}, "wa_id": body["from"]}],
                "messages": [msg]}))
            return self.answer(200, {"status": status})
        return self.answer(404, {})

    def do_POST(self):
        problems = []
        raw = self.body()
        if self.path.startswith("/_test/"):
            return self.test_control(raw)
        m = MESSAGES.match(self.path)
        ctype = self.headers.get("Content-Type", "")
        if not ctype.startswith("application/json"):
            problems.append(f"Content-Type is {ctype!r}, not JSON")
        try:
            msg = json.loads(raw)
        except ValueError:
            msg = {}
            problems.append("the body is not JSON")
        if not m:
            problems.append(f"path {self.path}")
        elif m.group(1) != PHONE_ID:
            problems.append(f"phone number ID {m.group(1)!r} in the path")
        if msg.get("messaging_product") != "whatsapp":
            problems.append("messaging_product is not 'whatsapp'")
        if msg.get("recipient_type", "individual") != "individual":
            problems.append("recipient_type is not 'individual'")
        to = str(msg.get("to", ""))
        if not WA_NUMBER.match(to):
            problems.append(f"to {to!r} is not the number's digits with its country code")
        kind = msg.get("type")
        params = None
        if kind == "text":
            check_text(msg, problems)
        elif kind == "template":
            params = check_template(msg, problems)
        else:
            problems.append(f"type {kind!r}")
        unknown = set(msg) - {"messaging_product", "recipient_type", "to", "type", "text", "template"}
        if unknown:
            problems.append(f"unknown fields {sorted(unknown)}")
        ok = self.token_ok(problems)
        self.record({"method": "POST", "path": self.path, "body": msg, "problems": problems})
        if problems:
            return self.answer(*error(400, 100, "Invalid parameter", "; ".join(problems)))
        if not ok:
            return self.answer(*error(401, 190, "Error validating access token: Session has expired"))
        if kind == "template":
            t = msg["template"]
            want = TEMPLATES.get((t["name"], t["language"]["code"]))
            if want is None:
                return self.answer(*error(404, 132001, "Template name does not exist in the translation",
                                          f"template name ({t['name']}) does not exist in {t['language']['code']}"))
            if want != len(params):
                return self.answer(*error(400, 132000, "Number of parameters does not match the expected number of params",
                                          f"body: number of localizable_params ({len(params)}) does not match the expected number of params ({want})"))
        if to == "905320000026":
            return self.answer(*error(400, 131026, "Message undeliverable"))
        first = self.first_time(to)
        if to == "905320000429" and first:
            status, body = error(429, 130429, "Rate limit hit")
            return self.answer(status, body, {"Retry-After": "2"})
        if to == "905320000500" and first:
            return self.answer(*error(500, 131000, "Something went wrong"))
        answer = {"messaging_product": "whatsapp", "contacts": [{"input": to, "wa_id": to}],
                  "messages": [{"id": "wamid.HBgM" + uuid.uuid4().hex.upper()}]}
        if kind == "template":
            answer["messages"][0]["message_status"] = "accepted"
        self.answer(200, answer)
        if HOOK:
            status_later(answer["messages"][0]["id"], to, kind == "text")


provider_api.serve(Handler)
