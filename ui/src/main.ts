import { createApp } from "vue";
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
app.mount("#app");
// db_status first; app_info and the views only once the encrypted database is open.
void boot();
