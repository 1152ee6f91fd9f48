import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { AppError } from "../bindings/AppError";
import type { Commands } from "../bindings/commands";

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
  return { code: "internal", message, params: {}, issues: [] };
}

type Args<K extends keyof Commands> = Commands[K]["args"];
/** The arguments may be left out when the command has none, or only optional ones. */
type ArgsParam<K extends keyof Commands> = Record<string, never> extends Args<K> ? [args?: Args<K>] : [args: Args<K>];
export type Result<K extends keyof Commands> = Commands[K]["result"];

/**
 * Calls a Rust command. Names, arguments and results are the contract written from the Rust
 * signatures (bindings/commands.ts), so the type check holds every call against Rust.
 * Rejections are always either an AppError or a string (as Tauri delivers them). Outside Tauri
 * the call rejects with AppError code `internal`, so the screens render their empty / error
 * states instead of crashing.
 */
export async function call<K extends keyof Commands>(cmd: K, ...rest: ArgsParam<K>): Promise<Result<K>> {
  const args = rest[0] as Record<string, unknown> | undefined;
  const start = performance.now();
  try {
    return await invoke<Result<K>>(cmd, args);
  } catch (e) {
    if (isAppError(e) || typeof e === "string") throw e;
    if (!hasTauri()) throw internal(`Tauri runtime not available (command ${cmd})`);
    throw internal(e instanceof Error ? e.message : String(e));
  } finally {
    measure(`ipc ${cmd}`, start);
  }
}

let measures = 0;
/**
 * A performance measure ("ipc <command>") in the page's timeline, from `start` to now: what a
 * profiler or scripts/bench-window.sh reads to split a slow action into Rust + IPC and drawing.
 * The timeline is emptied now and then so it never grows without bound.
 */
function measure(name: string, start: number): void {
  try {
    if (++measures > 2000) {
      performance.clearMeasures();
      measures = 0;
    }
    performance.measure(name, { start, end: performance.now() });
  } catch {
    // an old engine without User Timing Level 3: no trace, nothing else lost
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
