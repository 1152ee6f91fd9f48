// Weeks start on Monday everywhere in the window, as the plan calendar's do (FullCalendar
// `firstDay: 1`) and as Chinese offices count them. Element Plus's date pickers take the first
// day from dayjs's locale of the window's language: zh-cn must be registered (without it they
// fall back to English, whose week starts on Sunday), and English is told Monday too.
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import updateLocale from "dayjs/plugin/updateLocale";

dayjs.extend(updateLocale);
// The week pickers' numbers are ISO weeks in both languages, as Rust names them ("2026-W49"):
// zh-cn counts them so already (the week holding 4 January is the first); English is told so.
dayjs.updateLocale("en", { weekStart: 1, yearStart: 4 });

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** The ISO week of a local date, "2026-W49" (as Rust's incidents::week_of). */
export function isoWeek(d: Date): string {
  // The ISO week's year is the year of its Thursday.
  const thu = new Date(d.getFullYear(), d.getMonth(), d.getDate());
  thu.setDate(thu.getDate() + 3 - ((thu.getDay() + 6) % 7));
  const dayOfYear = Math.round((thu.getTime() - new Date(thu.getFullYear(), 0, 1).getTime()) / 86_400_000);
  const week = Math.floor(dayOfYear / 7) + 1;
  return `${thu.getFullYear()}-W${pad(week)}`;
}

/** "2026-W49" → its Monday at local midnight; null when it is not an ISO week. */
export function weekMonday(week: string): Date | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(week.trim().toUpperCase());
  if (!m) return null;
  const [y, w] = [Number(m[1]), Number(m[2])];
  const jan4 = new Date(y, 0, 4);
  const monday = new Date(y, 0, 4 - ((jan4.getDay() + 6) % 7) + (w - 1) * 7);
  return w >= 1 && isoWeek(monday) === week.trim().toUpperCase() ? monday : null;
}
