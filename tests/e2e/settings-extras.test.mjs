// E-posta Ayarları and E-posta Oluştur, issue 24's window points, at 800 px: "test all
// accounts" tests each account in turn (a good one and one with a wrong password, each
// said on its own line); a signature and a Reply-To set on the account go under a mail
// written in the composer; "all of the company's contacts" fills To in one click; in a
// separate send Cc goes into each message only once the box is ticked (Send is blocked
// until then). The delivered mails are read back from the real Postfix.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDriver, waitAppGone, cli, until } from "./webdriver.mjs";
import { decodeWords, leafParts, parseEntity } from "./mime.mjs";
import { MAIL, deliveredPaths } from "./mailserver.mjs";

const M = MAIL;

function delivered(tag) {
  return deliveredPaths()
    .map((f) => readFileSync(f, "utf8"))
    .filter((m) => m.includes(tag) || decodeWords(m).includes(tag));
}

test("test all accounts, a signature and Reply-To, all contacts, and Cc into each message only when asked", { skip: !M.starttls && "no test mail server (run scripts/test.sh)" }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "ulak-e2e-extras-"));
  const tag = `extras-${process.pid}-${Date.now()}`;
  const add = (email, password) =>
    cli(
      dataDir,
      ["accounts", "add", "--email", email, "--sender-name", "Gülşen Çağlar", "--host", "localhost", "--port", M.starttls, "--security", "starttls", "--username", M.user, "--password-stdin", "--min-wait", "0"],
      {},
      `${password}\n`,
    ).trim();
  const good = add(M.user, M.password);
  const wrong = add("yanlis@test.local", "yanlış-parola");
  for (const id of [good, wrong]) cli(dataDir, ["accounts", "trust-ca", "--id", id, M.ca]);
  const company = cli(dataDir, ["companies", "add", "Öztürk Gıda Ltd. Şti."]).trim();
  cli(dataDir, ["contacts", "add", "--company", company, "--name", "Şule İnce", "--email", "sule@ozturk-gida.com.tr"]);
  cli(dataDir, ["contacts", "add", "--company", company, "--name", "Ömer Çelik", "--email", "omer@ozturk-gida.com.tr"]);

  const driver = await startDriver({ ULAK_DATA_DIR: dataDir });
  try {
    const s = await driver.session();
    try {
      await s.resize(800, 900);
      await s.waitFor("#app-ready");
      await s.click("#nav-email-settings");

      // Every account tested in turn, each said on its own line.
      await s.click("#accounts-test-all");
      await s.waitFor("#accounts-test-all-progress[data-state='done']", { timeout: 60000 });
      await s.waitFor(`#accounts-test-all-results li[data-account-id='${good}'][data-ok='true']`);
      await s.waitFor(`#accounts-test-all-results li[data-account-id='${wrong}'][data-ok='false']`);
      await s.screenshot("accounts-test-all.png");

      // A Reply-To and a signature for the good account.
      await s.click(`#accounts-list li[data-account-id='${good}'] .account-extras-toggle`);
      await s.waitFor("#account-signature");
      await s.type("#account-reply-to", "teklif@");
      await s.click("#account-extras-save");
      await s.waitFor("#account-extras-status[data-state='error']");
      await s.type("#account-reply-to", "teklif@ozturk-gida.com.tr");
      await s.paste("#account-signature", "Gülşen Çağlar\nSatış Müdürü — İzmir");
      await s.click("#account-extras-save");
      await s.waitFor("#account-extras-status[data-state='saved']");
      await s.screenshot("account-extras.png");

      // The composer: all contacts in one click, a separate send with Cc.
      await s.click("#nav-compose");
      await s.waitFor(`#compose-company option[value='${company}']`);
      await s.selectValue("#compose-company", company);
      await s.selectValue("#compose-account", good);
      await s.waitFor("#compose-all-contacts");
      await s.click("#compose-all-contacts");
      await s.waitFor("#compose-all-contacts-status[data-added='2']");
      const to = await s.value("#compose-to");
      assert.ok(to.includes("sule@ozturk-gida.com.tr") && to.includes("omer@ozturk-gida.com.tr"), to);
      await s.type("#compose-subject", `Katalog ${tag}`);
      await s.type("#compose-body", "Sayın {{ contact.first_name }}, yeni kataloğumuz ektedir.");
      await s.click("#compose-separate");
      await s.click("#compose-show-cc");
      await s.type("#compose-cc", "satis-muduru@ozturk-gida.com.tr");
      await s.waitFor("#compose-copies-each");
      await s.click("#compose-send");
      await s.waitFor("#compose-cc-error");
      assert.ok(!(await s.exists("#compose-result[data-state='queued']")), "nothing queued before the box is ticked");
      await s.screenshot("compose-copies-each.png");
      await s.click("#compose-copies-each");
      await s.click("#compose-send");
      await s.waitFor("#compose-result[data-state='queued']");
      // Sent before the window closes (the history shows both).
      await s.click("#nav-history");
      await until("both sent", async () => (await s.execute("return document.querySelectorAll(\"tr.history-row[data-state='sent']\").length")) === 2, 60000).catch(
        (e) => {
          console.error(cli(dataDir, ["history", "--json"]));
          throw e;
        },
      );
    } finally {
      await s.close().catch(() => {});
    }
    await waitAppGone();
  } finally {
    await driver.stop();
  }

  // Two messages (one per contact), each with the Cc, the Reply-To and the signature.
  // The test server delivers every recipient (To and Cc) to one mailbox: a message is
  // there once per recipient, so they are told apart by Message-ID.
  const byId = (list) => [...new Map(list.map((m) => [parseEntity(m).headers["message-id"], m])).values()];
  const mails = await until("both messages delivered", () => {
    const got = byId(delivered(tag));
    return got.length >= 2 ? got : null;
  }, 60000);
  assert.equal(mails.length, 2, "one message per contact");
  const headers = mails.map((m) => parseEntity(m).headers);
  const rcpts = headers.map((h) => h.to).sort();
  assert.deepEqual(rcpts, ["omer@ozturk-gida.com.tr", "sule@ozturk-gida.com.tr"]);
  for (const m of mails) {
    const { headers: h } = parseEntity(m);
    assert.equal(h["reply-to"], "teklif@ozturk-gida.com.tr");
    assert.match(h.cc, /satis-muduru@ozturk-gida\.com\.tr/);
    const text = leafParts(m).find((p) => /text\/plain/i.test(p.headers["content-type"] ?? ""));
    assert.ok(text, "a text part");
    assert.match(text.body.toString("utf8"), /-- \r?\nGülşen Çağlar\r?\nSatış Müdürü — İzmir/);
  }
});
