import { describe, expect, it } from "vitest";
import { isApple, isPageTarget, isSendShortcut, OWNS_CTRL_ENTER, type KeyFacts } from "./shortcuts";

const press = (over: Partial<KeyFacts> = {}): KeyFacts => ({
  key: "Enter",
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  repeat: false,
  isComposing: false,
  defaultPrevented: false,
  ...over,
});

describe("the Send shortcut's key", () => {
  it("is Ctrl+Enter on every system", () => {
    expect(isSendShortcut(press({ ctrlKey: true }), false)).toBe(true);
    expect(isSendShortcut(press({ ctrlKey: true }), true)).toBe(true);
  });

  it("is Cmd+Enter on macOS only", () => {
    expect(isSendShortcut(press({ metaKey: true }), true)).toBe(true);
    // The Windows / Super key with Enter belongs to the system elsewhere.
    expect(isSendShortcut(press({ metaKey: true }), false)).toBe(false);
    expect(isSendShortcut(press({ ctrlKey: true, metaKey: true }), true)).toBe(false);
  });

  it("is not Enter alone, nor another key with Ctrl", () => {
    expect(isSendShortcut(press(), false)).toBe(false);
    expect(isSendShortcut(press(), true)).toBe(false);
    expect(isSendShortcut(press({ key: "e", ctrlKey: true }), false)).toBe(false);
    expect(isSendShortcut(press({ key: "Tab", ctrlKey: true }), false)).toBe(false);
  });

  it("is not Ctrl+Enter with Shift or Alt (other shortcuts)", () => {
    expect(isSendShortcut(press({ ctrlKey: true, shiftKey: true }), false)).toBe(false);
    expect(isSendShortcut(press({ ctrlKey: true, altKey: true }), false)).toBe(false);
    expect(isSendShortcut(press({ metaKey: true, shiftKey: true }), true)).toBe(false);
  });

  it("sends once per press: a held key's repeats do not count", () => {
    expect(isSendShortcut(press({ ctrlKey: true, repeat: true }), false)).toBe(false);
  });

  it("leaves an input method's Enter alone", () => {
    expect(isSendShortcut(press({ ctrlKey: true, isComposing: true }), false)).toBe(false);
    expect(isSendShortcut(press({ metaKey: true, keyCode: 229 }), true)).toBe(false);
    expect(isSendShortcut(press({ ctrlKey: true, keyCode: 13 }), false)).toBe(true);
  });

  it("is not a press something else handled already (the editor's link box)", () => {
    expect(isSendShortcut(press({ ctrlKey: true, defaultPrevented: true }), false)).toBe(false);
  });

  it("knows macOS by its user agent", () => {
    expect(
      isApple("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)"),
    ).toBe(true);
    expect(isApple("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Edg/126.0")).toBe(false);
    expect(isApple("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko)")).toBe(
      false,
    );
  });
});

/** A stand-in element: `owned` when it sits in an area that owns Ctrl+Enter. */
function element(owned = false) {
  return {
    closest: (selectors: string) => {
      expect(selectors).toContain(`[${OWNS_CTRL_ENTER}]`);
      return owned ? {} : null;
    },
  };
}

describe("where the Send shortcut applies", () => {
  const body = { body: true };
  const field = element();
  const linkBox = element(true);
  const sidebar = element();
  const page = { contains: (n: unknown) => n === field || n === linkBox };

  it("applies in the page's fields (the editor, a textarea, an input)", () => {
    expect(isPageTarget(field, page, body)).toBe(true);
  });

  it("applies with the focus nowhere (on the body)", () => {
    expect(isPageTarget(body, page, body)).toBe(true);
  });

  it("does not apply where Ctrl+Enter means something else (the link box)", () => {
    expect(isPageTarget(linkBox, page, body)).toBe(false);
  });

  it("does not apply outside the page (the sidebar, the top bar)", () => {
    expect(isPageTarget(sidebar, page, body)).toBe(false);
  });

  it("does not apply without a page or a target", () => {
    expect(isPageTarget(field, null, body)).toBe(false);
    expect(isPageTarget(null, page, body)).toBe(false);
  });
});
