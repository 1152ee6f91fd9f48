import { ref, shallowRef } from "vue";
import type { Issue } from "../../bindings/Issue";

/** State for <PlanWarnings>: `ask(warnings)` opens it and resolves true on 仍然保存, false on cancel. */
export function useWarningsPrompt() {
  const open = ref(false);
  const list = shallowRef<Issue[]>([]);
  let resolver: ((ok: boolean) => void) | null = null;

  function ask(warnings: Issue[]): Promise<boolean> {
    resolver?.(false);
    list.value = warnings;
    open.value = true;
    return new Promise((resolve) => (resolver = resolve));
  }
  function answer(ok: boolean): void {
    open.value = false;
    const r = resolver;
    resolver = null;
    r?.(ok);
  }
  return { open, list, ask, answer };
}
