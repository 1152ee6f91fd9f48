import { defineConfig } from "vitest/config";
import vue from "@vitejs/plugin-vue";
import Components from "unplugin-vue-components/vite";
import { ElementPlusResolver } from "unplugin-vue-components/resolvers";

// Tauri expects a fixed port and the built files in ui/dist.
export default defineConfig({
  plugins: [
    vue(),
    // Element Plus components (and v-loading) are imported where a template uses them, not the
    // whole library at start: the first screen's chunk holds only what it shows. Their CSS stays
    // the whole stylesheet, imported first in main.ts, so the cascade is as before.
    Components({ resolvers: [ElementPlusResolver({ importStyle: false })], dirs: [], dts: false }),
  ],
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    watch: { ignored: ["**/src-tauri/**", "**/target/**"] },
  },
  preview: { port: 1420, strictPort: true },
  // vue-i18n feature flags (composition API only; messages compiled without eval, CSP-safe)
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    __INTLIFY_DROP_MESSAGE_COMPILER__: false,
  },
  envPrefix: ["VITE_", "TAURI_ENV_"],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        manualChunks: {
          // ECharts (tree-shaken core + canvas renderer) for the reports dashboard
          echarts: ["echarts/core", "echarts/charts", "echarts/components", "echarts/renderers"],
          vendor: ["vue", "vue-i18n", "@tauri-apps/api/core", "@tauri-apps/api/event"],
          // FullCalendar v6 injects its CSS from JS (a <style> element: fine with style-src 'unsafe-inline').
          fullcalendar: [
            "@fullcalendar/core",
            "@fullcalendar/vue3",
            "@fullcalendar/daygrid",
            "@fullcalendar/timegrid",
            "@fullcalendar/list",
            "@fullcalendar/interaction",
          ],
        },
      },
    },
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.spec.ts"],
    server: { deps: { inline: ["element-plus"] } },
    // The first visit of a view imports its heavy chunk (FullCalendar, ECharts, pdf.js) under
    // jsdom; on a loaded two-core machine that alone passed vitest's 5 s default once (the plan
    // view, while two cargo builds ran). A hang still fails, at 30 s; nothing is retried.
    testTimeout: 30_000,
  },
});
