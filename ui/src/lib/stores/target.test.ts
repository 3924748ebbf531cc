import { describe, expect, it } from "vitest";
import { installRunes } from "./testing";

installRunes();
// Imported once the runes stand in: the module makes its store as it loads.
const { TargetStore, target } = await import("./target.svelte");

describe("the composers' target", () => {
  it("starts with no company and no number", () => {
    const t = new TargetStore();
    expect([t.companyId, t.phone, t.company, t.to]).toEqual([null, null, "", ""]);
    expect(target).toBeInstanceOf(TargetStore);
  });

  it("takes a select's value or an id; anything else is no company", () => {
    const t = new TargetStore();
    t.setCompany("12");
    expect([t.companyId, t.company]).toEqual([12, "12"]);
    t.setCompany(7);
    expect(t.company).toBe("7");
    t.setCompany("");
    expect(t.companyId).toBeNull();
    t.setCompany("abc");
    expect(t.companyId).toBeNull();
    t.setCompany(null);
    expect(t.company).toBe("");
  });

  it("keeps a number as typed, trimmed; a blank one is none", () => {
    const t = new TargetStore();
    t.setPhone(" 0532 123 45 67 ");
    expect([t.phone, t.to]).toEqual(["0532 123 45 67", "0532 123 45 67"]);
    t.setPhone("   ");
    expect(t.phone).toBeNull();
    t.setPhone(null);
    expect(t.to).toBe("");
  });

  it("a contact sets both; another workspace clears both", () => {
    const t = new TargetStore();
    t.set({ companyId: 3, phone: "+905321234567" });
    expect([t.company, t.to]).toEqual(["3", "+905321234567"]);
    t.set({ companyId: 4, phone: "" });
    expect([t.companyId, t.phone]).toEqual([4, null]);
    t.clear();
    expect([t.companyId, t.phone]).toEqual([null, null]);
  });
});
