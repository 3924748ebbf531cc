// The Twilio-shaped server (tests/servers/twilio.py) for end-to-end tests: started on a
// loopback port; every request it saw, with the shape problems it found.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const SID = "AC0123456789abcdef0123456789abcdef";
export const TOKEN = "test-token-çok-gizli";
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "..", "servers", "twilio.py");

export async function startTwilio() {
  const log = join(mkdtempSync(join(tmpdir(), "ulak-twilio-")), "requests.jsonl");
  const child = spawn("python3", [SCRIPT, log, SID, TOKEN], { stdio: ["ignore", "pipe", "inherit"] });
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
