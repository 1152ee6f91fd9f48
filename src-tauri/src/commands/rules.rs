//! The rules a form checks as the user types, asked of Rust instead of copied into the UI:
//! a phone number (people, venues, follow-up cases), a session's two times, a record's, and a
//! grid's resident profile. The numeric
//! rules (text limits, the status lifecycle) are written to `ui/src/bindings/rules.ts` from
//! `outreach_core::rules`.

use outreach_core::units::GridProfile;
use outreach_core::{phone, records, sessions};

use crate::error::CmdResult;

/// The number as it will be stored (digits, +86 and separators removed; "" for none), or
/// `validation.phone`.
#[tauri::command]
pub async fn rules_check_phone(value: String) -> CmdResult<String> {
    Ok(phone::normalize(&value)?)
}

/// What a session really took (a record's times): every refusal at once — the same as a
/// session's, and not starting in the future (`records.not_yet`) — or nothing.
#[tauri::command]
pub async fn rules_check_record_times(actual_start: String, actual_end: String) -> CmdResult<()> {
    records::check_times(&actual_start, &actual_end)?;
    Ok(())
}

/// A grid's resident profile: the age groups within the residents (`validation.age_split`),
/// students and the elderly living alone within them (`validation.key_groups` {field}).
#[tauri::command]
pub async fn rules_check_grid_profile(profile: GridProfile) -> CmdResult<()> {
    profile.validate()?;
    Ok(())
}

/// Every refusal of these two times at once (`validation.required|datetime` naming the field,
/// `sessions.end_before_start`, `sessions.too_long`), or nothing.
#[tauri::command]
pub async fn rules_check_session_times(start: String, end: String) -> CmdResult<()> {
    sessions::check_times(&start, &end)?;
    Ok(())
}
