import { describe, expect, it } from "vitest";
import type { ErrorPayload, InboundAddress, InboundStatus } from "./bindings";
import { describeError } from "./i18n";
import {
  INBOUND_PORT_RANGE,
  copiedAddress,
  inboundError,
  inboundFieldErrors,
  inboundForm,
  inboundState,
  parseInboundPort,
  receivesInbound,
  sameSettings,
  shownAddress,
  toInboundSettings,
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

  it("are for Meta's WhatsApp and Vonage's SMS only", () => {
    expect(receivesInbound("whatsapp", "meta")).toBe(true);
    expect(receivesInbound("sms", "vonage")).toBe(true);
    expect(receivesInbound("whatsapp", "twilio")).toBe(false);
    expect(receivesInbound("sms", "meta")).toBe(false);
    expect(receivesInbound("sms", "netgsm")).toBe(false);
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
