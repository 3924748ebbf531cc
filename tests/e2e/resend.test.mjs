// Resend end to end at 800 px (issue 20): connected on Entegrasyonlar › E-posta from its
// spec's form against the Resend-shaped server on loopback (tests/servers/resend.py) —
// a wrong key's test fails as a sign-in, the right one passes and the card says
// "Bağlı" —, it becomes a sending account, the composer offers it first (Resend before
// an SMTP account), a Turkish mail from it reaches Resend once in its documented shape
// and shows as sent; Resend gone, the card turns to "Hata" without a restart; then
// "Bağlantıyı kaldır" removes it and its account.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDriver, waitAppGone, cli, until } from "./webdriver.mjs";
import { RESEND_KEY, startResend } from "./providers.mjs";

async function sent(resend) {
  const r = await fetch(`${resend.base}/_test/sent`);
  return (await r.json()).sent;
}

test("Resend connected in Entegrasyonlar sends the composer's mail", async () => {
  const resend = await startResend();
  const dataDir = mkdtempSync(join(tmpdir(), "ulak-e2e-resend-"));
  const company = cli(dataDir, ["companies", "add", "Öztürk Gıda"]).trim();
  cli(dataDir, ["contacts", "add", "--company", company, "--name", "Işıl Şahin", "--email", "isil@musteri.com.tr"]);
  // An SMTP account first: the composer still offers Resend first.
  const smtp = cli(
    dataDir,
    ["accounts", "add", "--email", "eski@ornek.com.tr", "--host", "smtp.ornek.com.tr", "--port", "587", "--security", "starttls", "--username", "eski@ornek.com.tr", "--password-stdin"],
    {},
    "parola\n",
  ).trim();
  const driver = await startDriver({ ULAK_DATA_DIR: dataDir });
  const s = await driver.session();
  try {
    await s.waitFor("#app-ready");
    await s.resize(800, 900);
    await s.click("#nav-integrations");
    await s.click("#integrations-tab-email");
    const card = ".integration-card[data-provider='resend']";
    await s.waitFor(`${card} .integration-status[data-state='not_connected']`);
    await s.click("#int-email-resend-edit");
    await s.waitFor("#int-email-resend-email");
    await s.type("#int-email-resend-email", "satis@ornek.com.tr");
    await s.type("#int-email-resend-sender-name", "Ayşe Yılmaz");
    await s.type("#int-email-resend-api-key", "re_yanlis_anahtar");
    await s.type("#int-email-resend-base-url", resend.base);
    await s.click("#int-email-resend-save");
    await s.waitFor("#int-email-resend-status[data-state='saved']");
    assert.equal(await s.value("#int-email-resend-api-key"), "", "the key is not shown again");

    // The wrong key: the test says the sign-in was refused, in Resend's words.
    await s.click("#int-email-resend-test");
    await s.waitFor("#int-email-resend-test-result[data-state='failed']");
    assert.match(await s.text("#int-email-resend-test-result"), /API key is invalid/);
    assert.doesNotMatch(await s.text("body"), /re_yanlis_anahtar/);

    // The right key, saved over it: the test passes and the card says connected.
    await s.type("#int-email-resend-api-key", RESEND_KEY);
    await s.click("#int-email-resend-save");
    await s.waitFor("#int-email-resend-status[data-state='saved']");
    await s.click("#int-email-resend-test");
    await s.waitFor("#int-email-resend-test-result[data-state='ok']");
    await s.waitFor(`${card} .integration-status[data-state='connected']`);
    // It is a sending account now, listed under the tab's sending accounts.
    await s.waitFor("#integrations-sending-list .sending-account", {
      pred: async () => (await s.text("#integrations-sending-list")).includes("satis@ornek.com.tr"),
    });
    await s.execute(`document.querySelector("${card}").scrollIntoView()`);
    await s.screenshot("integrations-resend.png");

    const accounts = JSON.parse(cli(dataDir, ["accounts", "list", "--json"]));
    const account = accounts.find((a) => a.email === "satis@ornek.com.tr");
    assert.ok(account?.integrationId, "the Resend account exists");
    assert.equal(account.provider, "Resend");

    // E-posta Ayarları lists it as a Resend account, changed on Entegrasyonlar.
    await s.click("#nav-email-settings");
    await s.waitFor(`#account-managed-note-${account.id}`);
    await s.execute(`document.querySelector("#account-managed-note-${account.id}").scrollIntoView({block: "center"})`);
    await s.screenshot("email-settings-resend.png");

    // E-posta Oluştur offers Resend first.
    await s.click("#nav-compose");
    await s.waitFor("#compose-company");
    await s.selectValue("#compose-company", company);
    await until("Resend offered as the sender", async () => (await s.value("#compose-account")) === String(account.id));
    assert.notEqual(String(account.id), smtp);
    await s.waitFor("button.contact-pick");
    await s.click("button.contact-pick");
    await s.waitFor("#compose-to", { pred: async () => (await s.value("#compose-to")).includes("isil@musteri.com.tr") });
    await s.type("#compose-subject", "{{ company.name }} — teklif ğüşıöç İ");
    await s.type("#compose-body", "Sayın Işıl Hanım, teklifimiz hazır. Saygılarımızla.");
    await s.click("#compose-send");
    await s.waitFor("#compose-result[data-state='queued']");

    await until("Resend got the mail", async () => (await sent(resend)).length > 0);
    const all = await sent(resend);
    assert.equal(all.length, 1, "sent once");
    const m = all[0];
    assert.equal(m.from, "Ayşe Yılmaz <satis@ornek.com.tr>");
    assert.deepEqual(m.to, ["isil@musteri.com.tr"]);
    assert.equal(m.subject, "Öztürk Gıda — teklif ğüşıöç İ");
    assert.match(m.text, /Sayın Işıl Hanım/);
    assert.match(m.idempotency_key, /^ulak:/);
    for (const r of resend.requests().filter((r) => r.path === "/emails")) {
      assert.deepEqual(r.problems, [], JSON.stringify(r));
    }
    await s.click("#nav-history");
    await s.waitFor("tr.history-row[data-state='sent']", { timeout: 30000 });

    // Resend goes away: the next mail cannot reach it (kept to try again), and the
    // card turns to "Hata" with why, without a restart.
    resend.stop();
    await s.click("#nav-compose");
    await s.waitFor("#compose-company");
    await s.selectValue("#compose-company", company);
    await until("Resend offered again", async () => (await s.value("#compose-account")) === String(account.id));
    await s.waitFor("button.contact-pick");
    await s.click("button.contact-pick");
    await s.waitFor("#compose-to", { pred: async () => (await s.value("#compose-to")).includes("isil@musteri.com.tr") });
    await s.type("#compose-subject", "İkinci ileti");
    await s.type("#compose-body", "Bağlantı yokken yazıldı.");
    await s.click("#compose-send");
    await s.waitFor("#compose-result[data-state='queued']");
    await s.click("#nav-integrations");
    await s.click("#integrations-tab-email");
    await s.waitFor(`${card} .integration-status[data-state='error']`, { timeout: 30000 });
    await s.waitFor("#int-email-resend-error[data-code='unreachable']");
    await s.execute(`document.querySelector("${card}").scrollIntoView()`);
    await s.screenshot("integrations-resend-error.png");

    // Bağlantıyı kaldır: asked in the page first, then gone with its account.
    await s.click("#int-email-resend-remove");
    await s.waitFor("#int-email-resend-remove-confirm");
    assert.match(await s.text("#int-email-resend-remove-ask"), /gönderen hesabı/);
    await s.click("#int-email-resend-remove-confirm");
    await s.waitFor(`${card} .integration-status[data-state='not_connected']`);
  } finally {
    await s.close().catch(() => {});
    await waitAppGone();
    await driver.stop();
    resend.stop();
  }
  const left = JSON.parse(cli(dataDir, ["accounts", "list", "--json"]));
  assert.deepEqual(left.map((a) => a.email), ["eski@ornek.com.tr"]);
  assert.doesNotMatch(cli(dataDir, ["integrations", "list"]), /resend/);
});
