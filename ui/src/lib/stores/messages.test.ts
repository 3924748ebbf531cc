import { beforeEach, describe, expect, it, vi } from "vitest";
import type { IysCheck } from "../bindings";
import { SmsIysCheck, sendSms, sendSmsBulk, sendWhatsapp, sendWhatsappBulk } from "./messages.svelte";
import { deferred, failed, installRunes, ok } from "./testing";

const commands = vi.hoisted(() => ({
  sendSms: vi.fn(),
  sendSmsBulk: vi.fn(),
  sendWhatsapp: vi.fn(),
  sendWhatsappBulk: vi.fn(),
  smsIysCheck: vi.fn(),
}));
vi.mock("../bindings", async (original) => ({ ...(await original<object>()), commands }));

installRunes();

const input = { accountId: null, companyId: null, to: "0532 123 45 67", text: "Merhaba", idempotencyKey: "k" };

beforeEach(() => {
  vi.resetAllMocks();
});

describe("sendSms", () => {
  it("sends through the chosen provider, or the test box when null", async () => {
    commands.sendSms.mockResolvedValueOnce(ok(7));
    expect(await sendSms(input, "twilio")).toEqual(ok(7));
    expect(commands.sendSms).toHaveBeenLastCalledWith(input, "twilio");
    commands.sendSms.mockResolvedValueOnce(ok(8));
    await sendSms(input, null);
    expect(commands.sendSms).toHaveBeenLastCalledWith(input, null);
  });

  it("gives the backend's error back", async () => {
    commands.sendSms.mockResolvedValueOnce(failed("integration.not_set_up"));
    const res = await sendSms(input, "twilio");
    expect(res.status === "error" && res.error.code).toBe("integration.not_set_up");
  });
});

describe("sendSmsBulk", () => {
  const bulk = {
    companyId: 3,
    to: ["0532 123 45 67", "+90 533 765 43 21"],
    text: "Merhaba",
    idempotencyKey: "b",
  };

  it("queues the numbers in one call, through the provider or the test box, and gives the ids", async () => {
    commands.sendSmsBulk.mockResolvedValueOnce(ok([4, 5]));
    expect(await sendSmsBulk(bulk, "netgsm")).toEqual(ok([4, 5]));
    expect(commands.sendSmsBulk).toHaveBeenLastCalledWith(bulk, "netgsm");
    commands.sendSmsBulk.mockResolvedValueOnce(ok([6, 7]));
    await sendSmsBulk(bulk, null);
    expect(commands.sendSmsBulk).toHaveBeenLastCalledWith(bulk, null);
    expect(commands.sendSmsBulk).toHaveBeenCalledTimes(2);
    expect(commands.sendSms).not.toHaveBeenCalled();
  });

  it("gives a bad number's error back with its field", async () => {
    commands.sendSmsBulk.mockResolvedValueOnce(failed("validation.phone", "to"));
    const res = await sendSmsBulk(bulk, null);
    expect(res.status === "error" && [res.error.code, res.error.field]).toEqual(["validation.phone", "to"]);
  });
});

describe("sendWhatsapp", () => {
  const wa = {
    companyId: 3,
    to: "0532 123 45 67",
    content: { type: "template" as const, name: "teklif_hatirlatma", language: "tr", params: ["Işıl"] },
    idempotencyKey: "w",
  };

  it("sends through the chosen provider, or the test box when null", async () => {
    commands.sendWhatsapp.mockResolvedValueOnce(ok(11));
    expect(await sendWhatsapp(wa, "meta")).toEqual(ok(11));
    expect(commands.sendWhatsapp).toHaveBeenLastCalledWith(wa, "meta");
    commands.sendWhatsapp.mockResolvedValueOnce(ok(12));
    expect(await sendWhatsapp(wa, null)).toEqual(ok(12));
    expect(commands.sendWhatsapp).toHaveBeenLastCalledWith(wa, null);
    expect(commands.sendSms).not.toHaveBeenCalled();
  });

  it("gives the backend's error back, with the field it names", async () => {
    commands.sendWhatsapp.mockResolvedValueOnce(failed("whatsapp.template_name", "template"));
    const res = await sendWhatsapp(wa, "twilio");
    expect(res.status === "error" && [res.error.code, res.error.field]).toEqual([
      "whatsapp.template_name",
      "template",
    ]);
  });
});

describe("sendWhatsappBulk", () => {
  const bulk = {
    companyId: 3,
    to: ["0532 123 45 67", "+90 533 765 43 21"],
    content: { type: "template" as const, name: "teklif_hatirlatma", language: "tr", params: ["Işık Tekstil"] },
    idempotencyKey: "wb",
  };

  it("queues the numbers in one call, through the provider or the test box, and gives the ids", async () => {
    commands.sendWhatsappBulk.mockResolvedValueOnce(ok([21, 22]));
    expect(await sendWhatsappBulk(bulk, "meta")).toEqual(ok([21, 22]));
    expect(commands.sendWhatsappBulk).toHaveBeenLastCalledWith(bulk, "meta");
    commands.sendWhatsappBulk.mockResolvedValueOnce(ok([23, 24]));
    expect(await sendWhatsappBulk(bulk, null)).toEqual(ok([23, 24]));
    expect(commands.sendWhatsappBulk).toHaveBeenLastCalledWith(bulk, null);
    expect(commands.sendWhatsappBulk).toHaveBeenCalledTimes(2);
    expect(commands.sendWhatsapp).not.toHaveBeenCalled();
    expect(commands.sendSmsBulk).not.toHaveBeenCalled();
  });

  it("gives a bad number's error back with its field and the number", async () => {
    const bad = failed("validation.phone", "to");
    bad.error.detail = "12";
    commands.sendWhatsappBulk.mockResolvedValueOnce(bad);
    const res = await sendWhatsappBulk(bulk, null);
    expect(res.status === "error" && [res.error.code, res.error.field, res.error.detail]).toEqual([
      "validation.phone",
      "to",
      "12",
    ]);
  });
});

describe("SmsIysCheck", () => {
  const lacking: IysCheck = { missing: ["refusal", "marker"], individuals: 2, providerFilters: false };
  const fine: IysCheck = { missing: [], individuals: 0, providerFilters: true };

  it("asks with the provider, company, numbers and text, and keeps the answer", async () => {
    const check = new SmsIysCheck();
    commands.smsIysCheck.mockResolvedValueOnce(ok(lacking));
    const to = ["0532 123 45 67"];
    expect(await check.check("twilio", 3, to, "Kampanya: %20")).toEqual(ok(lacking));
    expect(commands.smsIysCheck).toHaveBeenLastCalledWith("twilio", 3, to, "Kampanya: %20");
    expect([check.result, check.error, check.checking]).toEqual([lacking, null, false]);
  });

  it("takes only the latest check's answer, whatever order they come in", async () => {
    const check = new SmsIysCheck();
    const first = deferred<unknown>();
    const second = deferred<unknown>();
    commands.smsIysCheck.mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);
    const a = check.check(null, null, [], "a");
    const b = check.check(null, null, [], "b");
    expect(check.checking).toBe(true);
    second.resolve(ok(fine));
    await b;
    first.resolve(ok(lacking));
    await a;
    expect(check.result).toEqual(fine);
    expect(check.checking).toBe(false);
  });

  it("an error replaces the answer; clear drops both and any answer on its way", async () => {
    const check = new SmsIysCheck();
    commands.smsIysCheck.mockResolvedValueOnce(ok(lacking));
    await check.check(null, null, [], "a");
    commands.smsIysCheck.mockResolvedValueOnce(failed("integration.unknown_provider"));
    await check.check("nope", null, [], "a");
    expect([check.result, check.error?.code]).toEqual([null, "integration.unknown_provider"]);

    const late = deferred<unknown>();
    commands.smsIysCheck.mockReturnValueOnce(late.promise);
    const pending = check.check(null, null, [], "b");
    check.clear();
    late.resolve(ok(lacking));
    await pending;
    expect([check.result, check.error, check.checking]).toEqual([null, null, false]);
  });

  it("outside Tauri the check fails as ui.backend_unreachable, never throws", async () => {
    const check = new SmsIysCheck();
    commands.smsIysCheck.mockRejectedValueOnce(new Error("no tauri"));
    const res = await check.check(null, null, [], "a");
    expect(res.status === "error" && res.error.code).toBe("ui.backend_unreachable");
    expect(check.error?.code).toBe("ui.backend_unreachable");
  });
});
