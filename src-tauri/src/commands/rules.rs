//! The rules a form checks as the user types, asked of Rust instead of copied into the UI:
//! a phone number (people, venues, follow-up cases) and a session's two times. The numeric
//! rules (text limits, the status lifecycle) are written to `ui/src/bindings/rules.ts` from
//! `outreach_core::rules`.

use outreach_core::{phone, sessions};

use crate::error::CmdResult;

/// The number as it will be stored (digits, +86 and separators removed; "" for none), or
/// `validation.phone`.
#[tauri::command]
pub async fn rules_check_phone(value: String) -> CmdResult<String> {
    Ok(phone::normalize(&value)?)
}

/// Every refusal of these two times at once (`validation.required|datetime` naming the field,
/// `sessions.end_before_start`, `sessions.too_long`), or nothing.
#[tauri::command]
pub async fn rules_check_session_times(start: String, end: String) -> CmdResult<()> {
    sessions::check_times(&start, &end)?;
    Ok(())
}
