// Entegrasyonlar end to end: Twilio is set up from its spec's form in the window against
// the Twilio-shaped server on loopback (tests/servers/twilio.py), its connection test
// fails with a wrong token and passes with the right one, and a Turkish SMS chosen to go
// through Twilio on SMS Gönder arrives there in Twilio's documented shape, once, and
// shows in the history as sent by Twilio, then as delivered when Twilio is asked.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDriver, waitAppGone, cli, until } from "./webdriver.mjs";
import { SID, TOKEN, startTwilio } from "./providers.mjs";

const TEXT = "Sayın Işıl Hanım, teklifimiz hazır — Öztürk Gıda. İyi çalışmalar!";

test("Twilio set up in Entegrasyonlar sends a Turkish SMS from SMS Gönder", async () => {
  const twilio = await startTwilio();
  const dataDir = mkdtempSync(join(tmpdir(), "ulak-e2e-int-"));
  const driver = await startDriver({ ULAK_DATA_DIR: dataDir });
  const s = await driver.session();
  try {
    await s.waitFor("#app-ready");
    await s.click("#nav-integrations");
    await s.click("#integrations-tab-sms");
    await s.waitFor(".integration-card[data-provider='twilio'] .integration-status[data-state='not_connected']");
    await s.click("#int-sms-twilio-edit");
    await s.waitFor("#int-sms-twilio-account-sid");

    // Nothing filled: saving names what is missing and saves nothing.
    await s.click("#int-sms-twilio-save");
    await s.waitFor("#int-sms-twilio-account-sid[aria-invalid='true']");
    await s.waitFor("#int-sms-twilio-auth-token[aria-invalid='true']");
    // A base URL to the internet in clear is refused while typing.
    await s.type("#int-sms-twilio-base-url", "http://api.twilio.com");
    await s.waitFor("#int-sms-twilio-base-url[aria-invalid='true']");

    await s.type("#int-sms-twilio-account-sid", SID);
    await s.type("#int-sms-twilio-auth-token", "yanlış-anahtar");
    await s.type("#int-sms-twilio-from", "+15005550006");
    await s.type("#int-sms-twilio-base-url", twilio.base);
    await s.click("#int-sms-twilio-save");
    await s.waitFor("#int-sms-twilio-status[data-state='saved']");
    assert.equal(await s.value("#int-sms-twilio-auth-token"), "", "the secret is not shown again");
    await s.waitFor(".integration-card[data-provider='twilio'] .integration-status[data-state='connected']");

    // The wrong token: the test says so, in words, with Twilio's own.
    await s.click("#int-sms-twilio-test");
    await s.waitFor("#int-sms-twilio-test-result[data-state='failed']");
    assert.match(await s.text("#int-sms-twilio-test-result"), /20003/);
    await s.execute("document.querySelector('#int-sms-twilio-test-result').scrollIntoView()");
    await s.screenshot("integrations-test-failed.png");

    // The right one, saved over it (the other fields kept): the test passes.
    await s.type("#int-sms-twilio-auth-token", TOKEN);
    await s.click("#int-sms-twilio-save");
    await s.waitFor("#int-sms-twilio-status[data-state='saved']");
    await s.click("#int-sms-twilio-test");
    await s.waitFor("#int-sms-twilio-test-result[data-state='ok']");
    await s.execute("document.querySelector('.integration-card[data-provider=twilio]').scrollIntoView()");
    await s.screenshot("integrations-twilio.png");
    assert.equal(twilio.requests().filter((r) => r.method === "POST").length, 0, "a test sends nothing");

    // SMS Gönder now sends through Twilio by default.
    await s.click("#nav-sms");
    await s.waitFor("#sms-provider");
    await until("Twilio offered as the sender", async () => (await s.value("#sms-provider")) === "twilio");
    await s.type("#sms-to", "0532 123 45 67");
    await s.type("#sms-text", TEXT);
    await s.click("#sms-send");
    await s.waitFor("#sms-status[data-state='queued']");

    await until("Twilio got the SMS", () => twilio.requests().some((r) => r.method === "POST"));
    const posts = twilio.requests().filter((r) => r.method === "POST");
    assert.equal(posts.length, 1, "sent once");
    assert.deepEqual(posts[0].problems, []);
    assert.equal(posts[0].form.To, "+905321234567");
    assert.equal(posts[0].form.Body, TEXT);
    assert.equal(posts[0].form.From, "+15005550006");

    await s.click("#nav-history");
    await s.waitFor("tr.history-row[data-state='sent']", { timeout: 30000 });
    assert.equal(await s.text("tr.history-row .badge.channel"), "SMS");
    // The worker asks Twilio whether it arrived; the history says so without a reload.
    await s.waitFor("tr.history-row[data-state='sent'] .badge.delivery[data-delivery='delivered']", {
      timeout: 30000,
    });
    assert.equal(await s.text("tr.history-row .badge.delivery"), "İletildi");
    assert.ok(
      twilio.requests().some((r) => r.method === "GET" && r.path.includes("/Messages/SM")),
      "the message's status was fetched",
    );

    // Twilio goes away: the next send cannot reach it (kept to try again), and
    // Entegrasyonlar turns Twilio to "Hata" with why, without a restart.
    twilio.stop();
    await s.click("#nav-sms");
    await s.waitFor("#sms-provider");
    await until("Twilio offered again", async () => (await s.value("#sms-provider")) === "twilio");
    await s.type("#sms-to", "0532 123 45 68");
    await s.type("#sms-text", "İkinci ileti");
    await s.click("#sms-send");
    await s.waitFor("#sms-status[data-state='queued']");
    await s.click("#nav-integrations");
    await s.click("#integrations-tab-sms");
    await s.waitFor(".integration-card[data-provider='twilio'] .integration-status[data-state='error']", { timeout: 30000 });
    await s.waitFor("#int-sms-twilio-error[data-code='unreachable']");
    await s.execute("document.querySelector('.integration-card[data-provider=twilio]').scrollIntoView()");
    await s.screenshot("integrations-error.png");
  } finally {
    await s.close().catch(() => {});
    await waitAppGone();
    await driver.stop();
    twilio.stop();
  }

  // The CLI sees the same integration, the token masked.
  const list = cli(dataDir, ["integrations", "list"]);
  assert.match(list, /twilio/);
  assert.match(list, /authToken=••••••••/);
  assert.doesNotMatch(list, new RegExp(TOKEN));
});
