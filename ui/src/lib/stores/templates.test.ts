import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Template } from "../bindings";
import { TemplatesStore } from "./templates.svelte";
import { failed, installRunes, ok } from "./testing";

const commands = vi.hoisted(() => ({
  listTemplates: vi.fn(),
  createTemplate: vi.fn(),
  updateTemplate: vi.fn(),
  deleteTemplate: vi.fn(),
}));
vi.mock("../bindings", async (original) => ({ ...(await original<object>()), commands }));

installRunes();

function template(id: number, name: string): Template {
  return { id, workspaceId: 1, name, subject: "", bodyHtml: "", createdAt: "", updatedAt: "" };
}

const names = (store: TemplatesStore): string[] => store.items.map((x) => x.name);

async function loaded(...templates: Template[]): Promise<TemplatesStore> {
  const store = new TemplatesStore();
  commands.listTemplates.mockResolvedValueOnce(ok(templates));
  await store.load();
  return store;
}

beforeEach(() => {
  vi.resetAllMocks();
});

describe("TemplatesStore", () => {
  it("loads the list, or gives the error", async () => {
    const store = await loaded(template(1, "Teklif"));
    expect(store.loading).toBe(false);
    expect(names(store)).toEqual(["Teklif"]);
    commands.listTemplates.mockResolvedValueOnce(failed("store.not_open"));
    await store.load();
    expect(store.error?.code).toBe("store.not_open");
    expect(names(store)).toEqual(["Teklif"]);
  });

  it("puts a new template in name order, in the interface language's order", async () => {
    const store = await loaded(template(1, "Çağrı"), template(2, "Teklif"));
    const input = { name: "Ödeme", subject: "", bodyHtml: "" };
    commands.createTemplate.mockResolvedValueOnce(ok(template(3, "Ödeme")));
    await store.save(null, input, "tr");
    expect(commands.createTemplate).toHaveBeenCalledWith(input);
    expect(names(store)).toEqual(["Çağrı", "Ödeme", "Teklif"]);
  });

  it("replaces an updated template and sorts again", async () => {
    const store = await loaded(template(1, "Abc"), template(2, "Teklif"));
    const input = { name: "Zeytin", subject: "", bodyHtml: "" };
    commands.updateTemplate.mockResolvedValueOnce(ok(template(1, "Zeytin")));
    await store.save(1, input, "en");
    expect(commands.updateTemplate).toHaveBeenCalledWith(1, input);
    expect(store.items.map((x) => x.id)).toEqual([2, 1]);
  });

  it("leaves the list alone when saving fails", async () => {
    const store = await loaded(template(1, "Teklif"));
    commands.createTemplate.mockResolvedValueOnce(failed("template.duplicate", "name"));
    const res = await store.save(null, { name: "Teklif", subject: "", bodyHtml: "" }, "tr");
    expect(res.status).toBe("error");
    expect(names(store)).toEqual(["Teklif"]);
  });

  it("drops a deleted template, also one found already gone, but not on other errors", async () => {
    const store = await loaded(template(1, "A"), template(2, "B"), template(3, "C"));
    commands.deleteTemplate.mockResolvedValueOnce(ok(null));
    await store.remove(1);
    commands.deleteTemplate.mockResolvedValueOnce(failed("template.not_found"));
    await store.remove(2);
    commands.deleteTemplate.mockResolvedValueOnce(failed("internal"));
    expect((await store.remove(3)).status).toBe("error");
    expect(names(store)).toEqual(["C"]);
  });
});
