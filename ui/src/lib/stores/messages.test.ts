import { beforeEach, describe, expect, it, vi } from "vitest";
import { sendSms } from "./messages.svelte";
import { failed, installRunes, ok } from "./testing";

const commands = vi.hoisted(() => ({ sendSms: vi.fn() }));
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
