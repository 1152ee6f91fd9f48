import { createApp } from "vue";
import { ElMessage, ElMessageBox, ElNotification } from "element-plus";
// Element Plus's components come with the templates that use them (vite.config.ts); its
// stylesheet stays whole, before the app's own.
import "element-plus/dist/index.css";
import "./styles.css";
import "./utils/week";
import App from "./App.vue";
import { i18n } from "./i18n";
import { boot } from "./stores/security";

const app = createApp(App);
app.use(i18n);
// The messages, boxes and notifications called as functions render outside the component tree:
// installed, they take the app's context, so what they show (the saved file's path and buttons,
// say) has vue-i18n like every view. Not installing Element Plus whole had left them without it.
app.use(ElMessage).use(ElMessageBox).use(ElNotification);
app.mount("#app");
// db_status first; app_info and the views only once the encrypted database is open.
void boot();
