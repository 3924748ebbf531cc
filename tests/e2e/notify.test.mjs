// Bildirimler's frequency control end to end: failures set to a one-minute digest in
// the window, three SMS that fail one after another (a wrong Twilio token, against the
// Twilio-shaped server on loopback), and the desktop's notification daemon
// (tests/desktop-bus, recording every Notify) gets exactly one notification for the three,
// when the minute is over: "Son 1 dakikada 3 SMS gönderilemedi".
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDriver, waitAppGone, cli, until, sleep } from "./webdriver.mjs";
import { SID, startTwilio } from "./providers.mjs";

const BUS = process.env.ULAK_DESKTOP_BUS_BIN;

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
  } finally {
    await s.close().catch(() => {});
    await waitAppGone();
    await driver.stop();
    twilio.stop();
    desktop.kill();
  }
});
