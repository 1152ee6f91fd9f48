import { ref, watch } from "vue";

/**
 * A tab's data, loaded when the tab is shown and what it shows (`key`) changed since its last
 * load. The last request wins: `run` gets `isLatest` to drop an answer that arrives after a
 * newer request, and `loading` follows the newest request only.
 */
export function useTabLoad(active: () => boolean, key: () => string, run: (isLatest: () => boolean) => Promise<void>) {
  const loading = ref(false);
  let loadedKey: string | null = null;
  let seq = 0;
  async function load(): Promise<void> {
    loadedKey = key();
    const mine = ++seq;
    const isLatest = () => mine === seq;
    loading.value = true;
    try {
      await run(isLatest);
    } finally {
      if (isLatest()) loading.value = false;
    }
  }
  watch(
    () => [active(), key()],
    () => {
      if (active() && key() !== loadedKey) void load();
    },
    { immediate: true },
  );
  return { loading, load };
}
