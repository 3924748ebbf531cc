// Google E-Tablolar end to end at 800 px (issue 20): on Entegrasyonlar › Google, Sheets
// is connected through the local authorization server (the test playing the browser)
// and its test passes; on Gönderim Geçmişi the history (a Turkish mail from the test
// box, its subject a CRM's "=…") goes into a new spreadsheet on the Sheets-shaped
// server (tests/servers/google_api.py), kept as text; into the same spreadsheet by its
// address again; a bad address is named on its field; Google gone, the test fails.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDriver, waitAppGone, cli, until } from "./webdriver.mjs";
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, authorize, startGoogleApi, startOAuth } from "./providers.mjs";

async function book(api, id) {
  return (await fetch(`${api.base}/_test/sheets/${id}`)).json();
}

test("the send history exported to Google Sheets from the window", async () => {
  const auth = await startOAuth(true);
  const api = await startGoogleApi();
  const dataDir = mkdtempSync(join(tmpdir(), "ulak-e2e-sheets-"));
  cli(
    dataDir,
    ["oauth", "config", "google", "--client-id", OAUTH_CLIENT_ID, "--client-secret-stdin",
      "--authorize-url", `${auth.base}/authorize`, "--token-url", `${auth.base}/token`,
      "--revoke-url", `${auth.base}/revoke`, "--api-base", api.base],
    {},
    `${OAUTH_CLIENT_SECRET}\n`,
  );
  const company = cli(dataDir, ["companies", "add", "Öztürk Gıda"]).trim();
  const body = join(dataDir, "govde.txt");
  writeFileSync(body, "Merhaba Işıl Hanım");
  cli(dataDir, ["send", "--sandbox", "--company", company, "--to", "isil@musteri.com.tr",
    "--subject", "=SUM(1;2) Teklif ğüşıöç", "--body-file", body]);
  cli(dataDir, ["outbox", "drain"]);

  const driver = await startDriver({ ULAK_DATA_DIR: dataDir });
  const s = await driver.session();
  try {
    await s.waitFor("#app-ready");
    await s.resize(800, 900);
    await s.click("#nav-integrations");
    await s.click("#integrations-tab-google");
    await s.waitFor("#int-google-sheets .integration-status[data-state='not_connected']");
    await s.type("#sheets-email", "ayşe@gmail.com");
    await s.click("#sheets-connect");
    const url = await until("the sign-in address", () => s.attr("#sheets-url", "data-url"));
    assert.match(url, /auth%2Fspreadsheets|auth\/spreadsheets/);
    assert.equal((await fetch(await authorize(url))).status, 200);
    await s.waitFor("#int-google-sheets .integration-status[data-state='connected']");
    assert.match(await s.text("#sheets-account"), /ayşe@gmail\.com/);
    await s.click("#sheets-test");
    await s.waitFor("#sheets-test-result[data-state='ok']");
    await s.execute("document.querySelector('#int-google-sheets').scrollIntoView()");
    await s.screenshot("integrations-google.png");

    // Gönderim Geçmişi → a new spreadsheet.
    await s.click("#nav-history");
    await s.waitFor("tr.history-row[data-state='sent']");
    await s.click("#history-export-sheets");
    await s.waitFor("#history-export-spreadsheet");
    await s.click("#history-export-go");
    await s.waitFor("#history-export-result", { timeout: 30000 });
    assert.equal(await s.attr("#history-export-result", "data-rows"), "1");
    const sheetUrl = await s.attr("#history-export-result", "data-url");
    const id = sheetUrl.split("/d/")[1].split("/")[0];
    await s.screenshot("history-export-sheets.png");
    let b = await book(api, id);
    assert.match(b.title, /^Ulak — Gönderim geçmişi/);
    const rows = b.sheets["Gönderimler"];
    assert.equal(rows.length, 2);
    assert.equal(rows[0][0], "Tarih");
    assert.equal(rows[1][4], "=SUM(1;2) Teklif ğüşıöç", "kept as text");
    assert.equal(rows[1][5], "Gönderildi");

    // A bad address is named on its field; the spreadsheet's own address works.
    await s.click("#history-export-sheets");
    await s.type("#history-export-spreadsheet", "tablom");
    await s.click("#history-export-go");
    await s.waitFor("#history-export-spreadsheet[aria-invalid='true']");
    await s.type("#history-export-spreadsheet", sheetUrl);
    await s.click("#history-export-go");
    await until("appended to the same spreadsheet", async () =>
      (await book(api, id)).sheets["Gönderimler"].length === 4);
    for (const r of api.requests()) assert.deepEqual(r.problems, [], JSON.stringify(r));

    // The test opens the spreadsheet by its address; Google gone, it says so.
    await s.click("#nav-integrations");
    await s.click("#integrations-tab-google");
    await s.type("#sheets-test-spreadsheet", sheetUrl);
    await s.click("#sheets-test");
    await s.waitFor("#sheets-test-result[data-state='ok']");
    assert.match(await s.text("#sheets-test-result"), /Gönderim geçmişi/);
    api.stop();
    await s.click("#sheets-test");
    await s.waitFor("#sheets-test-result[data-state='failed']", { timeout: 40000 });
    await s.execute("document.querySelector('#int-google-sheets').scrollIntoView()");
    await until("the failure in words", async () => /ulaşılamadı/i.test(await s.text("#sheets-test-result")));
    await s.screenshot("integrations-google-failed.png");
  } finally {
    await s.close().catch(() => {});
    await waitAppGone();
    await driver.stop();
    api.stop();
    auth.stop();
  }
});
