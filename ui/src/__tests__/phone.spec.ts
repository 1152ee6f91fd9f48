import { describe, expect, it } from "vitest";
import { isValidPhone, maskPhone, normalizePhone } from "../utils/phone";

// The same table as crates/core/src/phone.rs, so the form and Rust agree.
describe("phone rule (mirror of Rust)", () => {
  it.each([
    ["13800138000", "13800138000"],
    ["138 0013 8000", "13800138000"],
    ["138-0013-8000", "13800138000"],
    ["１３８００１３８０００", "13800138000"],
    ["+86 138 0013 8000", "13800138000"],
    ["＋86 138-0013 8000", "13800138000"],
    ["+8613800138000", "13800138000"],
    ["8613800138000", "13800138000"],
    ["008613800138000", "13800138000"],
    ["0533-1234567", "05331234567"],
    ["(0533) 12345678", "053312345678"],
    ["010-12345678", "01012345678"],
    ["+86 10 1234 5678", "01012345678"],
    ["+86 533 1234567", "05331234567"],
    ["  19912345678 ", "19912345678"],
    ["", ""],
  ])("normalises %j to %j", (input, want) => {
    expect(normalizePhone(input)).toBe(want);
  });

  it.each(["12345", "12800138000", "1380013800", "138001380001", "abc", "138x0013800", "+1 415 555 0100", "00123456789", "96110", "110", "010-12345678转123"])(
    "refuses %j",
    (input) => {
      expect(normalizePhone(input)).toBeNull();
      expect(isValidPhone(input)).toBe(false);
    },
  );

  it("masks like Rust", () => {
    expect(maskPhone("13800138000")).toBe("138****8000");
    expect(maskPhone("05331234567")).toBe("053****4567");
    expect(maskPhone("")).toBe("");
    expect(maskPhone("1234")).toBe("****");
  });
});
