import { onActivated, onDeactivated, onMounted, ref, watch } from "vue";
import { app } from "./app";

/**
 * Runs `load` when the view is shown and whenever app.dataVersion changed since the last
 * load (views are kept alive, so a hidden view reloads on its next activation).
 */
export function useViewData(load: () => Promise<void>) {
  const loadedVersion = ref(-1);
  const active = ref(false);
  let mounted = false;

  async function reload(): Promise<void> {
    loadedVersion.value = app.dataVersion;
    await load();
  }
  function maybeReload(): void {
    if (loadedVersion.value !== app.dataVersion) void reload();
  }
  onMounted(() => {
    mounted = true;
    active.value = true;
    maybeReload();
  });
  onActivated(() => {
    active.value = true;
    if (mounted) maybeReload();
  });
  onDeactivated(() => {
    active.value = false;
  });
  watch(
    () => app.dataVersion,
    () => {
      if (active.value) maybeReload();
    },
  );
  return { reload, active };
}
