// Rust's passphrase strength rule (passphrase_check), asked live while a new passphrase is
// typed: for the hand-over bundles' export dialog, the database's first-run setup and the
// passphrase change. Only the latest answer counts (typing is faster than Rust answers).
import { computed, ref, watch, type Ref } from "vue";
import type { Issue } from "../bindings/Issue";
import { passphraseCheck } from "../api/bundles";
import { translateCode } from "../api/errors";

/** `enabled` says when to ask (a passphrase typed to unlock is not a new one: never sent to the check). */
export function usePassphraseStrength(text: Ref<string>, enabled: () => boolean = () => true) {
  /** Rust's refusals for the current text; null while none has answered for it. */
  const issues = ref<Issue[] | null>(null);
  let asked = 0;

  watch(text, async (value) => {
    const n = ++asked;
    issues.value = null;
    if (!value || !enabled()) return;
    try {
      const found = await passphraseCheck(value);
      if (n === asked) issues.value = found;
    } catch {
      if (n === asked) issues.value = null;
    }
  });

  /** Rust has answered for the current text and found nothing to refuse. */
  const strong = computed(() => text.value !== "" && issues.value !== null && issues.value.length === 0);
  /** The refusals in the current language. */
  const issueTexts = computed(() => (issues.value ?? []).map((i) => translateCode(i.code, i.params, i.message)));

  function reset() {
    asked++;
    issues.value = null;
  }

  return { issues, strong, issueTexts, reset };
}
