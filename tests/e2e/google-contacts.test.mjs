// Google Kişiler end to end at 800 px (issue 20): connected on Entegrasyonlar › Google
// through the local authorization server, then on Firmalar a company's Google contacts
// are read from the People-API-shaped server (tests/servers/google_api.py, 1,106 of
// them over two pages), the company's own suggested and ticked, one more picked by
// searching with Turkish letters, and the import merges the one already there.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDriver, waitAppGone, cli, until } from "./webdriver.mjs";
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, authorize, startGoogleApi, startOAuth } from "./providers.mjs";

test("Google contacts imported into a company from Firmalar", async () => {
  const auth = await startOAuth(true);
  const api = await startGoogleApi();
  const dataDir = mkdtempSync(join(tmpdir(), "ulak-e2e-gcontacts-"));
  cli(
    dataDir,
    ["oauth", "config", "google", "--client-id", OAUTH_CLIENT_ID, "--client-secret-stdin",
      "--authorize-url", `${auth.base}/authorize`, "--token-url", `${auth.base}/token`,
      "--revoke-url", `${auth.base}/revoke`, "--api-base", api.base],
    {},
    `${OAUTH_CLIENT_SECRET}\n`,
  );
  const company = cli(dataDir, ["companies", "add", "Öztürk Gıda"]).trim();
  cli(dataDir, ["contacts", "add", "--company", company, "--name", "Işıl Şahin", "--email", "isil@ozturkgida.com.tr"]);

  const driver = await startDriver({ ULAK_DATA_DIR: dataDir });
  const s = await driver.session();
  try {
    await s.waitFor("#app-ready");
    await s.resize(800, 900);
    await s.click("#nav-integrations");
    await s.click("#integrations-tab-google");
    await s.waitFor("#int-google-contacts .integration-status[data-state='not_connected']");
    await s.type("#gcontacts-email", "ayşe@gmail.com");
    await s.click("#gcontacts-connect");
    const url = await until("the sign-in address", () => s.attr("#gcontacts-url", "data-url"));
    assert.match(url, /contacts\.readonly/);
    assert.equal((await fetch(await authorize(url))).status, 200);
    await s.waitFor("#int-google-contacts .integration-status[data-state='connected']");

    await s.click("#nav-companies");
    await s.click("li.company-row .row-button");
    await s.click("#gcontacts-import-open");
    await s.waitFor("#gcontacts-import[data-step='pick']", { timeout: 30000 });
    const suggested = await s.allAttr("li.gcontacts-row[data-suggested='true']", "data-email");
    assert.deepEqual(suggested.slice(0, 5), [
      "isil@ozturkgida.com.tr",
      "cagri@ozturkgida.com.tr",
      "sule@ozturkgida.com.tr",
      "ISIL@ozturkgida.com.tr",
      "muhasebe@ozturkgida.com.tr",
    ]);
    // One more, found by typing without Turkish letters: "baska" finds "Başka Firma".
    await s.type("#gcontacts-import-filter", "baska firma");
    await s.waitFor("li.gcontacts-row[data-email='ali@baskafirma.com']");
    await s.click("li.gcontacts-row[data-email='ali@baskafirma.com'] input.gcontacts-pick");
    await s.type("#gcontacts-import-filter", "");
    await s.screenshot("google-contacts-pick.png");
    await s.click("#gcontacts-import-go");
    await s.waitFor("#gcontacts-import-result", { timeout: 30000 });
    assert.equal(await s.attr("#gcontacts-import-result", "data-added"), "4");
    assert.equal(await s.attr("#gcontacts-import-result", "data-merged"), "1");
    assert.equal(await s.attr("#gcontacts-import-result", "data-unchanged"), "1");
    await s.screenshot("google-contacts-done.png");
  } finally {
    await s.close().catch(() => {});
    await waitAppGone();
    await driver.stop();
    api.stop();
    auth.stop();
  }
  const contacts = JSON.parse(cli(dataDir, ["contacts", "list", "--company", company, "--json"]));
  assert.equal(contacts.length, 5);
  assert.equal(contacts.find((c) => c.email === "isil@ozturkgida.com.tr").phone, "+905321234567");
});
