// SMS Gönder end to end: a Turkish SMS typed in the window goes through the outbox to
// the SMS sandbox (one JSON file with the E.164 number and the text), and the send
// history lists it as a sent SMS with its text and its one try.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { appLog, startDriver, waitAppGone, cli, until } from "./webdriver.mjs";

const TEXT = "Merhaba Işıl Hanım, teklifiniz hazır — Öztürk Gıda. İyi çalışmalar!";

test("an SMS to the test box is written as JSON and shows in the history as a sent SMS", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "ulak-e2e-sms-"));
  const company = cli(dataDir, ["companies", "add", "Öztürk Gıda Ltd. Şti."]).trim();
  const smsDir = join(dataDir, "sandbox", "sms");

  // Successes are not told by default (failures are): this test wants to hear them.
  cli(dataDir, ["notify", "prefs", "set", "message.sent", "--channels", "desktop"]);
  const driver = await startDriver({ ULAK_DATA_DIR: dataDir });
  const s = await driver.session();
  try {
    await s.waitFor("#app-ready");
    assert.equal(await s.text("#nav-sms"), "SMS Gönder");
    await s.click("#nav-sms");
    await s.waitFor("#sms-to");

    // Nothing typed: both fields say what is missing, nothing is queued.
    await s.click("#sms-send");
    await s.waitFor("#sms-to[aria-invalid='true']");
    await s.waitFor("#sms-text[aria-invalid='true']");
    // A number that is not one is flagged while typing.
    await s.type("#sms-to", "12");
    await s.waitFor("#sms-to[aria-invalid='true']");

    await s.type("#sms-to", "0532 123 45 67");
    await s.waitFor("#sms-to:not([aria-invalid='true'])");
    await s.selectValue("#sms-company", company);
    await s.type("#sms-text", TEXT);
    // Turkish letters make it UCS-2: the counter says how many SMS it takes.
    await s.waitFor("#sms-counter[data-parts='1']");
    await s.screenshot("sms-typed.png");
    // Ctrl+Enter sends, as the button does.
    await s.ctrlEnter("#sms-text");
    const status = await s.waitFor("#sms-status[data-state='queued']");
    assert.match(await s.textOf(status), /^SMS kuyruğa alındı \(#\d+\)/);

    // The worker sends it to the sandbox: one JSON file, the number in E.164.
    await until("the SMS sandbox file", () => existsSync(smsDir) && readdirSync(smsDir).some((f) => f.endsWith(".json")));
    const files = readdirSync(smsDir).filter((f) => f.endsWith(".json"));
    assert.equal(files.length, 1);
    const sms = JSON.parse(readFileSync(join(smsDir, files[0]), "utf8"));
    assert.deepEqual(sms, { to: "+905321234567", text: TEXT });

    await s.click("#nav-history");
    const row = await s.waitFor("tr.history-row[data-state='sent']", { timeout: 30000 });
    assert.equal(await s.text("tr.history-row .badge.channel"), "SMS");
    assert.equal(await s.attr("tr.history-row td.to", "title"), "+905321234567");
    assert.match(await s.textOf(row), /Öztürk Gıda/);
    await s.click("tr.history-row[data-state='sent'] .row-open");
    await s.waitFor("#history-sms-text");
    assert.equal(await s.text("#history-sms-text"), TEXT);
    await s.screenshot("sms-history.png");

    // Narrowed to e-mail, the SMS is not listed; narrowed to SMS, it is.
    await s.selectValue("#history-channel", "email");
    await s.waitFor("#history-empty");
    assert.equal(await s.exists("tr.history-row"), false);
    await s.selectValue("#history-channel", "sms");
    await s.waitFor("tr.history-row[data-state='sent'] .badge.channel");
  } finally {
    await s.close().catch(() => {});
    await waitAppGone();
    await driver.stop();
  }

  // One notification for the round, worded for an SMS (logged as well as shown).
  assert.match(appLog(dataDir), /desktop notification\S* \S*title\S*=\S*SMS gönderildi/);

  // The command line sees the same message, with its channel and its one try.
  const history = JSON.parse(cli(dataDir, ["history", "--json"]));
  assert.equal(history.length, 1);
  assert.equal(history[0].channel, "sms");
  assert.equal(history[0].state, "sent");
  const shown = JSON.parse(cli(dataDir, ["history", "--show", String(history[0].id), "--json"]));
  assert.equal(shown.attempts.length, 1);
  assert.equal(shown.attempts[0].outcome, "sent");
});

test("a bulk SMS to a company's contacts and pasted numbers shows its progress to the end", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "ulak-e2e-sms-bulk-"));
  const company = cli(dataDir, ["companies", "add", "Işık Tekstil A.Ş."]).trim();
  const contacts = [
    ["Ayşe Yılmaz", "0532 111 22 33"],
    ["Çağrı Öztürk", "+90 533 444 55 66"],
    ["Şule İnce", "0534 777 88 99"],
  ].map(([name, phone]) =>
    cli(dataDir, ["contacts", "add", "--company", company, "--name", name, "--phone", phone]).trim(),
  );
  const smsDir = join(dataDir, "sandbox", "sms");

  const driver = await startDriver({ ULAK_DATA_DIR: dataDir });
  const s = await driver.session();
  try {
    await s.waitFor("#app-ready");
    await s.click("#nav-sms");
    await s.click("#sms-mode-bulk");
    await s.selectValue("#sms-company", company);
    await s.waitFor(`#sms-recipient-${contacts[2]}`);
    await s.click("#sms-recipients-all");
    // A pasted list with one bad line is caught while typing and names the line.
    await s.paste("#sms-numbers", "0535 000 11 22\n12");
    await s.waitFor("#sms-numbers-issues li[data-line='2']");
    // The same number as a contact's, written otherwise, goes once.
    await s.paste("#sms-numbers", "0535 000 11 22\n905321112233");
    await s.waitFor("#sms-numbers:not([aria-invalid='true'])");
    await s.type("#sms-text", "Yeni sezon kataloğumuz hazır — Işık Tekstil");
    await s.click("#sms-send");
    await s.waitFor("#sms-progress[data-total='4']");
    await s.waitFor("#sms-progress[data-sent='4'][data-failed='0']", { timeout: 30000 });
    await s.screenshot("sms-bulk.png");
  } finally {
    await s.close().catch(() => {});
    await waitAppGone();
    await driver.stop();
  }
  const files = readdirSync(smsDir).filter((f) => f.endsWith(".json"));
  const numbers = files.map((f) => JSON.parse(readFileSync(join(smsDir, f), "utf8")).to).sort();
  assert.deepEqual(numbers, ["+905321112233", "+905334445566", "+905347778899", "+905350001122"]);
});
