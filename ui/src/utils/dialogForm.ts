import { ref, type Ref } from "vue";
import type { FormInstance } from "element-plus";
import { errorMessage, type ErrorContext } from "../api/errors";

/**
 * The save path every dialog form shares: validate the rules, save once (a second click while
 * saving is ignored), hand the saved record on, or show Rust's refusal translated.
 */
export function useDialogForm<T>(
  formRef: Ref<FormInstance | undefined>,
  save: () => Promise<T>,
  entity: ErrorContext,
  onSaved: (saved: T) => void,
  beforeValidate?: () => void,
) {
  const saving = ref(false);
  const serverError = ref<string | null>(null);

  async function submit() {
    if (saving.value || !formRef.value) return;
    serverError.value = null;
    beforeValidate?.();
    const ok = await formRef.value.validate().catch(() => false);
    if (!ok) return;
    saving.value = true;
    try {
      onSaved(await save());
    } catch (e) {
      serverError.value = errorMessage(e, entity);
    } finally {
      saving.value = false;
    }
  }

  /** Enter submits, except where Enter belongs to the field: text areas, selects, pickers. */
  function onEnter(e: KeyboardEvent) {
    const target = e.target as HTMLElement | null;
    if (!target || target.tagName === "TEXTAREA" || target.closest(".el-select, .el-select-v2, .el-date-editor")) return;
    e.preventDefault();
    void submit();
  }

  return { saving, serverError, submit, onEnter };
}
