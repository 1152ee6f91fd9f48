// The date pickers' weeks start on Monday in both languages, like the plan calendar's.
import { describe, expect, it } from "vitest";
import { h } from "vue";
import { ElConfigProvider, ElDatePickerPanel } from "element-plus";
import zhCn from "element-plus/es/locale/lang/zh-cn";
import en from "element-plus/es/locale/lang/en";
import "../utils/week";
import { mountApp, settle } from "./helpers";

async function firstWeekday(locale: typeof zhCn): Promise<string> {
  const w = mountApp({ render: () => h(ElConfigProvider, { locale }, () => h(ElDatePickerPanel, { modelValue: new Date(2026, 11, 5) })) });
  await settle(2);
  const th = w.find("table.el-date-table th");
  const text = th.exists() ? th.text() : "";
  w.unmount();
  return text.trim();
}

describe("date pickers", () => {
  it("start the week on Monday in Chinese and in English", async () => {
    expect(await firstWeekday(zhCn)).toBe("一");
    expect(await firstWeekday(en)).toBe("Mon");
  });
});
