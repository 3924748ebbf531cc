// Incoming notifications end to end (issue 19): Meta's WhatsApp Cloud API is set up in
// Entegrasyonlar with its app secret; "Gelen bildirimler" gets a port and the window
// listens on it; the Meta card shows the address and verify token, which are given to
// the Meta-shaped server (tests/servers/meta.py), which checks the address as Meta does
// (hub.challenge) and from then on sends signed webhooks like Meta: a status for each
// message, "failed 131047" for free text to a customer whose 24-hour window is closed,
// and a customer's own message. The window shows each where a salesperson looks:
// the history's "İletilemedi"/"İletildi", WhatsApp Gönder's window line, the
// suppression list for a "RET". At 800 px.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDriver, waitAppGone, until } from "./webdriver.mjs";
import { META_PHONE_ID, META_TOKEN, startMeta } from "./providers.mjs";

const APP_SECRET = "e2e-app-secret-not-real";

/** A port free on loopback right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function control(meta, path, body) {
  const r = await fetch(`${meta.base}${path}`, { method: "POST", body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}

test("Meta's webhooks reach the window: delivery in the history, the 24-hour window, a RET", async () => {
  const meta = await startMeta();
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "ulak-e2e-inbound-"));
  const driver = await startDriver({ ULAK_DATA_DIR: dataDir });
  const s = await driver.session();
  try {
    await s.waitFor("#app-ready");
    await s.resize(800, 900);
    await s.click("#nav-integrations");
    await s.click("#integrations-tab-whatsapp");
    await s.click("#int-whatsapp-meta-edit");
    await s.waitFor("#int-whatsapp-meta-phone-number-id");
    await s.type("#int-whatsapp-meta-phone-number-id", META_PHONE_ID);
    await s.type("#int-whatsapp-meta-access-token", META_TOKEN);
    await s.type("#int-whatsapp-meta-app-secret", APP_SECRET);
    await s.type("#int-whatsapp-meta-base-url", `${meta.base}/v21.0`);
    await s.click("#int-whatsapp-meta-save");
    await s.waitFor("#int-whatsapp-meta-status[data-state='saved']");

    // A port below 1024 is refused while typing, with the fix.
    await s.type("#inbound-port-whatsapp", "80");
    await s.waitFor("#inbound-port-whatsapp[aria-invalid='true']");
    await s.type("#inbound-port-whatsapp", String(port));
    await s.click("#inbound-save-whatsapp");
    await until("the window listens", async () =>
      (await s.text("#inbound-status-whatsapp")).includes(`127.0.0.1:${port}`),
    );

    await s.click("#inbound-address-show-meta");
    await s.waitFor("#inbound-local-address-meta");
    const local = (await s.text("#inbound-local-address-meta")).trim();
    const token = (await s.text("#inbound-verify-token-meta")).trim();
    assert.match(local, new RegExp(`^http://127\\.0\\.0\\.1:${port}/hooks/\\d+/${token}$`));
    // No tunnel address given: the address says where the tunnel's goes.
    assert.match(await s.text("#inbound-address-meta"), /\/hooks\/\d+\//);
    await s.screenshot("inbound-address.png");

    // Meta checks the address (hub.challenge with the verify token) before using it.
    const hook = await control(meta, "/_test/webhook", { url: local, appSecret: APP_SECRET });
    assert.deepEqual(hook, { status: 200, body: { verified: true } });

    // Free text to a customer who never wrote: the composer says the window is closed;
    // Meta takes it and reports 131047 by webhook; the history says İletilemedi.
    await s.click("#nav-whatsapp");
    await until("Meta offered as the sender", async () => (await s.value("#wa-provider")) === "meta");
    await s.click("#wa-mode-text");
    await s.type("#wa-to", "0532 123 45 67");
    await s.waitFor("#whatsapp-window[data-open='false']");
    assert.match(await s.text("#whatsapp-window"), /şablon/);
    await s.type("#wa-text", "Merhaba Işıl Hanım, teklifimizi ilettik.");
    await s.click("#wa-send");
    await s.waitFor("#wa-status[data-state='queued']");
    await until("Meta told Ulak the text failed", () =>
      meta.requests().some((r) => r.method === "WEBHOOK" && r.kind === "status" && r.status === 200),
    );
    await s.click("#nav-history");
    await s.waitFor(".badge.delivery[data-delivery='undelivered']", { timeout: 30000 });
    assert.match(await s.attr(".badge.delivery[data-delivery='undelivered']", "title"), /131047/);
    await s.screenshot("inbound-history-undelivered.png");

    // The customer writes: the window opens for 24 hours, the composer says until when,
    // and the next text is delivered.
    const wrote = await control(meta, "/_test/inbound", {
      from: "905321234567",
      name: "Işıl Öztürk",
      text: "Merhaba, ödeme koşullarınız nedir?",
    });
    assert.equal(wrote.body.status, 200);
    await s.click("#nav-whatsapp");
    await s.click("#wa-mode-text");
    await s.type("#wa-to", "0532 123 45 67");
    await s.waitFor("#whatsapp-window[data-open='true']");
    await s.screenshot("inbound-window-open.png");
    await s.type("#wa-text", "Ödeme 30 gün vadeli, Işıl Hanım.");
    await s.click("#wa-send");
    await s.waitFor("#wa-status[data-state='queued']");
    await s.click("#nav-history");
    await s.waitFor(".badge.delivery[data-delivery='delivered']", { timeout: 30000 });
    assert.equal(
      (await s.allAttr(".badge.delivery[data-delivery='undelivered']", "data-delivery")).length,
      1,
      "the first stays undelivered",
    );

    // Another customer answers "RET": on the suppression list at once.
    await control(meta, "/_test/inbound", { from: "905337654321", text: "RET" });
    await s.click("#nav-suppression");
    await until("the number is listed", async () => (await s.text("body")).includes("+905337654321"));
    await s.screenshot("inbound-ret-listed.png");

    const webhooks = meta.requests().filter((r) => r.method === "WEBHOOK");
    assert.ok(webhooks.every((w) => w.status === 200 || w.status === true), JSON.stringify(webhooks));
    assert.deepEqual(
      meta.requests().filter((r) => r.method === "POST").map((r) => r.problems),
      [[], []],
      "each text sent once, in Meta's shape",
    );
  } finally {
    await s.close().catch(() => {});
    await waitAppGone();
    await driver.stop();
    meta.stop();
  }
});
