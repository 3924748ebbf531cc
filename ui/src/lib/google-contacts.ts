// Google Kişiler (Google Contacts) without Svelte: the Firmalar page's import panel —
// its search box (Turkish letters and case aside, as the suppression list's), which
// contacts are chosen, how many rows are drawn at a time — and the words of what the
// import did (the summary, who could not be imported and why).

import type { Candidate, ErrorPayload, Language, MergeReport, Person, Rejected } from "./bindings";
import { translate, type MessageKey } from "./i18n";
import { foldForSearch } from "./suppression";

/** The rows drawn at first, and added by each "Daha fazla göster". */
export const PAGE_SIZE = 200;

/** A candidate as the panel lists it: its key (for the choice) and its searchable text. */
export interface CandidateRow {
  candidate: Candidate;
  /** The contact's `people/c…`; its position when Google gave none. */
  key: string;
  /** Name, e-mail and organization, folded for searching. */
  haystack: string;
}

/** The rows for the candidates, in the backend's order (the suggested first). */
export function indexCandidates(list: readonly Candidate[]): CandidateRow[] {
  const seen = new Set<string>();
  return list.map((candidate, i) => {
    const { name, email, organization, resourceName } = candidate.person;
    // Two rows never share a key: the choice would tick both.
    const key = resourceName.trim() !== "" && !seen.has(resourceName) ? resourceName : `#${i}`;
    seen.add(key);
    return { candidate, key, haystack: foldForSearch([name, email, organization].join("\n")) };
  });
}

/**
 * The rows the search box lets through: every word of it is in the name, the e-mail or
 * the organization ("cagla acme" finds Çağla of ACME). An empty search lets all through.
 */
export function filterRows(rows: readonly CandidateRow[], query: string): readonly CandidateRow[] {
  const words = foldForSearch(query).split(/\s+/).filter((w) => w !== "");
  if (words.length === 0) return rows;
  return rows.filter((row) => words.every((w) => row.haystack.includes(w)));
}

/** What is ticked when the list comes: the suggested contacts. */
export function suggestedChoice(rows: readonly CandidateRow[]): Set<string> {
  return new Set(rows.filter((r) => r.candidate.suggested).map((r) => r.key));
}

/** The choice with these rows ticked (`on`) or not; the others keep theirs. */
export function setChosen(
  chosen: ReadonlySet<string>,
  rows: Iterable<Pick<CandidateRow, "key">>,
  on: boolean,
): Set<string> {
  const next = new Set(chosen);
  for (const row of rows) {
    if (on) next.add(row.key);
    else next.delete(row.key);
  }
  return next;
}

/** The people to import: the ticked rows, in the list's order. */
export function chosenPeople(rows: readonly CandidateRow[], chosen: ReadonlySet<string>): Person[] {
  return rows.filter((r) => chosen.has(r.key)).map((r) => r.candidate.person);
}

/** The rows drawn: the first `limit` of those the search lets through. */
export function shownRows(rows: readonly CandidateRow[], limit: number): readonly CandidateRow[] {
  return rows.length <= limit ? rows : rows.slice(0, Math.max(0, limit));
}

/** The limit after "Daha fazla göster": another page, never beyond them all. */
export function moreLimit(limit: number, total: number): number {
  return Math.min(Math.max(limit, 0) + PAGE_SIZE, Math.max(total, PAGE_SIZE));
}

function counted(lang: Language, n: number, one: MessageKey, other: MessageKey): string {
  return translate(lang, n === 1 ? one : other, { n });
}

/** "3 kişi eklendi, 1 kişi birleştirildi, 2 kişi zaten vardı". */
export function mergeSummary(lang: Language, report: Pick<MergeReport, "added" | "merged" | "unchanged">): string {
  const base = "googleContacts.import";
  return [
    counted(lang, report.added, `${base}.addedOne`, `${base}.addedOther`),
    counted(lang, report.merged, `${base}.mergedOne`, `${base}.mergedOther`),
    counted(lang, report.unchanged, `${base}.unchangedOne`, `${base}.unchangedOther`),
  ].join(translate(lang, `${base}.separator`));
}

/** Who a rejected row is: the person sent at its position (1-based), by name or address. */
export function rejectedPerson(people: readonly Person[], row: Pick<Rejected, "line">): string {
  const p = people[row.line - 1];
  const said = p ? [p.name, p.email, p.phone].map((s) => s.trim()).find((s) => s !== "") : undefined;
  return said ?? `#${row.line}`;
}

/**
 * The failure is fixed on Entegrasyonlar › Google: no account reads contacts, or its
 * grant was withdrawn (connect again).
 */
export function needsGoogle(error: Pick<ErrorPayload, "code">): boolean {
  return error.code === "google_contacts.not_connected" || error.code === "oauth.reconnect";
}
