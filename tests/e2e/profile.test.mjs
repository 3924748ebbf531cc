// The Foundation end to end: the real app under Xvfb keeps a profile in its encrypted
// store across a restart (keyring key), and falls back to a passphrase without one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { APP_BIN, CLI_BIN, appLog, startDriver, waitAppGone, cli } from "./webdriver.mjs";

assert.ok(APP_BIN && CLI_BIN, "set ULAK_APP_BIN and ULAK_CLI_BIN (scripts/test.sh does)");

const PROFILE = {
  displayName: "Çağrı Öztürk",
  senderEmail: "cagri@örnek.com.tr",
  senderName: "Çağrı – Satış Ekibi",
};

/** Starts the app on `env`, runs `body(session)`, closes it and waits for it to exit. */
async function withApp(env, body) {
  const driver = await startDriver(env);
  try {
    const s = await driver.session();
    try {
      await body(s);
    } finally {
      await s.close().catch(() => {});
    }
    await waitAppGone();
  } finally {
    await driver.stop();
  }
}

test("profile saved in the window is there after a restart (keyring-keyed store)", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "ulak-e2e-"));
  const env = { ULAK_DATA_DIR: dataDir };

  await withApp(env, async (s) => {
    await s.waitFor("#app-ready");
    assert.equal(await s.title(), "Ulak");
    // Turkish first, every area of the navigation present.
    assert.equal(await s.text("#nav-email-settings"), "E-posta Ayarları");
    assert.equal(await s.text("#nav-compose"), "E-posta Oluştur");
    assert.equal(await s.text("#nav-integrations"), "Entegrasyonlar");
    assert.equal(await s.text("#nav-history"), "Gönderim Geçmişi");
    assert.equal(await s.text("#nav-notifications"), "Bildirimler");

    assert.equal(await s.text("#nav-companies"), "Firmalar");

    await s.click("#nav-integrations");
    await s.waitFor("#integrations-tab-email");

    await s.click("#nav-profile");
    // Invalid input is flagged beside its field and cannot be saved.
    await s.type("#profile-sender-email", "cagri@");
    await s.waitFor("#profile-sender-email[aria-invalid='true']");
    await s.type("#profile-display-name", PROFILE.displayName);
    await s.type("#profile-sender-email", PROFILE.senderEmail);
    await s.type("#profile-sender-name", PROFILE.senderName);
    await s.click("#profile-save");
    const status = await s.waitFor("#profile-status[data-state='saved']");
    assert.equal(await s.textOf(status), "Kaydedildi");
    await s.screenshot("profile-saved.png");

    await s.click("#lang-en");
    await s.waitFor("#nav-compose", { pred: async (el) => (await s.textOf(el)) === "Compose Email" });
  });

  // The CLI reads the same store with the same keyring key.
  const shown = JSON.parse(cli(dataDir, ["profile", "show", "--json"]));
  assert.equal(shown.displayName, PROFILE.displayName);
  assert.equal(shown.senderEmail, PROFILE.senderEmail);
  assert.equal(shown.senderName, PROFILE.senderName);

  await withApp(env, async (s) => {
    await s.waitFor("#app-ready");
    // The language choice survived the restart too.
    assert.equal(await s.text("#nav-email-settings"), "Email Settings");
    await s.click("#nav-profile");
    await s.waitFor("#profile-display-name", { pred: async () => (await s.value("#profile-display-name")) !== "" });
    assert.equal(await s.value("#profile-display-name"), PROFILE.displayName);
    assert.equal(await s.value("#profile-sender-email"), PROFILE.senderEmail);
    assert.equal(await s.value("#profile-sender-name"), PROFILE.senderName);
    await s.screenshot("profile-reopened.png");
  });

  // The store key is in the Secret Service and never in the log.
  const meta = JSON.parse(readFileSync(join(dataDir, "store.json"), "utf8"));
  const key = execFileSync("secret-tool", ["lookup", "service", "Ulak", "username", `store-key:${meta.store_id}`], {
    encoding: "utf8",
  }).trim();
  assert.match(key, /^[0-9a-f]{64}$/);
  const logs = appLog(dataDir);
  assert.match(logs, /store opened/);
  assert.ok(!logs.includes(key), "the store key leaked into the log");
  const db = readFileSync(join(dataDir, "ulak.db"));
  assert.ok(!db.subarray(0, 16).toString("latin1").startsWith("SQLite format 3"), "the store is encrypted");
});

test("without a keyring the window offers a passphrase, and only the right one opens the store", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "ulak-e2e-pass-"));
  const env = { ULAK_DATA_DIR: dataDir, ULAK_KEYRING: "disabled" };
  const passphrase = "mavi deniz 2026";

  await withApp(env, async (s) => {
    await s.waitFor("#lock-screen");
    await s.screenshot("lock-create.png");
    await s.type("#passphrase", passphrase);
    await s.type("#passphrase-confirm", "başka bir şey");
    await s.waitFor("#passphrase-confirm[aria-invalid='true']");
    await s.type("#passphrase-confirm", passphrase);
    await s.click("#passphrase-submit");
    await s.waitFor("#app-ready");
    await s.click("#nav-profile");
    await s.type("#profile-display-name", "Parola Kullanıcısı");
    await s.type("#profile-sender-email", "parola@firma.com");
    await s.click("#profile-save");
    await s.waitFor("#profile-status[data-state='saved']");
  });

  await withApp(env, async (s) => {
    await s.waitFor("#lock-screen");
    assert.equal(await s.exists("#passphrase-confirm"), false, "an existing store asks only to unlock");
    await s.type("#passphrase", "yanlış parola 1");
    await s.click("#passphrase-submit");
    await s.waitFor("#passphrase[aria-invalid='true']");
    assert.equal(await s.exists("#app-ready"), false);
    await s.screenshot("lock-wrong.png");
    await s.type("#passphrase", passphrase);
    await s.click("#passphrase-submit");
    await s.waitFor("#app-ready");
    await s.click("#nav-profile");
    await s.waitFor("#profile-display-name", { pred: async () => (await s.value("#profile-display-name")) !== "" });
    assert.equal(await s.value("#profile-display-name"), "Parola Kullanıcısı");
  });

  assert.ok(!appLog(dataDir).includes(passphrase), "the passphrase leaked into the log");
  const shown = JSON.parse(cli(dataDir, ["profile", "show", "--json"], { ULAK_KEYRING: "disabled", ULAK_DB_PASSPHRASE: passphrase }));
  assert.equal(shown.senderEmail, "parola@firma.com");
});
