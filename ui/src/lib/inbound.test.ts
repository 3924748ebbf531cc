import { describe, expect, it } from "vitest";
import type { ErrorPayload, InboundAddress, InboundStatus } from "./bindings";
import { describeError, translate } from "./i18n";
import {
  INBOUND_PORT_RANGE,
  INBOUND_PROVIDERS,
  copiedAddress,
  inboundError,
  inboundFieldErrors,
  inboundForm,
  inboundState,
  parseInboundPort,
  SIGNATURE_NOTES,
  inboundIdSuffix,
  inboundWords,
  receivesInbound,
  sameSettings,
  shownAddress,
  toInboundSettings,
  twilioSignatureGap,
  validateInbound,
  validateInboundPort,
  validatePublicUrl,
} from "./inbound";

const error = (code: string, field: string | null = null, detail: string | null = null): ErrorPayload =>
  ({ code, message: code, hint: null, field, fields: field ? [field] : [], detail }) as ErrorPayload;

const status = (
  port: number | null,
  listening: number | null,
  problem: ErrorPayload | null = null,
  publicUrl: string | null = null,
): InboundStatus => ({ settings: { port, publicUrl }, listening, problem });

describe("the port", () => {
  it("takes a whole number from 1024 to 65535", () => {
    expect(parseInboundPort("8787")).toBe(8787);
    expect(parseInboundPort(" 1024 ")).toBe(1024);
    expect(parseInboundPort("65535")).toBe(65535);
    expect(parseInboundPort("1023")).toBeNull();
    expect(parseInboundPort("65536")).toBeNull();
    expect(parseInboundPort("80.5")).toBeNull();
    expect(parseInboundPort("-8787")).toBeNull();
    expect(parseInboundPort("")).toBeNull();
  });

  it("is optional: empty turns the receiver off", () => {
    expect(validateInboundPort("")).toBeNull();
    expect(validateInboundPort("   ")).toBeNull();
    expect(validateInboundPort("8787")).toBeNull();
  });

  it("says the range it must be in, in words with the numbers", () => {
    for (const raw of ["80", "70000", "abc", "8787.5"]) {
      const issue = validateInboundPort(raw);
      expect(issue, raw).toEqual({ code: "validation.range", params: { min: 1024, max: 65535 } });
    }
    // What the browser could not read comes as "" with badInput.
    expect(validateInboundPort("", true)?.code).toBe("validation.range");
    const issue = validateInboundPort("80");
    expect(issue).not.toBeNull();
    const text = describeError("tr", issue!);
    expect(text.hint).toBe("1024 ile 65535 arasında bir tam sayı yazın.");
    expect(describeError("en", issue!).hint).toMatch(/1024.*65535/);
  });
});

describe("the tunnel's address", () => {
  it("is https, or http to this computer only; empty is fine", () => {
    expect(validatePublicUrl("")).toBeNull();
    expect(validatePublicUrl("https://ulak.example.com")).toBeNull();
    expect(validatePublicUrl("https://abc.trycloudflare.com/")).toBeNull();
    expect(validatePublicUrl("http://localhost:8787")).toBeNull();
    expect(validatePublicUrl("http://127.0.0.1:8787")).toBeNull();
    expect(validatePublicUrl("http://ulak.example.com")?.code).toBe("validation.url");
    expect(validatePublicUrl("ulak.example.com")?.code).toBe("validation.url");
    expect(validatePublicUrl("ftp://ulak.example.com")?.code).toBe("validation.url");
  });
});

describe("the form", () => {
  it("shows the saved settings and sends them back", () => {
    const form = inboundForm({ port: 8787, publicUrl: "https://t.example.com" });
    expect(form).toEqual({ port: "8787", publicUrl: "https://t.example.com" });
    expect(inboundForm(null)).toEqual({ port: "", publicUrl: "" });
    expect(toInboundSettings({ port: " 8787 ", publicUrl: " https://t.example.com " })).toEqual({
      port: 8787,
      publicUrl: "https://t.example.com",
    });
    expect(toInboundSettings({ port: "", publicUrl: "  " })).toEqual({ port: null, publicUrl: null });
  });

  it("knows when nothing changed", () => {
    const saved = { port: 8787, publicUrl: null };
    expect(sameSettings({ port: "8787", publicUrl: "" }, saved)).toBe(true);
    expect(sameSettings({ port: "8788", publicUrl: "" }, saved)).toBe(false);
    expect(sameSettings({ port: "", publicUrl: "" }, null)).toBe(true);
  });

  it("checks both fields together", () => {
    expect(validateInbound({ port: "", publicUrl: "" })).toEqual({});
    const issues = validateInbound({ port: "80", publicUrl: "http://example.com" });
    expect(Object.keys(issues).sort()).toEqual(["port", "publicUrl"]);
  });

  it("puts the backend's errors beside their fields, the port's with its range", () => {
    expect(inboundFieldErrors(error("validation.range", "port")).port?.code).toBe("validation.range");
    expect(inboundFieldErrors(error("validation.url", "publicUrl")).publicUrl?.code).toBe("validation.url");
    expect(inboundFieldErrors(error("store.not_open"))).toEqual({});
    const text = describeError("tr", inboundError(error("validation.range", "port")));
    expect(text.hint).toBe("1024 ile 65535 arasında bir tam sayı yazın.");
    expect(inboundError(error("validation.url", "publicUrl")).params).toBeUndefined();
    expect(INBOUND_PORT_RANGE).toEqual({ min: 1024, max: 65535 });
  });
});

describe("the status line", () => {
  it("says listening, off, a problem, or not listening", () => {
    expect(inboundState(status(8787, 8787))).toEqual({ kind: "listening", port: 8787 });
    expect(inboundState(status(null, null))).toEqual({ kind: "off" });
    const busy = error("inbound.port_in_use", null, "8787");
    expect(inboundState(status(8787, null, busy))).toEqual({ kind: "problem", problem: busy, listening: null });
    expect(inboundState(status(8788, 8787, busy))).toEqual({ kind: "problem", problem: busy, listening: 8787 });
    expect(inboundState(status(8787, null))).toEqual({ kind: "stopped", port: 8787 });
  });

  it("has words for the problems it may name", () => {
    const text = describeError("tr", error("inbound.port_in_use", null, "127.0.0.1:8787"));
    expect(text.message).toContain("127.0.0.1:8787");
    expect(text.hint).toBeTruthy();
  });
});

describe("the integrations' addresses", () => {
  const address: InboundAddress = {
    integrationId: 3,
    path: "/hooks/3/tok",
    verifyToken: "tok",
    localUrl: "http://127.0.0.1:8787/hooks/3/tok",
    publicUrl: null,
  };

  it("are for Meta's WhatsApp, Vonage's SMS and Twilio's SMS and WhatsApp only", () => {
    expect(receivesInbound("whatsapp", "meta")).toBe(true);
    expect(receivesInbound("sms", "vonage")).toBe(true);
    expect(receivesInbound("sms", "twilio")).toBe(true);
    expect(receivesInbound("whatsapp", "twilio")).toBe(true);
    expect(receivesInbound("sms", "meta")).toBe(false);
    expect(receivesInbound("whatsapp", "vonage")).toBe(false);
    expect(receivesInbound("sms", "netgsm")).toBe(false);
    expect(receivesInbound("whatsapp", "sandbox")).toBe(false);
    expect(receivesInbound("email", "twilio")).toBe(false);
  });

  it("name their ids by the provider, and Twilio's by the channel too (both cards are in the page)", () => {
    expect(inboundIdSuffix("whatsapp", "meta")).toBe("meta");
    expect(inboundIdSuffix("sms", "vonage")).toBe("vonage");
    expect(inboundIdSuffix("sms", "twilio")).toBe("twilio-sms");
    expect(inboundIdSuffix("whatsapp", "twilio")).toBe("twilio-whatsapp");
    const suffixes = INBOUND_PROVIDERS.map((p) => inboundIdSuffix(p.channel, p.provider));
    expect(new Set(suffixes).size).toBe(INBOUND_PROVIDERS.length);
  });

  it("say each provider's console and steps; only Meta's have a verify token", () => {
    expect(inboundWords("whatsapp", "meta")).toEqual({
      console: "inbound.address.consoleMeta",
      steps: "inbound.address.stepsMeta",
      verifyToken: true,
    });
    expect(inboundWords("sms", "vonage")).toEqual({
      console: "inbound.address.consoleVonage",
      steps: "inbound.address.stepsVonage",
      verifyToken: false,
    });
    expect(inboundWords("sms", "twilio")).toEqual({
      console: "inbound.address.consoleTwilio",
      steps: "inbound.address.stepsTwilioSms",
      verifyToken: false,
    });
    expect(inboundWords("whatsapp", "twilio")).toEqual({
      console: "inbound.address.consoleTwilio",
      steps: "inbound.address.stepsTwilioWhatsapp",
      verifyToken: false,
    });
  });

  it("tell where to paste Twilio's address, in both languages", () => {
    expect(translate("tr", "inbound.address.consoleTwilio")).toBe("Twilio Console");
    const sms = translate("tr", "inbound.address.stepsTwilioSms");
    expect(sms).toContain("Active numbers");
    expect(sms).toContain("“A message comes in”");
    expect(sms).toContain("HTTP POST");
    expect(sms).toContain("Engelleme Listesi");
    const wa = translate("tr", "inbound.address.stepsTwilioWhatsapp");
    expect(wa).toContain("WhatsApp senders");
    expect(wa).toContain("“Webhook URL for incoming messages”");
    expect(wa).toContain("WhatsApp sandbox settings");
    expect(wa).toContain("24 saatlik pencere");
    expect(translate("en", "inbound.address.stepsTwilioSms")).toContain("“A message comes in”");
    expect(translate("en", "inbound.address.stepsTwilioWhatsapp")).toContain("24-hour window");
  });

  it("show the public address, else the path behind a stand-in for the tunnel", () => {
    expect(shownAddress(address, "<tünel adresiniz>")).toEqual({
      text: "<tünel adresiniz>/hooks/3/tok",
      complete: false,
    });
    expect(copiedAddress(address)).toBe("/hooks/3/tok");
    const full = { ...address, publicUrl: "https://t.example.com/hooks/3/tok" };
    expect(shownAddress(full, "<tünel adresiniz>")).toEqual({
      text: "https://t.example.com/hooks/3/tok",
      complete: true,
    });
    expect(copiedAddress(full)).toBe("https://t.example.com/hooks/3/tok");
  });
});

describe("Twilio's signature", () => {
  const twilio = (apiKeySid?: string): { provider: string; settings: Record<string, string> } => ({
    provider: "twilio",
    settings: apiKeySid === undefined ? { accountSid: "AC1" } : { accountSid: "AC1", apiKeySid },
  });
  const tunnel = status(8787, 8787, null, "https://t.example.com");
  const noTunnel = status(8787, 8787);

  it("is checked with the auth token and the tunnel's address saved", () => {
    expect(twilioSignatureGap(twilio(), tunnel)).toBeNull();
    expect(twilioSignatureGap(twilio(""), tunnel)).toBeNull();
    expect(twilioSignatureGap(twilio("  "), tunnel)).toBeNull();
  });

  it("cannot be checked without the tunnel's address", () => {
    expect(twilioSignatureGap(twilio(), noTunnel)).toBe("noTunnel");
    expect(twilioSignatureGap(twilio(), status(null, null))).toBe("noTunnel");
  });

  it("cannot be checked with an API key, tunnel or not", () => {
    expect(twilioSignatureGap(twilio("SK123"), tunnel)).toBe("apiKey");
    expect(twilioSignatureGap(twilio("SK123"), noTunnel)).toBe("apiKey");
    expect(twilioSignatureGap(twilio("SK123"), null)).toBe("apiKey");
  });

  it("says nothing before the receiver's settings are read", () => {
    expect(twilioSignatureGap(twilio(), null)).toBeNull();
    expect(twilioSignatureGap(twilio(), undefined)).toBeNull();
  });

  it("is Twilio's only", () => {
    expect(twilioSignatureGap({ provider: "meta", settings: {} }, noTunnel)).toBeNull();
    expect(twilioSignatureGap({ provider: "vonage", settings: { apiKeySid: "SK1" } }, noTunnel)).toBeNull();
  });

  it("has a note for each reason, saying why and what to do, in both languages", () => {
    const noTunnelTr = translate("tr", SIGNATURE_NOTES.noTunnel);
    expect(noTunnelTr).toContain("imza");
    expect(noTunnelTr).toContain("Gelen bildirimler");
    expect(noTunnelTr).toContain("gizli anahtar");
    const apiKeyTr = translate("tr", SIGNATURE_NOTES.apiKey);
    expect(apiKeyTr).toContain("Auth Token");
    expect(apiKeyTr).toContain("gizli anahtar");
    expect(translate("en", SIGNATURE_NOTES.noTunnel)).toContain("Incoming notifications");
    expect(translate("en", SIGNATURE_NOTES.apiKey)).toContain("Auth Token");
    for (const key of Object.values(SIGNATURE_NOTES)) {
      expect(translate("tr", key)).not.toBe(key);
      expect(translate("en", key)).not.toBe(key);
    }
  });
});
