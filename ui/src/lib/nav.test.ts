import { describe, expect, it } from "vitest";
import { COMPOSERS, composerPage, findNavItem, NAV } from "./nav";

describe("navigation", () => {
  it("lists Companies in the contact group, before Compose, SMS, WhatsApp and Campaigns", () => {
    const group = NAV.find((g) => g.label === "nav.groupContact");
    expect(group?.items.map((i) => i.id)).toEqual([
      "companies",
      "compose",
      "sms",
      "whatsapp",
      "campaigns",
    ]);
    expect(findNavItem("campaigns")).toEqual({ id: "campaigns", label: "nav.campaigns" });
    expect(findNavItem("whatsapp")).toEqual({ id: "whatsapp", label: "nav.whatsapp" });
    expect(findNavItem("companies")).toEqual({ id: "companies", label: "nav.companies" });
  });

  it("every page is built: none is still to come", () => {
    const soon = NAV.flatMap((g) => g.items.filter((i) => i.soon).map((i) => i.id));
    expect(soon).toEqual([]);
    expect(findNavItem("integrations")).toEqual({ id: "integrations", label: "nav.integrations" });
  });

  it("puts the suppression list right after the send history", () => {
    const group = NAV.find((g) => g.items.some((i) => i.id === "history"));
    const ids = group?.items.map((i) => i.id) ?? [];
    expect(ids.indexOf("suppression")).toBe(ids.indexOf("history") + 1);
    expect(findNavItem("suppression")).toEqual({ id: "suppression", label: "nav.suppression" });
  });

  it("puts Otomasyonlar between the suppression list and Bildirimler", () => {
    const group = NAV.find((g) => g.items.some((i) => i.id === "automations"));
    const ids = group?.items.map((i) => i.id) ?? [];
    expect(ids.slice(-3)).toEqual(["suppression", "automations", "notifications"]);
    expect(NAV.at(-1)).toBe(group);
    expect(findNavItem("automations")).toEqual({ id: "automations", label: "nav.automations" });
  });

  it("page ids are unique", () => {
    const ids = NAV.flatMap((g) => g.items.map((i) => i.id));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("the composers' channel switch", () => {
  it("goes e-mail, SMS, WhatsApp, each to a page of the contact group", () => {
    expect(COMPOSERS.map((c) => [c.channel, c.page])).toEqual([
      ["email", "compose"],
      ["sms", "sms"],
      ["whatsapp", "whatsapp"],
    ]);
    expect(composerPage("whatsapp")).toBe("whatsapp");
    expect(composerPage("email")).toBe("compose");
    const contact = NAV.find((g) => g.label === "nav.groupContact")?.items.map((i) => i.id) ?? [];
    for (const c of COMPOSERS) expect(contact).toContain(c.page);
  });
});
