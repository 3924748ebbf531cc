// Gönderim Geçmişi end to end (issue 24): with sending paused, three e-mails wait in the
// queue (the "Test kutusu", so nothing leaves the machine). In the real window at 800 px
// the salesperson cancels one ("İptal et": it stays in the history as cancelled) and
// deletes another ("Sil", confirmed in the page); once sending resumes only the third
// is sent. The command line then sees the same: one cancelled, one gone, one sent, and
// the sandbox holds exactly one .eml.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDriver, waitAppGone, cli, until } from "./webdriver.mjs";

function emlFiles(dataDir) {
  const out = [];
  const walk = (d) => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".eml")) out.push(p);
    }
  };
  walk(join(dataDir, "sandbox"));
  return out;
}

test("a waiting message is cancelled, another deleted, and only the third is sent", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "ulak-e2e-history-"));
  const company = cli(dataDir, ["companies", "add", "Çağlayan Tekstil A.Ş."]).trim();
  const body = join(dataDir, "govde.txt");
  writeFileSync(body, "Sayın Işıl Hanım,\nfiyat listemiz ektedir.\n");
  cli(dataDir, ["outbox", "pause"]);
  const send = (subject, to) =>
    cli(dataDir, ["send", "--sandbox", "--company", company, "--to", to, "--subject", subject, "--body-file", body]).trim();
  const cancel = send("İptal edilecek teklif — ğüşıöç", "isil@caglayan.com.tr");
  const remove = send("Silinecek taslak — ÇŞĞ", "sule@caglayan.com.tr");
  const keep = send("Gidecek teklif — İzmir", "omer@caglayan.com.tr");

  const driver = await startDriver({ ULAK_DATA_DIR: dataDir });
  try {
    const s = await driver.session();
    try {
      await s.resize(800, 900);
      await s.waitFor("#app-ready");
      await s.click("#nav-history");
      await s.waitFor(`tr.history-row[data-id='${keep}'][data-state='queued']`);

      // Cancel: the row stays, failed with the reason "cancelled".
      await s.click(`tr.history-row[data-id='${cancel}'] .row-open`);
      await s.waitFor(`#history-detail[data-id='${cancel}'] #history-cancel`);
      assert.match(await s.text("#history-cancel-hint"), /İptal edildi/);
      await s.click("#history-cancel");
      await s.waitFor("#history-cancel-status[data-state='saved']");
      await s.waitFor(`tr.history-row[data-id='${cancel}'][data-state='failed']`);
      assert.ok(!(await s.exists("#history-cancel")), "a cancelled message cannot be cancelled again");
      await s.screenshot("history-cancelled.png");

      // Delete, confirmed in the page: the row goes and the page says so.
      await s.click(`tr.history-row[data-id='${remove}'] .row-open`);
      await s.waitFor(`#history-detail[data-id='${remove}'] #history-delete`);
      await s.click("#history-delete");
      await s.waitFor("#history-delete-question");
      await s.screenshot("history-delete-confirm.png");
      await s.click("#history-delete-confirm");
      await s.waitFor("#history-deleted");
      await until("the deleted row gone", async () => !(await s.exists(`tr.history-row[data-id='${remove}']`)));

      // Sending resumes: only the third message goes.
      await s.click("#sending-toggle");
      await s.waitFor(`tr.history-row[data-id='${keep}'][data-state='sent']`, { timeout: 30000 });
      await s.screenshot("history-after-resume.png");
    } finally {
      await s.close().catch(() => {});
    }
    await waitAppGone();
  } finally {
    await driver.stop();
  }

  const hist = JSON.parse(cli(dataDir, ["history", "--json"]));
  const byId = Object.fromEntries(hist.map((e) => [String(e.id), e]));
  assert.equal(byId[cancel].state, "failed");
  assert.equal(byId[cancel].lastCode, "cancelled");
  assert.equal(byId[remove], undefined, "the deleted message is gone");
  assert.equal(byId[keep].state, "sent");
  const eml = emlFiles(dataDir);
  assert.equal(eml.length, 1, `one .eml in the sandbox: ${eml.join(", ")}`);
});
