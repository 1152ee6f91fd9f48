import { createApp } from "vue";
import ElementPlus from "element-plus";
import "element-plus/dist/index.css";
import "./styles.css";
import "./utils/week";
import App from "./App.vue";
import { i18n } from "./i18n";
import { boot } from "./stores/security";

const app = createApp(App);
app.use(ElementPlus);
app.use(i18n);
app.mount("#app");
// db_status first; app_info and the views only once the encrypted database is open.
void boot();
