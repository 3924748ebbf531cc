import { beforeEach, describe, expect, it, vi } from "vitest";
import { openHelpLink } from "./links.svelte";
import { failed, ok } from "./testing";

const commands = vi.hoisted(() => ({ openHelpLink: vi.fn() }));
vi.mock("../bindings", async (original) => ({ ...(await original<object>()), commands }));

beforeEach(() => {
  vi.resetAllMocks();
});

describe("openHelpLink", () => {
  it("asks the backend to open the page", async () => {
    commands.openHelpLink.mockResolvedValueOnce(ok(null));
    expect(await openHelpLink("https://www.netgsm.com.tr/dokuman/")).toEqual(ok(null));
    expect(commands.openHelpLink).toHaveBeenCalledWith("https://www.netgsm.com.tr/dokuman/");
  });

  it("gives a refusal back, and a failed call as an error", async () => {
    commands.openHelpLink.mockResolvedValueOnce(failed("validation.url"));
    const res = await openHelpLink("https://example.com/");
    expect(res.status === "error" && res.error.code).toBe("validation.url");
    commands.openHelpLink.mockRejectedValueOnce(new TypeError("no Tauri"));
    const down = await openHelpLink("https://www.netgsm.com.tr/dokuman/");
    expect(down.status === "error" && down.error.code).toBe("ui.backend_unreachable");
  });
});
