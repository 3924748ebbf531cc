// Otomasyonlar end to end (issue 21): the seeds' four rules are on the page, off. The
// salesperson turns "Teklif gönderildi → SMS ve e-posta" on (its SMS goes to the Test
// kutusu, its e-mail from a saved template "Teklif", prepared by the command line),
// sends a test event from the page, and sees the run queued; then a CRM on this
// computer posts a quote.sent event to the loopback endpoint with the page's token,
// and its messages are in the history too. At 800 px.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDriver, waitAppGone, cli, until } from "./webdriver.mjs";

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

test("a rule turned on in Otomasyonlar runs for a test event and for a CRM's event", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "ulak-e2e-automations-"));
  const body = join(dataDir, "teklif.html");
  writeFileSync(body, "<p>Sayın {{ contact.name }}, teklifimiz ektedir.</p>");
  cli(dataDir, ["templates", "add", "--name", "Teklif", "--subject", "{{ company.name }} — teklif", "--body-file", body]);
  const port = await freePort();
  cli(dataDir, ["inbound", "settings", "--port", String(port)]);
  const driver = await startDriver({ ULAK_DATA_DIR: dataDir });
  const s = await driver.session();
  try {
    await s.waitFor("#app-ready");
    await s.resize(800, 900);
    await s.click("#nav-automations");
    await s.waitFor("article.automation[data-seed='quote-sms-email']");
    const seeds = await s.allAttr("article.automation", "data-seed");
    assert.deepEqual(seeds.filter(Boolean).sort(), ["deal-email", "invoice-email-sheet", "meeting-whatsapp", "quote-sms-email"]);
    assert.deepEqual(await s.allAttr("article.automation", "data-enabled"), ["false", "false", "false", "false"]);
    const id = await s.attr("article.automation[data-seed='quote-sms-email']", "data-id");
    await s.click(`#automation-enabled-${id}`);
    await s.waitFor(`article.automation[data-id='${id}'][data-enabled='true']`);
    await s.screenshot("automations.png");

    // A test event from the page: the SMS to the Test kutusu and the e-mail (the
    // rule's account is the Test kutusu too) are queued.
    await s.selectValue("#automation-test-type", "quote.sent");
    await s.click("#automation-test-send");
    await s.waitFor("#automation-test-result[data-outcome='queued']", { timeout: 20000 });
    await s.waitFor(`article.automation[data-id='${id}'] .automation-run[data-outcome='queued']`);
    await s.screenshot("automations-test-run.png");

    // A CRM on this computer: the endpoint and token from the page.
    await s.click("#automation-token-show");
    await s.waitFor("#automation-token");
    const token = (await s.text("#automation-token")).trim();
    assert.match(token, /^ulak_evt_[0-9a-f]+$/);
    assert.match(await s.text("#automation-endpoint"), new RegExp(`127\\.0\\.0\\.1:${port}/events`));
    const event = {
      type: "quote.sent",
      id: "crm-tkl-2026-204",
      data: {
        number: "TKL-2026-204",
        company: { name: "Işık Tekstil A.Ş." },
        contact: { name: "Çağla Işık", email: "cagla@isik-tekstil.com.tr", phone: "0533 444 55 66" },
      },
    };
    let answer;
    await until("the window's receiver takes CRM events", async () => {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/events`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify(event),
        });
        answer = { status: r.status, body: await r.json() };
        return true;
      } catch {
        return false;
      }
    });
    assert.equal(answer.status, 200, JSON.stringify(answer));
    assert.equal(answer.body.runs[0].run.outcome, "queued", JSON.stringify(answer));
    const refused = await fetch(`http://127.0.0.1:${port}/events`, {
      method: "POST",
      headers: { authorization: "Bearer ulak_evt_guess", "content-type": "application/json" },
      body: JSON.stringify(event),
    });
    assert.equal(refused.status, 401);

    // Four messages in the history (two runs × SMS + e-mail), all to the Test kutusu.
    await s.click("#nav-history");
    await s.waitFor("tr.history-row", {
      timeout: 30000,
      pred: async () => (await s.allAttr("tr.history-row", "data-id")).length === 4,
    });
    assert.ok((await s.text("body")).includes("Işık Tekstil A.Ş."));
  } finally {
    await s.close().catch(() => {});
    await waitAppGone();
    await driver.stop();
  }
});
