//! The error a command returns to the UI: a stable code the UI translates, its params,
//! and a Chinese message as a last resort. Never raw SQL or IO text.

use outreach_core::error::Code;
use outreach_core::{Error, Issue};
use serde::Serialize;

/// What every command rejects with (`AppError.ts` is written from this).
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct AppError {
    pub code: Code,
    pub message: String,
    pub params: std::collections::BTreeMap<String, String>,
    pub issues: Vec<Issue>,
}

impl From<Error> for AppError {
    fn from(e: Error) -> Self {
        // Details stay in the log of the developer's terminal, never in front of the user.
        if !matches!(e, Error::Invalid(_)) {
            eprintln!("outreach-desk: {e}");
        }
        let issues = e.issues();
        let first = issues.first().cloned().unwrap_or_else(|| outreach_core::error::issue(Code::Internal, &[]));
        AppError { code: first.code, message: first.message, params: first.params, issues }
    }
}

pub type CmdResult<T> = Result<T, AppError>;
