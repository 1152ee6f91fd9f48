import { describe, expect, it } from "vitest";
import { errorMessage, issueMessage } from "../api/errors";
import { setLocale } from "../i18n";
import {
  addMinutes,
  buildRepeat,
  isoWeekday,
  minutesBetween,
  nthOfMonth,
  parseLocal,
} from "../utils/plan";

describe("plan helpers", () => {
  it("parses and shifts local times", () => {
    expect(parseLocal("2026-03-07T09:30")?.getHours()).toBe(9);
    expect(parseLocal("2026-02-30T09:30")).toBeNull();
    expect(parseLocal("2026-03-07")).toBeNull();
    expect(addMinutes("2026-03-07T23:30", 90)).toBe("2026-03-08T01:00");
    expect(minutesBetween("2026-03-07T09:00", "2026-03-07T10:30")).toBe(90);
  });

  it("derives the monthly weekday rule from a date", () => {
    const firstSaturday = parseLocal("2026-03-07T09:00")!;
    expect(isoWeekday(firstSaturday)).toBe(6);
    expect(nthOfMonth(firstSaturday)).toBe(1);
    expect(nthOfMonth(parseLocal("2026-03-29T09:00")!)).toBe(-1); // the 5th Sunday is "the last"
    expect(isoWeekday(parseLocal("2026-03-29T09:00")!)).toBe(7);
  });

  it("builds the Repeat of a series", () => {
    const base = { every: 2, nth: 1, weekday: 6, count: 6 };
    expect(buildRepeat({ ...base, mode: "none" })).toBeNull();
    expect(buildRepeat({ ...base, mode: "weekly" })).toEqual({ type: "weekly", every: 2 });
    expect(buildRepeat({ ...base, mode: "monthly_weekday" })).toEqual({ type: "monthly_weekday", nth: 1, weekday: 6 });
    expect(buildRepeat({ ...base, mode: "monthly_day" })).toEqual({ type: "monthly_day" });
  });
});

describe("planning messages", () => {
  it("names the statuses whose codes Rust sends in bad_transition", () => {
    const e = { code: "sessions.bad_transition", message: "", params: { from: "reported", to: "planned" } };
    setLocale("zh-CN");
    expect(errorMessage(e)).toBe("活动状态不能从「已上报」改为「计划」。");
    setLocale("en");
    expect(errorMessage(e)).toBe("The status cannot change from “Reported” to “Planned”.");
    setLocale("zh-CN");
  });

  it("prefixes a series' warnings with their date and translates field names", () => {
    expect(issueMessage({ code: "sessions.inactive_person", params: { name: "吴伟", date: "2026-04-04" } })).toBe(
      "2026-04-04：吴伟 目前为停用状态。",
    );
    expect(errorMessage({ code: "validation.required", message: "", params: { field: "cancelReason" } })).toBe("请填写取消原因。");
    expect(errorMessage({ code: "not_found", message: "", params: { entity: "session", id: "s-9" } })).toBe(
      "找不到该活动（s-9），可能已被删除。",
    );
    expect(errorMessage({ code: "series.count", message: "", params: { max: "120" } })).toBe("重复次数应在 1 到 120 次之间。");
  });
});
