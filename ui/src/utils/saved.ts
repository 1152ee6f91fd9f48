// The one message after a file is saved where no panel shows it: what was saved, the full
// path, and 打开文件 / 打开所在文件夹 (the panels that keep a saved note use SavedFile inline).
import { h } from "vue";
import { ElNotification } from "element-plus";
import SavedFile from "../components/files/SavedFile.vue";

export function showSaved(title: string, path: string): void {
  ElNotification({
    type: "success",
    title,
    message: h(SavedFile, { path }),
    duration: 8000,
    position: "bottom-right",
    customClass: "saved-notification",
  });
}
