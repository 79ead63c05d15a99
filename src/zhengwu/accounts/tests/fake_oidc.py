"""A tiny OpenID provider on 127.0.0.1 for tests: discovery, JWKS, /authorize, /token (RS256 ID tokens)."""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "zhengwu-test"
CLIENT_SECRET = "s3cret-for-tests"
KID = "test-key-1"


@functools.cache
def rsa_key(name: str = "provider") -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class FakeProvider:
    def __init__(self) -> None:
        self.key = rsa_key()
        self.claims: dict[str, Any] = {"sub": "prov-0001", "name": "张三"}
        self.overrides: dict[str, Any] = {}  # claims forced into the next ID token (e.g. a wrong nonce)
        self.sign_with: Any = None  # another key, to forge a bad signature
        self.codes: dict[str, dict[str, str]] = {}
        self.token_requests: list[dict[str, str]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeProvider:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def jwks(self) -> dict[str, Any]:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": KID, "use": "sig", "alg": "RS256"}]}

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": CLIENT_ID, "iat": now, "exp": now + 300, "nonce": nonce}
        claims.update(self.claims)
        claims.update(self.overrides)
        return jwt.encode(claims, self.sign_with or self.key, algorithm="RS256", headers={"kid": KID})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _json(self, body: dict[str, Any], status: int = 200) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urlparse(self.path)
                if url.path == "/.well-known/openid-configuration":
                    self._json(
                        {
                            "issuer": provider.issuer,
                            "authorization_endpoint": f"{provider.issuer}/authorize",
                            "token_endpoint": f"{provider.issuer}/token",
                            "jwks_uri": f"{provider.issuer}/jwks",
                        }
                    )
                elif url.path == "/jwks":
                    self._json(provider.jwks())
                elif url.path == "/authorize":
                    q = {k: v[0] for k, v in parse_qs(url.query).items()}
                    assert q["client_id"] == CLIENT_ID and q["code_challenge_method"] == "S256"
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = q
                    target = f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q['state']})}"
                    self.send_response(302)
                    self.send_header("Location", target)
                    self.end_headers()
                else:
                    self._json({"error": "not_found"}, 404)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                provider.token_requests.append(form)
                expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
                if self.headers.get("Authorization") != f"Basic {expected}":
                    return self._json({"error": "invalid_client"}, 401)
                grant = provider.codes.pop(form.get("code", ""), None)
                if grant is None or form.get("redirect_uri") != grant["redirect_uri"]:
                    return self._json({"error": "invalid_grant"}, 400)
                challenge = (
                    base64.urlsafe_b64encode(hashlib.sha256(form.get("code_verifier", "").encode()).digest())
                    .rstrip(b"=")
                    .decode()
                )
                if challenge != grant["code_challenge"]:
                    return self._json({"error": "invalid_grant", "error_description": "PKCE"}, 400)
                self._json(
                    {
                        "access_token": "at",
                        "token_type": "Bearer",
                        "id_token": provider.id_token(grant["nonce"]),
                    }
                )

        return Handler
