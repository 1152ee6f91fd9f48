import { call } from "./invoke";

// Roles on one machine (docs/COMMANDS.md, docs/ARCHITECTURE.md "Roles"): the coordinator (the database
// passphrase) and captain profiles limited to their grids, each with its own passphrase (a key
// slot beside the database). Rust enforces every limit (role.coordinator_only /
// role.outside_grids); the UI only mirrors them. Passphrases are arguments, never kept.

// The models come from Rust (ts-rs, crates/core/src/profiles.rs).
import type { Access } from "../bindings/Access";
import type { Profile } from "../bindings/Profile";
import type { ProfileInput } from "../bindings/ProfileInput";
/** A captain slot readable before the unlock (from the key file beside the database). */
import type { SlotInfo as ProfileSlot } from "../bindings/SlotInfo";
export type { Access, Profile, ProfileInput, ProfileSlot };


export const accessCurrent = () => call("access_current");
/**
 * Switches the identity of the open database. To the coordinator (null) needs the database
 * passphrase; coordinator → captain none (dropping privileges); captain → another captain that
 * captain's passphrase. db.passphrase_wrong when it does not match.
 */
export const accessSwitch = (profileId: string | null, passphrase: string | null) =>
  call("access_switch", { profileId, passphrase });

export const profilesList = () => call("profiles_list");
export const profilesSave = (input: ProfileInput) => call("profiles_save", { input });
/** Archives the profile and deletes its key slot: it can no longer unlock. */
export const profilesRemove = (id: string) => call("profiles_remove", { id });
/** The current captain changes their own passphrase; db.passphrase_wrong when `current` is wrong. */
export const profilesChangePassphrase = (current: string, passphrase: string, confirm: string) =>
  call("profiles_change_passphrase", { current, passphrase, confirm });
