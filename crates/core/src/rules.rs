//! The rules a form shows before it sends anything: text lengths, the session lifecycle,
//! how long a session may last, how many sessions a series may make. Validation in each
//! module uses these constants; the test below writes them to `ui/src/bindings/rules.ts`,
//! so the UI shows the limits Rust enforces instead of keeping its own copies. Rules that
//! are code, not numbers (a phone number, two times), reach the UI as commands instead
//! (`phone_check`, `sessions_check_times`).

use crate::kinds::SessionStatus;

/// The longest a session (or what it really took) may last, in hours.
pub const SESSION_MAX_HOURS: i64 = 24;

/// The most sessions one series may make.
pub const SERIES_MAX: u32 = 120;

macro_rules! limits {
    ($($name:ident = $key:literal : $max:literal,)*) => {
        $(pub const $name: usize = $max;)*
        /// Every limit by the key the UI uses (`<module>.<field>`), in characters.
        pub const LIMITS: &[(&str, usize)] = &[$(($key, $max),)*];
    };
}

limits! {
    UNIT_NAME = "units.name": 60,
    UNIT_CODE = "units.code": 40,
    GRID_NOTES = "units.notes": 500,
    PERSON_NAME = "people.name": 40,
    PERSON_NOTES = "people.notes": 500,
    TEAM_NAME = "teams.name": 40,
    VENUE_NAME = "venues.name": 60,
    VENUE_ADDRESS = "venues.address": 120,
    VENUE_CONTACT = "venues.contactName": 40,
    VENUE_NOTES = "venues.notes": 500,
    SESSION_TITLE = "sessions.title": 80,
    SESSION_CHANNEL = "sessions.channel": 60,
    SESSION_NOTES = "sessions.notes": 1000,
    SESSION_REASON = "sessions.reason": 200,
    TEMPLATE_NAME = "templates.name": 40,
    TOPIC_NAME = "topics.name": 30,
    TOPIC_TIP = "topics.tip": 80,
    RECORD_NOTES = "records.notes": 2000,
    RECORD_REASON = "records.reason": 200,
    PHOTO_CAPTION = "photos.caption": 100,
    VISIT_BUILDING = "visits.building": 60,
    VISIT_NOTES = "visits.notes": 500,
    CASE_NAME = "followups.residentName": 40,
    CASE_NOTES = "followups.notes": 500,
    MATERIAL_NAME = "materials.name": 40,
    MATERIAL_UNIT_LABEL = "materials.unitLabel": 4,
    MOVE_SOURCE = "materials.source": 100,
    MOVE_NOTES = "materials.notes": 500,
    OPERATOR_NAME = "settings.operatorName": 40,
    QR_TEXT = "settings.qrText": 300,
    QR_CAPTION = "settings.qrCaption": 30,
    PROFILE_LABEL = "profiles.label": 40,
}

/// The statuses a person may move a session to from `from` with the status action. Recording a
/// session is the usual way to `held`; by hand it takes a started session and a reason
/// (`sessions::change_status`), and a mistaken `held` without a record goes back to `confirmed`.
/// `reported` is reached only by reviewing the record (审核上报).
pub fn next_statuses(from: SessionStatus) -> &'static [SessionStatus] {
    use SessionStatus::*;
    match from {
        Planned => &[Confirmed, Held, Cancelled],
        Confirmed => &[Planned, Held, Cancelled],
        Held => &[Confirmed, Cancelled],
        Cancelled => &[Planned],
        Reported => &[],
    }
}

/// How long before its planned start a session may already be recorded or marked held (a talk
/// that begins a little early).
pub const EARLY_START_MINUTES: i64 = 10;

/// Whether a session starting at `start` may be recorded or marked held at `now`.
pub fn has_started(start: chrono::NaiveDateTime, now: chrono::NaiveDateTime) -> bool {
    start <= now + chrono::Duration::minutes(EARLY_START_MINUTES)
}

/// Only sessions not yet held may be moved in time (drag and drop, reschedule).
pub fn is_movable(status: SessionStatus) -> bool {
    matches!(status, SessionStatus::Planned | SessionStatus::Confirmed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes the rules for the UI, as ts-rs writes the types.
    #[test]
    fn export_rules() {
        use std::fmt::Write;
        let mut ts = String::from(
            "// Written by `cargo test -p outreach-core` (rules::tests) from crates/core/src/rules.rs. Do not edit.\n\
             import type { SessionStatus } from \"./SessionStatus\";\n\n\
             /** Text limits in characters, by `<module>.<field>`. */\nexport const LIMITS = {\n",
        );
        for (k, v) in LIMITS {
            writeln!(ts, "  \"{k}\": {v},").unwrap();
        }
        ts.push_str("} as const;\n\n/** The statuses a session may move to by the status action. */\nexport const NEXT_STATUSES: Record<SessionStatus, readonly SessionStatus[]> = {\n");
        let all = [
            SessionStatus::Planned,
            SessionStatus::Confirmed,
            SessionStatus::Held,
            SessionStatus::Reported,
            SessionStatus::Cancelled,
        ];
        for s in all {
            let next: Vec<String> = next_statuses(s).iter().map(|n| format!("\"{}\"", n.as_str())).collect();
            writeln!(ts, "  {}: [{}],", s.as_str(), next.join(", ")).unwrap();
        }
        ts.push_str("};\n\n/** Statuses whose sessions may be moved in time. */\nexport const MOVABLE_STATUSES: readonly SessionStatus[] = [");
        let movable: Vec<String> =
            all.iter().filter(|s| is_movable(**s)).map(|s| format!("\"{}\"", s.as_str())).collect();
        ts.push_str(&movable.join(", "));
        writeln!(
            ts,
            "];\n\n/** The longest a session may last, in hours. */\nexport const SESSION_MAX_HOURS = {};",
            SESSION_MAX_HOURS
        )
        .unwrap();
        writeln!(ts, "\n/** The most sessions one series may make. */\nexport const SERIES_MAX = {};", SERIES_MAX)
            .unwrap();
        writeln!(
            ts,
            "\n/** How many minutes before its start a session may be recorded or marked held. */\nexport const EARLY_START_MINUTES = {};",
            EARLY_START_MINUTES
        )
        .unwrap();
        crate::write_ui_binding("rules.ts", &ts);
    }

    #[test]
    fn keys_are_unique() {
        let mut seen = std::collections::HashSet::new();
        assert!(LIMITS.iter().all(|(k, _)| seen.insert(*k)));
    }
}
