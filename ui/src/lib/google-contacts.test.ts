import { describe, expect, it } from "vitest";
import type { Candidate, Person } from "./bindings";
import {
  PAGE_SIZE,
  chosenPeople,
  filterRows,
  indexCandidates,
  mergeSummary,
  moreLimit,
  needsGoogle,
  rejectedPerson,
  setChosen,
  shownRows,
  suggestedChoice,
} from "./google-contacts";

function person(n: number, over: Partial<Person> = {}): Person {
  return {
    resourceName: `people/c${n}`,
    name: `Kişi ${n}`,
    email: `k${n}@ornek.com.tr`,
    phone: "",
    organization: "",
    ...over,
  };
}

function candidate(n: number, over: Partial<Person> = {}, suggested = false, known = false): Candidate {
  return { person: person(n, over), suggested, known };
}

const list: Candidate[] = [
  candidate(1, { name: "Çağla Işık", email: "cagla@acme.com.tr", organization: "ACME Yapı" }, true),
  candidate(2, { name: "İsmail Öztürk", email: "ismail@acme.com.tr", phone: "+905321234567" }, true, true),
  candidate(3, { name: "Ayşe Yılmaz", email: "ayse@gmail.com", organization: "Şirin Gıda" }),
  candidate(4, { name: "", email: "", phone: "+905551112233", organization: "" }),
];

const keys = (rows: readonly { key: string }[]): string[] => rows.map((r) => r.key);

describe("the candidates' rows", () => {
  it("keeps the backend's order and keys them by resource name", () => {
    const rows = indexCandidates(list);
    expect(keys(rows)).toEqual(["people/c1", "people/c2", "people/c3", "people/c4"]);
    expect(rows[0]?.candidate).toBe(list[0]);
  });

  it("never gives two rows one key (none, or the same, from Google)", () => {
    const rows = indexCandidates([
      candidate(1, { resourceName: "" }),
      candidate(2),
      candidate(3, { resourceName: "people/c2" }),
    ]);
    expect(keys(rows)).toEqual(["#0", "people/c2", "#2"]);
  });

  it("ticks the suggested ones at first", () => {
    expect([...suggestedChoice(indexCandidates(list))]).toEqual(["people/c1", "people/c2"]);
    expect(suggestedChoice([]).size).toBe(0);
  });
});

describe("the search box", () => {
  const rows = indexCandidates(list);

  it("lets all through when empty", () => {
    expect(filterRows(rows, "")).toBe(rows);
    expect(filterRows(rows, "   ")).toBe(rows);
  });

  it("finds by name, e-mail and organization, Turkish letters and case aside", () => {
    expect(keys(filterRows(rows, "ÇAĞLA"))).toEqual(["people/c1"]);
    expect(keys(filterRows(rows, "cagla"))).toEqual(["people/c1"]);
    expect(keys(filterRows(rows, "isik"))).toEqual(["people/c1"]);
    expect(keys(filterRows(rows, "ISMAIL"))).toEqual(["people/c2"]);
    expect(keys(filterRows(rows, "acme.com.tr"))).toEqual(["people/c1", "people/c2"]);
    expect(keys(filterRows(rows, "şirin"))).toEqual(["people/c3"]);
    expect(keys(filterRows(rows, "SIRIN GIDA"))).toEqual(["people/c3"]);
  });

  it("wants every word, in any field and order", () => {
    expect(keys(filterRows(rows, "yapı çağla"))).toEqual(["people/c1"]);
    expect(keys(filterRows(rows, "ayşe acme"))).toEqual([]);
  });

  it("does not search the phone", () => {
    expect(keys(filterRows(rows, "532"))).toEqual([]);
  });
});

describe("choosing", () => {
  const rows = indexCandidates(list);

  it("ticks and unticks rows without changing the former choice", () => {
    const first = suggestedChoice(rows);
    const second = setChosen(first, [{ key: "people/c3" }], true);
    expect([...second].sort()).toEqual(["people/c1", "people/c2", "people/c3"]);
    expect(first.size).toBe(2);
    const third = setChosen(second, [{ key: "people/c1" }], false);
    expect([...third].sort()).toEqual(["people/c2", "people/c3"]);
  });

  it("all or none of those listed: the others keep their ticks", () => {
    const chosen = new Set(["people/c3"]);
    const acme = filterRows(rows, "acme");
    expect([...setChosen(chosen, acme, true)].sort()).toEqual(["people/c1", "people/c2", "people/c3"]);
    expect([...setChosen(new Set(keys(rows)), acme, false)].sort()).toEqual(["people/c3", "people/c4"]);
    expect(setChosen(chosen, rows, false).size).toBe(0);
    expect(setChosen(chosen, rows, true).size).toBe(4);
  });

  it("sends the ticked in the list's order", () => {
    const chosen = new Set(["people/c3", "people/c1"]);
    expect(chosenPeople(rows, chosen)).toEqual([list[0]?.person, list[2]?.person]);
    expect(chosenPeople(rows, new Set())).toEqual([]);
  });
});

describe("a long list", () => {
  const many = indexCandidates(Array.from({ length: 1106 }, (_, i) => candidate(i + 1)));

  it("draws a page at first, one more at a time, never beyond them all", () => {
    expect(PAGE_SIZE).toBe(200);
    expect(shownRows(many, PAGE_SIZE)).toHaveLength(200);
    expect(shownRows(many, moreLimit(PAGE_SIZE, many.length))).toHaveLength(400);
    expect(moreLimit(1000, many.length)).toBe(1106);
    expect(shownRows(many, moreLimit(1000, many.length))).toHaveLength(1106);
    const few = many.slice(0, 5);
    expect(shownRows(few, PAGE_SIZE)).toBe(few);
  });

  it("searches the whole list, not only the rows drawn", () => {
    expect(keys(filterRows(many, "kişi 1106"))).toEqual(["people/c1106"]);
    expect(filterRows(many, "k110")).toHaveLength(8); // k110, k1100…k1106
  });
});

describe("what the import did", () => {
  it("says it in Turkish and English", () => {
    const report = { added: 3, merged: 1, unchanged: 2 };
    expect(mergeSummary("tr", report)).toBe("3 kişi eklendi, 1 kişi birleştirildi, 2 kişi zaten vardı");
    expect(mergeSummary("en", report)).toBe("3 contacts added, 1 merged, 2 already there");
    expect(mergeSummary("en", { added: 1, merged: 0, unchanged: 0 })).toBe(
      "1 contact added, 0 merged, 0 already there",
    );
    expect(mergeSummary("tr", { added: 0, merged: 0, unchanged: 0 })).toBe(
      "0 kişi eklendi, 0 kişi birleştirildi, 0 kişi zaten vardı",
    );
  });

  it("names a rejected person by the position sent", () => {
    const sent = [person(1), person(2, { name: " ", email: "", phone: "+905321234567" })];
    expect(rejectedPerson(sent, { line: 1 })).toBe("Kişi 1");
    expect(rejectedPerson(sent, { line: 2 })).toBe("+905321234567");
    expect(rejectedPerson(sent, { line: 7 })).toBe("#7");
  });

  it("sends to Entegrasyonlar › Google when no account reads contacts, or its grant ended", () => {
    expect(needsGoogle({ code: "google_contacts.not_connected" })).toBe(true);
    expect(needsGoogle({ code: "oauth.reconnect" })).toBe(true);
    expect(needsGoogle({ code: "google_contacts.refused" })).toBe(false);
    expect(needsGoogle({ code: "crm.company_not_found" })).toBe(false);
  });
});
