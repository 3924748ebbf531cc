import { describe, expect, it, vi } from "vitest";
import { cancelSignIn, signIn } from "./signin";
import { failed, ok } from "./stores/testing";

describe("signIn", () => {
  it("answers what the sign-in gave", async () => {
    const connect = vi.fn().mockResolvedValue(ok({ email: "ayse@gmail.com" }));
    expect(await signIn(connect)).toEqual(ok({ email: "ayse@gmail.com" }));
    expect(connect).toHaveBeenCalledTimes(1);
  });

  it("keeps an error as the connect failure", async () => {
    const res = failed("oauth.denied");
    expect(await signIn(() => Promise.resolve(res))).toEqual({
      status: "error",
      failure: { what: "connect", error: res.error },
    });
  });

  it("has nothing to show when the user cancelled", async () => {
    expect(await signIn(() => Promise.resolve(failed("oauth.cancelled")))).toEqual({
      status: "error",
      failure: null,
    });
  });
});

describe("cancelSignIn", () => {
  it("has nothing to show when cancelling worked", async () => {
    const cancel = vi.fn().mockResolvedValue(ok(true));
    expect(await cancelSignIn(cancel)).toBeNull();
    expect(await cancelSignIn(() => Promise.resolve(ok(false)))).toBeNull();
    expect(cancel).toHaveBeenCalledTimes(1);
  });

  it("keeps an error as the cancel failure", async () => {
    const res = failed("ui.backend_unreachable");
    expect(await cancelSignIn(() => Promise.resolve(res))).toEqual({ what: "cancel", error: res.error });
  });
});
