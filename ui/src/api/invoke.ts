import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { AppError } from "../bindings/AppError";

/** True inside the Tauri webview; false in a plain browser (vite preview) and in jsdom. */
export function hasTauri(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}

export function isAppError(e: unknown): e is AppError {
  return (
    typeof e === "object" &&
    e !== null &&
    typeof (e as { code?: unknown }).code === "string" &&
    typeof (e as { message?: unknown }).message === "string"
  );
}

function internal(message: string): AppError {
  return { code: "internal", message, params: {} };
}

/**
 * Calls a Rust command. Rejections are always either an AppError or a string (as Tauri
 * delivers them). Outside Tauri the call rejects with AppError code `internal`, so the
 * screens render their empty / error states instead of crashing.
 */
export async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    if (isAppError(e) || typeof e === "string") throw e;
    if (!hasTauri()) throw internal(`Tauri runtime not available (command ${cmd})`);
    throw internal(e instanceof Error ? e.message : String(e));
  }
}

/** Subscribes to a Tauri event; resolves to an unsubscribe function (a no-op outside Tauri). */
export async function onEvent<T>(name: string, handler: (payload: T) => void): Promise<() => void> {
  try {
    return await listen<T>(name, (event) => handler(event.payload));
  } catch {
    return () => {};
  }
}
