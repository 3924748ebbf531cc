// Google Drive backups end to end at 800 px (issue 20): Drive connected on Entegrasyonlar
// › Google through the local authorization server, then on Gönderim Geçmişi the history
// goes up as a CSV and the sent e-mails as .eml files into Ulak's own folder ("Ulak
// yedekleri", the same one both times) on the Drive-shaped server (google_api.py, which
// keeps drive.file's rule); a folder Ulak did not make is named on its field.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDriver, waitAppGone, cli, until } from "./webdriver.mjs";
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, authorize, startGoogleApi, startOAuth } from "./providers.mjs";

async function folder(api, id) {
  return (await fetch(`${api.base}/_test/drive/${id}`)).json();
}

test("the history and sent e-mails backed up to Google Drive from the window", async () => {
  const auth = await startOAuth(true);
  const api = await startGoogleApi();
  const dataDir = mkdtempSync(join(tmpdir(), "ulak-e2e-drive-"));
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
    "--subject", "Şubat fiyat listesi ğüşıöç", "--body-file", body]);
  cli(dataDir, ["outbox", "drain"]);

  const driver = await startDriver({ ULAK_DATA_DIR: dataDir });
  const s = await driver.session();
  try {
    await s.waitFor("#app-ready");
    await s.resize(800, 900);
    await s.click("#nav-integrations");
    await s.click("#integrations-tab-google");
    await s.waitFor("#int-google-drive .integration-status[data-state='not_connected']");
    await s.type("#drive-email", "ayşe@gmail.com");
    await s.click("#drive-connect");
    const url = await until("the sign-in address", () => s.attr("#drive-url", "data-url"));
    assert.match(url, /drive\.file/);
    assert.equal((await fetch(await authorize(url))).status, 200);
    await s.waitFor("#int-google-drive .integration-status[data-state='connected']");

    await s.click("#nav-history");
    await s.waitFor("tr.history-row[data-state='sent']");
    await s.click("#history-backup-drive");
    await s.waitFor("#history-backup-kind-history");
    await s.click("#history-backup-go");
    await s.waitFor("#history-backup-result", { timeout: 30000 });
    assert.equal(await s.attr("#history-backup-result", "data-files"), "1");
    const folderUrl = await s.attr("#history-backup-result", "data-url");
    const id = folderUrl.split("/folders/")[1];
    let f = await folder(api, id);
    assert.equal(f.name, "Ulak yedekleri");
    assert.equal(f.files.length, 1);
    assert.match(f.files[0].text, /Şubat fiyat listesi ğüşıöç/);

    // The sent e-mails, into the same folder.
    await s.click("#history-backup-drive");
    await s.click("#history-backup-kind-emails");
    await s.click("#history-backup-go");
    await until("the .eml went up", async () => (await folder(api, id)).files.length === 2);
    await s.waitFor("#history-backup-result");
    assert.equal(await s.attr("#history-backup-result", "data-url"), folderUrl);
    f = await folder(api, id);
    const eml = f.files.find((x) => x.mimeType === "message/rfc822");
    assert.ok(eml.name.endsWith(".eml"), eml.name);
    await s.screenshot("history-backup-drive.png");

    // A folder Ulak did not make: named on the folder field, nothing uploaded.
    await s.click("#history-backup-drive");
    await s.type("#history-backup-folder", "https://drive.google.com/drive/folders/1dyUEebJaFnWa3Z4n0BFMVAXQ7mfUH11g");
    await s.click("#history-backup-go");
    await s.waitFor("#history-backup-folder[aria-invalid='true']", { timeout: 30000 });
    assert.equal((await folder(api, id)).files.length, 2);
    for (const r of api.requests()) assert.deepEqual(r.problems, [], JSON.stringify(r));

    // The Google tab: Drive's test gets a fresh token; once Google withdraws the grant the
    // test fails and the card turns to "Hata", saying when.
    await s.click("#nav-integrations");
    await s.click("#integrations-tab-google");
    await s.click("#drive-test");
    await s.waitFor("#drive-test-result[data-state='ok']");
    await fetch(`${auth.base}/control/refuse-refresh`, { method: "POST" });
    await s.click("#drive-test");
    await s.waitFor("#drive-test-result[data-state='failed']");
    await s.waitFor("#int-google-drive .integration-status[data-state='error']");
    assert.match(await s.text("#drive-ended"), /\(\d{1,2}\.\d{2}\.\d{4} \d{2}:\d{2}\)/);
    await s.execute("document.querySelector('#int-google-drive').scrollIntoView()");
    await s.screenshot("integrations-google-error.png");
  } finally {
    await s.close().catch(() => {});
    await waitAppGone();
    await driver.stop();
    api.stop();
    auth.stop();
  }
});
