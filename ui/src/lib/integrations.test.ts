import { describe, expect, it } from "vitest";
import {
  LIMITS,
  type Account,
  type App,
  type Connection as OAuthConnection,
  type ErrorPayload,
  type Integration,
} from "./bindings";
import { describeError, translate } from "./i18n";
import {
  FORECAST_REFRESH_MS,
  RATE_FIELD,
  SENDING_REFRESH_MS,
  TABS,
  accountsRemovedKey,
  appUnset,
  grantConnection,
  troubleTime,
  connectionOf,
  fieldErrors,
  findIntegration,
  formKeys,
  formRate,
  formValues,
  idPrefix,
  isPaced,
  mailProviderOf,
  hasSendingAccount,
  managedOn,
  noteOf,
  oauthAccounts,
  oauthMailConnection,
  onlySoon,
  paceOf,
  rateError,
  senders,
  sharedGrant,
  smsSenders,
  smtpAccounts,
  specsForTab,
  testChecksNothing,
  toIntegrationInput,
  whatsappSenders,
} from "./integrations";
import { fieldId, isRequired, specFor, validateSpec } from "./providers";

const twilio = specFor("sms", "twilio");
const smtp = specFor("email", "smtp");
const slack = specFor("chat", "slack");
const telegram = specFor("chat", "telegram");
/** Twilio's SMS pace unless the integration says otherwise. */
const twilioRate = twilio.ratePerSecond!;
const unchanged = { typed: "", filled: "" };

function integration(over: Partial<Integration> = {}): Integration {
  return {
    id: 1,
    workspaceId: 1,
    channel: "sms",
    provider: "twilio",
    settings: { accountSid: "AC123", from: "+15005550006" },
    baseUrl: null,
    ratePerSecond: null,
    secretsSet: ["authToken"],
    active: true,
    lastError: null,
    createdAt: "",
    updatedAt: "",
    ...over,
  };
}

/** A saved Slack or Telegram integration with these secrets stored. */
function chat(provider: string, secretsSet: string[], settings: Record<string, string> = {}): Integration {
  return integration({ channel: "chat", provider, secretsSet, settings });
}

const tab = (id: string) => TABS.find((x) => x.id === id)!;
const error = (over: Partial<ErrorPayload>): ErrorPayload => ({
  code: "internal",
  message: "backend words",
  hint: null,
  field: null,
  ...over,
});

describe("tabs", () => {
  it("has the six kinds, in order, each but Google and Toplantı with a soon line", () => {
    expect(TABS.map((x) => x.id)).toEqual(["email", "sms", "whatsapp", "google", "meeting", "other"]);
    const withSoon = TABS.filter((x) => x.soon !== undefined);
    expect(withSoon.map((x) => x.id)).toEqual(["email", "sms", "whatsapp", "other"]);
    expect(withSoon.map((x) => x.soon)).toEqual(withSoon.map((x) => `integrations.soon.${x.id}`));
    // Diğer lists cards, and still says what is to come under them; Google (Drive the
    // last) and Toplantı (Microsoft Teams the last) have every card they were to have, so
    // they say nothing more is to come.
    expect(TABS.filter((x) => x.alsoSoon).map((x) => x.id)).toEqual(["other"]);
    for (const id of ["google", "meeting"]) {
      expect(tab(id).soon, id).toBeUndefined();
      expect(tab(id).alsoSoon, id).toBeFalsy();
    }
    // A tab that says what will come has the words for it.
    expect(TABS.filter((x) => (x.alsoSoon || onlySoon(x)) && x.soon === undefined)).toEqual([]);
    // Every tab has cards now: none says only what will come.
    expect(TABS.filter(onlySoon)).toEqual([]);
  });

  it("the e-mail tab reads its sending accounts every 10 s, its forward view every 30 s", () => {
    expect(SENDING_REFRESH_MS).toBe(10_000);
    expect(FORECAST_REFRESH_MS).toBe(30_000);
    expect(translate("tr", "integrations.sending.title")).toBe("Gönderim hesapları");
    expect(translate("en", "integrations.sending.title")).toBe("Sending accounts");
  });

  it("lists the OAuth cards: Gmail and Outlook on E-posta, the calendar, Sheets, Contacts and Drive on Google, Meet and Teams on Toplantı", () => {
    expect(Object.fromEntries(TABS.map((x) => [x.id, x.oauth]))).toEqual({
      email: ["mail-google", "mail-microsoft"],
      sms: [],
      whatsapp: [],
      google: ["calendar", "sheets", "contacts", "drive"],
      meeting: ["meet", "teams"],
      other: [],
    });
    expect(mailProviderOf("mail-google")).toBe("google");
    expect(mailProviderOf("mail-microsoft")).toBe("microsoft");
    expect(mailProviderOf("calendar")).toBeNull();
    expect(mailProviderOf("sheets")).toBeNull();
    expect(mailProviderOf("contacts")).toBeNull();
    expect(mailProviderOf("drive")).toBeNull();
    expect(mailProviderOf("meet")).toBeNull();
    expect(mailProviderOf("teams")).toBeNull();
  });

  it("lists Zoom's spec on Toplantı, then the Google Meet and Microsoft Teams cards", () => {
    const meeting = tab("meeting");
    expect(meeting.channels).toEqual(["meeting"]);
    const specs = specsForTab(meeting);
    expect(specs.map((s) => `${s.channel}/${s.provider}`)).toEqual(["meeting/zoom"]);
    expect(meeting.oauth).toEqual(["meet", "teams"]);
    const zoom = specs[0]!;
    expect(managedOn(zoom)).toBeNull();
    expect(hasSendingAccount(zoom)).toBe(false);
    // Zoom makes links, it sends nothing: no pace to set.
    expect(isPaced(zoom)).toBe(false);
    expect(idPrefix(zoom)).toBe("int-meeting-zoom");
    expect(zoom.fields.map((f) => fieldId(idPrefix(zoom), f.key))).toEqual([
      "int-meeting-zoom-account-id",
      "int-meeting-zoom-client-id",
      "int-meeting-zoom-client-secret",
      "int-meeting-zoom-host",
    ]);
    // The Meet card's words say it is chosen in Takvime Ekle, not ticked.
    expect(translate("tr", "integrations.meet.summary")).toMatch(/Google Meet seçilince/);
    expect(translate("en", "integrations.meet.summary")).toMatch(/Choose Google Meet/);
    // Teams' card says the same, and that a personal Microsoft account will not do.
    expect(translate("tr", "integrations.teams.name")).toBe("Microsoft Teams");
    expect(translate("tr", "integrations.teams.summary")).toBe(
      "Takvime Ekle'de toplantı olarak Microsoft Teams seçilince toplantı bağlantısı oluşturulur. İş ya da okul Microsoft hesabı gerekir.",
    );
    expect(translate("en", "integrations.teams.summary")).toMatch(/^Choose Microsoft Teams.*work or school/);
    expect(translate("tr", "teams.connect")).toBe("Microsoft ile bağlan");
    expect(translate("en", "teams.connect")).toBe("Connect with Microsoft");
  });

  it("lists a channel's specs without its test box", () => {
    expect(specsForTab(tab("email")).map((s) => s.provider)).toEqual(["resend", "smtp"]);
    const sms = specsForTab(tab("sms"));
    expect(sms.map((s) => s.provider)).toContain("twilio");
    expect(sms.every((s) => s.channel === "sms" && s.provider !== "sandbox")).toBe(true);
    expect(specsForTab(tab("google"))).toEqual([]);
  });

  it("lists Slack and Telegram on the Diğer tab, set up here", () => {
    const other = specsForTab(tab("other"));
    expect(other.map((s) => `${s.channel}/${s.provider}`)).toEqual(["chat/slack", "chat/telegram"]);
    expect(other.map(managedOn)).toEqual([null, null]);
    expect(idPrefix(telegram)).toBe("int-chat-telegram");
    expect(fieldId(idPrefix(telegram), "botToken")).toBe("int-chat-telegram-bot-token");
    expect(fieldId(idPrefix(telegram), "chatId")).toBe("int-chat-telegram-chat-id");
    expect(fieldId(idPrefix(slack), "webhookUrl")).toBe("int-chat-slack-webhook-url");
    expect(fieldId(idPrefix(slack), "channel")).toBe("int-chat-slack-channel");
  });

  it("says Soon on Diğer without promising Slack or Telegram", () => {
    for (const lang of ["tr", "en"] as const) {
      const soon = translate(lang, tab("other").soon ?? "integrations.soon.title");
      expect(soon, lang).not.toMatch(/slack|telegram|sohbet|chat/i);
      expect(soon, lang).toMatch(/webhook/i);
    }
  });

  it("notes Slack's two ways and its untestable webhook, and nothing for the others", () => {
    expect(noteOf(slack)).toBe("integrations.note.slack");
    expect(translate("tr", "integrations.note.slack")).toMatch(/webhook/);
    expect(translate("en", "integrations.note.slack")).toMatch(/bot token and a channel/);
    expect(noteOf(telegram)).toBeNull();
    expect(noteOf(twilio)).toBeNull();
  });

  it("marks Slack's secrets optional and Telegram's token required when setting up", () => {
    for (const creating of [true, false]) {
      expect(slack.fields.map((f) => isRequired(f, creating))).toEqual([false, false, false]);
    }
    const blank = { botToken: "", channel: "", webhookUrl: "" };
    expect(validateSpec(slack, blank, { creating: true }).missing).toEqual([]);
    expect(telegram.fields.map((f) => [f.key, isRequired(f, true)])).toEqual([
      ["botToken", true],
      ["chatId", true],
    ]);
    expect(validateSpec(telegram, { botToken: "", chatId: "" }, { creating: true }).missing).toEqual([
      "botToken",
      "chatId",
    ]);
    // Once saved, the stored token stays when the field is left empty.
    const kept = { botToken: "", chatId: "-1001" };
    expect(validateSpec(telegram, kept, { creating: false }).missing).toEqual([]);
  });

  it("lists WhatsApp's Cloud API and Twilio on the WhatsApp tab, without its test box", () => {
    const wa = specsForTab(tab("whatsapp"));
    expect(wa.map((s) => s.provider).sort()).toEqual(["meta", "twilio"]);
    expect(wa.every((s) => s.channel === "whatsapp")).toBe(true);
    expect(idPrefix(specFor("whatsapp", "meta"))).toBe("int-whatsapp-meta");
    expect(managedOn(specFor("whatsapp", "twilio"))).toBeNull();
  });

  it("sends SMTP to E-posta Ayarları; the rest are set up here", () => {
    expect(managedOn(specFor("email", "smtp"))).toBe("email-settings");
    expect(managedOn(specFor("email", "resend"))).toBeNull();
    expect(managedOn(twilio)).toBeNull();
  });

  it("knows Resend's integration comes with a sending account", () => {
    expect(hasSendingAccount(specFor("email", "resend"))).toBe(true);
    expect(idPrefix(specFor("email", "resend"))).toBe("int-email-resend");
    for (const spec of [smtp, twilio, slack, telegram]) expect(hasSendingAccount(spec)).toBe(false);
  });

  it("names the inputs int-<channel>-<provider>-<kebab key>", () => {
    expect(idPrefix(twilio)).toBe("int-sms-twilio");
    expect(fieldId(idPrefix(twilio), "accountSid")).toBe("int-sms-twilio-account-sid");
    expect(fieldId(idPrefix(twilio), "authToken")).toBe("int-sms-twilio-auth-token");
  });
});

describe("connectionOf", () => {
  it("is connected when saved, active and every secret is stored", () => {
    expect(connectionOf(twilio, integration())).toBe("connected");
    expect(connectionOf(twilio, null)).toBe("not_connected");
    expect(connectionOf(twilio, integration({ active: false }))).toBe("not_connected");
    const lastError = { code: "unreachable" as const, text: "Twilio could not be reached", at: "2026-12-07T01:00:00Z" };
    expect(connectionOf(twilio, integration({ lastError }))).toBe("error");
    expect(connectionOf(twilio, integration({ secretsSet: [] }))).toBe("not_connected");
  });

  it("needs Telegram's token; Slack's bot token or its webhook, not both", () => {
    const group = { chatId: "-1001234567890" };
    expect(connectionOf(telegram, chat("telegram", ["botToken"], group))).toBe("connected");
    expect(connectionOf(telegram, chat("telegram", []))).toBe("not_connected");
    expect(connectionOf(slack, chat("slack", ["webhookUrl"]))).toBe("connected");
    expect(connectionOf(slack, chat("slack", ["botToken"], { channel: "#satis" }))).toBe("connected");
    expect(connectionOf(slack, chat("slack", ["botToken", "webhookUrl"], { channel: "#satis" }))).toBe(
      "connected",
    );
    expect(connectionOf(slack, chat("slack", []))).toBe("not_connected");
    expect(connectionOf(slack, { ...chat("slack", ["webhookUrl"]), active: false })).toBe("not_connected");
  });

  it("knows a Slack webhook's test checks nothing; a bot token's does", () => {
    const both = ["botToken", "webhookUrl"];
    expect(testChecksNothing(slack, chat("slack", ["webhookUrl"]))).toBe(true);
    // A token without a channel is not used: the webhook is.
    expect(testChecksNothing(slack, chat("slack", both, { channel: " " }))).toBe(true);
    expect(testChecksNothing(slack, chat("slack", both, { channel: "#satis" }))).toBe(false);
    expect(testChecksNothing(slack, chat("slack", ["botToken"], { channel: "#satis" }))).toBe(false);
    expect(testChecksNothing(slack, null)).toBe(false);
    expect(testChecksNothing(telegram, chat("telegram", ["botToken"], { chatId: "@ulak" }))).toBe(false);
    expect(testChecksNothing(twilio, integration())).toBe(false);
  });

  it("finds an integration by channel and provider", () => {
    const items = [integration({ id: 1, channel: "whatsapp" }), integration({ id: 2 })];
    expect(findIntegration(items, "sms", "twilio")?.id).toBe(2);
    expect(findIntegration(items, "sms", "other")).toBeNull();
  });
});

describe("the form", () => {
  it("fills the plain fields from what is stored; secrets stay empty", () => {
    expect(formValues(twilio, integration())).toEqual({
      accountSid: "AC123",
      apiKeySid: "",
      authToken: "",
      from: "+15005550006",
      messagingServiceSid: "",
    });
    expect(Object.values(formValues(twilio, null)).every((v) => v === "")).toBe(true);
  });

  it("sends every plain field trimmed, a secret only when typed, and the base URL trimmed", () => {
    const values = { accountSid: " AC1 ", apiKeySid: "", authToken: "", from: "Ulak ", messagingServiceSid: "" };
    expect(toIntegrationInput(twilio, values, "  ", unchanged)).toEqual({
      values: { accountSid: "AC1", apiKeySid: "", from: "Ulak", messagingServiceSid: "" },
      baseUrl: "",
      ratePerSecond: null,
    });
    const typed = toIntegrationInput(
      twilio,
      { ...values, authToken: " s3cret " },
      " http://127.0.0.1:9/ ",
      unchanged,
    );
    expect(typed.values.authToken).toBe(" s3cret ");
    expect(typed.baseUrl).toBe("http://127.0.0.1:9/");
  });

  it("paces the providers the spec paces, not SMTP nor the test boxes", () => {
    expect(twilioRate).toBeGreaterThanOrEqual(1);
    expect(isPaced(twilio)).toBe(true);
    expect(isPaced(smtp)).toBe(false);
    expect(isPaced(specFor("sms", "sandbox"))).toBe(false);
    expect(formKeys(twilio)).toContain(RATE_FIELD);
    expect(formKeys(smtp)).not.toContain(RATE_FIELD);
  });

  it("fills the pace with the integration's own, else the spec's default", () => {
    expect(formRate(twilio, null)).toBe(String(twilioRate));
    expect(formRate(twilio, integration())).toBe(String(twilioRate));
    expect(formRate(twilio, integration({ ratePerSecond: 4 }))).toBe("4");
    expect(formRate(smtp, null)).toBe("");
  });

  it("sends the pace as a number when changed; empty or unchanged keeps what is stored", () => {
    const values = { accountSid: "AC1" };
    const send = (typed: string, filled = String(twilioRate)) =>
      toIntegrationInput(twilio, values, "", { typed, filled }).ratePerSecond;
    expect(send("4")).toBe(4);
    expect(send(" 25 ")).toBe(25);
    expect(send(String(LIMITS.ratePerSecond))).toBe(LIMITS.ratePerSecond);
    expect(send("7", "4")).toBe(7);
    // Back to the spec's default from an own setting: sent, so it replaces the stored one.
    expect(send(String(twilioRate), "4")).toBe(twilioRate);
    // Empty or as the form opened: null, the stored pace (or the spec's) stays.
    expect(send("")).toBeNull();
    expect(send("  ")).toBeNull();
    expect(send(String(twilioRate))).toBeNull();
    expect(send("04", "4")).toBeNull();
    // Never a value the backend would refuse (the form blocks these before saving).
    for (const bad of ["0", "-3", "2.5", "1e2", "abc", String(LIMITS.ratePerSecond + 1)]) {
      expect(send(bad), bad).toBeNull();
    }
    // A provider Ulak does not pace never sends one.
    expect(toIntegrationInput(smtp, {}, "", { typed: "4", filled: "" }).ratePerSecond).toBeNull();
  });

  it("says how fast a set-up, paced provider sends", () => {
    expect(paceOf(twilio, integration())).toBe(twilioRate);
    expect(paceOf(twilio, integration({ ratePerSecond: 4 }))).toBe(4);
    expect(paceOf(twilio, null)).toBeNull();
    expect(paceOf(smtp, integration({ channel: "email", provider: "smtp" }))).toBeNull();
  });

  it("shows the backend's range error at the pace, with the range in its hint", () => {
    const err = error({ code: "validation.range", field: RATE_FIELD, hint: "backend hint" });
    expect(fieldErrors(twilio, err)).toEqual({ [RATE_FIELD]: err });
    expect(fieldErrors(smtp, err)).toEqual({});
    const tr = describeError("tr", rateError(err));
    expect(tr.message).toBe("İzin verilen aralıkta değil.");
    expect(tr.hint).toBe(`1 ile ${LIMITS.ratePerSecond} arasında bir tam sayı yazın.`);
    expect(describeError("en", rateError(err)).hint).toBe(
      `Write a whole number from 1 to ${LIMITS.ratePerSecond}.`,
    );
    const other = error({ code: "internal", field: RATE_FIELD });
    expect(rateError(other)).toBe(other);
  });

  it("puts the backend's errors beside the fields they name, the base URL included", () => {
    expect(fieldErrors(twilio, error({ code: "validation.url", field: "baseUrl" }))).toEqual({
      baseUrl: error({ code: "validation.url", field: "baseUrl" }),
    });
    const missing = fieldErrors(
      twilio,
      error({ code: "integration.incomplete", field: "accountSid", fields: ["accountSid", "authToken"] }),
    );
    expect(Object.keys(missing)).toEqual(["accountSid", "authToken"]);
    expect(missing.authToken?.code).toBe("validation.required");
    expect(missing.authToken?.field).toBe("authToken");
    expect(fieldErrors(twilio, error({ code: "internal" }))).toEqual({});
    expect(fieldErrors(twilio, error({ code: "validation.too_long", field: "nope" }))).toEqual({});
  });
});

describe("the OAuth cards", () => {
  function account(id: number, oauth: Account["oauth"], over: Partial<Account> = {}): Account {
    return {
      id,
      workspaceId: 1,
      email: `a${id}@example.com`,
      senderName: "",
      host: "",
      port: 587,
      security: "starttls",
      username: "",
      passwordSet: oauth === null,
      noAuth: false,
      trustedCa: false,
      active: true,
      oauth,
      provider: null,
      status: "active",
      statusReason: null,
      limits: { daily: null, minWaitMs: 0, jitterMs: 0, rampUp: null },
      ceilings: { day: null, unit: "messages", minute: null },
      replyTo: null,
      signature: null,
      createdAt: "",
      updatedAt: "",
      ...over,
    };
  }
  const google = (id: number, status: "active" | "error" = "active") =>
    account(id, { connectionId: id, provider: "google", status });
  const microsoft = (id: number, status: "active" | "error" = "active") =>
    account(id, { connectionId: id, provider: "microsoft", status });

  it("lists a provider's accounts, and the SMTP card only the rest", () => {
    const resend = account(5, null, { integrationId: 9, provider: "Resend" });
    const items = [account(1, null), google(2), microsoft(3), google(4, "error"), resend];
    expect(oauthAccounts(items, "google").map((a) => a.id)).toEqual([2, 4]);
    expect(oauthAccounts(items, "microsoft").map((a) => a.id)).toEqual([3]);
    // Resend's account is its integration's card's, not SMTP's.
    expect(smtpAccounts(items).map((a) => a.id)).toEqual([1]);
    expect(smtpAccounts([account(6, null, { integrationId: null })]).map((a) => a.id)).toEqual([6]);
    expect(oauthAccounts([], "google")).toEqual([]);
  });

  it("is connected with an account, in error when one must be connected again", () => {
    expect(oauthMailConnection([])).toBe("not_connected");
    expect(oauthMailConnection([google(1)])).toBe("connected");
    expect(oauthMailConnection([google(1), google(2, "error")])).toBe("error");
    expect(oauthMailConnection([microsoft(3, "error")])).toBe("error");
  });

  const connection = (
    status: "active" | "error",
    id = 1,
    provider: OAuthConnection["provider"] = "google",
  ): OAuthConnection => ({
    id,
    workspaceId: 1,
    provider,
    address: "ayse@example.com",
    scopes: [],
    expiresAt: null,
    status,
    createdAt: "",
    updatedAt: "",
  });

  it("takes a sign-in card's state (the calendar's and Meet's, Teams') from its connection", () => {
    expect(grantConnection(null)).toBe("not_connected");
    expect(grantConnection(connection("active"))).toBe("connected");
    expect(grantConnection(connection("error"))).toBe("error");
    expect(grantConnection(connection("error", 2, "microsoft"))).toBe("error");
  });

  it("names what else goes when a connection is removed: the cards and accounts signed in with it", () => {
    const calendar = connection("active", 7);
    const uses = [
      { card: "calendar" as const, name: "Google Takvim", status: calendar },
      { card: "meet" as const, name: "Google Meet", status: calendar },
      { card: "sheets" as const, name: "Google E-Tablolar", status: connection("active", 8) },
      { card: "contacts" as const, name: "Google Kişiler", status: null },
      { card: "drive" as const, name: "Google Drive", status: connection("error", 7) },
      { card: "teams" as const, name: "Microsoft Teams", status: connection("active", 9, "microsoft") },
    ];
    const accounts = [google(7), account(3, null), microsoft(9), google(8)];
    // Google's one connection per address: Meet (with the calendar) and Drive go too,
    // and the Gmail account that signed in with it; the card itself is not named.
    expect(sharedGrant("calendar", 7, uses, accounts)).toEqual({
      cards: ["Google Meet", "Google Drive"],
      accounts: ["a7@example.com"],
    });
    expect(sharedGrant("drive", 7, uses, accounts).cards).toEqual(["Google Takvim", "Google Meet"]);
    expect(sharedGrant("sheets", 8, uses, accounts)).toEqual({ cards: [], accounts: ["a8@example.com"] });
    expect(sharedGrant("teams", 9, uses, accounts)).toEqual({ cards: [], accounts: ["a9@example.com"] });
    expect(sharedGrant("teams", 9, uses, [])).toEqual({ cards: [], accounts: [] });
  });

  it("says how many sending accounts went with a removed connection", () => {
    expect(accountsRemovedKey({ revocation: "revoked", accountsRemoved: 0 })).toBeNull();
    expect(accountsRemovedKey({ revocation: "not_offered", accountsRemoved: 1 })).toBe(
      "integrations.disconnect.accountsOne",
    );
    expect(accountsRemovedKey({ revocation: "failed", accountsRemoved: 2 })).toBe(
      "integrations.disconnect.accountsOther",
    );
    expect(translate("en", "integrations.disconnect.accountsOther", { n: 2 })).toBe(
      "2 sending accounts were removed too.",
    );
    expect(translate("tr", "integrations.disconnect.accountsOne", { n: 1 })).toBe(
      "1 gönderim hesabı da kaldırıldı.",
    );
    // The question says the keys go and the access is revoked where the provider allows
    // it (Microsoft does not); the accounts that go are named by the card, when any.
    expect(translate("tr", "integrations.disconnect.confirm", { name: "Google Drive", address: "a@b.c" })).toMatch(
      /^Google Drive bağlantısı \(a@b\.c\) kaldırılsın mı\? Anahtarları bu bilgisayardan silinir; sağlayıcı destekliyorsa/,
    );
    expect(translate("en", "integrations.disconnect.confirm", { name: "Microsoft Teams", address: "a@b.c" })).toMatch(
      /revoked where the provider allows it\.$/,
    );
  });

  it("knows a provider whose OAuth app has no client ID", () => {
    const app = (provider: "google" | "microsoft", clientId: string): App => ({
      provider,
      clientId,
      authorizeUrl: "",
      tokenUrl: "",
      revokeUrl: null,
      apiBase: "",
      redirect: "loopback",
    });
    const apps = [app("google", "123.apps.googleusercontent.com"), app("microsoft", " ")];
    expect(appUnset(apps, "google")).toBe(false);
    expect(appUnset(apps, "microsoft")).toBe(true);
    // Not listed (or not read yet): not known to be unset.
    expect(appUnset([], "google")).toBe(false);
  });
});

describe("smsSenders", () => {
  it("offers the saved, active SMS providers that have a spec, in the list's order", () => {
    const items = [
      integration({ id: 1, channel: "whatsapp" }),
      integration({ id: 2, provider: "twilio" }),
      integration({ id: 3, provider: "unknown" }),
      integration({ id: 4, provider: "sandbox" }),
    ];
    expect(smsSenders(items).map((s) => [s.provider, s.spec.name.tr])).toEqual([["twilio", "Twilio"]]);
    expect(smsSenders([integration({ active: false })])).toEqual([]);
    expect(smsSenders([])).toEqual([]);
  });
});

describe("whatsappSenders", () => {
  it("offers the saved, active WhatsApp providers only, named by their WhatsApp spec", () => {
    const items = [
      integration({ id: 1, provider: "twilio" }),
      integration({ id: 2, channel: "whatsapp", provider: "twilio" }),
      integration({ id: 3, channel: "whatsapp", provider: "meta", active: false }),
      integration({ id: 4, channel: "whatsapp", provider: "meta" }),
      integration({ id: 5, channel: "whatsapp", provider: "sandbox" }),
    ];
    expect(whatsappSenders(items).map((s) => [s.provider, s.spec.name.en])).toEqual([
      ["twilio", "Twilio WhatsApp"],
      ["meta", "WhatsApp Cloud API (Meta)"],
    ]);
    expect(smsSenders(items).map((s) => s.provider)).toEqual(["twilio"]);
    expect(senders(items, "email")).toEqual([]);
  });
});

describe("troubleTime", () => {
  it("says when a card's trouble began in the app's language, or the text itself", () => {
    const at = "2026-12-08T09:05:00Z";
    const tr = troubleTime(at, "tr");
    const en = troubleTime(at, "en");
    expect(tr).toMatch(/^0?8\.12\.2026 \d{2}:\d{2}$/);
    expect(en).toMatch(/^08\/12\/2026, \d{2}:\d{2}$/);
    expect(troubleTime("dün", "tr")).toBe("dün");
  });
});
