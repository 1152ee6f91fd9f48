//! Coverage figures against a small dataset computed by hand; empty periods; a unit with no
//! grids; a period crossing a year; cancelled and corrected sessions; and the summary tables
//! against a full recomputation after random operation sequences.

mod common;

use chrono::NaiveDate;
use outreach_core::coverage::{self, Level, Period};
use outreach_core::followups::{self, CaseInput, Method, Outcome, Risk, VisitDone, VisitResult};
use outreach_core::records::{self, AudienceCount, HandOut, RecordInput};
use outreach_core::sessions::{self, Audience, SessionInput, SessionKind, SessionStatus};
use outreach_core::units::UnitKind;
use outreach_core::visits::{self, VisitInput};
use outreach_core::Store;
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn p(a: &str, b: &str) -> Period {
    Period::parse(a, b).unwrap()
}

struct World {
    s: Store,
    city: String,
    east: String,
    west: String,
    g1: String,
    g2: String,
    g3: String,
    empty: String,
}

/// 城市 → 东区 (g1 900 residents/300 households, g2 600/200) and 西区 (g3 300/100), plus 空区 with no grids.
fn world() -> World {
    let mut s = Store::open_in_memory().unwrap();
    let city = common::add(&mut s, None, "城市", UnitKind::City, None);
    let east = common::add(&mut s, Some(&city), "东区", UnitKind::District, None);
    let west = common::add(&mut s, Some(&city), "西区", UnitKind::District, None);
    let empty = common::add(&mut s, Some(&city), "空区", UnitKind::District, None);
    let g1 = common::add(&mut s, Some(&east), "东一网格", UnitKind::Grid, Some(common::grid_profile(900)));
    let g2 = common::add(&mut s, Some(&east), "东二网格", UnitKind::Grid, Some(common::grid_profile(600)));
    let g3 = common::add(&mut s, Some(&west), "西一网格", UnitKind::Grid, Some(common::grid_profile(300)));
    World { s, city, east, west, g1, g2, g3, empty }
}

fn session(s: &mut Store, unit: &str, kind: SessionKind, day: &str) -> String {
    s.write(|tx| {
        sessions::save(
            tx,
            &SessionInput {
                id: None,
                title: "宣讲".into(),
                kind,
                venue_id: None,
                unit_id: Some(unit.into()),
                start: format!("{day}T09:00"),
                end: format!("{day}T10:30"),
                audiences: vec![Audience::Elderly],
                topic_ids: vec![],
                people: vec![],
                materials: vec![],
                expected_audience: None,
                channel: String::new(),
                messages: None,
                notes: String::new(),
            },
            true,
            "t",
        )
    })
    .unwrap()
    .session
    .unwrap()
    .id
}

fn record(s: &mut Store, id: &str, day: &str, heads: i64, elderly: i64, flyers: i64) {
    let input = RecordInput {
        session_id: id.into(),
        actual_start: format!("{day}T09:00"),
        actual_end: format!("{day}T10:30"),
        headcount: heads,
        audiences: vec![AudienceCount { audience: Audience::Elderly, count: elderly }],
        speakers: vec![],
        materials: if flyers > 0 {
            vec![HandOut { material_id: "mat-flyer".into(), quantity: flyers, material_name: String::new() }]
        } else {
            vec![]
        },
        notes: String::new(),
        signin_names: vec![],
        reason: String::new(),
    };
    s.write(|tx| records::save(tx, &input, "t", "coordinator")).unwrap();
}

fn visit(s: &mut Store, grid: &str, day: &str, visited: i64) -> String {
    let v = VisitInput {
        id: None,
        session_id: None,
        grid_id: grid.into(),
        building: String::new(),
        visited_on: day.into(),
        visited,
        not_home: 1,
        refused: 0,
        warnings: 1,
        visitor_ids: vec![],
        notes: String::new(),
    };
    s.write(|tx| visits::save(tx, &v)).unwrap().id
}

#[test]
fn figures_match_a_hand_computed_dataset() {
    let mut w = world();
    // 东一: a bench talk (80 people, 50 elderly, 100 flyers) and a talk (40, 10, 0) in March;
    // 西一: a talk in March (30, 0) later cancelled? no — a planned one, and one cancelled.
    let a = session(&mut w.s, &w.g1, SessionKind::BenchTalk, "2026-03-07");
    record(&mut w.s, &a, "2026-03-07", 80, 50, 100);
    let b = session(&mut w.s, &w.g1, SessionKind::Talk, "2026-03-20");
    record(&mut w.s, &b, "2026-03-20", 40, 10, 0);
    let c = session(&mut w.s, &w.g3, SessionKind::Talk, "2026-03-21");
    record(&mut w.s, &c, "2026-03-21", 30, 0, 0);
    session(&mut w.s, &w.g3, SessionKind::Talk, "2026-03-25"); // planned
    let x = session(&mut w.s, &w.g2, SessionKind::Talk, "2026-03-26");
    w.s.write(|tx| sessions::set_status(tx, &x, SessionStatus::Cancelled, "下雨", "t")).unwrap();
    // Door-to-door in 东二 (20 + 15 households) in March, one in April (outside).
    visit(&mut w.s, &w.g2, "2026-03-10", 20);
    visit(&mut w.s, &w.g2, "2026-03-31", 15);
    visit(&mut w.s, &w.g2, "2026-04-01", 99);

    let f = coverage::figures(w.s.conn(), &w.city, p("2026-03-01", "2026-03-31"), d("2026-06-01")).unwrap();
    assert_eq!((f.sessions_held, f.sessions_planned, f.sessions_cancelled), (3, 1, 1));
    assert_eq!(f.person_times, 150);
    assert_eq!(f.residents, 1800);
    assert_eq!(f.coverage_pct, 8.3); // 150 / 1800 = 8.33%
    assert_eq!(f.audiences.iter().find(|a| a.audience == Audience::Elderly).unwrap().reached, 60);
    assert_eq!((f.households_visited, f.visit_logs, f.not_home, f.warning_notices), (35, 2, 2, 2));
    assert_eq!(f.households, 600);
    assert_eq!((f.grids, f.grids_reached), (3, 3), "g1 and g3 by sessions, g2 by door-to-door");
    assert_eq!(f.flyers, 100);
    assert_eq!(f.by_kind.iter().find(|k| k.kind == SessionKind::BenchTalk).unwrap().count, 1);

    let c = coverage::coverage(w.s.conn(), &w.city, p("2026-03-01", "2026-03-31"), d("2026-06-01"), Level::Children)
        .unwrap();
    let east = c.parts.iter().find(|x| x.unit_id == w.east).unwrap();
    let west = c.parts.iter().find(|x| x.unit_id == w.west).unwrap();
    let empty = c.parts.iter().find(|x| x.unit_id == w.empty).unwrap();
    assert_eq!((east.sessions_held, east.person_times, east.residents, east.grids_reached), (2, 120, 1500, 2));
    assert_eq!((west.sessions_held, west.person_times, west.coverage_pct), (1, 30, 10.0));
    assert_eq!(
        (empty.grids, empty.residents, empty.coverage_pct, empty.sessions_held),
        (0, 0, 0.0, 0),
        "a unit with no grids"
    );
    // The parts add up to the whole.
    assert_eq!(c.parts.iter().map(|x| x.person_times).sum::<u64>(), c.total.person_times);
    let by_grid =
        coverage::coverage(w.s.conn(), &w.east, p("2026-03-01", "2026-03-31"), d("2026-06-01"), Level::Grids).unwrap();
    assert_eq!(by_grid.parts.len(), 2);
    assert_eq!(by_grid.parts.iter().find(|g| g.unit_id == w.g2).unwrap().households_visited, 35);
    assert_eq!(by_grid.parts.iter().find(|g| g.unit_id == w.g1).unwrap().person_times, 120);

    // An empty period.
    let none = coverage::figures(w.s.conn(), &w.city, p("2025-01-01", "2025-01-31"), d("2026-06-01")).unwrap();
    assert_eq!((none.sessions_held, none.person_times, none.grids_reached, none.coverage_pct), (0, 0, 0, 0.0));
    // A period that starts and ends mid-month (edges read from the rows, whole months from the sums).
    let mid = coverage::figures(w.s.conn(), &w.city, p("2026-03-15", "2026-04-01"), d("2026-06-01")).unwrap();
    assert_eq!(mid.households_visited, 15 + 99);
    assert_eq!(mid.person_times, 70);
    assert_eq!(f.visits_per_household, 0.06, "35 household visits ÷ 600 households");
    // Logs count visits, not households: 东二's 200 households visited again and again make
    // more visits than households, and the figure says so instead of a share over 100%.
    let g2 = by_grid.parts.iter().find(|g| g.unit_id == w.g2).unwrap();
    for day in ["2026-05-04", "2026-05-11", "2026-05-18"] {
        visit(&mut w.s, &w.g2, day, g2.households as i64);
    }
    let may =
        coverage::coverage(w.s.conn(), &w.east, p("2026-05-01", "2026-05-31"), d("2026-06-01"), Level::Grids).unwrap();
    let g2 = may.parts.iter().find(|g| g.unit_id == w.g2).unwrap();
    assert_eq!(g2.households_visited, 3 * g2.households);
    assert_eq!(g2.visits_per_household, 3.0);
}

#[test]
fn a_period_crossing_the_new_year() {
    let mut w = world();
    let a = session(&mut w.s, &w.g1, SessionKind::Talk, "2025-12-30");
    record(&mut w.s, &a, "2025-12-30", 10, 0, 0);
    let b = session(&mut w.s, &w.g1, SessionKind::Talk, "2026-01-02");
    record(&mut w.s, &b, "2026-01-02", 20, 0, 0);
    visit(&mut w.s, &w.g1, "2025-12-31", 5);
    visit(&mut w.s, &w.g1, "2026-01-01", 6);
    let f = coverage::figures(w.s.conn(), &w.city, p("2025-12-15", "2026-01-15"), d("2026-06-01")).unwrap();
    assert_eq!((f.sessions_held, f.person_times, f.households_visited), (2, 30, 11));
    let months = coverage::monthly(w.s.conn(), &w.city, p("2025-12-01", "2026-01-31")).unwrap();
    assert_eq!(
        months.iter().map(|m| (m.month.as_str(), m.person_times)).collect::<Vec<_>>(),
        vec![("2025-12", 10), ("2026-01", 20)]
    );
}

#[test]
fn corrections_and_cancellations_after_reporting_change_the_figures() {
    let mut w = world();
    let a = session(&mut w.s, &w.g1, SessionKind::Talk, "2026-05-05");
    record(&mut w.s, &a, "2026-05-05", 50, 0, 0);
    w.s.write(|tx| records::review(tx, &a, "民警")).unwrap();
    let fig = |s: &Store| coverage::figures(s.conn(), &w.city, p("2026-05-01", "2026-05-31"), d("2026-06-01")).unwrap();
    assert_eq!(fig(&w.s).person_times, 50);
    let mut input = RecordInput::from(&records::get(w.s.conn(), &a).unwrap());
    input.headcount = 65;
    input.reason = "补记".into();
    w.s.write(|tx| records::save(tx, &input, "t", "coordinator")).unwrap();
    assert_eq!(fig(&w.s).person_times, 65);
    let b = session(&mut w.s, &w.g1, SessionKind::Talk, "2026-05-06");
    record(&mut w.s, &b, "2026-05-06", 10, 0, 0);
    w.s.write(|tx| sessions::set_status(tx, &b, SessionStatus::Cancelled, "重复登记", "t")).unwrap();
    let f = fig(&w.s);
    assert_eq!((f.sessions_held, f.sessions_cancelled, f.person_times), (1, 1, 65));
}

#[test]
fn followups_on_time_late_and_overdue() {
    let mut w = world();
    let g = w.g3.clone();
    let c =
        w.s.write(|tx| {
            followups::save(
                tx,
                &CaseInput {
                    id: None,
                    name: "王某".into(),
                    phone: Some("13905330000".into()),
                    grid_id: g.clone(),
                    worker_id: None,
                    risk: Risk::High,
                    warned_on: "2026-03-01".into(),
                    method: Method::Phone,
                    outcome: Outcome::Dissuaded,
                    money_stopped: true,
                    notes: String::new(),
                },
                d("2026-03-01"),
            )
        })
        .unwrap();
    // Due 03-08 (done 03-08: on time), 04-01 (done 04-05: late), 06-01 (not done).
    let done = |id: &str, day: &str| VisitDone {
        visit_id: id.into(),
        done_on: day.into(),
        method: Method::Phone,
        result: VisitResult::Safe,
        notes: String::new(),
        visitor_id: None,
    };
    w.s.write(|tx| followups::record_visit(tx, &done(&c.visits[0].id, "2026-03-08"), d("2026-07-01"))).unwrap();
    w.s.write(|tx| followups::record_visit(tx, &done(&c.visits[1].id, "2026-04-05"), d("2026-07-01"))).unwrap();
    let f = coverage::figures(w.s.conn(), &w.city, p("2026-03-01", "2026-06-30"), d("2026-07-01")).unwrap();
    assert_eq!((f.followups_due, f.followups_on_time, f.followups_late, f.followups_overdue), (3, 1, 1, 1));
    assert_eq!(f.followups_on_time_pct, Some(33.3));
    assert_eq!((f.warned_residents, f.money_stopped), (1, 1));
    // Before the last one fell due, it is not overdue.
    let early = coverage::figures(w.s.conn(), &w.city, p("2026-03-01", "2026-06-30"), d("2026-05-01")).unwrap();
    assert_eq!(early.followups_overdue, 0);
}

fn recomputed(s: &Store) -> (Vec<(String, String, i64, i64, i64, i64, i64)>, Vec<(String, String, i64, i64, i64)>) {
    let q1 = "SELECT grid_id, substr(visited_on,1,7), count(*), sum(visited), sum(not_home), sum(refused), sum(warnings) FROM visits WHERE removed_at IS NULL GROUP BY 1,2 ORDER BY 1,2";
    let q2 = "SELECT grid_id, month, logs, visited, not_home, refused, warnings FROM visit_totals WHERE logs <> 0 OR visited <> 0 ORDER BY 1,2";
    let read = |q: &str| -> Vec<(String, String, i64, i64, i64, i64, i64)> {
        s.conn()
            .prepare(q)
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    let fu1 = "SELECT c.grid_id, substr(v.due_on,1,7), count(*), sum(v.done_on IS NOT NULL AND v.done_on <= v.due_on), sum(v.done_on IS NOT NULL AND v.done_on > v.due_on)
               FROM case_visits v JOIN cases c ON c.id = v.case_id GROUP BY 1,2 ORDER BY 1,2";
    let fu2 = "SELECT grid_id, month, due, on_time, late FROM followup_totals WHERE due <> 0 ORDER BY 1,2";
    let read5 = |q: &str| -> Vec<(String, String, i64, i64, i64)> {
        s.conn()
            .prepare(q)
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    assert_eq!(read(q1), read(q2), "visit sums drifted from the rows");
    assert_eq!(read5(fu1), read5(fu2), "follow-up sums drifted from the rows");
    (read(q2), read5(fu2))
}

#[derive(Debug, Clone)]
enum Op {
    AddVisit(usize, u8, u8),
    EditVisit(usize, usize, u8, u8),
    RemoveVisit(usize),
    AddCase(usize, u8),
    DoVisit(usize, u8),
    MoveCase(usize, usize),
    BundleRoundTrip,
    AddSession(usize, u8, u8),
    RecordSession(usize, u8, bool),
    CancelSession(usize),
    Reschedule(usize, u8, u8),
    MoveGrid(usize, bool),
    ArchiveGrid(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0usize..3, 1u8..28, 0u8..40).prop_map(|(g, day, n)| Op::AddVisit(g, day, n)),
        (0usize..50, 0usize..3, 1u8..28, 0u8..40).prop_map(|(i, g, day, n)| Op::EditVisit(i, g, day, n)),
        (0usize..50).prop_map(Op::RemoveVisit),
        (0usize..3, 1u8..28).prop_map(|(g, day)| Op::AddCase(g, day)),
        (0usize..150, 0u8..60).prop_map(|(i, late)| Op::DoVisit(i, late)),
        (0usize..50, 0usize..3).prop_map(|(i, g)| Op::MoveCase(i, g)),
        Just(Op::BundleRoundTrip),
        (0usize..5, 1u8..28, 1u8..4).prop_map(|(u, day, m)| Op::AddSession(u, day, m)),
        (0usize..30, 0u8..200, any::<bool>()).prop_map(|(i, n, sp)| Op::RecordSession(i, n, sp)),
        (0usize..30).prop_map(Op::CancelSession),
        (0usize..30, 1u8..28, 1u8..4).prop_map(|(i, day, m)| Op::Reschedule(i, day, m)),
        (0usize..3, any::<bool>()).prop_map(|(g, east)| Op::MoveGrid(g, east)),
        (0usize..3).prop_map(Op::ArchiveGrid),
    ]
}

fn speaker(s: &mut Store, unit: &str) -> String {
    s.write(|tx| {
        outreach_core::people::save(
            tx,
            &outreach_core::people::PersonInput {
                id: None,
                name: "王秀英".into(),
                roles: vec![outreach_core::people::PersonRole::Volunteer],
                phone: None,
                unit_id: Some(unit.into()),
                team_ids: vec![],
                topic_ids: vec![],
                active: true,
                joined_on: None,
                notes: String::new(),
            },
        )
    })
    .unwrap()
    .id
}

/// The figures read through the roll-up cache equal the ones computed from the rows alone,
/// for whole months, edge days, a period with months not yet over, and every level.
fn cache_equals_rows(w: &World, all: bool) {
    let periods: &[(&str, &str)] = if all {
        &[
            ("2026-01-01", "2026-03-31"),
            ("2026-02-01", "2026-02-28"),
            ("2025-12-31", "2026-03-15"),
            ("2026-01-10", "2026-01-20"),
        ]
    } else {
        &[("2026-01-01", "2026-03-31"), ("2025-12-31", "2026-03-15")]
    };
    let as_ofs: &[&str] = if all { &["2026-02-15", "2026-12-31"] } else { &["2026-02-15"] };
    for (a, b) in periods {
        for as_of in as_ofs {
            for (unit, level) in [(&w.city, Level::Children), (&w.city, Level::Grids), (&w.east, Level::Grids)] {
                let cached = coverage::coverage(w.s.conn(), unit, p(a, b), d(as_of), level).unwrap();
                let rows = coverage::coverage_from_rows(w.s.conn(), unit, p(a, b), d(as_of), level).unwrap();
                assert_eq!(cached, rows, "cache differs from the rows for {a}..{b} as of {as_of}");
            }
            let m = coverage::monthly(w.s.conn(), &w.city, p(a, b)).unwrap();
            let f =
                coverage::coverage_from_rows(w.s.conn(), &w.city, p(a, b), d(as_of), Level::Children).unwrap().total;
            assert_eq!(m.iter().map(|x| x.sessions_held).sum::<u64>(), f.sessions_held);
            assert_eq!(m.iter().map(|x| x.person_times).sum::<u64>(), f.person_times);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    /// Whatever happens — logs added, edited (moved to another grid or month), removed, cases
    /// registered, visits done on time or late, cases moved, a bundle merged back in — the
    /// per-month sums equal a full recomputation from the rows.
    #[test]
    fn summaries_stay_equal_to_a_full_recomputation(ops in proptest::collection::vec(op(), 1..40)) {
        let mut w = world();
        let grids = [w.g1.clone(), w.g2.clone(), w.g3.clone()];
        let units = [w.g1.clone(), w.g2.clone(), w.g3.clone(), w.east.clone(), w.west.clone()];
        let person = speaker(&mut w.s, &w.city);
        let mut sids: Vec<String> = Vec::new();
        let mut vids: Vec<String> = Vec::new();
        let mut cases: Vec<String> = Vec::new();
        for o in ops {
            match o {
                Op::AddVisit(g, day, n) => vids.push(visit(&mut w.s, &grids[g], &format!("2026-0{}-{:02}", 1 + day % 3, day), n as i64 + 1)),
                Op::EditVisit(i, g, day, n) => if !vids.is_empty() {
                    let id = vids[i % vids.len()].clone();
                    if let Ok(v) = visits::get(w.s.conn(), &id) {
                        let input = VisitInput { id: Some(v.id), session_id: None, grid_id: grids[g].clone(), building: v.building, visited_on: format!("2026-0{}-{:02}", 1 + day % 3, day), visited: n as i64 + 1, not_home: 2, refused: 1, warnings: 0, visitor_ids: vec![], notes: String::new() };
                        w.s.write(|tx| visits::save(tx, &input)).unwrap();
                    }
                },
                Op::RemoveVisit(i) => if !vids.is_empty() {
                    let id = vids[i % vids.len()].clone();
                    let _ = w.s.write(|tx| visits::remove(tx, &id));
                },
                Op::AddCase(g, day) => {
                    let input = CaseInput { id: None, name: "某".into(), phone: Some("13800000000".into()), grid_id: grids[g].clone(), worker_id: None, risk: Risk::Low,
                        warned_on: format!("2026-01-{day:02}"), method: Method::Phone, outcome: Outcome::Dissuaded, money_stopped: false, notes: String::new() };
                    cases.push(w.s.write(|tx| followups::save(tx, &input, d("2026-12-31"))).unwrap().id);
                },
                Op::DoVisit(i, late) => if !cases.is_empty() {
                    let c = followups::get(w.s.conn(), &cases[i % cases.len()]).unwrap();
                    if let Some(v) = c.visits.iter().find(|v| v.done_on.is_none()) {
                        let day = d(&v.due_on) + chrono::Duration::days(late as i64 - 20);
                        let day = day.max(d(&c.warned_on));
                        let input = VisitDone { visit_id: v.id.clone(), done_on: day.to_string(), method: Method::Phone, result: VisitResult::Safe, notes: String::new(), visitor_id: None };
                        w.s.write(|tx| followups::record_visit(tx, &input, d("2027-12-31"))).unwrap();
                    }
                },
                Op::MoveCase(i, g) => if !cases.is_empty() {
                    let c = followups::get(w.s.conn(), &cases[i % cases.len()]).unwrap();
                    if !c.purged {
                        let input = CaseInput { id: Some(c.id.clone()), name: c.name.clone(), phone: None, grid_id: grids[g].clone(), worker_id: None, risk: c.risk,
                            warned_on: c.warned_on.clone(), method: c.method, outcome: c.outcome, money_stopped: c.money_stopped, notes: String::new() };
                        w.s.write(|tx| followups::save(tx, &input, d("2027-12-31"))).unwrap();
                    }
                },
                Op::BundleRoundTrip => {
                    // A copy of this database edits a log and comes back as a bundle.
                    let bundle = common::export_all(&mut w.s);
                    let mut other = Store::open_in_memory().unwrap();
                    common::trust(&mut other, &mut w.s);
                    common::trust(&mut w.s, &mut other);
                    outreach_core::bundles::import(&mut other, &bundle, false).unwrap();
                    if let Some(id) = vids.first() {
                        if let Ok(v) = visits::get(other.conn(), id) {
                            let input = VisitInput { id: Some(v.id), session_id: None, grid_id: v.grid_id, building: v.building, visited_on: "2026-02-14".into(), visited: 7, not_home: 0, refused: 0, warnings: 0, visitor_ids: vec![], notes: String::new() };
                            other.write(|tx| visits::save(tx, &input)).unwrap();
                        }
                    }
                    recomputed(&other);
                    let back = common::export_all(&mut other);
                    outreach_core::bundles::import(&mut w.s, &back, false).unwrap();
                }
                Op::AddSession(u, day, m) => sids.push(session(&mut w.s, &units[u], SessionKind::Talk, &format!("2026-0{m}-{day:02}"))),
                Op::RecordSession(i, n, with_speaker) => if !sids.is_empty() {
                    let id = sids[i % sids.len()].clone();
                    let start = sessions::get(w.s.conn(), &id).unwrap().start;
                    let day = &start[..10];
                    let input = RecordInput {
                        session_id: id.clone(),
                        actual_start: format!("{day}T09:00"),
                        actual_end: format!("{day}T10:30"),
                        headcount: n as i64,
                        audiences: vec![AudienceCount { audience: Audience::Elderly, count: n as i64 / 2 }],
                        speakers: if with_speaker { vec![records::SpeakerHours { person_id: person.clone(), hours: None, person_name: String::new() }] } else { vec![] },
                        materials: vec![HandOut { material_id: "mat-flyer".into(), quantity: n as i64, material_name: String::new() }],
                        notes: String::new(),
                        signin_names: vec![],
                        reason: "更正".into(),
                    };
                    let _ = w.s.write(|tx| records::save(tx, &input, "t", "coordinator"));
                },
                Op::CancelSession(i) => if !sids.is_empty() {
                    let id = sids[i % sids.len()].clone();
                    let _ = w.s.write(|tx| sessions::set_status(tx, &id, SessionStatus::Cancelled, "天气", "t"));
                },
                Op::Reschedule(i, day, m) => if !sids.is_empty() {
                    let id = sids[i % sids.len()].clone();
                    let _ = w.s.write(|tx| sessions::reschedule(tx, &id, &format!("2026-0{m}-{day:02}T14:00"), true, "t"));
                },
                Op::MoveGrid(g, east) => {
                    let to = if east { w.east.clone() } else { w.west.clone() };
                    let _ = w.s.write(|tx| outreach_core::units::move_unit(tx, &grids[g], Some(&to)));
                }
                Op::ArchiveGrid(g) => {
                    let archived = outreach_core::units::get(w.s.conn(), &grids[g]).unwrap().archived;
                    let _ = w.s.write(|tx| if archived { outreach_core::units::restore(tx, &grids[g]) } else { outreach_core::units::archive(tx, &grids[g]) });
                }
            }
            recomputed(&w.s);
            cache_equals_rows(&w, false);
        }
        cache_equals_rows(&w, true);
        // And the figures read through the sums equal the ones read from the rows (a period
        // of whole months versus the same period as day edges only).
        let whole = coverage::figures(w.s.conn(), &w.city, p("2026-01-01", "2026-03-31"), d("2026-12-31")).unwrap();
        let with_edge = coverage::figures(w.s.conn(), &w.city, p("2025-12-31", "2026-03-31"), d("2026-12-31")).unwrap();
        prop_assert_eq!(whole.households_visited, with_edge.households_visited);
        prop_assert_eq!(whole.followups_on_time, with_edge.followups_on_time);
    }
}

/// The report's JSON carries the same numbers as the exported session records: its sessions
/// held and person-times equal the count and the sum of 实到人数 over the held rows of the
/// sessions export in the period.
#[test]
fn report_json_equals_the_sums_of_the_exported_session_records() {
    use outreach_core::transfer::{self, FileFormat, TableKind};
    let mut s = Store::open_in_memory().unwrap();
    outreach_core::demo::load(&mut s).unwrap();
    let today = chrono::Local::now().date_naive();
    let from = today - chrono::Duration::days(60);
    let to = today + chrono::Duration::days(10);
    let city: String = s.conn().query_row("SELECT id FROM units WHERE parent_id IS NULL", [], |r| r.get(0)).unwrap();
    let data = outreach_core::reports::build(s.conn(), &city, p(&from.to_string(), &to.to_string()), today).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let json_path = dir.path().join("r.json");
    outreach_core::reports::write_json(&data, &json_path).unwrap();
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();

    let csv_path = dir.path().join("s.csv");
    transfer::export(s.conn(), TableKind::Sessions, FileFormat::Csv, &csv_path, true).unwrap();
    let text = std::fs::read_to_string(&csv_path).unwrap();
    let mut rdr = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = rdr.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (status, start, heads) = (col("状态"), col("开始时间"), col("实到人数"));
    let (mut n, mut sum) = (0u64, 0u64);
    for row in rdr.records() {
        let row = row.unwrap();
        let day = &row[start][..10];
        if (row[status] == *"已开展" || row[status] == *"已上报")
            && day >= from.to_string().as_str()
            && day <= to.to_string().as_str()
        {
            n += 1;
            sum += row[heads].parse::<u64>().unwrap_or(0);
        }
    }
    assert!(n > 10, "the demo has held sessions in the period");
    assert_eq!(json["total"]["sessionsHeld"].as_u64().unwrap(), n);
    assert_eq!(json["total"]["personTimes"].as_u64().unwrap(), sum);
    let parts: u64 = json["parts"].as_array().unwrap().iter().map(|p| p["personTimes"].as_u64().unwrap()).sum();
    assert_eq!(parts, sum, "the districts add up to the city");
}

/// One rule for "a grid is reached", shared by the figures and the gap list: a talk held in a
/// community reaches every grid of it; a talk at a station reaches none in particular. (The gap
/// list counted the first, the figures did not: 5 of 62 grids reached after twelve talks.)
#[test]
fn a_community_talk_reaches_its_grids_in_the_figures_and_the_gap_list() {
    let mut s = Store::open_in_memory().unwrap();
    let city = common::add(&mut s, None, "城市", UnitKind::City, None);
    let station = common::add(&mut s, Some(&city), "稷下派出所", UnitKind::Station, None);
    let community = common::add(&mut s, Some(&station), "稷下社区", UnitKind::Community, None);
    let other = common::add(&mut s, Some(&station), "齐都社区", UnitKind::Community, None);
    let g1 = common::add(&mut s, Some(&community), "稷下一网格", UnitKind::Grid, Some(common::grid_profile(900)));
    let g2 = common::add(&mut s, Some(&community), "稷下二网格", UnitKind::Grid, Some(common::grid_profile(600)));
    let g3 = common::add(&mut s, Some(&other), "齐都一网格", UnitKind::Grid, Some(common::grid_profile(300)));
    let talk = session(&mut s, &community, SessionKind::BenchTalk, "2026-03-10");
    record(&mut s, &talk, "2026-03-10", 85, 50, 0);
    let at_station = session(&mut s, &station, SessionKind::Talk, "2026-03-12");
    record(&mut s, &at_station, "2026-03-12", 40, 10, 0);
    let q1 = p("2026-01-01", "2026-03-31");
    let as_of = d("2026-04-01");
    for f in [
        coverage::figures(s.conn(), &city, q1, as_of).unwrap(),
        coverage::Snapshot::from_rows(s.conn(), q1, as_of).unwrap().coverage(&city, Level::Children).unwrap().total,
    ] {
        assert_eq!(f.grids_reached, 2, "the community's two grids, not the other community's");
        assert_eq!(f.grids, 3);
    }
    // the station's own talk adds none: its figure is the community talk's two grids
    assert_eq!(
        coverage::figures(s.conn(), &station, q1, as_of).unwrap().grids_reached,
        2,
        "a station talk reaches no grid"
    );
    assert_eq!(coverage::figures(s.conn(), &other, q1, as_of).unwrap().grids_reached, 0);
    // and each grid's own row says so, from the cache and from the rows alike
    for by_grids in [
        coverage::coverage(s.conn(), &community, q1, as_of, Level::Grids).unwrap(),
        coverage::Snapshot::from_rows(s.conn(), q1, as_of).unwrap().coverage(&station, Level::Grids).unwrap(),
    ] {
        let reached: Vec<(String, u64)> =
            by_grids.parts.iter().map(|f| (f.unit_name.clone(), f.grids_reached)).collect();
        assert!(
            reached.contains(&("稷下一网格".into(), 1)) && reached.contains(&("稷下二网格".into(), 1)),
            "{reached:?}"
        );
        assert!(!reached.contains(&("齐都一网格".into(), 1)), "{reached:?}");
    }
    assert_eq!(coverage::figures(s.conn(), &g1, q1, as_of).unwrap().grids_reached, 1);
    let gaps = outreach_core::targeting::gaps(s.conn(), Some(&city), 90, Some("2026-03-31")).unwrap();
    let ids: Vec<&str> = gaps.iter().map(|g| g.grid_id.as_str()).collect();
    assert_eq!(ids, vec![g3.as_str()], "the gap list is the grids the figures do not count");
    assert!(!ids.contains(&g1.as_str()) && !ids.contains(&g2.as_str()));
}

/// Nothing fell due: the on-time rate is "—" (null in JSON, an empty cell in Excel), never 0%,
/// and the summary does not state one; a target on a percentage prints as one ("3.0%"), as the
/// window shows it. (The PDF printed 0 / 0.0% and "3 / 100" beside the window's — and 3.0%.)
#[test]
fn nothing_due_reads_as_a_dash_and_targets_print_as_the_window_shows_them() {
    use outreach_core::coverage::{Metric, Target};
    use outreach_core::reports::{self, Cell};
    let mut w = world();
    let id = session(&mut w.s, &w.g1, SessionKind::BenchTalk, "2026-03-10");
    record(&mut w.s, &id, "2026-03-10", 45, 30, 0);
    let target = Target {
        id: None,
        unit_id: w.city.clone(),
        from: "2026-01-01".into(),
        to: "2026-03-31".into(),
        metric: Metric::CoveragePct,
        kind: None,
        value: 100.0,
    };
    w.s.write(|tx| coverage::save_target(tx, &target)).unwrap();
    let data = reports::build(w.s.conn(), &w.city, p("2026-01-01", "2026-03-31"), d("2026-04-01")).unwrap();
    assert_eq!(data.total.followups_on_time_pct, None);
    assert!(!data.summary.contains("按时率") && !data.summary_en.contains("on time"), "{}", data.summary);
    let (header, rows) = reports::parts_table(&data);
    let col = header.iter().position(|h| *h == "按时回访率(%)").unwrap();
    assert!(rows.iter().all(|r| r[col].text() == "—"), "no unit had anything due");
    let cov = header.iter().position(|h| *h == "覆盖率(%)").unwrap();
    assert_eq!(rows.last().unwrap()[cov].text(), "2.5", "45 of 1,800 residents, one decimal as in the window");
    // the target: 2.5% of 100.0%, as the window's fmtMetric prints it
    assert_eq!(Cell::Metric(Metric::CoveragePct, data.targets[0].actual).text(), "2.5%");
    assert_eq!(Metric::CoveragePct.format(100.0), "100.0%");
    assert_eq!(Metric::Sessions.format(12.0), "12");
    let dir = tempfile::tempdir().unwrap();
    let json_path = dir.path().join("r.json");
    reports::write_json(&data, &json_path).unwrap();
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    assert!(json["total"]["followupsOnTimePct"].is_null());
}
