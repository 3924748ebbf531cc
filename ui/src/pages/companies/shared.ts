// Shared by the Companies page's components: the forms' status line, the contact
// count as the list and the company form show it, and focusing what was just drawn.

import { tick } from "svelte";
import { t } from "../../lib/i18n/locale.svelte";

/** The line beside a form's buttons: saved, or what went wrong. */
export type FormStatus = { kind: "saved" } | { kind: "error"; text: string };

/** "1 contact" / "3 contacts". */
export function countText(count: number): string {
  return count === 1
    ? t("companies.contactCountOne", { count })
    : t("companies.contactCountOther", { count });
}

/** Focuses the element with this id once the pending DOM update is applied. */
export async function focusId(id: string): Promise<void> {
  await tick();
  document.getElementById(id)?.focus();
}
