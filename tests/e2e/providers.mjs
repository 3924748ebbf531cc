// The provider-shaped servers (tests/servers/*.py) for end-to-end tests: each started on
// a loopback port; every request it saw, with the shape problems it found.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const SID = "AC0123456789abcdef0123456789abcdef";
export const TOKEN = "test-token-çok-gizli";
export const META_PHONE_ID = "106540352242922";
export const META_TOKEN = "EAAGtestAccessToken0123456789ZZ";
const SERVERS = join(dirname(fileURLToPath(import.meta.url)), "..", "servers");

async function startServer(script, args) {
  const log = join(mkdtempSync(join(tmpdir(), `ulak-${script}-`)), "requests.jsonl");
  const child = spawn("python3", [join(SERVERS, script), log, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise((resolve, reject) => {
    child.once("error", reject);
    createInterface({ input: child.stdout }).once("line", (l) => resolve(Number(l.trim())));
  });
  return {
    base: `http://127.0.0.1:${port}`,
    requests: () =>
      existsSync(log)
        ? readFileSync(log, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l))
        : [],
    stop: () => child.kill(),
  };
}

/** The Twilio-shaped server, accepting SID and TOKEN. */
export const startTwilio = () => startServer("twilio.py", [SID, TOKEN]);

/** Resend API keys the Resend-shaped server takes (full access). */
export const RESEND_KEY = "re_test_TamErisimAnahtari";

/** The Resend-shaped server: ornek.com.tr verified, yeni.com.tr pending. */
export const startResend = () => startServer("resend.py", [RESEND_KEY]);

/** The Meta-shaped WhatsApp Cloud API server, accepting META_PHONE_ID and META_TOKEN. */
export const startMeta = () => startServer("meta.py", [META_PHONE_ID, META_TOKEN]);

/**
 * The HTTPS webhook receiver (webhook_receiver.py) with its own test CA: `ca` is the file
 * to trust (SSL_CERT_FILE), `knows(secrets)` the secrets it verifies signatures with.
 */
export async function startWebhookReceiver() {
  const dir = mkdtempSync(join(tmpdir(), "ulak-webhooks-"));
  const secrets = join(dir, "secrets");
  const server = await startServer("webhook_receiver.py", [secrets, dir]);
  return {
    ...server,
    base: server.base.replace("http://", "https://"),
    ca: join(dir, "ca.pem"),
    knows: (list) => writeFileSync(secrets, list.join("\n")),
  };
}

export const TELEGRAM_TOKEN = "7000001:AAtestTokenCokGizli";

/** The Telegram-Bot-API-shaped server, accepting TELEGRAM_TOKEN. */
export const startTelegram = () => startServer("telegram.py", [TELEGRAM_TOKEN]);

/** The OAuth test app (tests/servers/oauth.py knows it) and Google's not-secret secret. */
export const OAUTH_CLIENT_ID = "ulak-test-client.apps.local";
export const OAUTH_CLIENT_SECRET = "GOCSPX-test-not-secret";

/** The OAuth authorization server; `secret`: a Google-style desktop client. */
export const startOAuth = (secret, options = []) =>
  startServer("oauth.py", [OAUTH_CLIENT_ID, ...(secret ? [OAUTH_CLIENT_SECRET] : []), ...options]);

/** The Gmail-API-shaped server, taking tokens from any startOAuth() server. */
export const startGoogleApi = () => startServer("google_api.py", []);

/** The Microsoft-Graph-shaped server (Teams meetings), taking tokens from any startOAuth() server. */
export const startGraph = () => startServer("graph.py", []);

/** A Zoom Server-to-Server OAuth test app the Zoom-shaped server accepts. */
export const ZOOM_ACCOUNT = "zAcc0untId_Test";
export const ZOOM_CLIENT = "zClientIdTest01";
export const ZOOM_SECRET = "zoom-gizli-şifre-01";

/** The Zoom-shaped server (tokens and meetings), for the app above. */
export const startZoom = () => startServer("zoom.py", [ZOOM_ACCOUNT, ZOOM_CLIENT, ZOOM_SECRET]);

/**
 * Plays the browser of a sign-in: asks the authorization server for `authorizeUrl` and
 * answers where it redirects (Ulak's loopback callback, or a ulak:// deep link).
 */
export async function authorize(authorizeUrl) {
  const r = await fetch(authorizeUrl, { redirect: "manual" });
  if (r.status !== 302) throw new Error(`the authorization server answered ${r.status}: ${await r.text()}`);
  return r.headers.get("location");
}
