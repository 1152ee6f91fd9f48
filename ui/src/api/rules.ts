// The rules a form checks while the user types, asked of Rust (crates/core) instead of copied
// here: a phone number, a session's times, a record's, a grid's resident profile. Text limits
// and the session lifecycle come generated from Rust in bindings/rules.ts.
import type { GridProfile } from "../bindings/GridProfile";
import { call } from "./invoke";
import { errorMessage } from "./errors";

/** The digits Rust will store ("" for none); rejects with `validation.phone`. */
export const rulesCheckPhone = (value: string) => call("rules_check_phone", { value });
/** Resolves when Rust accepts the two times; rejects with every refusal as the AppError's issues. */
export const rulesCheckSessionTimes = (start: string, end: string) =>
  call("rules_check_session_times", { start, end });

/** Resolves when Rust accepts what a session really took; rejects with every refusal. */
export const rulesCheckRecordTimes = (actualStart: string, actualEnd: string) =>
  call("rules_check_record_times", { actualStart, actualEnd });
/** Resolves when Rust accepts a grid's resident profile; rejects with every refusal. */
export const rulesCheckGridProfile = (profile: GridProfile) => call("rules_check_grid_profile", { profile });

type Callback = (e?: Error) => void;

/** Answers an Element Plus validator with Rust's verdict: nothing, or every refusal translated. */
export function answer(check: Promise<unknown>, cb: Callback): void {
  check.then(
    () => cb(),
    (e: unknown) => cb(new Error(errorMessage(e))),
  );
}

/**
 * An Element Plus validator for a phone field, checked by Rust. `whenEmpty` gives the message
 * for an empty field that must be filled, or null when it may stay empty.
 */
export function phoneValidator(whenEmpty: () => string | null = () => null) {
  return (_rule: unknown, value: string | null, cb: Callback) => {
    const v = value ?? "";
    if (!v.trim()) {
      const m = whenEmpty();
      return m ? cb(new Error(m)) : cb();
    }
    answer(rulesCheckPhone(v), cb);
  };
}
