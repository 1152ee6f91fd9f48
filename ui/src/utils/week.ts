// Weeks start on Monday everywhere in the window, as the plan calendar's do (FullCalendar
// `firstDay: 1`) and as Chinese offices count them. Element Plus's date pickers take the first
// day from dayjs's locale of the window's language: zh-cn must be registered (without it they
// fall back to English, whose week starts on Sunday), and English is told Monday too.
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import updateLocale from "dayjs/plugin/updateLocale";

dayjs.extend(updateLocale);
dayjs.updateLocale("en", { weekStart: 1 });
