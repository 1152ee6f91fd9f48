//! Incidents: the case system's fraud cases beside the outreach — the weekly review, the
//! precision gaps, re-victimisation, the fraud-type labels and the tailored pushes. The figures
//! are the coordinator's (a station's case data); a push is recorded where the pusher may plan.
//! Importing a case file is `transfer` with `TableKind::Incidents`, like every spreadsheet.

use std::path::Path;

use chrono::NaiveDate;
use outreach_core::audit::Note;
use outreach_core::incidents::{self, Gaps, IncidentPage, PushDraft, Revictimisation, Review, TypeLabel};
use outreach_core::records::{self, RecordInput};
use outreach_core::sessions::{self, Session, SessionInput, SessionKind};
use outreach_core::{units, Action, Error, Result, Store};
use serde::Deserialize;
use ts_rs::TS;

fn check(store: &Store, unit_id: &str) -> Result<()> {
    store.authorize(Action::IncidentsView)?;
    units::get(store.conn(), unit_id).map(|_| ())
}

pub fn review(store: &Store, unit_id: &str, week: &str) -> Result<Review> {
    check(store, unit_id)?;
    incidents::review(store.conn(), unit_id, week)
}

/// The file name a save dialog suggests for the brief: 「<unit>每周研判简报（<week>）.pdf」.
pub fn brief_file_name(store: &Store, unit_id: &str, week: &str, english: bool) -> Result<String> {
    check(store, unit_id)?;
    let unit = units::get(store.conn(), unit_id)?.name;
    let week = incidents::week_of(incidents::parse_week(week)?.0);
    Ok(if english {
        format!("{unit} weekly case review {week}.pdf")
    } else {
        format!("{unit}每周研判简报（{week}）.pdf")
    })
}

/// Writes the week's review as the one-page brief (PDF) to `path` and audits it by file name,
/// as a saved report is.
pub fn save_brief(store: &mut Store, unit_id: &str, week: &str, path: &Path) -> Result<Review> {
    let r = review(store, unit_id, week)?;
    let bytes = crate::print::documents::brief_pdf(store.conn(), &r, crate::today())?;
    let note = Note::new("brief.saved").with("unit", &r.unit_name).with("week", &r.week);
    let entry = (Action::IncidentsView.code().to_string(), crate::file_name_of(path), note);
    crate::save_audited(store, path, |_, tmp| crate::print::write_file(tmp, &bytes), |()| entry)?;
    Ok(r)
}

pub fn gaps(store: &Store, unit_id: &str, today: NaiveDate) -> Result<Gaps> {
    check(store, unit_id)?;
    incidents::gaps(store.conn(), unit_id, today)
}

pub fn list(store: &Store, unit_id: &str, from: &str, to: &str, limit: u32, offset: u32) -> Result<IncidentPage> {
    check(store, unit_id)?;
    incidents::list(store.conn(), unit_id, from, to, limit, offset)
}

/// Warned residents defrauded again: the coordinator's whole picture, a captain's own grids
/// (the follow-up view shows it to both, as it shows their cases).
pub fn revictimisation(store: &Store, today: NaiveDate) -> Result<Revictimisation> {
    store.authorize(Action::CasesView)?;
    incidents::revictimisation(store.conn(), store.access().scope_json().as_deref(), today)
}

pub fn labels(store: &Store) -> Result<Vec<TypeLabel>> {
    store.authorize(Action::IncidentsView)?;
    incidents::labels(store.conn())
}

pub fn save_label(store: &mut Store, label: &str, topic_id: &str) -> Result<TypeLabel> {
    crate::act(store, Action::IncidentsLabels, |tx| incidents::save_label(tx, label, topic_id))
}

pub fn remove_label(store: &mut Store, label: &str) -> Result<()> {
    store.authorize(Action::IncidentsLabels)?;
    crate::act_on(store, Action::IncidentsLabels, format!("incident_labels/{label}"), |tx| {
        incidents::remove_label(tx, label)
    })
}

pub fn push_draft(store: &Store, unit_id: &str, week: &str) -> Result<PushDraft> {
    store.authorize(Action::IncidentsPush)?;
    units::get(store.conn(), unit_id)?;
    store.require_unit(unit_id)?;
    incidents::push_draft(store.conn(), unit_id, week)
}

/// A tailored push as sent: how many WeChat groups, how many messages, how many people the
/// groups hold (what it reached), and the text as edited.
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct PushInput {
    pub unit_id: String,
    pub text: String,
    pub topic_ids: Vec<String>,
    pub audiences: Vec<outreach_core::sessions::Audience>,
    pub groups: u32,
    pub messages: u32,
    pub reached: u32,
    /// When it was sent, "YYYY-MM-DDTHH:MM" (the window's clock; the CLI's now).
    pub sent_at: String,
}

pub const PUSH_TEXT_MAX: usize = 1000;

/// Records a push that was sent: an online-push session in the unit, held and recorded in one
/// transaction (the text is its notes), so it counts in coverage like any session.
pub fn record_push(store: &mut Store, input: &PushInput) -> Result<Session> {
    store.authorize(Action::IncidentsPush)?;
    store.authorize(Action::SessionsPlan)?;
    store.authorize(Action::RecordsSave)?;
    let unit = units::get(store.conn(), &input.unit_id)?;
    store.require_unit(&input.unit_id)?;
    let mut iss = vec![];
    let text = input.text.trim();
    if text.is_empty() {
        iss.push(outreach_core::error::issue(outreach_core::error::Code::ValidationRequired, &[("field", "notes")]));
    }
    if text.chars().count() > PUSH_TEXT_MAX {
        let max = PUSH_TEXT_MAX.to_string();
        iss.push(outreach_core::error::issue(
            outreach_core::error::Code::ValidationTooLong,
            &[("field", "notes"), ("max", &max)],
        ));
    }
    for (field, v) in [("groups", input.groups), ("messages", input.messages)] {
        if v == 0 {
            iss.push(outreach_core::error::issue(outreach_core::error::Code::ValidationRequired, &[("field", field)]));
        }
    }
    let sent = match outreach_core::time::parse_minute("start", &input.sent_at) {
        Ok(t) => Some(t),
        Err(Error::Invalid(mut v)) => {
            iss.append(&mut v);
            None
        }
        Err(e) => return Err(e),
    };
    let Some(sent) = sent.filter(|_| iss.is_empty()) else {
        return Err(Error::Invalid(iss));
    };
    let start = outreach_core::time::fmt_minute(sent - chrono::Duration::minutes(1));
    let end = outreach_core::time::fmt_minute(sent);
    let input_session = SessionInput {
        id: None,
        title: format!("{}网格群定向预警", unit.name),
        kind: SessionKind::OnlinePush,
        venue_id: None,
        unit_id: Some(unit.id.clone()),
        start: start.clone(),
        end: end.clone(),
        audiences: input.audiences.clone(),
        topic_ids: input.topic_ids.clone(),
        people: vec![],
        materials: vec![],
        expected_audience: Some(input.reached),
        channel: format!("网格微信群 {} 个", input.groups),
        messages: Some(input.messages),
        notes: text.to_string(),
    };
    let (op, actor) = (store.operator(), store.actor());
    crate::act_guarded(store, Action::IncidentsPush, |tx| {
        let planned = sessions::save(tx, &input_session, true, &op)?;
        let session = planned.session.ok_or_else(|| Error::Internal("push not saved".into()))?;
        records::save(
            tx,
            &RecordInput {
                session_id: session.id.clone(),
                actual_start: start.clone(),
                actual_end: end.clone(),
                headcount: input.reached as i64,
                audiences: vec![],
                speakers: vec![],
                materials: vec![],
                notes: String::new(),
                signin_names: vec![],
                reason: String::new(),
            },
            &op,
            &actor,
        )?;
        sessions::get(tx, &session.id)
    })
}
