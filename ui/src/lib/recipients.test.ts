import { describe, expect, it } from "vitest";
import {
  badNumberOf,
  bulkRecipients,
  checkNumbers,
  lineOf,
  phoneKey,
  sentNumbers,
  splitNumbers,
  validateRecipients,
} from "./recipients";

describe("splitNumbers", () => {
  it("takes one number a line, or several split by commas and semicolons, with their line", () => {
    expect(splitNumbers("0532 123 45 67\r\n\n +90 533 765 43 21 ; 0212 555 12 12,\n,;\n12")).toEqual([
      { line: 1, value: "0532 123 45 67" },
      { line: 3, value: "+90 533 765 43 21" },
      { line: 3, value: "0212 555 12 12" },
      { line: 5, value: "12" },
    ]);
    expect(splitNumbers("")).toEqual([]);
    expect(splitNumbers(" \n\t\n")).toEqual([]);
  });
});

describe("checkNumbers", () => {
  it("keeps the good numbers and names each bad one by its line and value", () => {
    const checked = checkNumbers("0532 123 45 67\nabc, +90 533 765 43 21\n\n12");
    expect(checked.numbers).toEqual(["0532 123 45 67", "+90 533 765 43 21"]);
    expect(checked.bad).toEqual([
      { line: 2, value: "abc", issue: { code: "validation.phone" } },
      { line: 4, value: "12", issue: { code: "validation.phone" } },
    ]);
  });

  it("finds nothing wrong in an empty box", () => {
    expect(checkNumbers("\n  \n")).toEqual({ numbers: [], bad: [] });
  });
});

describe("phoneKey and bulkRecipients", () => {
  it("reads the Turkish spellings of a number as the same number", () => {
    const key = "+905321234567";
    expect(phoneKey("0532 123 45 67")).toBe(key);
    expect(phoneKey("+90 (532) 123-45-67")).toBe(key);
    expect(phoneKey("0090 532 123 45 67")).toBe(key);
    expect(phoneKey("532 123 45 67")).toBe(key);
    expect(phoneKey("+44 20 7946 0958")).toBe("+442079460958");
    expect(phoneKey("0533 123 45 67")).not.toBe(key);
  });

  it("lists the contacts first, then the pasted numbers, each number once, blanks skipped", () => {
    expect(
      bulkRecipients(
        ["+905321234567", " ", "+905337654321"],
        ["0532 123 45 67", "0212 555 12 12", "0212 555 1212", " +90 533 765 43 21 "],
      ),
    ).toEqual(["+905321234567", "+905337654321", "0212 555 12 12"]);
    expect(bulkRecipients([], [])).toEqual([]);
  });
});

describe("validateRecipients", () => {
  it("asks for at least one recipient", () => {
    expect(validateRecipients([], 0)).toEqual({ code: "validation.required" });
    expect(validateRecipients(["0532 123 45 67"], 0)).toBeNull();
  });

  it("refuses while a pasted line is not a number, even with good ones beside it", () => {
    expect(validateRecipients(["0532 123 45 67"], 1)).toEqual({ code: "validation.phone" });
    expect(validateRecipients([], 2)).toEqual({ code: "validation.phone" });
  });
});

describe("sentNumbers", () => {
  it("trims the numbers and drops the blank ones, keeping their order", () => {
    expect(sentNumbers([" 0532 123 45 67 ", "", "  ", "+905337654321"])).toEqual([
      "0532 123 45 67",
      "+905337654321",
    ]);
    expect(sentNumbers([])).toEqual([]);
  });
});

describe("badNumberOf and lineOf", () => {
  it("names the number a backend phone error is about: its detail, else the quoted value", () => {
    const err = { code: "validation.phone" as const, message: '"0532 12" is not a phone number', detail: null };
    expect(badNumberOf(err)).toBe("0532 12");
    expect(badNumberOf({ ...err, detail: "0533 99" })).toBe("0533 99");
    expect(badNumberOf({ ...err, message: "something else" })).toBeNull();
    expect(badNumberOf({ ...err, code: "validation.required" })).toBeNull();
  });

  it("finds the pasted line that holds a value", () => {
    const text = "0532 123 45 67\n\n0212 555 12 12; 0532 12";
    expect(lineOf(text, " 0532 12 ")).toBe(3);
    expect(lineOf(text, "0532 123 45 67")).toBe(1);
    expect(lineOf(text, "0533")).toBeNull();
  });
});
