// A company relay and a scheduled send, in the real window at 800 px (issue 24): the
// salesperson adds an account that signs in with nothing ("Oturum açmadan gönder"),
// its connection test passes against the test Postfix's relay port, its test e-mail
// goes before the form is saved, a mail is
// scheduled for later (the history shows when, and it is cancelled there, never
// sent), and a mail sent now goes through the relay to the maildir.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDriver, waitAppGone, cli, until, sleep } from "./webdriver.mjs";
import { decodeWords } from "./mime.mjs";
import { MAIL, deliveredPaths } from "./mailserver.mjs";

const M = MAIL;

function delivered(tag) {
  return deliveredPaths()
    .map((f) => readFileSync(f, "utf8"))
    .filter((m) => m.includes(tag) || decodeWords(m).includes(tag));
}

/** "YYYY-MM-DDTHH:MM" of a local time, as a datetime-local field holds it. */
function localInput(d) {
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

test("an account without sign-in sends through a relay; a scheduled mail waits and is cancelled", { skip: !M.relay && "no test mail server (run scripts/test.sh)" }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "ulak-e2e-relay-"));
  const tag = `relay-e2e-${process.pid}-${Date.now()}`;
  const company = cli(dataDir, ["companies", "add", "Işık Tekstil A.Ş."]).trim();
  cli(dataDir, ["contacts", "add", "--company", company, "--name", "Şule İnce", "--email", "sule@isik-tekstil.com.tr"]);

  const driver = await startDriver({ ULAK_DATA_DIR: dataDir });
  const s = await driver.session();
  try {
    await s.waitFor("#app-ready");
    await s.resize(800, 900);
    await s.click("#nav-email-settings");
    await s.waitFor("#smtp-email");
    await s.type("#smtp-email", "satis@test.local");
    await s.type("#smtp-host", "localhost");
    await s.type("#smtp-port", M.relay);
    await s.selectValue("#smtp-security", "none");
    await s.click("#smtp-no-auth");
    // The form re-renders after the click: wait for the username to go.
    await until("no username asked for", async () =>
      !(await s.exists("#smtp-username")) ||
      !(await s.execute("return document.querySelector('#smtp-username').offsetParent !== null")),
    );
    await s.click("#smtp-test");
    await s.waitFor("#smtp-test-result[data-state='ok']", { timeout: 40000 });
    // The test e-mail of the form as typed, before saving: it arrives; nothing is saved.
    const before = deliveredPaths().length;
    await s.click("#smtp-send-test");
    await s.waitFor("#smtp-send-result[data-state='sent']", { timeout: 40000 });
    await until("the typed form's test e-mail delivered", () => deliveredPaths().length > before || undefined, 30000);
    assert.ok(!(await s.exists(".account-no-auth")), "nothing saved by the test e-mail");
    await s.click("#smtp-save");
    await s.waitFor("#smtp-status[data-state='saved']");
    await s.waitFor(".account-no-auth");
    await s.screenshot("relay-account.png");

    // Scheduled an hour ahead: it waits, and is cancelled from the history.
    await s.click("#nav-compose");
    await s.waitFor(`#compose-company option[value='${company}']`);
    await s.selectValue("#compose-company", company);
    await s.waitFor("button.contact-pick");
    await s.click("button.contact-pick");
    await s.type("#compose-subject", `Yarınki toplantı ${tag}-sonra`);
    await s.type("#compose-body", "Gündem ektedir. Görüşmek üzere.");
    await s.click("#compose-schedule");
    await s.waitFor("#compose-send-at");
    const later = new Date(Date.now() + 60 * 60 * 1000);
    await s.execute(
      "const e = document.querySelector('#compose-send-at'); e.value = arguments[0]; e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true}));",
      [localInput(later)],
    );
    await s.click("#compose-send");
    await s.waitFor("#compose-result[data-state='scheduled']");
    assert.match(await s.text("#compose-result"), /zamanlandı/);
    await s.screenshot("compose-scheduled.png");

    await s.click("#nav-history");
    await s.waitFor("tr.history-row .history-scheduled");
    const id = await s.execute("return document.querySelector('tr.history-row .history-scheduled').closest('tr').dataset.id");
    await s.click(`tr.history-row[data-id='${id}'] .row-open`);
    await s.waitFor(`#history-detail[data-id='${id}'] #history-scheduled-at`);
    await s.click("#history-cancel");
    await s.waitFor("#history-cancel-status[data-state='saved']");
    await s.waitFor(`tr.history-row[data-id='${id}'][data-state='failed']`);

    // Sent now: through the relay, to the maildir.
    await s.click("#nav-compose");
    await s.waitFor(`#compose-company option[value='${company}']`);
    await s.selectValue("#compose-company", company);
    await s.waitFor("button.contact-pick");
    await s.click("button.contact-pick");
    await s.type("#compose-subject", `Teklif ${tag}-simdi`);
    await s.type("#compose-body", "Teklifimiz ektedir.");
    if (await s.execute("return document.querySelector('#compose-schedule').checked")) {
      await s.click("#compose-schedule");
    }
    await s.click("#compose-send");
    await s.waitFor("#compose-result[data-state='queued']");
    await until("the mail delivered through the relay", () => delivered(`${tag}-simdi`).length > 0 || undefined, 60000);
    await sleep(1000);
    assert.equal(delivered(`${tag}-sonra`).length, 0, "the cancelled scheduled mail never went");
  } finally {
    await s.close().catch(() => {});
    await waitAppGone();
    await driver.stop();
  }
});
