#!/usr/bin/env python3
"""An İleti Merkezi-shaped HTTP server on loopback for Ulak's tests.

Checks every request against İleti Merkezi's documented JSON API (send-sms/json and
get-balance/json), answers with its documented bodies and status codes, and appends one
JSON line per request (with any shape violation) to a log file.

    python3 iletimerkezi.py LOG_FILE API_KEY HASH SENDER

Prints the port it listens on (127.0.0.1, chosen by the OS) as its first line.

  wrong key or hash          401 Üyelik bilgileri hatalı
  a sender other than SENDER 450 Gönderilen başlık kullanıma uygun değil
  recipient 5320000402       402 Bakiye yetersiz
  anything else              200 with a new order id
The report of an order (get-report/json) says 111 (sent) for each number, or 112 (not
sent) for 5320000030.
"""

import json
import re
import sys

import provider_api

LOG, KEY, HASH, SENDER = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
NUMBER = re.compile(r"^(\+?90)?5[0-9]{9}$")
MESSAGES = {
    "200": "İşlem başarılı", "401": "Üyelik bilgileri hatalı", "402": "Bakiye yetersiz",
    "400": "İstek çözümlenemedi", "450": "Gönderilen başlık kullanıma uygun değil",
    "452": "Mesaj alıcıları hatalı", "454": "Mesaj metni boş", "455": "Sipariş bulunamadı",
    "460": "Başlık 11 karakterden fazla olmamalı ve Türkçe karakter içermemelidir.",
    "469": "IYS listenizi seçmelisiniz, BIREYSEL veya TACIR.",
}


def status(code, **rest):
    body = {"response": {"status": {"code": code, "message": MESSAGES[code]}, **rest}}
    return (200 if code == "200" else int(code)), body


class Handler(provider_api.Handler):
    LOG = LOG
    orders = [100000]
    # order id → its numbers, for reports.
    sent = {}

    def do_POST(self):
        problems = []
        raw = self.body()
        ctype = self.headers.get("Content-Type", "")
        if not ctype.startswith("application/json"):
            problems.append(f"Content-Type is {ctype!r}, not JSON")
        try:
            body = json.loads(raw)
        except ValueError:
            body = {}
            problems.append("the body is not JSON")
        request = body.get("request", {}) if isinstance(body, dict) else {}
        if not request:
            problems.append("no request object")
        auth = request.get("authentication", {})
        if set(auth) != {"key", "hash"}:
            problems.append(f"authentication has {sorted(auth)}, not key and hash")
        authorized = auth.get("key") == KEY and auth.get("hash") == HASH
        if self.path == "/v1/get-report/json":
            order = request.get("order", {})
            if not str(order.get("id", "")).isdigit():
                problems.append("order.id is not the numeric order id")
            self.record({"method": "POST", "path": self.path, "body": body, "problems": problems})
            if problems:
                return self.answer(*status("400"))
            if not authorized:
                return self.answer(*status("401"))
            numbers = self.sent.get(str(order["id"]))
            if numbers is None:
                return self.answer(*status("455"))
            return self.answer(*status("200", order={
                "id": str(order["id"]), "status": "114", "total": str(len(numbers)),
                "message": [{"number": n, "status": "112" if n[-10:] == "5320000030" else "111"}
                            for n in numbers],
            }))
        if self.path == "/v1/get-balance/json":
            self.record({"method": "POST", "path": self.path, "body": body, "problems": problems})
            if problems:
                return self.answer(*status("400"))
            if not authorized:
                return self.answer(*status("401"))
            return self.answer(*status("200", balance={"amount": "120.50", "sms": "4820"}))
        if self.path != "/v1/send-sms/json":
            problems.append(f"path {self.path}")
        order = request.get("order", {})
        sender = order.get("sender", "")
        if not sender:
            problems.append("order.sender missing")
        iys = order.get("iys")
        if iys not in ("0", "1"):
            problems.append(f"order.iys is {iys!r}, not \"0\" or \"1\"")
        if "iysList" in order and order["iysList"] not in ("BIREYSEL", "TACIR"):
            problems.append(f"order.iysList is {order['iysList']!r}, not BIREYSEL or TACIR")
        if iys == "0" and "iysList" in order:
            problems.append("order.iysList is given for an informational message (iys \"0\")")
        message = order.get("message", {})
        text = message.get("text", "")
        numbers = message.get("receipents", {}).get("number")
        if not isinstance(numbers, list) or not numbers:
            problems.append("order.message.receipents.number is not a list of numbers")
            numbers = []
        elif any(not isinstance(n, str) or not NUMBER.match(n) for n in numbers):
            problems.append(f"numbers {numbers} are not 5xxxxxxxxx")
        unknown = set(order) - {"sender", "sendDateTime", "iys", "iysList", "message"}
        if unknown:
            problems.append(f"unknown order fields {sorted(unknown)}")
        self.record({"method": "POST", "path": self.path, "body": body, "problems": problems})
        if problems:
            return self.answer(*status("400"))
        if not authorized:
            return self.answer(*status("401"))
        if len(sender) > 11 or not sender.isascii():
            return self.answer(*status("460"))
        if sender != SENDER:
            return self.answer(*status("450"))
        if iys == "1" and order.get("iysList") not in ("BIREYSEL", "TACIR"):
            return self.answer(*status("469"))
        if not text.strip():
            return self.answer(*status("454"))
        if "5320000402" in [n[-10:] for n in numbers]:
            return self.answer(*status("402"))
        with self._lock:
            self.orders[0] += 1
            order_id = self.orders[0]
            self.sent[str(order_id)] = numbers
        self.answer(*status("200", order={"id": str(order_id)}))


provider_api.serve(Handler)
