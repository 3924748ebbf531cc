import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Contact } from "../bindings";
import { RecipientChoice } from "./recipients.svelte";
import { deferred, failed, installRunes, ok, settle } from "./testing";

const commands = vi.hoisted(() => ({ listContacts: vi.fn() }));
vi.mock("../bindings", async (original) => ({ ...(await original<object>()), commands }));

installRunes();

function contact(id: number, phone: string, companyId = 1): Contact {
  return {
    id,
    workspaceId: 1,
    companyId,
    name: `Kişi ${id}`,
    email: "",
    phone,
    notes: "",
    recipientType: "TACIR",
    createdAt: "",
    updatedAt: "",
  };
}

const CONTACTS = [
  contact(1, "0532 111 22 33"),
  contact(2, " "),
  contact(3, "+90 533 444 55 66"),
  contact(4, "0534 777 88 99"),
];

async function opened(list: Contact[] = CONTACTS): Promise<RecipientChoice> {
  const choice = new RecipientChoice();
  commands.listContacts.mockResolvedValueOnce(ok(list));
  choice.mode = "bulk";
  choice.follow(1);
  await settle();
  return choice;
}

beforeEach(() => {
  vi.resetAllMocks();
});

describe("RecipientChoice", () => {
  it("starts on one number, with nothing chosen", () => {
    const choice = new RecipientChoice();
    expect(choice.bulk).toBe(false);
    expect(choice.recipients).toEqual([]);
    expect(choice.issue).toEqual({ code: "validation.required" });
  });

  it("lists the company's contacts that have a phone, and counts the others", async () => {
    const choice = await opened();
    expect(commands.listContacts).toHaveBeenCalledWith(1);
    expect(choice.phoned.map((c) => c.id)).toEqual([1, 3, 4]);
    expect(choice.withoutPhone).toBe(1);
  });

  it("sends to the ticked contacts, then the pasted numbers, each number once", async () => {
    const choice = await opened();
    choice.pick(3, true);
    choice.pick(1, true);
    expect(choice.somePicked).toBe(true);
    expect(choice.allPicked).toBe(false);
    // The contacts' order, not the ticking order; a contact's number pasted again goes once.
    choice.numbersText = "0535 000 11 22\n0090 532 111 22 33";
    expect(choice.recipients).toEqual(["0532 111 22 33", "+90 533 444 55 66", "0535 000 11 22"]);
    expect(choice.issue).toBeNull();
    choice.pick(1, false);
    expect(choice.pickedContacts.map((c) => c.id)).toEqual([3]);
  });

  it("ticks all and none; a contact without a phone is never ticked", async () => {
    const choice = await opened();
    choice.pickAll(true);
    expect(choice.picked).toEqual([1, 3, 4]);
    expect(choice.allPicked).toBe(true);
    expect(choice.somePicked).toBe(false);
    expect(choice.recipients).toHaveLength(3);
    choice.pickAll(false);
    expect(choice.recipients).toEqual([]);
    expect(choice.allPicked).toBe(false);
  });

  it("refuses to send while a pasted line is not a number, and finds its line", async () => {
    const choice = await opened();
    choice.pickAll(true);
    choice.numbersText = "0535 000 11 22\n12";
    expect(choice.checked.bad.map((b) => [b.line, b.value])).toEqual([[2, "12"]]);
    expect(choice.issue).toEqual({ code: "validation.phone" });
    expect(choice.lineOf(" 12 ")).toBe(2);
    expect(choice.lineOf("0536")).toBeNull();
  });

  it("shows no contacts without a company, and drops a read still on its way", async () => {
    const choice = new RecipientChoice();
    const late = deferred<unknown>();
    commands.listContacts.mockReturnValueOnce(late.promise);
    choice.follow(1);
    expect(choice.contacts.loading).toBe(true);
    choice.follow(null);
    late.resolve(ok(CONTACTS));
    await settle();
    expect(choice.contacts.loading).toBe(false);
    expect(choice.phoned).toEqual([]);
  });

  it("keeps a failed read's error until it is read again", async () => {
    const choice = new RecipientChoice();
    commands.listContacts.mockResolvedValueOnce(failed("crm.company_not_found"));
    choice.follow(1);
    await settle();
    expect(choice.contacts.error?.code).toBe("crm.company_not_found");
    commands.listContacts.mockResolvedValueOnce(ok(CONTACTS));
    choice.reload(1);
    await settle();
    expect(choice.contacts.error).toBeNull();
    expect(choice.phoned).toHaveLength(3);
  });
});
