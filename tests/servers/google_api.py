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
POST /v4/spreadsheets                                     spreadsheets.create
GET  /v4/spreadsheets/{id}?fields=…                       spreadsheets.get
POST /v4/spreadsheets/{id}/values/{range}:append?valueInputOption=RAW|USER_ENTERED&insertDataOption=…
GET  /v4/spreadsheets/{id}/values/{range}[?majorDimension=COLUMNS]
  Bearer token with the spreadsheets scope. A range is A1 notation with the sheet's
  name quoted ('Ödemeler'!A1); an unknown sheet: 400 "Unable to parse range"; an
  unknown spreadsheet: 404. Appended values are kept as given (RAW) — with
  USER_ENTERED a value starting with "=" would be a formula, logged as a problem.
  POST /_test/sheets/fail-after-append {"count": N}: the next N appends are kept but
  answered 503 (an answer lost after Google took the row).
  GET /_test/sheets/{id}: the spreadsheet's title and every sheet's rows.
GET  /v1/people/me/connections?personFields=…&pageSize=N[&pageToken=T]   People API
  Bearer token with contacts.readonly (or contacts). personFields is required (400
  without it). The contacts are PEOPLE below, pageSize at most 1000; nextPageToken
  while more remain.
POST /drive/v3/files?fields=…                  files.create (a folder: mimeType folder)
GET  /drive/v3/files/{id}?fields=…             files.get
POST /upload/drive/v3/files?uploadType=multipart&fields=…
  Bearer token with drive.file (or drive). With drive.file an app sees only what it
  made: any other id is 404. A multipart upload is multipart/related with a boundary:
  the metadata (JSON: name, parents [one folder this app made], mimeType) then the
  bytes; a parent that is not a folder of this app: 404.
  GET /_test/drive/{folder id}: the folder's name and files (name, mimeType, text).
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
from urllib.parse import parse_qs, unquote, urlsplit
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


CONTACTS_SCOPES = {"https://www.googleapis.com/auth/contacts.readonly", "https://www.googleapis.com/auth/contacts"}


def person(n, name, email=None, phone=None, org=None):
    p = {"resourceName": f"people/c{n}", "etag": f"%E{n}",
         "names": [{"displayName": name, "metadata": {"primary": True}}] if name else []}
    if email:
        p["emailAddresses"] = [{"value": e, "metadata": {"primary": i == 0}} for i, e in enumerate(email if isinstance(email, list) else [email])]
    if phone:
        p["phoneNumbers"] = [{"value": phone, "type": "mobile"}]
    if org:
        p["organizations"] = [{"name": org, "metadata": {"primary": True}}]
    return p


# The test account's contacts: three of Öztürk Gıda (one by its domain only, one already
# a contact with no phone), one duplicate of another by e-mail, one without a name, and
# many others so that the list takes more than one page of 1000.
PEOPLE = [
    person(1, "Işıl Şahin", "isil@ozturkgida.com.tr", "0532 123 45 67", "Öztürk Gıda"),
    person(2, "Çağrı Öztürk", ["cagri@ozturkgida.com.tr"], None, "ÖZTÜRK GIDA A.Ş."),
    person(3, "Şule İnce", "sule@ozturkgida.com.tr", "+90 533 765 43 21", None),
    person(4, "Işıl Ş.", "ISIL@ozturkgida.com.tr", None, "Öztürk Gıda"),
    person(5, None, "muhasebe@ozturkgida.com.tr", None, "Öztürk Gıda"),
    person(6, "Ali Kaya", "ali@baskafirma.com", "0212 555 00 00", "Başka Firma"),
] + [person(100 + i, f"Kişi {i}", f"kisi{i}@example.com", None, "Diğer") for i in range(1100)]


DRIVE_SCOPES = {"https://www.googleapis.com/auth/drive.file", "https://www.googleapis.com/auth/drive"}
FOLDER = "application/vnd.google-apps.folder"
DRIVE = {}  # id -> {"name", "mimeType", "parents", "data"}


SHEETS_SCOPES = {"https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive.file"}
SHEETS = {}  # spreadsheet id -> {"title", "sheets": {name: [rows]}}
SHEET_FAULTS = {"lost_answers": 0}
RANGE = re.compile(r"^(?:'((?:[^']|'')+)'|([A-Za-z0-9_]+))(?:!([A-Z]+[0-9]*)(?::([A-Z]+[0-9]*))?)?$")


def sheet_of(rng):
    """The sheet name a range names (quotes undone), or None when it is not A1."""
    m = RANGE.match(rng)
    if not m:
        return None
    return (m.group(1) or "").replace("''", "'") if m.group(1) is not None else m.group(2)


class Handler(provider_api.Handler):
    LOG = LOG

    def sheets_claims(self, entry):
        claims = oauth_tokens.bearer(self.headers)
        if claims is None:
            self.record(entry)
            self.answer(*google_error(401, "UNAUTHENTICATED", "authError",
                                      "Request had invalid authentication credentials."))
            return None
        if not SHEETS_SCOPES & set(claims["scope"].split()):
            self.record(entry)
            self.answer(*google_error(403, "PERMISSION_DENIED", "insufficientPermissions",
                                      "Request had insufficient authentication scopes."))
            return None
        return claims

    def drive_claims(self, entry):
        claims = oauth_tokens.bearer(self.headers)
        if claims is None:
            self.record(entry)
            self.answer(*google_error(401, "UNAUTHENTICATED", "authError",
                                      "Request had invalid authentication credentials."))
            return None
        if not DRIVE_SCOPES & set(claims["scope"].split()):
            self.record(entry)
            self.answer(*google_error(403, "PERMISSION_DENIED", "insufficientPermissions",
                                      "Request had insufficient authentication scopes."))
            return None
        return claims

    def drive_file(self, fid, q):
        f = DRIVE[fid]
        out = {"kind": "drive#file", "id": fid, "name": f["name"], "mimeType": f["mimeType"],
               "webViewLink": (f"https://drive.google.com/drive/folders/{fid}" if f["mimeType"] == FOLDER
                               else f"https://drive.google.com/file/d/{fid}/view"), "trashed": False}
        fields = q.get("fields")
        return {k: v for k, v in out.items() if not fields or k in fields.split(",")}

    def drive_get(self, url, q, entry):
        if url.path.startswith("/_test/drive/"):
            fid = url.path.rsplit("/", 1)[1]
            self.record(entry)
            with LOCK:
                if fid not in DRIVE:
                    return self.answer(404, {"error": "no such folder"})
                files = [{"name": f["name"], "mimeType": f["mimeType"], "text": f["data"].decode("utf-8", "replace")}
                         for f in DRIVE.values() if fid in f["parents"]]
                return self.answer(200, {"name": DRIVE[fid]["name"], "files": files})
        if self.drive_claims(entry) is None:
            return
        fid = url.path[len("/drive/v3/files/"):]
        self.record(entry)
        with LOCK:
            if fid not in DRIVE:
                return self.answer(*google_error(404, "NOT_FOUND", "notFound", f"File not found: {fid}."))
            return self.answer(200, self.drive_file(fid, q))

    def drive_post(self, url, raw):
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        problems = []
        entry = {"method": "POST", "path": url.path, "query": q, "problems": problems}
        if self.drive_claims(entry) is None:
            return
        if url.path == "/drive/v3/files":
            try:
                meta = json.loads(raw)
            except ValueError:
                meta = {}
            data = b""
        else:
            if q.get("uploadType") != "multipart":
                problems.append(f"uploadType {q.get('uploadType')!r}")
            ctype = self.headers.get("Content-Type", "")
            m = re.match(r"^multipart/related;\s*boundary=\"?([^\";]+)\"?$", ctype)
            if not m:
                problems.append(f"Content-Type {ctype!r} is not multipart/related with a boundary")
                self.record(entry)
                return self.answer(*google_error(400, "INVALID_ARGUMENT", "badContent", "Bad multipart"))
            b = ("--" + m.group(1)).encode()
            parts = raw.split(b)
            if len(parts) != 4 or not parts[3].startswith(b"--"):
                problems.append("not two parts closed by the boundary")
                self.record(entry)
                return self.answer(*google_error(400, "INVALID_ARGUMENT", "badContent", "Bad multipart"))
            def split(part):
                head, _, body = part.partition(b"\r\n\r\n")
                return head.decode("utf-8", "replace"), body[:-2] if body.endswith(b"\r\n") else body
            h1, b1 = split(parts[1])
            h2, data = split(parts[2])
            if "application/json" not in h1:
                problems.append("the first part is not JSON metadata")
            try:
                meta = json.loads(b1)
            except ValueError:
                meta = {}
                problems.append("the metadata is not JSON")
            if meta.get("mimeType") and meta["mimeType"] not in h2:
                problems.append("the second part's Content-Type is not the metadata's mimeType")
        if not isinstance(meta.get("name"), str) or not meta.get("name"):
            problems.append("name missing")
        parents = meta.get("parents", [])
        entry["meta"] = meta
        with LOCK:
            for p in parents:
                if p not in DRIVE or DRIVE[p]["mimeType"] != FOLDER:
                    self.record(entry)
                    return self.answer(*google_error(404, "NOT_FOUND", "notFound", f"File not found: {p}."))
            if problems:
                self.record(entry)
                return self.answer(*google_error(400, "INVALID_ARGUMENT", "invalid", "; ".join(problems)))
            fid = secrets.token_urlsafe(24).replace("-", "A").replace("_", "B")
            DRIVE[fid] = {"name": meta.get("name", ""), "mimeType": meta.get("mimeType", "application/octet-stream"),
                          "parents": parents, "data": data}
            out = self.drive_file(fid, q)
        entry["id"] = fid
        entry["bytes"] = len(data)
        self.record(entry)
        self.answer(200, out)

    def people_list(self, q, entry):
        problems = entry["problems"]
        claims = oauth_tokens.bearer(self.headers)
        if claims is None:
            self.record(entry)
            return self.answer(*google_error(401, "UNAUTHENTICATED", "authError",
                                             "Request had invalid authentication credentials."))
        if not CONTACTS_SCOPES & set(claims["scope"].split()):
            self.record(entry)
            return self.answer(*google_error(403, "PERMISSION_DENIED", "insufficientPermissions",
                                             "Request had insufficient authentication scopes."))
        fields = set(q.get("personFields", "").split(","))
        if not q.get("personFields"):
            self.record(entry)
            return self.answer(*google_error(400, "INVALID_ARGUMENT", "badRequest",
                                             "personFields mask is required. Please specify one or more valid paths."))
        size = int(q.get("pageSize", "100"))
        if not 1 <= size <= 1000:
            problems.append(f"pageSize {size} is not 1–1000")
            size = 1000
        start = int(q.get("pageToken", "0") or 0)
        page = PEOPLE[start:start + size]
        keep = {"resourceName", "etag"} | {{"names": "names", "emailAddresses": "emailAddresses",
                                            "phoneNumbers": "phoneNumbers", "organizations": "organizations"}.get(f, "") for f in fields}
        out = {"connections": [{k: v for k, v in p.items() if k in keep} for p in page],
               "totalPeople": len(PEOPLE), "totalItems": len(PEOPLE)}
        if start + size < len(PEOPLE):
            out["nextPageToken"] = str(start + size)
        entry["count"] = len(page)
        self.record(entry)
        self.answer(200, out)

    def sheets_get(self, url, q, entry):
        if url.path.startswith("/_test/sheets/"):
            sid = url.path.rsplit("/", 1)[1]
            self.record(entry)
            with LOCK:
                if sid not in SHEETS:
                    return self.answer(404, {"error": "no such spreadsheet"})
                return self.answer(200, SHEETS[sid])
        if self.sheets_claims(entry) is None:
            return
        parts = url.path[len("/v4/spreadsheets/"):].split("/values/")
        sid = parts[0]
        with LOCK:
            book = SHEETS.get(sid)
            if book is None:
                self.record(entry)
                return self.answer(*google_error(404, "NOT_FOUND", "notFound", "Requested entity was not found."))
            if len(parts) == 1:
                self.record(entry)
                return self.answer(200, {"spreadsheetId": sid, "properties": {"title": book["title"]},
                                         "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{sid}/edit",
                                         "sheets": [{"properties": {"title": n}} for n in book["sheets"]]})
            rng = unquote(parts[1])
            name = sheet_of(rng)
            if name is None or name not in book["sheets"]:
                self.record(entry)
                return self.answer(*google_error(400, "INVALID_ARGUMENT", "badRequest", f"Unable to parse range: {rng}"))
            rows = book["sheets"][name]
            m = RANGE.match(rng)
            col = m.group(3)
            self.record(entry)
            if col and q.get("majorDimension") == "COLUMNS":
                idx = 0
                for ch in col.rstrip("0123456789"):
                    idx = idx * 26 + (ord(ch) - 64)
                values = [[r[idx - 1] if len(r) >= idx else "" for r in rows]] if rows else []
                return self.answer(200, {"range": rng, "majorDimension": "COLUMNS", "values": values})
            return self.answer(200, {"range": rng, "majorDimension": "ROWS", "values": rows})

    def sheets_post(self, url, body):
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        problems = []
        entry = {"method": "POST", "path": url.path, "query": q, "problems": problems}
        if url.path == "/_test/sheets/fail-after-append":
            with LOCK:
                SHEET_FAULTS["lost_answers"] = int(json.loads(body or "{}").get("count", 1))
            self.record(entry)
            return self.answer(200, {"ok": True})
        if self.sheets_claims(entry) is None:
            return
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        entry["json"] = data
        if url.path == "/v4/spreadsheets":
            if not isinstance(data, dict) or not isinstance(data.get("properties", {}).get("title"), str):
                problems.append("properties.title missing")
            names = [s.get("properties", {}).get("title") for s in (data or {}).get("sheets", [])] or ["Sheet1"]
            sid = secrets.token_urlsafe(33)[:44].replace("-", "A").replace("_", "B")
            with LOCK:
                SHEETS[sid] = {"title": (data or {}).get("properties", {}).get("title", ""),
                               "sheets": {n: [] for n in names}}
            self.record(entry)
            return self.answer(200, {"spreadsheetId": sid, "properties": (data or {}).get("properties", {}),
                                     "sheets": [{"properties": {"sheetId": i, "title": n}} for i, n in enumerate(names)],
                                     "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{sid}/edit"})
        rest = url.path[len("/v4/spreadsheets/"):]
        if "/values/" not in rest or not rest.endswith(":append"):
            self.record(entry)
            return self.answer(*google_error(404, "NOT_FOUND", "notFound", "Not Found"))
        sid, rng = rest[:-len(":append")].split("/values/", 1)
        rng = unquote(rng)
        if q.get("valueInputOption") not in ("RAW", "USER_ENTERED"):
            problems.append(f"valueInputOption {q.get('valueInputOption')!r}")
        if q.get("insertDataOption", "OVERWRITE") not in ("OVERWRITE", "INSERT_ROWS"):
            problems.append(f"insertDataOption {q.get('insertDataOption')!r}")
        values = (data or {}).get("values")
        if not isinstance(values, list) or not all(isinstance(r, list) for r in values):
            problems.append("values is not a list of rows")
            values = []
        if (data or {}).get("majorDimension", "ROWS") != "ROWS":
            problems.append("majorDimension is not ROWS")
        if (data or {}).get("range") not in (None, rng):
            problems.append("the body's range is not the path's")
        for r in values:
            for cell in r:
                if not isinstance(cell, (str, int, float, bool)):
                    problems.append(f"cell {cell!r} is not a value")
                elif q.get("valueInputOption") == "USER_ENTERED" and str(cell).startswith("="):
                    problems.append(f"{cell!r} would be a formula")
        with LOCK:
            book = SHEETS.get(sid)
            if book is None:
                self.record(entry)
                return self.answer(*google_error(404, "NOT_FOUND", "notFound", "Requested entity was not found."))
            name = sheet_of(rng)
            if name is None or name not in book["sheets"]:
                self.record(entry)
                return self.answer(*google_error(400, "INVALID_ARGUMENT", "badRequest", f"Unable to parse range: {rng}"))
            if problems:
                self.record(entry)
                return self.answer(*google_error(400, "INVALID_ARGUMENT", "badRequest", "; ".join(problems)))
            rows = book["sheets"][name]
            start = len(rows) + 1
            rows.extend([[str(c) for c in r] for r in values])
            lost = SHEET_FAULTS["lost_answers"] > 0
            if lost:
                SHEET_FAULTS["lost_answers"] -= 1
        entry["rows"] = len(values)
        self.record(entry)
        if lost:
            return self.answer(*google_error(503, "UNAVAILABLE", "backendError", "The service is currently unavailable."))
        width = max((len(r) for r in values), default=0)
        self.answer(200, {"spreadsheetId": sid, "tableRange": rng,
                          "updates": {"spreadsheetId": sid, "updatedRange": f"{rng}:{start + len(values) - 1}",
                                      "updatedRows": len(values), "updatedColumns": width,
                                      "updatedCells": sum(len(r) for r in values)}})

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
        if url.path.startswith("/v4/spreadsheets/") or url.path.startswith("/_test/sheets/"):
            return self.sheets_get(url, q, entry)
        if url.path == "/v1/people/me/connections":
            return self.people_list(q, entry)
        if url.path.startswith("/drive/v3/files/") or url.path.startswith("/_test/drive/"):
            return self.drive_get(url, q, entry)
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
        url = urlsplit(self.path)
        if url.path in ("/drive/v3/files", "/upload/drive/v3/files"):
            return self.drive_post(url, self.rfile.read(int(self.headers.get("Content-Length", "0"))))
        body = self.body()
        if url.path == EVENTS:
            return self.insert_event(url, body)
        if url.path.startswith("/v4/spreadsheets") or url.path.startswith("/_test/sheets/"):
            return self.sheets_post(url, body)
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
