import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(async () => () => {}) }));

import { invoke } from "@tauri-apps/api/core";
import type { Person } from "../bindings/Person";
import PersonForm from "../components/PersonForm.vue";
import { resetLookups } from "../stores/lookups";
import { mountApp, settle, waitUntil } from "./helpers";

const invokeMock = vi.mocked(invoke);

const person: Person = {
  id: "p-1",
  name: "王伟",
  roles: ["police"],
  phoneMasked: "138****0000",
  unitId: null,
  unitName: "",
  teamIds: [],
  topicIds: [],
  active: true,
  joinedOn: "2023-05-01",
  notes: "",
  archived: false,
  createdAt: "",
  updatedAt: "",
};

function backend() {
  invokeMock.mockImplementation(async (cmd, args) => {
    switch (cmd) {
      case "units_tree":
      case "teams_list":
      case "topics_list":
        return [];
      case "people_save":
        return { ...person, ...(args as { input: object }).input };
      case "people_reveal_phone":
        return "13800000000";
      // Rust's answers (crates/core phone::normalize) for the numbers these tests type.
      case "rules_check_phone": {
        const value = (args as { value: string }).value;
        if (value === "＋86 138-0013 8000") return "13800138000";
        throw { code: "validation.phone", message: "号码无效", params: { value: value.trim() }, issues: [] };
      }
      default:
        throw new Error(`unexpected ${cmd}`);
    }
  });
}

function saveCalls() {
  return invokeMock.mock.calls.filter(([cmd]) => cmd === "people_save");
}

async function save(w: ReturnType<typeof mountApp>) {
  await w.find('[data-test="person-save"]').trigger("click");
  await settle();
}

beforeEach(() => {
  invokeMock.mockReset();
  resetLookups();
  backend();
  document.body.innerHTML = "";
});

describe("PersonForm", () => {
  it("sends phone: null when the masked phone is left untouched", async () => {
    const w = mountApp(PersonForm, { props: { modelValue: true, person } });
    await settle();
    expect(w.find('input[data-test="person-phone"]').attributes("placeholder")).toBe("138****0000");
    await save(w);
    expect(saveCalls()).toHaveLength(1);
    const input = (saveCalls()[0][1] as { input: { phone: unknown; id: string; joinedOn: string } }).input;
    expect(input.phone).toBeNull();
    expect(input.id).toBe("p-1");
    expect(input.joinedOn).toBe("2023-05-01");
  });

  it("accepts a messy but valid phone and sends it as typed", async () => {
    const w = mountApp(PersonForm, { props: { modelValue: true, person } });
    await settle();
    await w.find('input[data-test="person-phone"]').setValue("＋86 138-0013 8000");
    await save(w);
    expect(saveCalls()).toHaveLength(1);
    expect((saveCalls()[0][1] as { input: { phone: string } }).input.phone).toBe("＋86 138-0013 8000");
    expect(invokeMock.mock.calls.some(([c, a]) => c === "rules_check_phone" && (a as { value: string }).value === "＋86 138-0013 8000")).toBe(true);
  });

  it("refuses an invalid phone with the translated message", async () => {
    const w = mountApp(PersonForm, { props: { modelValue: true, person } });
    await settle();
    await w.find('input[data-test="person-phone"]').setValue("12345");
    await save(w);
    await waitUntil(() => w.find('[data-test="person-form"]').text().includes("「12345」不是有效的手机号或座机号。"));
    expect(w.find('[data-test="person-form"]').text()).toContain("「12345」不是有效的手机号或座机号。");
    expect(saveCalls()).toHaveLength(0);
  });

  it("sends an empty string when the stored phone is removed", async () => {
    const w = mountApp(PersonForm, { props: { modelValue: true, person } });
    await settle();
    await w.find('[data-test="phone-clear"]').trigger("click");
    await save(w);
    expect((saveCalls()[0][1] as { input: { phone: string } }).input.phone).toBe("");
  });

  it("reveals the full number on request (audited by Rust)", async () => {
    const w = mountApp(PersonForm, { props: { modelValue: true, person } });
    await settle();
    expect(w.text()).toContain("查看将记入审计日志");
    expect(w.find('[data-test="phone-revealed"]').text()).toBe("138****0000");
    await w.find('[data-test="phone-reveal"]').trigger("click");
    await settle();
    expect(invokeMock).toHaveBeenCalledWith("people_reveal_phone", { id: "p-1" });
    expect(w.find('[data-test="phone-revealed"]').text()).toBe("13800000000");
  });

  it("requires a name for a new person", async () => {
    const w = mountApp(PersonForm, { props: { modelValue: true, person: null } });
    await settle();
    await save(w);
    await waitUntil(() => w.find('[data-test="person-form"]').text().includes("请填写姓名。"));
    expect(w.find('[data-test="person-form"]').text()).toContain("请填写姓名。");
    expect(saveCalls()).toHaveLength(0);
  });
});
