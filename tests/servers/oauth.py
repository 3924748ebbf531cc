#!/usr/bin/env python3
"""An OAuth 2.0 authorization server on loopback for Ulak's tests, shaped like Google's
and Microsoft identity platform's endpoints for installed apps (RFC 6749, RFC 7636
PKCE, RFC 7009 revocation, RFC 7662 introspection for the test mail server).

    python3 oauth.py LOG_FILE CLIENT_ID [CLIENT_SECRET] [--port N] [--expires-in S]
                     [--rotate]

It really checks what a provider checks, and logs every problem it finds:
  GET  /authorize   response_type=code, the client_id, a loopback redirect_uri
                    (http://127.0.0.1:PORT/…, or the ulak:// scheme), scope, state,
                    code_challenge + code_challenge_method=S256 (include_granted_scopes=
                    true adds the scopes granted to that user before). The "user" approves at
                    once: 302 to redirect_uri?code=…&state=… (one-time code, 5 minutes).
                    login_hint=deny@… plays a user who says no: error=access_denied.
                    Scopes of two Microsoft resources (Outlook's and Graph's) in one
                    request are refused as Microsoft does (invalid_scope, AADSTS28000).
  POST /token       form-encoded; grant_type=authorization_code needs the code (once),
                    the same redirect_uri, the client_id, the code_verifier whose S256 is
                    the challenge, and the client secret when the server has one (Google's
                    desktop clients send theirs; Microsoft's public clients none).
                    grant_type=refresh_token needs a live refresh token (scopes named
                    again must be among those granted). Answers
                    access_token, expires_in, refresh_token (a new one each refresh with
                    --rotate, the old one dead, as Microsoft may), scope, token_type,
                    id_token (a JWT whose payload has the address as `email`).
  POST /revoke      token=… (Google's revocation endpoint): the token and its family die.
  POST /introspect  token=… → {"active": true, "email": …} for a live access token (the
                    test Dovecot asks this for XOAUTH2); tokens are signed with a fixed
                    test key, so any instance can introspect another's.
  POST /control/refuse-refresh   from now on every refresh is invalid_grant.
Errors are RFC 6749 JSON bodies ({"error", "error_description"}).
"""

import hashlib
import json
import re
import secrets
import sys
import threading
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import oauth_tokens
import provider_api

args = sys.argv[1:]
opts = {}
while len(args) > 0 and any(a.startswith("--") for a in args):
    i = next(i for i, a in enumerate(args) if a.startswith("--"))
    name = args.pop(i)[2:]
    opts[name] = True if name == "rotate" else args.pop(i)
LOG, CLIENT_ID = args[0], args[1]
CLIENT_SECRET = args[2] if len(args) > 2 else None
EXPIRES_IN = int(opts.get("expires-in", 3600))
ROTATE = bool(opts.get("rotate"))
PORT = int(opts.get("port", 0))

LOCK = threading.Lock()
CODES = {}  # code -> {client_id, redirect_uri, challenge, scope, email, at, used}
REFRESH = {}  # refresh token -> {email, scope, alive}
GRANTED = {}  # email -> scopes granted before (Google's include_granted_scopes)
STATE = {"refuse_refresh": False}
REDIRECT = re.compile(r"^(http://127\.0\.0\.1:[0-9]{1,5}/[^?#]*|ulak://oauth/callback)$")
UNRESERVED = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")


b64url = oauth_tokens.b64url
REVOKED = oauth_tokens.REVOKED


def access_token(email, scope):
    return oauth_tokens.issue(email, scope, EXPIRES_IN)


read_access = oauth_tokens.read


def id_token(email):
    head = b64url(json.dumps({"alg": "RS256", "typ": "JWT"}).encode())
    body = b64url(json.dumps({"iss": "http://127.0.0.1", "aud": CLIENT_ID, "sub": hashlib.sha1(
        email.encode()).hexdigest(), "email": email, "email_verified": True,
        "preferred_username": email, "iat": int(time.time()), "exp": int(time.time()) + 3600}).encode())
    return f"{head}.{body}.c2lnbmF0dXJl"


def answered(scope):
    """The scopes as a token response names them: Microsoft gives Graph's in their short
    form (OnlineMeetings.ReadWrite), other resources' in full."""
    return " ".join(s[len("https://graph.microsoft.com/"):] if s.startswith("https://graph.microsoft.com/") else s
                    for s in scope.split())


def tokens(email, scope):
    refresh = "1//" + secrets.token_urlsafe(24)
    REFRESH[refresh] = {"email": email, "scope": scope, "alive": True}
    return {"access_token": access_token(email, scope), "expires_in": EXPIRES_IN,
            "refresh_token": refresh, "scope": answered(scope), "token_type": "Bearer",
            "id_token": id_token(email)}


def oauth_error(error, description, status=400):
    return status, {"error": error, "error_description": description}


class Handler(provider_api.Handler):
    LOG = LOG

    def redirect(self, location):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        url = urlsplit(self.path)
        q = parse_qs(url.query, keep_blank_values=True)
        one = {k: v[0] for k, v in q.items()}
        problems = [f"{k} given {len(v)} times" for k, v in q.items() if len(v) > 1]
        entry = {"method": "GET", "path": url.path, "query": {k: v for k, v in one.items()
                                                              if k not in ("state", "code_challenge")},
                 "problems": problems}
        if url.path != "/authorize":
            self.record(entry)
            return self.answer(*oauth_error("not_found", "no such endpoint", 404))
        for k in ("response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge",
                  "code_challenge_method"):
            if not one.get(k):
                problems.append(f"{k} missing")
        if one.get("response_type") not in (None, "code"):
            problems.append("response_type is not code")
        if one.get("client_id") != CLIENT_ID:
            problems.append("unknown client_id")
        if one.get("code_challenge_method") not in (None, "S256"):
            problems.append("code_challenge_method is not S256")
        if one.get("code_challenge") and not re.match(r"^[A-Za-z0-9_-]{43}$", one["code_challenge"]):
            problems.append("code_challenge is not a base64url SHA-256")
        redirect_uri = one.get("redirect_uri", "")
        if redirect_uri and not REDIRECT.match(redirect_uri):
            problems.append(f"redirect_uri {redirect_uri!r} is neither http://127.0.0.1:PORT/… nor ulak://")
        self.record(entry)
        if problems:
            # Providers show an error page to the user and never redirect a bad request.
            return self.answer(*oauth_error("invalid_request", "; ".join(problems)))
        email = one.get("login_hint") or "ali@test.local"
        back = {"state": one["state"]}
        if email.startswith("deny@"):
            back["error"] = "access_denied"
            back["error_description"] = "The user denied the request"
            return self.redirect(redirect_uri + "?" + urlencode(back))
        resources = {m.group(1) for m in (re.match(r"^https://([^/]+)/", x) for x in one["scope"].split())
                     if m and m.group(1) in ("outlook.office.com", "graph.microsoft.com")}
        if len(resources) > 1:
            back["error"] = "invalid_scope"
            back["error_description"] = ("AADSTS28000: Provided value for the input parameter scope is not valid "
                                         "because it contains more than one resource.")
            return self.redirect(redirect_uri + "?" + urlencode(back))
        code = "4/" + secrets.token_urlsafe(24)
        with LOCK:
            scope = one["scope"].split()
            if one.get("include_granted_scopes") == "true":
                scope += [s for s in sorted(GRANTED.get(email, ())) if s not in scope]
            scope = " ".join(scope)
            CODES[code] = {"client_id": one["client_id"], "redirect_uri": redirect_uri,
                           "challenge": one["code_challenge"], "scope": scope, "email": email,
                           "at": time.time(), "used": False}
        back["code"] = code
        back["scope"] = scope
        self.redirect(redirect_uri + "?" + urlencode(back))

    def do_POST(self):
        path = urlsplit(self.path).path
        body = self.body()
        q = parse_qs(body, keep_blank_values=True)
        form = {k: v[0] for k, v in q.items()}
        problems = []
        if path != "/control/refuse-refresh" and \
                not self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
            problems.append("body is not application/x-www-form-urlencoded")
        entry = {"method": "POST", "path": path, "grant_type": form.get("grant_type"),
                 "fields": sorted(form), "problems": problems}
        if path == "/control/refuse-refresh":
            STATE["refuse_refresh"] = True
            self.record(entry)
            return self.answer(200, {"ok": True})
        if path == "/introspect":
            claims = read_access(form.get("token"))
            self.record(entry)
            if not claims:
                return self.answer(200, {"active": False})
            return self.answer(200, {"active": True, "email": claims["email"], "scope": claims["scope"],
                                     "exp": claims["exp"]})
        if path == "/revoke":
            token = form.get("token", "")
            with LOCK:
                found = token in REFRESH or read_access(token) is not None
                if token in REFRESH:
                    REFRESH[token]["alive"] = False
                REVOKED.add(token)
            entry["revoked"] = found
            self.record(entry)
            if not found:
                return self.answer(*oauth_error("invalid_token", "Token expired or revoked"))
            return self.answer(200, {})
        if path != "/token":
            self.record(entry)
            return self.answer(*oauth_error("not_found", "no such endpoint", 404))
        status, answer = self.token(form, problems)
        entry["answer"] = answer.get("error", "tokens")
        self.record(entry)
        self.send_response(status)
        data = json.dumps(answer).encode()
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def token(self, form, problems):
        if self.headers.get("Authorization"):
            problems.append("client credentials in an Authorization header, not the body")
        if form.get("client_id") != CLIENT_ID:
            return oauth_error("invalid_client", "The OAuth client was not found.", 401)
        if CLIENT_SECRET is not None and form.get("client_secret") != CLIENT_SECRET:
            return oauth_error("invalid_client", "Unauthorized", 401)
        if CLIENT_SECRET is None and "client_secret" in form:
            problems.append("a public client sent a client_secret")
        grant = form.get("grant_type")
        with LOCK:
            if grant == "authorization_code":
                code = CODES.get(form.get("code", ""))
                if code is None or code["used"] or time.time() - code["at"] > 300:
                    return oauth_error("invalid_grant", "Malformed auth code." if code is None
                                       else "Bad Request: code already used or expired")
                code["used"] = True
                GRANTED.setdefault(code["email"], set()).update(code["scope"].split())
                if form.get("redirect_uri") != code["redirect_uri"]:
                    return oauth_error("redirect_uri_mismatch", "Bad Request")
                verifier = form.get("code_verifier", "")
                if not UNRESERVED.match(verifier):
                    return oauth_error("invalid_request", "code_verifier is not 43-128 unreserved characters")
                if b64url(hashlib.sha256(verifier.encode()).digest()) != code["challenge"]:
                    return oauth_error("invalid_grant", "Invalid code verifier.")
                return 200, tokens(code["email"], code["scope"])
            if grant == "refresh_token":
                r = REFRESH.get(form.get("refresh_token", ""))
                if r is None or not r["alive"] or STATE["refuse_refresh"]:
                    return oauth_error("invalid_grant", "Token has been expired or revoked.")
                # Scopes named again (Microsoft's v2 asks for them) must be among those
                # granted: a refresh cannot widen a grant or cross to another resource.
                asked = form.get("scope", "").split()
                if any(x not in r["scope"].split() for x in asked):
                    return oauth_error("invalid_scope", "AADSTS70011: The provided value for the input parameter 'scope' is not valid.")
                answer = {"access_token": access_token(r["email"], r["scope"]), "expires_in": EXPIRES_IN,
                          "scope": answered(r["scope"]), "token_type": "Bearer"}
                if ROTATE:
                    r["alive"] = False
                    fresh = tokens(r["email"], r["scope"])
                    answer["refresh_token"] = fresh["refresh_token"]
                return 200, answer
        return oauth_error("unsupported_grant_type", f"grant_type {grant!r}")


if __name__ == "__main__":
    server = provider_api.ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()
