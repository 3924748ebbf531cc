#!/usr/bin/env python3
"""A Netgsm-shaped HTTP server (REST v2) on loopback for Ulak's tests.

Checks each request against Netgsm's documented shape for POST /sms/rest/v2/send and
GET /sms/rest/v2/msgheader (HTTP Basic auth, JSON), answers with its documented bodies,
and appends one JSON line per request (with any shape violation) to a log file.

    python3 netgsm.py LOG_FILE USERCODE PASSWORD MSGHEADER

Prints its port (127.0.0.1, chosen by the OS) as its first line. By recipient ("no"):
  5550000040  code "40" (message header not defined)
  5550000070  code "70" (invalid parameters)
  5550000085  code "85" (same number too often), once per process; then accepted
  anything else code "00" with a jobid
Wrong credentials get code "30".
POST /sms/rest/v2/report with {jobids: [...]} reports each job: status 1 (delivered), or
12 with errorCode 119 for 5320000030; code "60" when it knows none of them.
"""

import json
import re
import sys
import uuid

import provider_api

LOG, USER, PASSWORD, HEADER = sys.argv[1:5]


class Handler(provider_api.Handler):
    LOG = LOG
    # jobid → number, for reports.
    jobs = {}

    def report(self, body, problems):
        ids = body.get("jobids")
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
            problems.append("jobids must be a non-empty list of job id strings")
            ids = []
        unknown = set(body) - {"jobids", "startdate", "stopdate", "pagenumber", "pagesize",
                               "appname"}
        if unknown:
            problems.append(f"unknown fields {sorted(unknown)}")
        ok = self.authorized(problems)
        self.record({"method": "POST", "path": self.path, "body": body, "problems": problems})
        if problems:
            return self.answer(406, {"code": "70", "description": "; ".join(problems)})
        if not ok:
            return self.answer(406, {"code": "30", "description": "Geçersiz kullanıcı adı, şifre veya kullanıcınızın API erişim izni yok."})
        known = [i for i in ids if i in self.jobs]
        if not known:
            return self.answer(200, {"code": "60", "description": "Kayıt bulunamadı."})
        self.answer(200, {"code": "00", "description": "success", "jobs": [
            {"jobid": i, "number": self.jobs[i],
             "status": 12 if self.jobs[i] == "5320000030" else 1,
             "errorCode": 119 if self.jobs[i] == "5320000030" else 0}
            for i in known]})

    def authorized(self, problems):
        return self.basic_auth(problems) == (USER, PASSWORD)

    def do_GET(self):
        problems = []
        if self.path.split("?")[0] != "/sms/rest/v2/msgheader":
            problems.append(f"path {self.path}")
        ok = self.authorized(problems)
        self.record({"method": "GET", "path": self.path, "problems": problems})
        if not ok:
            return self.answer(406, {"code": "30", "description": "Geçersiz kullanıcı adı, şifre veya kullanıcınızın API erişim izni yok."})
        self.answer(200, {"code": "00", "description": "", "msgheaders": [HEADER, "8501234567"]})

    def do_POST(self):
        problems = []
        raw = self.body()
        if self.path not in ("/sms/rest/v2/send", "/sms/rest/v2/report"):
            problems.append(f"path {self.path}")
        if not self.headers.get("Content-Type", "").startswith("application/json"):
            problems.append("Content-Type is not application/json")
        try:
            body = json.loads(raw)
        except ValueError:
            body = {}
            problems.append("body is not JSON")
        if self.path == "/sms/rest/v2/report":
            return self.report(body, problems)
        if not body.get("msgheader"):
            problems.append("msgheader missing")
        msgs = body.get("messages")
        if not isinstance(msgs, list) or not msgs:
            problems.append("messages must be a non-empty list")
            msgs = []
        for m in msgs:
            if not m.get("msg"):
                problems.append("a message without msg")
            if not re.fullmatch(r"5[0-9]{9}|00[1-9][0-9]{6,14}", str(m.get("no", ""))):
                problems.append(f"no {m.get('no')!r} is neither 5XXXXXXXXX nor 00…")
            if not provider_api.is_gsm7(m.get("msg", "")) and body.get("encoding") != "TR":
                problems.append("Turkish letters without encoding TR")
        if "iysfilter" in body and body["iysfilter"] not in ("0", "11", "12"):
            problems.append(f"iysfilter {body['iysfilter']!r}")
        unknown = set(body) - {"msgheader", "messages", "encoding", "iysfilter", "partnercode",
                               "startdate", "stopdate", "appname"}
        if unknown:
            problems.append(f"unknown fields {sorted(unknown)}")
        ok = self.authorized(problems)
        self.record({"method": "POST", "path": self.path, "body": body, "problems": problems})
        if problems:
            return self.answer(406, {"code": "70", "description": "; ".join(problems)})
        if not ok:
            return self.answer(406, {"code": "30", "description": "Geçersiz kullanıcı adı, şifre veya kullanıcınızın API erişim izni yok."})
        if body["msgheader"] != HEADER:
            return self.answer(406, {"code": "40", "description": "Mesaj başlığınız (gönderici adınızın) sistemde tanımlı değil."})
        no = msgs[0]["no"]
        if no == "5550000040":
            return self.answer(406, {"code": "40", "description": "Mesaj başlığınız sistemde tanımlı değil."})
        if no == "5550000070":
            return self.answer(406, {"code": "70", "description": "Hatalı sorgulama."})
        first = self.first_time(no)
        if no == "5550000085" and first:
            return self.answer(406, {"code": "85", "description": "Mükerrer gönderim sınır aşımı."})
        jobid = str(uuid.uuid4().int)[:10]
        self.jobs[jobid] = no
        self.answer(200, {"code": "00", "jobid": jobid, "description": "queued"})


provider_api.serve(Handler)
