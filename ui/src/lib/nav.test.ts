import { describe, expect, it } from "vitest";
import { findNavItem, NAV } from "./nav";

describe("navigation", () => {
  it("lists Companies in the contact group, before Compose and SMS", () => {
    const group = NAV.find((g) => g.label === "nav.groupContact");
    expect(group?.items.map((i) => i.id)).toEqual(["companies", "compose", "sms"]);
    expect(findNavItem("companies")).toEqual({ id: "companies", label: "nav.companies" });
  });

  it("every page is built: none is still to come", () => {
    const soon = NAV.flatMap((g) => g.items.filter((i) => i.soon).map((i) => i.id));
    expect(soon).toEqual([]);
    expect(findNavItem("integrations")).toEqual({ id: "integrations", label: "nav.integrations" });
  });

  it("page ids are unique", () => {
    const ids = NAV.flatMap((g) => g.items.map((i) => i.id));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
