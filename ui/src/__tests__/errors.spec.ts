import { afterEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(async () => () => {}) }));

import { invoke } from "@tauri-apps/api/core";
import { errorMessage, translateCode } from "../api/errors";
import { call } from "../api/invoke";
import { setLocale } from "../i18n";

afterEach(() => setLocale("zh-CN"));

describe("errorMessage", () => {
  it("translates a known code with params", () => {
    setLocale("zh-CN");
    expect(errorMessage({ code: "validation.phone", message: "bad", params: { value: "12345" } })).toBe(
      "「12345」不是有效的手机号或座机号。",
    );
    expect(errorMessage({ code: "validation.age_split", message: "", params: { sum: "110", residents: "100" } })).toBe(
      "各年龄段人数之和（110）超过了常住人口（100）。",
    );
  });

  it("translates field names through fields.* (and per record kind)", () => {
    const e = { code: "validation.required", message: "name is required", params: { field: "name" } };
    expect(errorMessage(e)).toBe("请填写名称。");
    expect(errorMessage(e, "person")).toBe("请填写姓名。");
    expect(errorMessage({ code: "validation.too_long", message: "", params: { field: "elderly_alone", max: "5" } })).toBe(
      "独居老人人数不能超过 5 个字。",
    );
    expect(errorMessage({ code: "not_found", message: "", params: { entity: "unit", id: "u-1" } })).toBe(
      "找不到该单位（u-1），可能已被删除。",
    );
  });

  it("translates into English", () => {
    setLocale("en");
    expect(errorMessage({ code: "validation.phone", message: "bad", params: { value: "12345" } })).toBe(
      "“12345” is not a valid mobile or landline number.",
    );
    expect(errorMessage({ code: "units.cycle", message: "cycle", params: {} })).toBe(
      "A unit cannot be moved under itself or one of its own sub-units.",
    );
  });

  it("falls back to errors.unknown with the message for an unknown code", () => {
    expect(errorMessage({ code: "frobnicate.failed", message: "the frob broke", params: {} })).toBe(
      "操作失败：the frob broke",
    );
    // a key that names a group of messages, not a message, is unknown too
    expect(errorMessage({ code: "validation", message: "grouped", params: {} })).toBe("操作失败：grouped");
  });

  it("shows every issue when Rust refuses several fields at once", () => {
    const e = {
      code: "validation.required",
      message: "名称不能为空",
      params: { field: "name" },
      issues: [
        { code: "validation.required", message: "", params: { field: "name" } },
        { code: "validation.phone", message: "", params: { value: "123" } },
      ],
    };
    expect(errorMessage(e, "person")).toBe("请填写姓名。「123」不是有效的手机号或座机号。");
  });

  it("names the entity whose code Rust puts in not_found", () => {
    setLocale("en");
    expect(errorMessage({ code: "not_found", message: "", params: { entity: "person", id: "p-9" } })).toBe(
      "This person (p-9) was not found; it may have been deleted.",
    );
  });

  it("handles a plain string rejection", () => {
    expect(errorMessage("command people_list not found")).toBe("操作失败：command people_list not found");
  });

  it("translates import issues", () => {
    expect(translateCode("import.duplicate_id", { value: "p-17", firstRow: "12" }, "")).toBe(
      "编号「p-17」与第 12 行重复。",
    );
    expect(translateCode("import.header", { missing: "name, phone" }, "")).toBe("表头缺少必需的列：名称、电话。");
  });
});

describe("recording messages", () => {
  it("translate their params: entity and audience codes from Rust", () => {
    setLocale("zh-CN");
    expect(errorMessage({ code: "bundle.missing_reference", message: "", params: { entity: "material" } })).toBe(
      "交接包引用了本机没有的物资，请先导入完整的交接包。",
    );
    expect(errorMessage({ code: "validation.negative", message: "", params: { field: "headcount", value: "-3" } })).toBe(
      "到场人数不能为负数（-3）。",
    );
    setLocale("en");
    expect(errorMessage({ code: "bundle.missing_reference", message: "", params: { entity: "material" } })).toBe(
      "The bundle refers to a material this laptop does not have; import a complete bundle first.",
    );
    expect(errorMessage({ code: "validation.negative", message: "", params: { field: "elderly", value: "-2" } })).toBe(
      "Elderly cannot be negative (-2).",
    );
    expect(errorMessage({ code: "not_found", message: "", params: { entity: "case", id: "c-1" } })).toBe(
      "This warned resident (c-1) was not found; it may have been deleted.",
    );
    expect(errorMessage({ code: "bundle.schema_version", message: "", params: { theirs: "7", ours: "6" } })).toBe(
      "The bundle comes from data version 7, this app is at version 6; upgrade both to the same version first.",
    );
  });
});

describe("call", () => {
  it("rejects with AppError internal outside Tauri", async () => {
    vi.mocked(invoke).mockRejectedValueOnce(new TypeError("window.__TAURI_INTERNALS__ is undefined"));
    await expect(call("app_info")).rejects.toMatchObject({ code: "internal" });
  });

  it("passes AppErrors through untouched", async () => {
    const err = { code: "db.busy", message: "busy", params: {} };
    vi.mocked(invoke).mockRejectedValueOnce(err);
    await expect(call("people_list", { includeArchived: false })).rejects.toBe(err);
  });
});

describe("disk messages", () => {
  it("tell a full disk from a read-only one, in both languages", () => {
    setLocale("zh-CN");
    expect(errorMessage({ code: "disk.full", message: "", params: {} })).toContain("磁盘空间已满，未保存任何更改");
    expect(errorMessage({ code: "disk.readonly", message: "", params: {} })).toContain("只读，未保存任何更改");
    setLocale("en");
    expect(errorMessage({ code: "disk.full", message: "", params: {} })).toContain("The disk is full; nothing was saved.");
    expect(errorMessage({ code: "disk.readonly", message: "", params: {} })).toContain("read-only; nothing was saved.");
  });
});

describe("refused bundles", () => {
  it("name the entity, the field and what is wrong, in both languages", () => {
    const e = {
      code: "bundle.row_invalid",
      message: "",
      params: { entity: "photo", id: "p-1", field: "sha256", reason: "file_name" },
    };
    setLocale("zh-CN");
    expect(errorMessage(e)).toBe("交接包中的照片「p-1」照片文件不是有效的照片文件名，未导入任何数据。");
    setLocale("en");
    expect(errorMessage(e)).toBe(
      "In the bundle, Photo file of photo “p-1” is not a valid photo file name; nothing was imported.",
    );
    expect(
      errorMessage({ code: "bundle.out_of_scope", message: "", params: { entity: "unit", id: "u-1", label: "稷下" } }),
    ).toContain("may not change unit “稷下”");
  });
});
