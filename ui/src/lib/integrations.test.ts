import { describe, expect, it } from "vitest";
import type { ErrorPayload, Integration } from "./bindings";
import {
  TABS,
  connectionOf,
  fieldErrors,
  findIntegration,
  formValues,
  idPrefix,
  managedOn,
  smsSenders,
  specsForTab,
  toIntegrationInput,
} from "./integrations";
import { fieldId, specFor } from "./providers";

const twilio = specFor("sms", "twilio");

function integration(over: Partial<Integration> = {}): Integration {
  return {
    id: 1,
    workspaceId: 1,
    channel: "sms",
    provider: "twilio",
    settings: { accountSid: "AC123", from: "+15005550006" },
    baseUrl: null,
    secretsSet: ["authToken"],
    active: true,
    lastError: null,
    createdAt: "",
    updatedAt: "",
    ...over,
  };
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
  it("has the six kinds, in order, each with a soon line", () => {
    expect(TABS.map((x) => x.id)).toEqual(["email", "sms", "whatsapp", "google", "meeting", "other"]);
    expect(TABS.map((x) => x.soon)).toEqual(TABS.map((x) => `integrations.soon.${x.id}`));
  });

  it("lists a channel's specs without its test box", () => {
    expect(specsForTab(tab("email")).map((s) => s.provider)).toEqual(["smtp"]);
    const sms = specsForTab(tab("sms"));
    expect(sms.map((s) => s.provider)).toContain("twilio");
    expect(sms.every((s) => s.channel === "sms" && s.provider !== "sandbox")).toBe(true);
    for (const id of ["whatsapp", "google", "meeting", "other"]) expect(specsForTab(tab(id))).toEqual([]);
  });

  it("sends SMTP to E-posta Ayarları; the rest are set up here", () => {
    expect(managedOn(specFor("email", "smtp"))).toBe("email-settings");
    expect(managedOn(twilio)).toBeNull();
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
    expect(toIntegrationInput(twilio, values, "  ")).toEqual({
      values: { accountSid: "AC1", apiKeySid: "", from: "Ulak", messagingServiceSid: "" },
      baseUrl: "",
    });
    const typed = toIntegrationInput(twilio, { ...values, authToken: " s3cret " }, " http://127.0.0.1:9/ ");
    expect(typed.values.authToken).toBe(" s3cret ");
    expect(typed.baseUrl).toBe("http://127.0.0.1:9/");
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
