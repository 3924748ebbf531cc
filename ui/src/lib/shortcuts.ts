// The composers' keyboard shortcut: Ctrl+Enter (and Cmd+Enter on macOS) sends, as the
// Send button does, on E-posta Oluştur, SMS Gönder and WhatsApp Gönder. Plain logic: the
// pages listen on the window and ask here whether a key press is the shortcut.

/** What of a KeyboardEvent decides whether it is the shortcut. */
export interface KeyFacts {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  /** Held down: one press sends once, the key's repeats do not. */
  repeat: boolean;
  /** An input method is composing (its Enter confirms the text, it does not send). */
  isComposing: boolean;
  /** Safari's Enter that ends a composition comes as keyCode 229. */
  keyCode?: number;
  /** Something on the way (the editor's link box) took the key already. */
  defaultPrevented: boolean;
}

/**
 * Marks an area where Ctrl+Enter means something else (RichTextEditor's link box: any
 * Enter applies the link). Open dialogs count too: their keys are theirs.
 */
export const OWNS_CTRL_ENTER = "data-owns-ctrl-enter";
const OWN_AREA = `[${OWNS_CTRL_ENTER}], [role="dialog"], dialog`;

/** Whether the user agent is Apple's (macOS): there Cmd+Enter sends too. */
export function isApple(userAgent: string): boolean {
  return /Macintosh|Mac OS X|iPhone|iPad/.test(userAgent);
}

const APPLE = typeof navigator !== "undefined" && isApple(navigator.userAgent);

/**
 * Ctrl+Enter everywhere, Cmd+Enter on macOS (`apple`); no Alt or Shift with it (those are
 * other shortcuts), not a held key's repeats, not an input method's Enter, not a press
 * something else handled already.
 */
export function isSendShortcut(event: KeyFacts, apple: boolean): boolean {
  if (event.key !== "Enter") return false;
  if (event.repeat || event.isComposing || event.keyCode === 229) return false;
  if (event.defaultPrevented || event.altKey || event.shiftKey) return false;
  const ctrl = event.ctrlKey && !event.metaKey;
  const cmd = apple && event.metaKey && !event.ctrlKey;
  return ctrl || cmd;
}

/** The little of the page's element the target check uses (tests pass plain objects). */
export interface PageLike {
  contains(other: Node | null): boolean;
}

/**
 * Whether a press with the focus on `target` belongs to the page: the focus is inside
 * `page` (or nowhere, on `body`) and not in an area that owns Ctrl+Enter.
 */
export function isPageTarget(target: unknown, page: PageLike | null, body: unknown): boolean {
  if (target === null || target === undefined || page === null) return false;
  if (target === body) return true;
  if (!page.contains(target as Node)) return false;
  const closest = (target as { closest?: unknown }).closest;
  return typeof closest === "function" && closest.call(target, OWN_AREA) === null;
}

/** The page's test for its window `keydown`: is this the Send shortcut, meant for `page`? */
export function sendShortcut(event: KeyboardEvent, page: HTMLElement | null | undefined): boolean {
  return (
    isSendShortcut(event, APPLE) &&
    isPageTarget(event.target, page ?? null, typeof document === "undefined" ? null : document.body)
  );
}
