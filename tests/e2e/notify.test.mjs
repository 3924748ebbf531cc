// Bildirimler's frequency control end to end: failures set to a one-minute digest in
// the window, three SMS that fail one after another (a wrong Twilio token, against the
// Twilio-shaped server on loopback), and the desktop's notification daemon
// (tests/desktop-bus, recording every Notify) gets exactly one notification for the three,
// when the minute is over: "Son 1 dakikada 3 SMS gönderilemedi"; the same digest goes
// once by e-mail to the user's address (into the test box: no account here).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDriver, waitAppGone, cli, until, sleep } from "./webdriver.mjs";
import { SID, startTwilio } from "./providers.mjs";
import { decodeWords } from "./mime.mjs";

const BUS = process.env.ULAK_DESKTOP_BUS_BIN;

/** Every .eml under `dir` (the test box), decoded as text. */
function emls(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .filter((f) => String(f).endsWith(".eml"))
    .map((f) => decodeWords(readFileSync(join(dir, String(f)), "utf8")));
}

function notifications(log) {
  if (!existsSync(log)) return [];
  return readFileSync(log, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((e) => e.event === "notification");
}

test("three failures within a digest's minute make one notification", { skip: !BUS && "ULAK_DESKTOP_BUS_BIN not set (run scripts/test.sh)" }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "ulak-e2e-notify-"));
  const log = join(mkdtempSync(join(tmpdir(), "ulak-e2e-desktop-")), "desktop.jsonl");
  const desktop = spawn(BUS, ["serve", log], { stdio: ["ignore", "inherit", "inherit"] });
  const twilio = await startTwilio();
  cli(
    dataDir,
    ["integrations", "set", "sms", "twilio", "--field", `accountSid=${SID}`, "--field", "from=+15005550006",
      "--secret-stdin", "authToken", "--base-url", twilio.base],
    {},
    "yanlış-anahtar\n",
  );
  const driver = await startDriver({ ULAK_DATA_DIR: dataDir });
  const s = await driver.session();
  try {
    await s.waitFor("#app-ready");
    await s.click("#nav-notifications");
    await s.waitFor("#notify-message-failed-desktop");
    assert.equal(await s.execute("return document.querySelector('#notify-message-failed-desktop').checked"), true,
      "failures are told by default");
    assert.equal(await s.execute("return document.querySelector('#notify-message-sent-desktop').checked"), false,
      "successes are not");
    // The wrong token also puts the integration in trouble, told at once by its own
    // event (on by default): off here, where the failures' digest is what is tested.
    assert.equal(await s.execute("return document.querySelector('#notify-integration-error-desktop').checked"), true,
      "an integration in trouble is told by default");
    await s.click("#notify-integration-error-desktop");
    await s.waitFor("#notify-status[data-state='saved']");
    await s.selectValue("#notify-message-failed-frequency", "digest:60");
    await s.waitFor("#notify-status[data-state='saved']");
    // Failures also by e-mail to the user's own address (no account here: the test
    // box), with the same digest.
    await s.type("#notify-email-address", "ayse@firma.com.tr");
    await s.click("#notify-email-save");
    await s.waitFor("#notify-email-status[data-state='saved']");
    await s.waitFor("#notify-message-failed-email:not([disabled])");
    await s.click("#notify-message-failed-email");
    await s.waitFor("#notify-status[data-state='saved']");
    await s.screenshot("notify-matrix.png");

    const started = Date.now();
    for (const n of ["1", "2", "3"]) {
      cli(dataDir, ["sms", "send", "--provider", "twilio", "--to", `0532 000 00 0${n}`, "--text", `Deneme ${n} — Işıl`]);
      await until(`SMS ${n} tried`, () => twilio.requests().filter((r) => r.method === "POST").length >= Number(n), 30000);
      await sleep(3000);
    }
    assert.equal(notifications(log).length, 0, "nothing told within the minute");
    const told = await until("the digest", () => {
      const n = notifications(log);
      return n.length > 0 && n;
    }, 90000);
    assert.ok(Date.now() - started >= 55000, "not before the minute is over");
    assert.equal(told[0].summary, "Son 1 dakikada 3 SMS gönderilemedi");
    assert.match(told[0].body, /^Sunucu girişi kabul etmedi\. Ayrıntılar/);
    await sleep(3000);
    assert.equal(notifications(log).length, 1, "one notification for the three");
    // And one e-mail, written into the test box, about the three — nothing about itself.
    const mails = await until("the notification e-mail", () => {
      const m = emls(join(dataDir, "sandbox")).filter((t) => /Son 1 dakikada 3 SMS/.test(t));
      return m.length > 0 && m;
    }, 30000);
    assert.equal(mails.length, 1);
    assert.match(mails[0], /^To: .*firma\.com\.tr/m);
  } finally {
    await s.close().catch(() => {});
    await waitAppGone();
    await driver.stop();
    twilio.stop();
    desktop.kill();
  }
});
