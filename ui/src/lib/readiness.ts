// An account's domain for bulk mail, in words (E-posta Ayarları' "Alan adını kontrol et"
// and Kampanyalar' check of the chosen accounts): one line per check — SPF, DMARC, each
// DKIM signature — with a mark (✓ fine, ⚠ to fix, ? not known) and a plain sentence
// saying what to do, then the overall verdict. DKIM is never called "missing": DNS cannot
// list a domain's selectors, so without a sent mail's headers it is only "not known".

import type {
  DkimKey,
  DkimReport,
  DmarcReport,
  DmarcState,
  Language,
  Readiness,
  SpfReport,
  SpfState,
} from "./bindings";
import { translate } from "./i18n";

/** ✓ nothing to do, ⚠ something to fix, ? not known (no answer, or no way to tell). */
export type Mark = "ok" | "warn" | "unknown";

export const MARK_SYMBOLS: Readonly<Record<Mark, string>> = { ok: "✓", warn: "⚠", unknown: "?" };

/** The mark's meaning, for screen readers ("Tamam", "Düzeltilmeli", "Bilinmiyor"). */
export function markLabel(lang: Language, mark: Mark): string {
  return translate(lang, `domain.mark.${mark}`);
}

export type CheckName = "spf" | "dmarc" | "dkim" | "overall";

export interface ReadinessLine {
  check: CheckName;
  /** The state it words (SpfState, DmarcState, DkimKey; "unknown" for no DKIM; "ready"/"notReady"). */
  state: string;
  mark: Mark;
  text: string;
}

// Every state of each enum, for the tests (each has words in both languages).
export const SPF_STATES: readonly SpfState[] = [
  "ok",
  "missing",
  "multiple",
  "invalid",
  "lacksProvider",
  "tooManyLookups",
  "noAnswer",
  "providerDomain",
];
export const DMARC_STATES: readonly DmarcState[] = [
  "ok",
  "missing",
  "multiple",
  "invalid",
  "noAnswer",
  "providerDomain",
];
export const DKIM_KEYS: readonly DkimKey[] = ["found", "notFound", "unknown", "noAnswer"];

const SPF_MARKS: Readonly<Record<SpfState, Mark>> = {
  ok: "ok",
  missing: "warn",
  multiple: "warn",
  invalid: "warn",
  lacksProvider: "warn",
  tooManyLookups: "warn",
  noAnswer: "unknown",
  // The provider keeps its own domain's records: nothing for the user to do.
  providerDomain: "ok",
};

const DMARC_MARKS: Readonly<Record<DmarcState, Mark>> = {
  ok: "ok",
  missing: "warn",
  multiple: "warn",
  invalid: "warn",
  noAnswer: "unknown",
  providerDomain: "ok",
};

/**
 * The SPF term that authorises the provider: `wanted` as it is when it is a mechanism
 * already ("include:_spf.google.com", "ip4:…", "mx"), else a host name's "a:<host>".
 */
export function spfTerm(wanted: string): string {
  const w = wanted.trim();
  if (/^[+~?-]?(include|a|mx|ip4|ip6|exists|ptr|redirect)(:|=|$|\/)/i.test(w)) return w;
  return `a:${w}`;
}

/** SPF's line: its state in words, with the record to add or the fix. */
export function spfLine(lang: Language, domain: string, spf: SpfReport): ReadinessLine {
  const wanted = spf.wanted?.trim() ? spfTerm(spf.wanted) : null;
  let text: string;
  if ((spf.state === "missing" || spf.state === "lacksProvider") && wanted === null) {
    text = translate(lang, `domain.spf.${spf.state}Unknown`, { domain });
  } else {
    text = translate(lang, `domain.spf.${spf.state}`, {
      domain,
      lookups: spf.lookups,
      wanted: wanted ?? "",
    });
  }
  return { check: "spf", state: spf.state, mark: SPF_MARKS[spf.state], text };
}

/** DMARC's line: its state in words, with the record to add or the fix. */
export function dmarcLine(lang: Language, domain: string, dmarc: DmarcReport): ReadinessLine {
  const policy = dmarc.policy?.trim() || null;
  let text: string;
  if (dmarc.state === "ok" && policy === null) {
    text = translate(lang, "domain.dmarc.okNoPolicy");
  } else if (dmarc.state === "ok" && policy !== null && policy.toLowerCase() !== "none") {
    // quarantine or reject: stricter than needed, nothing to add.
    text = translate(lang, "domain.dmarc.okStrict", { policy });
  } else {
    text = translate(lang, `domain.dmarc.${dmarc.state}`, { domain, policy: policy ?? "" });
  }
  return { check: "dmarc", state: dmarc.state, mark: DMARC_MARKS[dmarc.state], text };
}

/** A signature's mark: ✓ a key found and aligned with From; ⚠ no key or not aligned; ? else. */
function dkimMark(report: DkimReport): Mark {
  if (report.key === "notFound") return "warn";
  if (report.key === "found") return report.aligned ? "ok" : "warn";
  return "unknown";
}

/**
 * DKIM's lines: one per signature found (in the pasted headers, or a common selector that
 * answered); with none, one line saying it is not known and how to find out.
 */
export function dkimLines(lang: Language, dkim: readonly DkimReport[]): ReadinessLine[] {
  if (dkim.length === 0) {
    return [{ check: "dkim", state: "unknown", mark: "unknown", text: translate(lang, "domain.dkim.none") }];
  }
  return dkim.map((report) => {
    const line = translate(lang, "domain.dkim.entry", {
      domain: report.domain,
      selector: report.selector,
      key: translate(lang, `domain.dkim.key.${report.key}`),
      alignment: translate(lang, report.aligned ? "domain.dkim.aligned" : "domain.dkim.notAligned"),
    });
    const text = report.fromHeaders ? line : translate(lang, "domain.dkim.guessed", { line });
    return { check: "dkim", state: report.key, mark: dkimMark(report), text };
  });
}

/** The verdict: ready for bulk mail, or fix the points above first. */
export function overallLine(lang: Language, r: Pick<Readiness, "ready">): ReadinessLine {
  return r.ready
    ? { check: "overall", state: "ready", mark: "ok", text: translate(lang, "domain.ready") }
    : { check: "overall", state: "notReady", mark: "warn", text: translate(lang, "domain.notReady") };
}

/** Every check's line, SPF, DKIM, DMARC in that order (the verdict is `overallLine`). */
export function readinessLines(lang: Language, r: Readiness): ReadinessLine[] {
  return [
    spfLine(lang, r.domain, r.spf),
    ...dkimLines(lang, r.dkim),
    dmarcLine(lang, r.domain, r.dmarc),
  ];
}

/** Only what is to be fixed (⚠): the short form Kampanyalar shows per account. */
export function problemLines(lang: Language, r: Readiness): ReadinessLine[] {
  return readinessLines(lang, r).filter((line) => line.mark === "warn");
}
