"""What the OAuth test servers share: access tokens signed with a fixed test key, so the
authorization server (oauth.py) issues them and any API server (google_api.py, the
mail server's introspection) can tell a live one from a forged, expired or revoked one
without asking."""

import base64
import hashlib
import hmac
import json
import re
import secrets
import time

KEY = b"ulak-test-oauth-key"  # signs test tokens; no real secret
REVOKED = set()


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def issue(email, scope, expires_in):
    claims = b64url(json.dumps({"email": email, "scope": scope, "exp": int(time.time()) + expires_in,
                                "n": secrets.token_hex(4)}).encode())
    sig = hmac.new(KEY, claims.encode(), hashlib.sha256).hexdigest()[:32]
    return f"ya29.{claims}.{sig}"


def read(token):
    """The claims of a live access token ({"email", "scope", "exp"}), else None."""
    m = re.match(r"^ya29\.([A-Za-z0-9_-]+)\.([0-9a-f]{32})$", token or "")
    if not m or token in REVOKED:
        return None
    sig = hmac.new(KEY, m.group(1).encode(), hashlib.sha256).hexdigest()[:32]
    if not hmac.compare_digest(sig, m.group(2)):
        return None
    claims = json.loads(base64.urlsafe_b64decode(m.group(1) + "=" * (-len(m.group(1)) % 4)))
    return claims if claims["exp"] > time.time() else None


def bearer(headers):
    """The claims of the request's `Authorization: Bearer` token, else None."""
    auth = headers.get("Authorization", "")
    return read(auth[7:]) if auth.startswith("Bearer ") else None
