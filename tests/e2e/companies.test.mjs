// Firmalar end to end: a company and a contact typed in, a bad phone refused beside its
// field, a CSV imported through the mapping dialog with its report; the CLI sees it all.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startDriver, waitAppGone, cli } from "./webdriver.mjs";

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "contacts-tr.csv");

test("companies and contacts are typed in and imported from CSV", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "ulak-e2e-companies-"));
  const driver = await startDriver({ ULAK_DATA_DIR: dataDir });
  const s = await driver.session();
  try {
    await s.waitFor("#app-ready");
    await s.click("#nav-companies");
    await s.waitFor("#companies-empty");

    await s.click("#company-new");
    await s.type("#company-name", "Öztürk Gıda Ltd. Şti.");
    await s.click("#company-save");
    await s.waitFor("#company-status[data-state='saved']");
    await s.waitFor("li.company-row");

    await s.click("#contact-new");
    await s.type("#contact-name", "Şule İnce");
    await s.type("#contact-email", "sule@ozturk.com.tr");
    await s.type("#contact-phone", "12");
    await s.click("#contact-save");
    await s.waitFor("#contact-phone[aria-invalid='true']");
    await s.type("#contact-phone", "0532 123 45 67");
    await s.click("#contact-save");
    await s.waitFor("#contact-status[data-state='saved']");
    await s.waitFor("li.contact-row");
    assert.match(await s.text("#contacts-list"), /\+905321234567/);

    await s.click("#import-open");
    await s.waitFor("#import-dialog");
    await s.sendFile("#import-file", FIXTURE);
    await s.waitFor("#import-map-company");
    assert.equal(await s.value("#import-map-company"), "0", "the Firma column is guessed");
    assert.equal(await s.value("#import-map-email"), "2");
    assert.equal(await s.value("#import-map-recipientType"), "5", "the İYS type column is guessed");
    await s.click("#import-start");
    await s.waitFor("#import-report", { timeout: 30000 });
    const rejected = await s.allAttr("tr.rejected-row", "data-line");
    assert.ok(rejected.length >= 1, "the duplicate row is reported");
    await s.screenshot("companies-import.png");
    await s.click("#import-close");

    await s.type("#company-search", "çelik");
    await s.waitFor("li.company-row", {
      pred: async () => (await s.text("#companies-list")).includes("Çelik Yapı") && !(await s.text("#companies-list")).includes("Öztürk"),
    });
    await s.screenshot("companies-search.png");
  } finally {
    await s.close().catch(() => {});
    await waitAppGone();
    await driver.stop();
  }

  const list = JSON.parse(cli(dataDir, ["companies", "list", "--json"]));
  const names = list.map((c) => c.name);
  assert.ok(names.includes("Öztürk Gıda Ltd. Şti.") && names.includes("Çelik Yapı A.Ş."), names.join(", "));
  // İYS: each contact's type came from the "Alıcı Tipi" column (BIREYSEL or TACIR).
  const celik = list.find((c) => c.name === "Çelik Yapı A.Ş.");
  const people = JSON.parse(cli(dataDir, ["contacts", "list", "--company", String(celik.id), "--json"]));
  const kind = (name) => people.find((p) => p.name === name)?.recipientType;
  assert.deepEqual([kind("Derya Öz"), kind("Gökhan Şahin")], ["BIREYSEL", "TACIR"]);
});
