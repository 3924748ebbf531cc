// Telegram end to end: connected under Entegrasyonlar → Diğer against the
// Telegram-shaped server on loopback (tests/servers/telegram.py), its connection test
// passes, Bildirimler sends failures there, and an SMS that fails (a wrong Twilio
// token, against the Twilio-shaped server) is told in the Telegram chat, in Turkish.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDriver, waitAppGone, cli, until } from "./webdriver.mjs";
import { SID, TELEGRAM_TOKEN, startTelegram, startTwilio } from "./providers.mjs";

test("failures are told in a Telegram chat connected in Entegrasyonlar", async () => {
  const telegram = await startTelegram();
  const twilio = await startTwilio();
  const dataDir = mkdtempSync(join(tmpdir(), "ulak-e2e-chat-"));
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
    await s.click("#nav-integrations");
    await s.click("#integrations-tab-other");
    const card = ".integration-card[data-channel='chat'][data-provider='telegram']";
    await s.waitFor(`${card} .integration-status[data-state='not_connected']`);
    await s.click("#int-chat-telegram-edit");
    await s.type("#int-chat-telegram-bot-token", TELEGRAM_TOKEN);
    await s.type("#int-chat-telegram-chat-id", "-1001234567890");
    await s.type("#int-chat-telegram-base-url", telegram.base);
    await s.click("#int-chat-telegram-save");
    await s.waitFor("#int-chat-telegram-status[data-state='saved']");
    assert.equal(await s.value("#int-chat-telegram-bot-token"), "", "the token is not shown again");
    await s.waitFor(`${card} .integration-status[data-state='connected']`);
    await s.click("#int-chat-telegram-test");
    await s.waitFor("#int-chat-telegram-test-result[data-state='ok']");
    await s.execute(`document.querySelector("${card}").scrollIntoView()`);
    await s.screenshot("integrations-telegram.png");
    assert.equal(telegram.requests().filter((r) => r.method === "POST").length, 0, "a test sends nothing");

    await s.click("#nav-notifications");
    await s.waitFor("#notify-message-failed-telegram");
    await until("Telegram can be chosen", async () =>
      s.execute("return !document.querySelector('#notify-message-failed-telegram').disabled"));
    await s.click("#notify-message-failed-telegram");
    await s.waitFor("#notify-status[data-state='saved']");
    await s.screenshot("notify-telegram.png");

    cli(dataDir, ["sms", "send", "--provider", "twilio", "--to", "0532 000 00 01", "--text", "Deneme — Şükrü Bey"]);
    const told = await until("the failure told in Telegram", () => {
      const posts = telegram.requests().filter((r) => r.method === "POST");
      return posts.length > 0 && posts;
    }, 60000);
    assert.deepEqual(told[0].problems, []);
    assert.equal(told[0].body.chat_id, "-1001234567890");
    assert.match(told[0].body.text, /^SMS gönderilemedi\n/);
    assert.match(told[0].body.text, /Sunucu girişi kabul etmedi/);

    // Telegram goes away: the card's test fails and the card turns to "Hata" with why.
    telegram.stop();
    await s.click("#nav-integrations");
    await s.click("#integrations-tab-other");
    await s.click("#int-chat-telegram-test");
    await s.waitFor("#int-chat-telegram-test-result[data-state='failed']");
    await s.waitFor(`${card} .integration-status[data-state='error']`);
    await s.waitFor("#int-chat-telegram-error[data-code='unreachable']");
  } finally {
    await s.close().catch(() => {});
    await waitAppGone();
    await driver.stop();
    telegram.stop();
    twilio.stop();
  }
});
