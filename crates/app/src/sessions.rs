//! Planning: a captain plans only in their own units (the session's unit, else its venue's).

use outreach_core::audit::Note;
use std::collections::HashMap;
use std::path::Path;

use outreach_core::series::{self, SeriesInput, SeriesOutcome};
use outreach_core::sessions::{self, PlanOutcome, Session, SessionFilter, SessionInput, SessionStatus};
use outreach_core::{calendar, people, templates, topics, units, Action, Error, Result, Store};

pub fn save(store: &mut Store, input: &SessionInput, allow_warnings: bool) -> Result<PlanOutcome> {
    store.authorize(Action::SessionsPlan)?;
    store.guard_session_input(input)?;
    let op = store.operator();
    crate::write_audited(store, Action::SessionsPlan, |tx| sessions::save(tx, input, allow_warnings, &op), planned)
}

pub fn reschedule(store: &mut Store, id: &str, start: &str, allow_warnings: bool) -> Result<PlanOutcome> {
    store.authorize(Action::SessionsPlan)?;
    store.guard_session(id)?;
    let op = store.operator();
    crate::write_audited(
        store,
        Action::SessionsPlan,
        |tx| sessions::reschedule(tx, id, start, allow_warnings, &op),
        planned,
    )
}

pub fn set_status(store: &mut Store, id: &str, status: SessionStatus, reason: &str) -> Result<Session> {
    store.authorize(Action::SessionsPlan)?;
    store.guard_session(id)?;
    let op = store.operator();
    let now = chrono::Local::now().naive_local();
    crate::act_guarded(store, Action::SessionsPlan, |tx| sessions::change_status(tx, id, status, reason, &op, now))
}

pub fn create_series(store: &mut Store, input: &SeriesInput, allow_warnings: bool) -> Result<SeriesOutcome> {
    store.authorize(Action::SessionsPlan)?;
    store.guard_session_input(&input.first)?;
    let op = store.operator();
    crate::write_audited(
        store,
        Action::SessionsPlan,
        |tx| series::create(tx, input, allow_warnings, &op),
        series_planned,
    )
}

pub fn edit_series_later(store: &mut Store, input: &SessionInput, allow_warnings: bool) -> Result<SeriesOutcome> {
    store.authorize(Action::SessionsPlan)?;
    store.guard_session_input(input)?;
    let op = store.operator();
    crate::write_audited(
        store,
        Action::SessionsPlan,
        |tx| series::edit_this_and_later(tx, input, allow_warnings, &op),
        series_planned,
    )
}

/// A plan held back for its warnings wrote nothing, and has no entry.
fn planned(out: &PlanOutcome) -> Option<(String, String)> {
    out.session.as_ref().map(crate::Subject::subject)
}

fn series_planned(out: &SeriesOutcome) -> Option<(String, String)> {
    let id = out.series_id.as_deref().filter(|_| out.created > 0)?;
    Some((format!("series/{id}"), out.created.to_string()))
}

/// Whose calendar an export is: a person's name, a unit's, or 全部. The window suggests a file
/// name with it; the calendar's own name carries it too.
pub fn calendar_label(store: &Store, unit_id: Option<&str>, person_id: Option<&str>) -> Result<String> {
    Ok(match (unit_id, person_id) {
        (_, Some(p)) => people::get(store.conn(), p)?.name,
        (Some(u), None) => units::get(store.conn(), u)?.name,
        (None, None) => "全部".into(),
    })
}

/// Writes the sessions of a unit (and below) or of a person as an .ics file at `path` (chosen
/// by the user) and audits it; the number of sessions written.
pub fn export_ics(store: &mut Store, unit_id: Option<String>, person_id: Option<String>, path: &Path) -> Result<usize> {
    let label = calendar_label(store, unit_id.as_deref(), person_id.as_deref())?;
    let filter = SessionFilter { unit_id, person_id, ..Default::default() };
    let list = sessions::list(store.conn(), &filter)?;
    let names: HashMap<String, String> = topics::list(store.conn())?.into_iter().map(|t| (t.id, t.name)).collect();
    let text = calendar::ics(&format!("反诈宣传活动 · {label}"), &list, &names)?;
    let n = list.len();
    crate::save_audited(
        store,
        path,
        |_, tmp| std::fs::write(tmp, &text).map_err(|e| Error::io(path.display().to_string(), e)),
        |()| {
            ("export".into(), "sessions.ics".into(), Note::new("export.ics").with("n", n).with("path", path.display()))
        },
    )?;
    Ok(n)
}

pub fn save_template(store: &mut Store, template: &templates::Template) -> Result<templates::Template> {
    crate::act(store, Action::TemplatesEdit, |tx| templates::save(tx, template))
}

pub fn save_topic(store: &mut Store, input: &topics::TopicInput) -> Result<topics::Topic> {
    crate::act(store, Action::TopicsEdit, |tx| topics::save(tx, input))
}
