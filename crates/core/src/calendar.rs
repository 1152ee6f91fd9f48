//! Calendar (ICS) export of sessions for Outlook, Thunderbird and phone calendars.
//! Each event's UID is the session id, so a re-export updates events instead of
//! duplicating them; SEQUENCE is the session's revision. Times are written in UTC
//! (Asia/Shanghai is UTC+8 all year), which every calendar reads without a VTIMEZONE.

use chrono::{Duration, TimeZone, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};

use crate::error::Result;
use crate::sessions::{parse_time, Session, SessionStatus};

pub const UID_DOMAIN: &str = "outreach-desk";

fn utc(local: &str) -> Result<chrono::DateTime<Utc>> {
    let t = parse_time("start", local)? - Duration::hours(8);
    Ok(Utc.from_utc_datetime(&t))
}

pub fn uid(session_id: &str) -> String {
    format!("{session_id}@{UID_DOMAIN}")
}

pub fn ics(
    name: &str,
    sessions: &[Session],
    topic_names: &std::collections::HashMap<String, String>,
) -> Result<String> {
    let mut cal = Calendar::new();
    cal.name(name);
    cal.append_property(icalendar::Property::new("X-WR-TIMEZONE", "Asia/Shanghai"));
    for s in sessions {
        let mut ev = Event::new();
        ev.uid(&uid(&s.id))
            .summary(&format!("【{}】{}", s.kind.label(), s.title))
            .starts(utc(&s.start)?)
            .ends(utc(&s.end)?)
            .sequence(s.revision)
            .status(match s.status {
                SessionStatus::Planned => EventStatus::Tentative,
                SessionStatus::Cancelled => EventStatus::Cancelled,
                _ => EventStatus::Confirmed,
            });
        if let Ok(t) = chrono::DateTime::parse_from_rfc3339(&s.updated_at) {
            ev.last_modified(t.with_timezone(&Utc));
            // DTSTAMP from the data, not the clock: the same data exports to the same file.
            ev.timestamp(t.with_timezone(&Utc));
        }
        let place = if !s.venue_name.is_empty() { s.venue_name.clone() } else { s.unit_name.clone() };
        if !place.is_empty() {
            ev.location(&place);
        }
        let mut desc = vec![format!("类型：{}　状态：{}", s.kind.label(), s.status.label())];
        if !s.audiences.is_empty() {
            desc.push(format!("对象：{}", s.audiences.iter().map(|a| a.label()).collect::<Vec<_>>().join("、")));
        }
        if !s.topic_ids.is_empty() {
            desc.push(format!(
                "主题：{}",
                s.topic_ids.iter().filter_map(|t| topic_names.get(t)).cloned().collect::<Vec<_>>().join("、")
            ));
        }
        if !s.people.is_empty() {
            desc.push(format!(
                "人员：{}",
                s.people
                    .iter()
                    .map(|p| format!("{}（{}）", p.person_name, p.role.label()))
                    .collect::<Vec<_>>()
                    .join("、")
            ));
        }
        if s.status == SessionStatus::Cancelled && !s.cancel_reason.is_empty() {
            desc.push(format!("取消原因：{}", s.cancel_reason));
        }
        if !s.notes.is_empty() {
            desc.push(s.notes.clone());
        }
        desc.push("反诈预警咨询 96110　报警 110".into());
        ev.description(&desc.join("\n"));
        cal.push(ev.done());
    }
    Ok(cal.done().to_string())
}
