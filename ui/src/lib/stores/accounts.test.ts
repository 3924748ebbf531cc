import { beforeEach, describe, expect, it, vi } from "vitest";
import type {
  Account,
  AccountSending,
  Discovery,
  ProbeReport,
  Readiness,
  SentInfo,
  Suggestion,
} from "../bindings";
import { AccountsStore } from "./accounts.svelte";
import { deferred, failed, installRunes, ok, settle } from "./testing";

const commands = vi.hoisted(() => ({
  listAccounts: vi.fn(),
  accountsSending: vi.fn(),
  createAccount: vi.fn(),
  updateAccount: vi.fn(),
  removeAccount: vi.fn(),
  testAccount: vi.fn(),
  testAccountInput: vi.fn(),
  sendTestEmail: vi.fn(),
  sendTestEmailInput: vi.fn(),
  trustAccountCa: vi.fn(),
  setAccountExtras: vi.fn(),
  suggestSettings: vi.fn(),
  oauthApps: vi.fn(),
  beginConnect: vi.fn(),
  finishConnect: vi.fn(),
  cancelConnect: vi.fn(),
  disconnectAccount: vi.fn(),
  checkAccountDomain: vi.fn(),
}));
vi.mock("../bindings", async (original) => ({ ...(await original<object>()), commands }));

installRunes();

function account(id: number, email = `a${id}@firma.com.tr`): Account {
  return {
    id,
    workspaceId: 1,
    email,
    senderName: "",
    host: "smtp.firma.com.tr",
    port: 587,
    security: "starttls",
    username: email,
    passwordSet: true,
    noAuth: false,
    trustedCa: false,
    active: id === 1,
    oauth: null,
    provider: null,
    status: "active",
    statusReason: null,
    limits: { daily: null, minWaitMs: 0, jitterMs: 0, rampUp: null },
    ceilings: { day: null, unit: "messages", minute: null },
    replyTo: null,
    signature: null,
    createdAt: "2025-01-01 10:00:00",
    updatedAt: "2025-01-01 10:00:00",
  };
}

function oauthAccount(id: number, email = `a${id}@gmail.com`): Account {
  return {
    ...account(id, email),
    host: "smtp.gmail.com",
    passwordSet: false,
    oauth: { connectionId: id, provider: "google", status: "active" },
  };
}

function sendingOf(id: number, sentToday = 0): AccountSending {
  return {
    id,
    email: `a${id}@firma.com.tr`,
    sending: {
      status: "active",
      statusReason: null,
      sentToday,
      dailyToday: 30,
      providerUsed: 0,
      ceilings: { day: null, unit: "messages", minute: null },
      limits: { daily: 30, minWaitMs: 1000, jitterMs: 0, rampUp: null },
      minuteUsed: 0,
      nextFreeAt: null,
      waiting: null,
      queued: 0,
      lastError: null,
      lastErrorAt: null,
    },
  };
}

const AUTHORIZE = "https://accounts.google.com/o/oauth2/v2/auth?client_id=x";

const input = {
  email: "a@firma.com.tr",
  senderName: "",
  host: "smtp.firma.com.tr",
  port: 587,
  security: "starttls" as const,
  username: "a@firma.com.tr",
  password: null,
};

async function loaded(...accounts: Account[]): Promise<AccountsStore> {
  const store = new AccountsStore();
  commands.listAccounts.mockResolvedValueOnce(ok(accounts));
  await store.load();
  return store;
}

beforeEach(() => {
  vi.resetAllMocks();
});

describe("AccountsStore", () => {
  it("loads the list, loading until the answer", async () => {
    const store = new AccountsStore();
    expect(store.loading).toBe(true);
    commands.listAccounts.mockResolvedValueOnce(ok([account(1)]));
    const res = await store.load();
    expect(res.status).toBe("ok");
    expect(store.loading).toBe(false);
    expect(store.error).toBeNull();
    expect(store.items.map((a) => a.id)).toEqual([1]);
  });

  it("keeps the list and gives the error when reading fails", async () => {
    const store = await loaded(account(1));
    commands.listAccounts.mockResolvedValueOnce(failed("store.not_open"));
    const res = await store.load();
    expect(res).toEqual(failed("store.not_open"));
    expect(store.error?.code).toBe("store.not_open");
    expect(store.items.map((a) => a.id)).toEqual([1]);
  });

  it("turns a throwing invoke (outside Tauri) into an error result", async () => {
    const store = new AccountsStore();
    commands.listAccounts.mockRejectedValueOnce(new Error("no Tauri"));
    const res = await store.load();
    expect(res.status === "error" && res.error.code).toBe("ui.backend_unreachable");
    expect(store.error?.code).toBe("ui.backend_unreachable");
  });

  it("reads each account's sending and finds one by id", async () => {
    const store = new AccountsStore();
    expect(store.sending).toEqual([]);
    expect(store.sendingOf(1)).toBeNull();
    commands.accountsSending.mockResolvedValueOnce(ok([sendingOf(1, 12), sendingOf(2, 4)]));
    const res = await store.loadSending();
    expect(res.status).toBe("ok");
    expect(commands.accountsSending).toHaveBeenCalledTimes(1);
    expect(store.sendingOf(1)?.sentToday).toBe(12);
    expect(store.sendingOf(2)?.sentToday).toBe(4);
    expect(store.sendingOf(3)).toBeNull();
  });

  it("keeps the last good sending when a read fails or throws", async () => {
    const store = new AccountsStore();
    commands.accountsSending.mockResolvedValueOnce(ok([sendingOf(1, 12)]));
    await store.loadSending();
    commands.accountsSending.mockResolvedValueOnce(failed("store.not_open"));
    expect(await store.loadSending()).toEqual(failed("store.not_open"));
    expect(store.sendingOf(1)?.sentToday).toBe(12);
    commands.accountsSending.mockRejectedValueOnce(new Error("no Tauri"));
    const thrown = await store.loadSending();
    expect(thrown.status === "error" && thrown.error.code).toBe("ui.backend_unreachable");
    expect(store.sending.map((s) => s.id)).toEqual([1]);
  });

  it("takes only the latest read's sending when reads answer out of order", async () => {
    const store = new AccountsStore();
    const older = deferred<{ status: "ok"; data: AccountSending[] }>();
    commands.accountsSending.mockReturnValueOnce(older.promise);
    commands.accountsSending.mockResolvedValueOnce(ok([sendingOf(1, 5)]));
    const first = store.loadSending();
    await store.loadSending();
    older.resolve(ok([sendingOf(1, 2)]));
    await first;
    expect(store.sendingOf(1)?.sentToday).toBe(5);
  });

  it("drops a removed account's sending with it", async () => {
    const store = await loaded(account(1), account(2));
    commands.accountsSending.mockResolvedValueOnce(ok([sendingOf(1), sendingOf(2)]));
    await store.loadSending();
    commands.removeAccount.mockResolvedValueOnce(ok(null));
    await store.remove(2);
    expect(store.sendingOf(2)).toBeNull();
    expect(store.sendingOf(1)).not.toBeNull();
  });

  it("appends a created account and replaces an updated one", async () => {
    const store = await loaded(account(1), account(2));
    commands.createAccount.mockResolvedValueOnce(ok(account(3)));
    await store.save(null, input);
    expect(commands.createAccount).toHaveBeenCalledWith(input);
    expect(store.items.map((a) => a.id)).toEqual([1, 2, 3]);

    const changed = { ...account(2), host: "mail.firma.com.tr" };
    commands.updateAccount.mockResolvedValueOnce(ok(changed));
    await store.save(2, input);
    expect(commands.updateAccount).toHaveBeenCalledWith(2, input);
    expect(store.items.map((a) => a.id)).toEqual([1, 2, 3]);
    expect(store.items[1]?.host).toBe("mail.firma.com.tr");
  });

  it("leaves the list alone when saving fails", async () => {
    const store = await loaded(account(1));
    commands.createAccount.mockResolvedValueOnce(failed("smtp.duplicate_account", "email"));
    const res = await store.save(null, input);
    expect(res.status).toBe("error");
    expect(store.items.map((a) => a.id)).toEqual([1]);
  });

  it("drops a removed account, and only once it is removed", async () => {
    const store = await loaded(account(1), account(2));
    commands.removeAccount.mockResolvedValueOnce(failed("internal"));
    expect((await store.remove(2)).status).toBe("error");
    expect(store.items.map((a) => a.id)).toEqual([1, 2]);
    commands.removeAccount.mockResolvedValueOnce(ok(null));
    expect((await store.remove(2)).status).toBe("ok");
    expect(store.items.map((a) => a.id)).toEqual([1]);
  });

  it("takes the account back from trusting a CA, without adding one it does not have", async () => {
    const store = await loaded(account(1));
    commands.trustAccountCa.mockResolvedValueOnce(ok({ ...account(1), trustedCa: true }));
    await store.trustCa(1, "-----BEGIN CERTIFICATE-----");
    expect(commands.trustAccountCa).toHaveBeenCalledWith(1, "-----BEGIN CERTIFICATE-----");
    expect(store.items[0]?.trustedCa).toBe(true);
    commands.trustAccountCa.mockResolvedValueOnce(ok(account(9)));
    await store.trustCa(9, "pem");
    expect(store.items.map((a) => a.id)).toEqual([1]);
  });

  it("gives a refused CA file back and changes nothing", async () => {
    const store = await loaded({ ...account(1), trustedCa: true }, account(2));
    const before = structuredClone(store.items);
    for (const code of ["smtp.ca_invalid", "smtp.ca_private_key"] as const) {
      commands.trustAccountCa.mockResolvedValueOnce(failed(code));
      const res = await store.trustCa(2, "-----BEGIN PRIVATE KEY-----");
      expect(res).toEqual(failed(code));
      expect(res.status === "error" && res.error.code).toBe(code);
    }
    expect(commands.trustAccountCa).toHaveBeenLastCalledWith(2, "-----BEGIN PRIVATE KEY-----");
    expect(store.items).toEqual(before);
    expect(store.items.map((a) => [a.id, a.trustedCa])).toEqual([
      [1, true],
      [2, false],
    ]);
    // A throwing invoke (outside Tauri) is an error too, and changes nothing either.
    commands.trustAccountCa.mockRejectedValueOnce(new Error("no Tauri"));
    const thrown = await store.trustCa(2, "pem");
    expect(thrown.status === "error" && thrown.error.code).toBe("ui.backend_unreachable");
    expect(store.items).toEqual(before);
  });

  it("removes a company CA (pem null) and takes the account back", async () => {
    const store = await loaded({ ...account(1), trustedCa: true }, account(2));
    commands.trustAccountCa.mockResolvedValueOnce(failed("smtp.account_not_found"));
    expect(await store.removeCa(1)).toEqual(failed("smtp.account_not_found"));
    expect(store.items[0]?.trustedCa).toBe(true);
    commands.trustAccountCa.mockResolvedValueOnce(ok(account(1)));
    const res = await store.removeCa(1);
    expect(commands.trustAccountCa).toHaveBeenLastCalledWith(1, null);
    expect(res.status === "ok" && res.data.trustedCa).toBe(false);
    expect(store.items.map((a) => [a.id, a.trustedCa])).toEqual([
      [1, false],
      [2, false],
    ]);
  });

  it("saves an account's Reply-To and signature, and the list takes the stored account", async () => {
    const store = await loaded(account(1), oauthAccount(2));
    const stored: Account = {
      ...oauthAccount(2),
      replyTo: "satis@firma.com.tr",
      signature: "Ayşe Yılmaz\nÖztürk Gıda",
      updatedAt: "2025-01-02 09:00:00",
    };
    commands.setAccountExtras.mockResolvedValueOnce(ok(stored));
    const res = await store.saveExtras(2, "satis@firma.com.tr", "Ayşe Yılmaz\nÖztürk Gıda");
    expect(commands.setAccountExtras).toHaveBeenCalledWith(2, "satis@firma.com.tr", "Ayşe Yılmaz\nÖztürk Gıda");
    expect(res).toEqual(ok(stored));
    expect(store.items.map((a) => a.id)).toEqual([1, 2]);
    expect(store.items[1]).toEqual(stored);
    expect(store.items[0]).toEqual(account(1));
    // Empty strings clear both.
    commands.setAccountExtras.mockResolvedValueOnce(ok(oauthAccount(2)));
    expect((await store.saveExtras(2, "", "")).status).toBe("ok");
    expect(commands.setAccountExtras).toHaveBeenLastCalledWith(2, "", "");
    expect(store.items[1]?.replyTo).toBeNull();
    expect(store.items[1]?.signature).toBeNull();
  });

  it("a refused Reply-To or signature leaves the account unchanged and gives the error", async () => {
    const saved: Account = { ...account(1), replyTo: "eski@firma.com.tr", signature: "Eski imza" };
    const store = await loaded(saved, account(2));
    const before = structuredClone(store.items);
    const refusals = [
      failed("validation.email", "replyTo"),
      failed("validation.too_long", "signature"),
      failed("validation.control_chars", "signature"),
      failed("smtp.account_not_found"),
    ];
    for (const refusal of refusals) {
      commands.setAccountExtras.mockResolvedValueOnce(refusal);
      const res = await store.saveExtras(1, "not-an-address", "x".repeat(2001));
      expect(res).toEqual(refusal);
      expect(store.items).toEqual(before);
    }
    commands.setAccountExtras.mockResolvedValueOnce(failed("validation.email", "replyTo"));
    const last = await store.saveExtras(1, "yanlış", "");
    expect(last.status === "error" && [last.error.code, last.error.field]).toEqual([
      "validation.email",
      "replyTo",
    ]);
    // A throwing invoke (outside Tauri) is an error too, and changes nothing either.
    commands.setAccountExtras.mockRejectedValueOnce(new Error("no Tauri"));
    const thrown = await store.saveExtras(1, "", "");
    expect(thrown.status === "error" && thrown.error.code).toBe("ui.backend_unreachable");
    expect(store.items).toEqual(before);
    expect(store.items[0]?.replyTo).toBe("eski@firma.com.tr");
    expect(store.items[0]?.signature).toBe("Eski imza");
  });

  it("passes tests and test e-mails through", async () => {
    const store = new AccountsStore();
    commands.testAccount.mockResolvedValueOnce(ok({ success: true, steps: [], tls: null, failure: null }));
    expect((await store.test(4)).status).toBe("ok");
    expect(commands.testAccount).toHaveBeenCalledWith(4);
    commands.sendTestEmail.mockResolvedValueOnce(failed("smtp.auth_failed"));
    expect(await store.sendTest(4)).toEqual(failed("smtp.auth_failed"));
  });

  describe("testInput (the form's settings as typed)", () => {
    const typed = { ...input, password: "s3cret" };

    it("tests a new account's input with no id, and leaves the list alone", async () => {
      const store = await loaded(account(1));
      const before = structuredClone(store.items);
      const report: ProbeReport = {
        success: false,
        steps: [{ kind: "resolve", ok: true, millis: 3, detail: "127.0.0.1" }],
        tls: null,
        failure: {
          step: "connect",
          code: "smtp.tls_mode_mismatch",
          message: "",
          hint: "",
          suggestion: { security: "tls", port: 465 },
        },
      };
      commands.testAccountInput.mockResolvedValueOnce(ok(report));
      expect(await store.testInput(typed, null)).toEqual(ok(report));
      expect(commands.testAccountInput).toHaveBeenCalledWith(typed, null);
      expect(commands.testAccount).not.toHaveBeenCalled();
      expect(commands.createAccount).not.toHaveBeenCalled();
      expect(commands.updateAccount).not.toHaveBeenCalled();
      expect(commands.listAccounts).toHaveBeenCalledTimes(1);
      expect(store.items).toEqual(before);
    });

    it("passes the edited account's id (an empty password: the saved one)", async () => {
      const store = await loaded(account(1), account(2));
      const passed: ProbeReport = { success: true, steps: [], tls: null, failure: null };
      commands.testAccountInput.mockResolvedValueOnce(ok(passed));
      const res = await store.testInput(input, 2);
      expect(res.status === "ok" && res.data.success).toBe(true);
      expect(commands.testAccountInput).toHaveBeenCalledWith(input, 2);
      expect(store.items.map((a) => a.id)).toEqual([1, 2]);
      expect(store.error).toBeNull();
    });

    it("gives a refused input's error and changes nothing", async () => {
      const store = await loaded(account(1));
      const before = structuredClone(store.items);
      commands.testAccountInput.mockResolvedValueOnce(failed("smtp.password_again", "password"));
      const moved = { ...input, port: 465, security: "tls" as const };
      const res = await store.testInput(moved, 1);
      expect(res.status === "error" && [res.error.code, res.error.field]).toEqual([
        "smtp.password_again",
        "password",
      ]);
      expect(commands.testAccountInput).toHaveBeenCalledWith(moved, 1);
      commands.testAccountInput.mockResolvedValueOnce(failed("validation.required", "password"));
      const missing = await store.testInput(input, null);
      expect(missing.status === "error" && missing.error.code).toBe("validation.required");
      // A throwing invoke (outside Tauri) is an error too.
      commands.testAccountInput.mockRejectedValueOnce(new Error("no Tauri"));
      const thrown = await store.testInput(typed, null);
      expect(thrown.status === "error" && thrown.error.code).toBe("ui.backend_unreachable");
      expect(store.items).toEqual(before);
      expect(store.error).toBeNull();
    });
  });

  describe("the test e-mail of the form as typed", () => {
    const sent: SentInfo = {
      to: "a@firma.com.tr",
      messageId: "<1@ulak>",
      serverReply: "2.0.0 Ok: queued as 4F2A1",
    };
    const typed = { ...input, password: "s3cret", noAuth: false };

    it("sends a new account's input with no id, and leaves the list alone", async () => {
      const store = await loaded(account(1));
      const before = structuredClone(store.items);
      commands.sendTestEmailInput.mockResolvedValueOnce(ok(sent));
      expect(await store.sendTestInput(typed, null)).toEqual(ok(sent));
      expect(commands.sendTestEmailInput).toHaveBeenCalledWith(typed, null);
      commands.sendTestEmailInput.mockResolvedValueOnce(ok(sent));
      expect(await store.sendFormTest(typed, null)).toEqual(ok(sent));
      expect(commands.sendTestEmailInput).toHaveBeenLastCalledWith(typed, null);
      expect(commands.sendTestEmail).not.toHaveBeenCalled();
      expect(commands.createAccount).not.toHaveBeenCalled();
      expect(commands.updateAccount).not.toHaveBeenCalled();
      expect(commands.listAccounts).toHaveBeenCalledTimes(1);
      expect(store.items).toEqual(before);
    });

    it("sends the saved account's while the form holds exactly it", async () => {
      const store = await loaded(account(1), account(2));
      const saved = { ...input, email: "a2@firma.com.tr", username: "a2@firma.com.tr", noAuth: false };
      commands.sendTestEmail.mockResolvedValueOnce(ok(sent));
      expect(await store.sendFormTest(saved, 2)).toEqual(ok(sent));
      expect(commands.sendTestEmail).toHaveBeenCalledWith(2);
      expect(commands.sendTestEmailInput).not.toHaveBeenCalled();
    });

    it("sends the edited account's changes as typed, with its id", async () => {
      const store = await loaded(account(1), account(2));
      const saved = { ...input, email: "a2@firma.com.tr", username: "a2@firma.com.tr", noAuth: false };
      const changes = [
        { ...saved, senderName: "Ayşe" },
        { ...saved, password: "yeni-parola" },
        { ...saved, host: "mail.firma.com.tr" },
        { ...saved, port: 465, security: "tls" as const },
        { ...saved, username: "", password: null, noAuth: true },
      ];
      for (const changed of changes) {
        commands.sendTestEmailInput.mockResolvedValueOnce(ok(sent));
        expect(await store.sendFormTest(changed, 2)).toEqual(ok(sent));
        expect(commands.sendTestEmailInput).toHaveBeenLastCalledWith(changed, 2);
      }
      expect(commands.sendTestEmailInput).toHaveBeenCalledTimes(changes.length);
      // An id the list does not hold (removed meanwhile): the backend says what it is.
      commands.sendTestEmailInput.mockResolvedValueOnce(failed("smtp.account_not_found"));
      const gone = await store.sendFormTest(saved, 9);
      expect(gone.status === "error" && gone.error.code).toBe("smtp.account_not_found");
      expect(commands.sendTestEmailInput).toHaveBeenLastCalledWith(saved, 9);
      expect(commands.sendTestEmail).not.toHaveBeenCalled();
      expect(store.items.map((a) => a.id)).toEqual([1, 2]);
    });

    it("gives a refused input or a failed send by its code and changes nothing", async () => {
      const store = await loaded(account(1));
      const before = structuredClone(store.items);
      const moved = { ...input, port: 465, security: "tls" as const, noAuth: false };
      commands.sendTestEmailInput.mockResolvedValueOnce(failed("smtp.password_again", "password"));
      const again = await store.sendFormTest(moved, 1);
      expect(again.status === "error" && [again.error.code, again.error.field]).toEqual([
        "smtp.password_again",
        "password",
      ]);
      expect(commands.sendTestEmailInput).toHaveBeenCalledWith(moved, 1);
      for (const code of ["smtp.auth_failed", "smtp.relay_refused"] as const) {
        commands.sendTestEmailInput.mockResolvedValueOnce(failed(code));
        const res = await store.sendFormTest(typed, null);
        expect(res.status === "error" && res.error.code).toBe(code);
      }
      // A throwing invoke (outside Tauri) is an error too.
      commands.sendTestEmailInput.mockRejectedValueOnce(new Error("no Tauri"));
      const thrown = await store.sendTestInput(typed, null);
      expect(thrown.status === "error" && thrown.error.code).toBe("ui.backend_unreachable");
      expect(commands.sendTestEmail).not.toHaveBeenCalled();
      expect(store.items).toEqual(before);
      expect(store.error).toBeNull();
    });
  });

  it("keeps a found suggestion and how the lookup ended", async () => {
    const store = new AccountsStore();
    const suggestion: Suggestion = {
      source: "guess",
      providerId: null,
      providerName: null,
      auth: null,
      hint: null,
      helpUrl: null,
      servers: [{ host: "smtp.firma.com.tr", port: 587, security: "starttls", username: "ali@firma.com.tr" }],
    };
    const found: Discovery = {
      suggestion,
      tried: [{ source: "guess", found: true, detail: "smtp.firma.com.tr:587" }],
      outcome: "found",
    };
    commands.suggestSettings.mockResolvedValueOnce(found);
    expect(await store.suggest("ali@firma.com.tr")).toEqual({ suggestion, outcome: "found" });
    expect(commands.suggestSettings).toHaveBeenCalledWith("ali@firma.com.tr");
  });

  it("keeps the outcome when there is no suggestion", async () => {
    const store = new AccountsStore();
    for (const outcome of ["nothingKnown", "noAnswer", "badAddress"] as const) {
      const none: Discovery = { suggestion: null, tried: [], outcome };
      commands.suggestSettings.mockResolvedValueOnce(none);
      expect(await store.suggest("a@example.com")).toEqual({ suggestion: null, outcome });
    }
  });

  it("answers no suggestion and no outcome when it cannot ask", async () => {
    const store = new AccountsStore();
    commands.suggestSettings.mockRejectedValueOnce(new Error("no Tauri"));
    expect(await store.suggest("a@example.com")).toEqual({ suggestion: null, outcome: null });
    expect(commands.suggestSettings).toHaveBeenCalledTimes(1);
  });

  it("reads the OAuth apps, keeping the last ones when reading fails", async () => {
    const store = new AccountsStore();
    const app = {
      provider: "google" as const,
      clientId: "",
      authorizeUrl: "https://accounts.google.com/o/oauth2/v2/auth",
      tokenUrl: "https://oauth2.googleapis.com/token",
      revokeUrl: null,
      apiBase: "https://gmail.googleapis.com",
      redirect: "loopback" as const,
    };
    commands.oauthApps.mockResolvedValueOnce(ok([app]));
    expect((await store.loadOAuthApps()).status).toBe("ok");
    expect(store.oauthApps).toEqual([app]);
    commands.oauthApps.mockResolvedValueOnce(failed("internal"));
    expect((await store.loadOAuthApps()).status).toBe("error");
    expect(store.oauthApps).toEqual([app]);
  });

  it("connects: waits with the sign-in address, then takes the account", async () => {
    const store = await loaded(account(1));
    const finish = deferred<{ status: "ok"; data: Account }>();
    commands.beginConnect.mockResolvedValueOnce(ok(AUTHORIZE));
    commands.finishConnect.mockReturnValueOnce(finish.promise);
    const running = store.connect("google", "a2@gmail.com", "Ayşe Yılmaz");
    await settle();
    expect(commands.beginConnect).toHaveBeenCalledWith("google", "a2@gmail.com");
    expect(commands.finishConnect).toHaveBeenCalledWith("Ayşe Yılmaz");
    expect(store.connecting).toEqual({ provider: "google", url: AUTHORIZE });
    finish.resolve(ok(oauthAccount(2)));
    const res = await running;
    expect(res).toEqual(ok(oauthAccount(2)));
    expect(store.connecting).toBeNull();
    expect(store.items.map((a) => a.id)).toEqual([1, 2]);
  });

  it("a reconnected account replaces itself in the list", async () => {
    const broken: Account = {
      ...oauthAccount(2),
      oauth: { connectionId: 2, provider: "google", status: "error" },
    };
    const store = await loaded(account(1), broken);
    commands.beginConnect.mockResolvedValueOnce(ok(AUTHORIZE));
    commands.finishConnect.mockResolvedValueOnce(ok(oauthAccount(2)));
    expect((await store.connect("google", "a2@gmail.com", "")).status).toBe("ok");
    expect(store.items.map((a) => a.id)).toEqual([1, 2]);
    expect(store.items[1]?.oauth?.status).toBe("active");
  });

  it("never waits for the browser when the sign-in could not begin", async () => {
    const store = await loaded(account(1));
    commands.beginConnect.mockResolvedValueOnce(failed("oauth.not_configured"));
    const res = await store.connect("microsoft", null, "");
    expect(res).toEqual(failed("oauth.not_configured"));
    expect(commands.finishConnect).not.toHaveBeenCalled();
    expect(store.connecting).toBeNull();
    expect(store.items.map((a) => a.id)).toEqual([1]);
  });

  it("gives a refused sign-in back and stops waiting", async () => {
    const store = await loaded(account(1));
    commands.beginConnect.mockResolvedValueOnce(ok(AUTHORIZE));
    commands.finishConnect.mockResolvedValueOnce(failed("oauth.denied"));
    const res = await store.connect("google", null, "");
    expect(res).toEqual(failed("oauth.denied"));
    expect(store.connecting).toBeNull();
    expect(store.items.map((a) => a.id)).toEqual([1]);
  });

  it("stops waiting when finishing throws (outside Tauri)", async () => {
    const store = new AccountsStore();
    commands.beginConnect.mockResolvedValueOnce(ok(AUTHORIZE));
    commands.finishConnect.mockRejectedValueOnce(new Error("no Tauri"));
    const res = await store.connect("google", null, "");
    expect(res.status === "error" && res.error.code).toBe("ui.backend_unreachable");
    expect(store.connecting).toBeNull();
  });

  it("cancels the sign-in under way through the backend", async () => {
    const store = new AccountsStore();
    commands.cancelConnect.mockResolvedValueOnce(ok(true));
    expect(await store.cancelConnect()).toEqual(ok(true));
    expect(commands.cancelConnect).toHaveBeenCalledTimes(1);
  });

  it("drops a disconnected account, and only once it is disconnected", async () => {
    const store = await loaded(account(1), oauthAccount(2));
    commands.disconnectAccount.mockResolvedValueOnce(failed("oauth.not_found"));
    expect((await store.disconnect(2)).status).toBe("error");
    expect(store.items.map((a) => a.id)).toEqual([1, 2]);
    commands.disconnectAccount.mockResolvedValueOnce(ok({ revocation: "revoked" }));
    expect(await store.disconnect(2)).toEqual(ok({ revocation: "revoked" }));
    expect(commands.disconnectAccount).toHaveBeenCalledWith(2);
    expect(store.items.map((a) => a.id)).toEqual([1]);
  });

  it("returns how the provider took the disconnect, the account gone either way", async () => {
    const store = await loaded(oauthAccount(1), oauthAccount(2), oauthAccount(3));
    commands.disconnectAccount.mockResolvedValueOnce(ok({ revocation: "not_offered" }));
    const notOffered = await store.disconnect(1);
    expect(notOffered.status === "ok" && notOffered.data.revocation).toBe("not_offered");
    commands.disconnectAccount.mockResolvedValueOnce(ok({ revocation: "failed" }));
    const failedRevoke = await store.disconnect(2);
    expect(failedRevoke.status === "ok" && failedRevoke.data.revocation).toBe("failed");
    expect(store.items.map((a) => a.id)).toEqual([3]);
  });

  describe("testAll", () => {
    const passed: ProbeReport = { success: true, steps: [], tls: null, failure: null };
    const refused: ProbeReport = {
      success: false,
      steps: [{ kind: "auth", ok: false, millis: 12, detail: "535" }],
      tls: null,
      failure: {
        step: "auth",
        code: "smtp.auth_failed",
        message: "535 5.7.8",
        hint: "",
        suggestion: null,
      },
    };

    it("tests every account one after another, in the list's order, counting them", async () => {
      const store = await loaded(account(1), oauthAccount(2), account(3));
      const answers = [deferred<unknown>(), deferred<unknown>(), deferred<unknown>()];
      let calls = 0;
      commands.testAccount.mockImplementation(() => answers[calls++]!.promise);
      commands.listAccounts.mockResolvedValueOnce(ok([account(1), oauthAccount(2), account(3)]));
      commands.accountsSending.mockResolvedValueOnce(ok([]));

      const running = store.testAll();
      await settle();
      expect(store.testingAll).toBe(true);
      expect(store.testAllRun).toMatchObject({ running: true, done: 0, total: 3, results: [] });
      // One at a time: the second is asked only once the first answered.
      expect(commands.testAccount).toHaveBeenCalledTimes(1);
      expect(commands.testAccount).toHaveBeenLastCalledWith(1);

      answers[0]!.resolve(ok(passed));
      await settle();
      expect(commands.testAccount).toHaveBeenCalledTimes(2);
      expect(commands.testAccount).toHaveBeenLastCalledWith(2);
      expect(store.testAllRun?.done).toBe(1);
      expect(store.testAllRun?.results.map((r) => [r.id, r.ok])).toEqual([[1, true]]);

      answers[1]!.resolve(ok(refused));
      await settle();
      expect(commands.testAccount).toHaveBeenCalledTimes(3);
      expect(commands.testAccount).toHaveBeenLastCalledWith(3);
      expect(store.testAllRun?.done).toBe(2);

      answers[2]!.resolve(ok(passed));
      const results = await running;
      expect(results.map((r) => [r.id, r.email, r.ok])).toEqual([
        [1, "a1@firma.com.tr", true],
        [2, "a2@gmail.com", false],
        [3, "a3@firma.com.tr", true],
      ]);
      expect(results[1]?.report?.failure?.code).toBe("smtp.auth_failed");
      expect(store.testingAll).toBe(false);
      expect(store.testAllRun).toEqual({ running: false, done: 3, total: 3, results });
    });

    it("goes on after a failed or throwing test, and reads the list and sending again", async () => {
      const store = await loaded(account(1), account(2), account(3));
      commands.testAccount
        .mockResolvedValueOnce(failed("smtp.account_not_found"))
        .mockRejectedValueOnce(new Error("no Tauri"))
        .mockResolvedValueOnce(ok(passed));
      const woken = { ...account(3), status: "active" as const, active: true };
      commands.listAccounts.mockResolvedValueOnce(ok([account(1), account(2), woken]));
      commands.accountsSending.mockResolvedValueOnce(ok([sendingOf(3, 1)]));

      const results = await store.testAll();
      expect(commands.testAccount.mock.calls).toEqual([[1], [2], [3]]);
      expect(results.map((r) => r.ok)).toEqual([false, false, true]);
      expect(results[0]?.error?.code).toBe("smtp.account_not_found");
      expect(results[0]?.report).toBeNull();
      expect(results[1]?.error?.code).toBe("ui.backend_unreachable");
      expect(results[2]?.report).toEqual(passed);
      expect(results[2]?.error).toBeNull();
      expect(store.testAllRun?.done).toBe(3);
      // Read again without hiding the list (no `loading`).
      expect(commands.listAccounts).toHaveBeenCalledTimes(2);
      expect(store.loading).toBe(false);
      expect(store.items[2]?.active).toBe(true);
      expect(commands.accountsSending).toHaveBeenCalledTimes(1);
      expect(store.sendingOf(3)?.sentToday).toBe(1);
    });

    it("keeps the list when reading it again fails", async () => {
      const store = await loaded(account(1));
      commands.testAccount.mockResolvedValueOnce(ok(passed));
      commands.listAccounts.mockResolvedValueOnce(failed("store.not_open"));
      commands.accountsSending.mockResolvedValueOnce(failed("store.not_open"));
      const results = await store.testAll();
      expect(results.map((r) => r.ok)).toEqual([true]);
      expect(store.items.map((a) => a.id)).toEqual([1]);
      expect(store.error).toBeNull();
      expect(store.testAllRun).toMatchObject({ running: false, done: 1, total: 1 });
    });

    it("starts no second run while one is under way", async () => {
      const store = await loaded(account(1), account(2));
      const first = deferred<unknown>();
      commands.testAccount.mockReturnValueOnce(first.promise).mockResolvedValueOnce(ok(passed));
      commands.listAccounts.mockResolvedValueOnce(ok([account(1), account(2)]));
      commands.accountsSending.mockResolvedValueOnce(ok([]));
      const running = store.testAll();
      expect(await store.testAll()).toEqual([]);
      first.resolve(ok(passed));
      expect((await running).map((r) => r.id)).toEqual([1, 2]);
      expect(commands.testAccount).toHaveBeenCalledTimes(2);
    });

    it("with no accounts tests nothing and ends at 0 / 0", async () => {
      const store = await loaded();
      commands.listAccounts.mockResolvedValueOnce(ok([]));
      commands.accountsSending.mockResolvedValueOnce(ok([]));
      expect(await store.testAll()).toEqual([]);
      expect(commands.testAccount).not.toHaveBeenCalled();
      expect(store.testAllRun).toEqual({ running: false, done: 0, total: 0, results: [] });
    });

    it("stops after the current test once stopped (the page closed)", async () => {
      const store = await loaded(account(1), account(2));
      const first = deferred<unknown>();
      commands.testAccount.mockReturnValueOnce(first.promise);
      const running = store.testAll();
      await settle();
      store.stopTestAll();
      expect(store.testingAll).toBe(false);
      first.resolve(ok(passed));
      await running;
      expect(commands.testAccount).toHaveBeenCalledTimes(1);
      expect(commands.listAccounts).toHaveBeenCalledTimes(1);
    });
  });
});

describe("the domain check", () => {
  const readiness = (domain: string, ready: boolean): Readiness => ({
    domain,
    spf: { state: ready ? "ok" : "missing", record: null, lookups: 2, wanted: "include:_spf.google.com" },
    dmarc: { state: "ok", record: "v=DMARC1; p=none", policy: "none" },
    dkim: [],
    ready,
  });

  it("asks DNS for one account, with the pasted headers or none when blank", async () => {
    const store = new AccountsStore();
    commands.checkAccountDomain.mockResolvedValue(ok(readiness("firma.com.tr", true)));
    expect(await store.checkDomain(1, "DKIM-Signature: v=1; d=firma.com.tr")).toEqual(
      ok(readiness("firma.com.tr", true)),
    );
    expect(commands.checkAccountDomain).toHaveBeenLastCalledWith(1, "DKIM-Signature: v=1; d=firma.com.tr");
    await store.checkDomain(1, "  \n ");
    expect(commands.checkAccountDomain).toHaveBeenLastCalledWith(1, null);
    await store.checkDomain(2, null);
    expect(commands.checkAccountDomain).toHaveBeenLastCalledWith(2, null);
  });

  it("checks several accounts one after another, an error not stopping the rest", async () => {
    const store = new AccountsStore();
    commands.checkAccountDomain
      .mockResolvedValueOnce(ok(readiness("a.com", true)))
      .mockResolvedValueOnce(failed("smtp.account_not_found"))
      .mockResolvedValueOnce(ok(readiness("c.com", false)));
    const outcomes = await store.checkDomains([
      { id: 1, email: "x@a.com" },
      { id: 2, email: "y@b.com" },
      { id: 3, email: "z@c.com" },
    ]);
    expect(commands.checkAccountDomain.mock.calls).toEqual([
      [1, null],
      [2, null],
      [3, null],
    ]);
    expect(outcomes.map((o) => [o.id, o.email, o.readiness?.ready ?? null, o.error?.code ?? null])).toEqual([
      [1, "x@a.com", true, null],
      [2, "y@b.com", null, "smtp.account_not_found"],
      [3, "z@c.com", false, null],
    ]);
  });
});
