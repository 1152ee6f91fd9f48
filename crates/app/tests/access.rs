//! The access table, through the use-case layer: every action for the coordinator, a captain
//! inside their grids and a captain outside them; and the reads of personal data a captain
//! makes, which return their own grids' rows only.

#[path = "../../core/tests/common/mod.rs"]
mod common;

use std::collections::HashSet;
use std::path::PathBuf;

use chrono::NaiveDate;
use outreach_app::{followups, incidents, people, records, reports, sessions, visits, Action, Rule};
use outreach_core::coverage::Period;
use outreach_core::followups::CaseFilter;
use outreach_core::visits::VisitFilter;
use outreach_core::{demo, profiles, Passphrase, Store};

const DB_KEY: &str = "协调员口令-Coordinator-2026";
const CAPTAIN: &str = "稷下网格队长-口令A1";

fn pass(s: &str) -> Passphrase {
    Passphrase::with_work_factor(s, common::TEST_WORK_FACTOR)
}

/// What a captain may start, inside their grids. Everything else in the table is the
/// coordinator's. Written out here, not read from the table, so a change to it shows.
const CAPTAIN_MAY: &[Action] = &[
    Action::PeopleRevealPhone,
    Action::VenuesRevealPhone,
    Action::SessionsPlan,
    Action::RecordsSave,
    Action::RecordsView,
    Action::PhotosEdit,
    Action::VisitsSave,
    Action::VisitsView,
    Action::CasesSave,
    Action::CasesVisit,
    Action::CasesView,
    Action::CasesRevealPhone,
    Action::BundlesExportChanges,
    Action::ReportsView,
    Action::IncidentsPush,
    Action::PrintDocuments,
    Action::PassphraseRemember,
    Action::PassphraseForget,
    Action::OwnPassphrase,
];

struct World {
    _dir: tempfile::TempDir,
    coord: Store,
    captain: Store,
    /// One of the captain's communities, and a community outside.
    inside: String,
    outside: String,
    city: String,
}

fn one(s: &Store, sql: &str, p: &[&dyn rusqlite::ToSql]) -> String {
    s.conn().query_row(sql, p, |r| r.get(0)).unwrap()
}

fn unit(s: &Store, name: &str) -> String {
    one(s, "SELECT id FROM units WHERE name = ?1", &[&name])
}

/// Rows at or below a unit (the unit itself and its grids).
const UNDER: &str = "(SELECT id FROM units WHERE id = ?1 OR parent_id = ?1)";

/// The demo city; a captain for two communities (齐都花园: door-to-door logs; 人民公园:
/// warned residents and records), and 华光社区 outside, with a door-to-door log added.
fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("outreach.db");
    let mut coord = Store::open_with(&path, Some(&pass(DB_KEY))).unwrap();
    demo::load(&mut coord).unwrap();
    let (qidu, inside, outside) =
        (unit(&coord, "齐都花园社区"), unit(&coord, "人民公园社区"), unit(&coord, "华光社区"));
    let outside_grid = one(&coord, "SELECT id FROM units WHERE parent_id = ?1 ORDER BY name LIMIT 1", &[&outside]);
    visits::save(
        &mut coord,
        &outreach_core::visits::VisitInput {
            id: None,
            session_id: None,
            grid_id: outside_grid,
            building: "华光小区3号楼".into(),
            visited_on: "2026-11-20".into(),
            visited: 24,
            not_home: 6,
            refused: 1,
            warnings: 2,
            visitor_ids: vec![],
            notes: String::new(),
        },
    )
    .unwrap();
    let city = one(&coord, "SELECT id FROM units WHERE parent_id IS NULL ORDER BY name LIMIT 1", &[]);
    let id = profiles::save_with(&mut coord, None, "齐都人民公园队长", &[qidu, inside.clone()], Some(&pass(CAPTAIN)))
        .unwrap()
        .id;
    drop(coord);
    let captain = profiles::unlock(&path, &id, &pass(CAPTAIN)).unwrap();
    let coord = Store::open_with(&path, Some(&pass(DB_KEY))).unwrap();
    World { _dir: dir, coord, captain, inside, outside, city }
}

/// A recorded session of a unit or its grids.
fn record_under(s: &Store, unit: &str) -> String {
    let sql = format!(
        "SELECT r.id FROM records r JOIN sessions s ON s.id = r.id LEFT JOIN venues v ON v.id = s.venue_id
         WHERE coalesce(s.unit_id, v.unit_id) IN {UNDER} LIMIT 1"
    );
    one(s, &sql, &[&unit])
}

fn code<T>(r: outreach_core::Result<T>) -> String {
    match r {
        Ok(_) => panic!("expected a refusal"),
        Err(e) => e.code().to_string(),
    }
}

#[test]
fn the_access_table_for_every_action() {
    let w = world();
    for &a in Action::ALL {
        assert!(w.coord.authorize(a).is_ok(), "{a:?}: the coordinator may do everything");
        let captain = w.captain.authorize(a);
        if CAPTAIN_MAY.contains(&a) {
            assert!(captain.is_ok(), "{a:?}: a captain may start it");
            assert_ne!(a.rule(), Rule::Coordinator, "{a:?}");
        } else {
            let e = captain.expect_err(&format!("{a:?} is the coordinator's"));
            let issue = &e.issues()[0];
            assert_eq!(issue.code, "role.coordinator_only");
            // The parameter is the action's code, never Chinese; the message names it in Chinese.
            assert_eq!(issue.params.get("action").map(String::as_str), Some(a.code()));
            assert!(issue.message.contains(a.label_zh()), "{}", issue.message);
        }
    }
}

/// The captain's own database does not hold another grid's row at all.
fn absent(captain: &Store, table: &str, id: &str) {
    let n: i64 =
        captain.conn().query_row(&format!("SELECT count(*) FROM {table} WHERE id = ?1"), [id], |r| r.get(0)).unwrap();
    assert_eq!(n, 0, "{table} {id} is in the captain's database");
}

#[test]
fn in_grids_actions_refuse_rows_outside_the_captains_grids() {
    let mut w = world();
    // Follow-ups: a case outside is neither read, nor its phone shown.
    let outside_case = one(&w.coord, &format!("SELECT id FROM cases WHERE grid_id IN {UNDER} LIMIT 1"), &[&w.outside]);
    let inside_case = one(&w.coord, &format!("SELECT id FROM cases WHERE grid_id IN {UNDER} LIMIT 1"), &[&w.inside]);
    // The captain's own database does not hold another grid's rows at all; asking is refused.
    absent(&w.captain, "cases", &outside_case);
    assert!(followups::get(&w.captain, &outside_case).is_err());
    assert!(followups::reveal_phone(&mut w.captain, &outside_case).is_err());
    assert!(followups::get(&w.captain, &inside_case).is_ok());
    assert!(followups::reveal_phone(&mut w.captain, &inside_case).unwrap().len() >= 11);
    // People: a grid worker outside keeps their number.
    let outside_person =
        one(&w.coord, &format!("SELECT id FROM people WHERE unit_id IN {UNDER} LIMIT 1"), &[&w.outside]);
    absent(&w.captain, "people", &outside_person);
    assert!(people::reveal_phone(&mut w.captain, &outside_person).is_err());
    // Records: another grid's record (its sign-in names, its photos) is not read.
    let outside_record = record_under(&w.coord, &w.outside);
    absent(&w.captain, "records", &outside_record);
    assert!(!matches!(records::find(&w.captain, &outside_record), Ok(Some(_))));
    assert!(records::find(&w.coord, &outside_record).unwrap().is_some());
    // Reports: the figures of another grid, and of the whole city, are not the captain's.
    let p = Period::parse("2026-01-01", "2026-12-31").unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
    // (Another grid is not even in the captain's database; the city above is, and is refused.)
    assert!(reports::build(&w.captain, &w.outside, p, today).is_err());
    assert_eq!(code(reports::build(&w.captain, &w.city, p, today)), "role.outside_grids");
    assert_eq!(reports::build(&w.captain, &w.inside, p, today).unwrap().total.unit_id, w.inside);
    // Incidents: the case review is the coordinator's; a captain drafts and records pushes in
    // their own grids only, and counts re-victimisation among their own warned residents.
    assert_eq!(code(incidents::review(&w.captain, &w.inside, "2026-W49")), "role.coordinator_only");
    assert!(incidents::push_draft(&w.captain, &w.outside, "2026-W49").is_err());
    assert!(incidents::push_draft(&w.captain, &w.inside, "2026-W49").is_ok());
    let mine = incidents::revictimisation(&w.captain, today).unwrap();
    let all = incidents::revictimisation(&w.coord, today).unwrap();
    assert!(mine.warned > 0 && mine.warned < all.warned, "{} of {}", mine.warned, all.warned);
    // Reviewing (审核上报) is the coordinator's, so no captain reviews what they recorded.
    let inside_record = record_under(&w.coord, &w.inside);
    assert_eq!(code(records::review(&mut w.captain, &inside_record)), "role.coordinator_only");
    // Planning in another grid is refused; nothing was written by any refusal above.
    let before = outreach_core::audit::list(w.coord.conn(), 1, 0).unwrap()[0].seq;
    let mut s = common::bench_talk(&w.outside, "2026-12-20 09:00", "2026-12-20 10:00");
    assert_eq!(code(sessions::save(&mut w.captain, &s, true)), "role.outside_grids");
    s.unit_id = Some(w.inside.clone());
    assert!(sessions::save(&mut w.captain, &s, true).unwrap().session.is_some());
    let after = outreach_core::audit::list(w.coord.conn(), 5, 0).unwrap();
    assert!(after
        .iter()
        .filter(|e| e.seq > before)
        .all(|e| e.action != "view_phone" || e.target.ends_with(&inside_case)));
}

#[test]
fn a_captains_lists_hold_only_their_grids() {
    let w = world();
    let scope: HashSet<String> = w.captain.access().scope_unit_ids.iter().cloned().collect();
    assert!(scope.contains(&w.inside) && !scope.contains(&w.outside));
    let _ = &w.city;

    let all_cases = followups::list(&w.coord, &CaseFilter::default()).unwrap();
    let mine = followups::list(&w.captain, &CaseFilter::default()).unwrap();
    assert!(all_cases.iter().any(|c| !scope.contains(&c.grid_id)), "the coordinator sees the other grids' cases");
    assert!(!mine.is_empty() && mine.iter().all(|c| scope.contains(&c.grid_id)), "{} cases", mine.len());
    // A filter from the window cannot widen it: asking for the other grid gives nothing.
    let asked = CaseFilter { unit_id: Some(w.outside.clone()), ..Default::default() };
    assert!(followups::list(&w.captain, &asked).unwrap().is_empty());
    // The window's page counts the captain's cases only, too.
    let page = followups::page(&w.captain, &CaseFilter::default()).unwrap();
    assert_eq!((page.rows.len(), page.total as usize), (mine.len().min(50), mine.len()));
    assert_eq!(followups::page(&w.coord, &CaseFilter::default()).unwrap().total as usize, all_cases.len());

    let far = NaiveDate::from_ymd_opt(2030, 1, 1).unwrap();
    let mine_ids: HashSet<&str> = mine.iter().map(|c| c.id.as_str()).collect();
    let all_due = followups::due(&w.coord, far, 0, None).unwrap();
    let my_due = followups::due(&w.captain, far, 0, None).unwrap();
    assert!(my_due.len() < all_due.len(), "{} of {}", my_due.len(), all_due.len());
    assert!(my_due.iter().all(|d| mine_ids.contains(d.case_id.as_str())));
    // The window's page of them, and its totals, count the captain's visits only.
    let my_page = followups::due_page(&w.captain, far, 0, None, None, None).unwrap();
    assert_eq!((my_page.rows.len(), my_page.total as usize), (my_due.len().min(50), my_due.len()));
    assert!(my_page.rows.iter().all(|d| mine_ids.contains(d.case_id.as_str())));
    assert_eq!(my_page.workers.iter().map(|w| w.total as usize).sum::<usize>(), my_due.len());
    assert_eq!(followups::due_page(&w.coord, far, 0, None, None, None).unwrap().total as usize, all_due.len());

    let all_visits = visits::list(&w.coord, &VisitFilter::default()).unwrap();
    let my_visits = visits::list(&w.captain, &VisitFilter::default()).unwrap();
    assert!(all_visits.iter().any(|v| !scope.contains(&v.grid_id)));
    assert!(!my_visits.is_empty() && my_visits.iter().all(|v| scope.contains(&v.grid_id)));
    let outside_grid = all_visits.iter().find(|v| !scope.contains(&v.grid_id)).unwrap().grid_id.clone();
    let asked = VisitFilter { grid_id: Some(outside_grid), ..Default::default() };
    assert!(visits::list(&w.captain, &asked).unwrap().is_empty());
}

/// Every entry says who: a captain's write names the profile unlocked, even with no operator
/// name set on the laptop; once a name is set, both.
#[test]
fn a_captains_writes_are_audited_under_their_profile() {
    let mut w = world();
    let grid = one(&w.captain, "SELECT id FROM units WHERE parent_id = ?1 ORDER BY name LIMIT 1", &[&w.inside]);
    let input = outreach_core::visits::VisitInput {
        id: None,
        session_id: None,
        grid_id: grid,
        building: "人民公园小区2号楼".into(),
        visited_on: "2026-11-21".into(),
        visited: 18,
        not_home: 4,
        refused: 0,
        warnings: 1,
        visitor_ids: vec![],
        notes: String::new(),
    };
    visits::save(&mut w.captain, &input).unwrap();
    let newest = |s: &Store| outreach_core::audit::list(s.conn(), 1, 0).unwrap().remove(0);
    let e = newest(&w.captain);
    assert_eq!((e.action.as_str(), e.operator.as_str()), ("visits.save", "齐都人民公园队长"));
    // Who acted is the profile unlocked, in the chain, whatever name the operator field says.
    let profile = w.captain.access().profile_id.clone().unwrap();
    assert_eq!((e.actor, e.actor_label.as_str()), (format!("profile:{profile}"), "齐都人民公园队长"));
    let named = outreach_core::settings::Settings {
        operator_name: "李网格长".into(),
        ..outreach_core::settings::get(w.captain.conn()).unwrap()
    };
    w.captain.write(|tx| outreach_core::settings::save(tx, &named)).unwrap();
    visits::save(&mut w.captain, &input).unwrap();
    let e = newest(&w.captain);
    assert_eq!((e.operator.as_str(), e.actor), ("李网格长（齐都人民公园队长）", format!("profile:{profile}")));
    assert_eq!(outreach_core::audit::verify(w.captain.conn()).unwrap().first_broken, None);
}
