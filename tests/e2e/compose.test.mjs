// E-posta Oluştur end to end: a company and contact, a mail with Turkish text, a
// template variable and an attachment, sent through the real Postfix on loopback; the
// delivered message is read back from the maildir and checked header by header, and
// the send history shows it as sent with its raw .eml.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startDriver, waitAppGone, cli, until } from "./webdriver.mjs";
import { decodeWords, leafParts, parseEntity } from "./mime.mjs";
import { MAIL, deliveredPaths } from "./mailserver.mjs";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures");
const M = MAIL;

function delivered() {
  return deliveredPaths().map((f) => readFileSync(f, "utf8"));
}


test("a Turkish mail with an attachment goes through Postfix and shows as sent", { skip: !M.starttls && "no test mail server (run scripts/test.sh)" }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "ulak-e2e-compose-"));
  const tag = `e2e-${process.pid}-${Date.now()}`;
  // Set up by the command line, as a salesperson's colleague might script it.
  const company = cli(dataDir, ["companies", "add", "Öztürk Gıda Ltd. Şti."]).trim();
  cli(dataDir, ["contacts", "add", "--company", company, "--name", "Şule İnce", "--email", "sule@ozturk-gida.com.tr"]);
  cli(dataDir, ["profile", "set", "--display-name", "Gülşen Çağlar", "--sender-email", M.user, "--sender-name", "Gülşen Çağlar"]);
  const account = cli(
    dataDir,
    ["accounts", "add", "--email", M.user, "--sender-name", "Gülşen Çağlar", "--host", "localhost", "--port", M.starttls, "--security", "starttls", "--username", M.user, "--password-stdin"],
    {},
    `${M.password}\n`,
  ).trim();
  cli(dataDir, ["accounts", "trust-ca", "--id", account, M.ca]);

  // Successes are not told by default (failures are): this test wants to hear them.
  cli(dataDir, ["notify", "prefs", "set", "message.sent", "--channels", "desktop"]);
  const driver = await startDriver({ ULAK_DATA_DIR: dataDir });
  const s = await driver.session();
  try {
    await s.waitFor("#app-ready");
    await s.click("#nav-compose");
    await s.waitFor("#compose-company");
    // No company yet: the composer says it is required and queues nothing.
    await s.click("#compose-send");
    await s.waitFor("#compose-error[data-code='validation.required']");
    await s.selectValue("#compose-company", company);
    await s.selectValue("#compose-account", account);
    await s.waitFor("button.contact-pick");
    await s.click("button.contact-pick");
    await s.waitFor("#compose-to", { pred: async () => (await s.value("#compose-to")).includes("sule@ozturk-gida.com.tr") });

    await s.type("#compose-subject", `{{ company.name }} — fiyat teklifi ğüşıöç İ ${tag}`);
    await s.type("#compose-body", "Sayın {{ contact.first_name }} Hanım, güncel fiyat listemiz ektedir. Saygılarımızla.");
    await s.sendFile("#compose-attach", join(FIXTURES, "fiyat-listesi.pdf"));
    await s.waitFor("li.attachment[data-name='fiyat-listesi.pdf']");

    await s.click("#compose-preview");
    await s.waitFor("#preview-subject");
    assert.match(await s.text("#preview-subject"), /^Öztürk Gıda Ltd\. Şti\. — fiyat teklifi ğüşıöç İ/);
    assert.match(await s.text("#preview-text"), /Sayın Şule Hanım/);
    assert.match(await s.text("#preview-from"), /Gülşen Çağlar <.+>/);
    await s.screenshot("compose-preview.png");

    await s.click("#compose-send");
    await s.waitFor("#compose-result[data-state='queued']");
    await s.screenshot("compose-queued.png");

    const mail = await until("the message in the maildir", () => delivered().find((m) => m.includes(tag) || decodeWords(m).includes(tag)));
    const { headers } = parseEntity(mail);
    assert.equal(decodeWords(headers.subject), `Öztürk Gıda Ltd. Şti. — fiyat teklifi ğüşıöç İ ${tag}`);
    assert.match(headers.subject, /=\?utf-8\?/i, "the subject is RFC 2047 encoded");
    assert.match(decodeWords(headers.from), new RegExp(`Gülşen Çağlar.*${M.user}`));
    assert.match(headers.to, /sule@ozturk-gida\.com\.tr/);
    assert.ok(!/bcc/i.test(Object.keys(headers).join(",")), "no Bcc header");
    const parts = leafParts(mail);
    const text = parts.find((p) => /^text\/plain/i.test(p.headers["content-type"] ?? ""));
    const html = parts.find((p) => /^text\/html/i.test(p.headers["content-type"] ?? ""));
    const pdf = parts.find((p) => /application\/pdf/i.test(p.headers["content-type"] ?? ""));
    assert.ok(text && html && pdf, `parts: ${parts.map((p) => p.headers["content-type"]).join(" | ")}`);
    assert.match(text.body.toString("utf8"), /Sayın Şule Hanım, güncel fiyat listemiz ektedir/);
    assert.match(html.body.toString("utf8"), /Sayın Şule Hanım/);
    assert.deepEqual(pdf.body, readFileSync(join(FIXTURES, "fiyat-listesi.pdf")), "the attachment arrives byte for byte");
    assert.match(pdf.headers["content-disposition"], /attachment/);

    // The history shows it as sent, with the exact .eml.
    await s.click("#nav-history");
    await s.waitFor("tr.history-row[data-state='sent']", { timeout: 30000 });
    await s.click("tr.history-row[data-state='sent'] .row-open");
    await s.waitFor("#history-detail");
    await s.click("#history-tab-raw");
    await s.waitFor("#history-raw");
    assert.match(await s.text("#history-raw"), /Content-Type: application\/pdf/);
    await s.screenshot("history-sent.png");

    // Paused, a new message stays queued, nothing is lost; resumed, it goes.
    await s.click("#sending-toggle");
    await s.waitFor("#sending-state[data-paused='true']");
    await s.click("#nav-compose");
    await s.waitFor(`#compose-company option[value='${company}']`);
    await s.selectValue("#compose-company", company);
    await s.selectValue("#compose-account", account);
    await s.waitFor("button.contact-pick");
    await s.click("button.contact-pick");
    await s.type("#compose-subject", `İkinci ileti ${tag}`);
    await s.type("#compose-body", "Duraklatılmışken yazıldı.");
    await s.click("#compose-send");
    // Sending is paused: the composer says so first, and the message is sent anyway.
    await s.waitFor("#compose-warnings li[data-warning='paused']");
    await s.screenshot("compose-warnings.png");
    await s.click("#compose-send-anyway");
    await s.waitFor("#compose-result[data-state='queued']");
    await s.click("#nav-history");
    await s.waitFor("tr.history-row[data-state='queued']");
    await new Promise((r) => setTimeout(r, 3000));
    assert.ok(await s.exists("tr.history-row[data-state='queued']"), "still queued while paused");
    assert.equal(delivered().filter((m) => decodeWords(m).includes(`İkinci ileti ${tag}`)).length, 0);
    await s.click("#sending-toggle");
    await s.waitFor("#sending-state[data-paused='false']");
    await s.waitFor("tr.history-row[data-state='sent']", {
      timeout: 30000,
      pred: async () => !(await s.exists("tr.history-row[data-state='queued']")),
    });
    await until("the second message in the maildir", () => delivered().some((m) => decodeWords(m).includes(`İkinci ileti ${tag}`)));
  } finally {
    await s.close().catch(() => {});
    await waitAppGone();
    await driver.stop();
  }

  const hist = JSON.parse(cli(dataDir, ["history", "--json"]));
  assert.equal(hist.length, 2, "each queued once");
  assert.deepEqual(hist.map((h) => h.state), ["sent", "sent"]);
  assert.deepEqual(hist.map((h) => h.attachmentCount).sort(), [0, 1]);
  // One notification for the round, in Turkish; the log keeps what it said.
  const logs = readdirSync(join(dataDir, "logs")).map((f) => readFileSync(join(dataDir, "logs", f), "utf8")).join("\n");
  assert.match(logs, /desktop notification.*E-posta gönderildi/);
  assert.ok(!logs.includes(M.password), "the password never reaches the log");
  // Nor the subjects, the customers' addresses or the text (issue 24).
  assert.ok(!logs.includes(tag), "no subject in the log");
  assert.ok(!logs.includes("sule@ozturk-gida.com.tr"), "no customer's address in the log");
  assert.ok(!logs.includes("güncel fiyat listemiz"), "no body text in the log");
});
