//! Follow-ups of warned residents: the schedule, closing, the due list and the purge — with
//! time passed in, never waited for.

mod common;

use chrono::NaiveDate;
use outreach_core::followups::{
    self, CaseFilter, CaseInput, FollowupSettings, Method, Outcome, Risk, VisitDone, VisitResult,
};
use outreach_core::units::UnitKind;
use outreach_core::Store;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn setup() -> (Store, String) {
    let mut store = Store::open_in_memory().unwrap();
    let city = common::add(&mut store, None, "淄博市", UnitKind::City, None);
    let grid = common::add(&mut store, Some(&city), "稷下第一网格", UnitKind::Grid, Some(common::grid_profile(600)));
    (store, grid)
}

fn case(grid: &str, warned: &str) -> CaseInput {
    CaseInput {
        id: None,
        name: "李某".into(),
        phone: Some("139 0533 1234".into()),
        grid_id: grid.into(),
        worker_id: None,
        risk: Risk::High,
        warned_on: warned.into(),
        method: Method::Phone,
        outcome: Outcome::Dissuaded,
        money_stopped: true,
        notes: "冒充客服，已劝阻".into(),
    }
}

#[test]
fn default_schedule_is_a_week_a_month_and_three_months() {
    let (mut store, grid) = setup();
    let c = store.write(|tx| followups::save(tx, &case(&grid, "2026-01-31"), d("2026-02-01"))).unwrap();
    let due: Vec<&str> = c.visits.iter().map(|v| v.due_on.as_str()).collect();
    assert_eq!(due, vec!["2026-02-07", "2026-02-28", "2026-04-30"], "month ends clamp");
    assert_eq!(c.phone_masked, "139****1234");
    assert!(!format!("{c:?}").contains("13905331234"), "lists never carry the full phone");
    assert_eq!(followups::reveal_phone(store.conn(), &c.id).unwrap(), "13905331234");
}

#[test]
fn the_schedule_is_configurable_and_checked() {
    let (mut store, grid) = setup();
    for bad in ["", "3m,1m", "0d", "7x", "1000d"] {
        let r =
            store.write(|tx| followups::save_settings(tx, &FollowupSettings { schedule: bad.into(), purge_days: 30 }));
        assert_eq!(r.unwrap_err().code(), "followups.schedule", "{bad}");
    }
    store
        .write(|tx| followups::save_settings(tx, &FollowupSettings { schedule: "3天,2周".into(), purge_days: 10 }))
        .unwrap();
    let c = store.write(|tx| followups::save(tx, &case(&grid, "2026-05-01"), d("2026-05-01"))).unwrap();
    assert_eq!(c.visits.iter().map(|v| v.due_on.clone()).collect::<Vec<_>>(), vec!["2026-05-04", "2026-05-15"]);
}

#[test]
fn due_and_overdue_lists_follow_the_injected_date() {
    let (mut store, grid) = setup();
    store.write(|tx| followups::save(tx, &case(&grid, "2026-03-01"), d("2026-03-01"))).unwrap();
    assert!(followups::due(store.conn(), d("2026-03-01"), 3, None, None).unwrap().is_empty());
    let due = followups::due(store.conn(), d("2026-03-06"), 3, None, None).unwrap();
    assert_eq!(due.len(), 1);
    assert!(!due[0].overdue);
    let late = followups::due(store.conn(), d("2026-03-20"), 0, None, None).unwrap();
    assert!(late[0].overdue);
}

#[test]
fn the_last_visit_closes_the_case_and_the_purge_leaves_anonymous_counts() {
    let (mut store, grid) = setup();
    let c = store.write(|tx| followups::save(tx, &case(&grid, "2026-01-10"), d("2026-01-10"))).unwrap();
    let ids: Vec<String> = c.visits.iter().map(|v| v.id.clone()).collect();
    let done = |id: &str, date: &str| VisitDone {
        visit_id: id.into(),
        done_on: date.into(),
        method: Method::InPerson,
        result: VisitResult::Safe,
        notes: "情况正常，家属知情".into(),
        visitor_id: None,
    };
    // A visit cannot be dated before the warning or after today.
    assert_eq!(
        store
            .write(|tx| followups::record_visit(tx, &done(&ids[0], "2026-01-01"), d("2026-05-01")))
            .unwrap_err()
            .code(),
        "followups.before_warning"
    );
    assert_eq!(
        store
            .write(|tx| followups::record_visit(tx, &done(&ids[0], "2026-06-01"), d("2026-05-01")))
            .unwrap_err()
            .code(),
        "validation.future"
    );
    store.write(|tx| followups::record_visit(tx, &done(&ids[0], "2026-01-17"), d("2026-05-01"))).unwrap();
    store.write(|tx| followups::record_visit(tx, &done(&ids[1], "2026-02-10"), d("2026-05-01"))).unwrap();
    let c = store.write(|tx| followups::record_visit(tx, &done(&ids[2], "2026-04-12"), d("2026-05-01"))).unwrap();
    assert_eq!(c.closed_on.as_deref(), Some("2026-04-12"));
    assert_eq!(c.purge_on.as_deref(), Some("2026-05-12"), "30 days after closing by default");

    assert_eq!(store.write(|tx| followups::purge_due(tx, d("2026-05-11"))).unwrap(), 0);
    assert_eq!(store.write(|tx| followups::purge_due(tx, d("2026-05-12"))).unwrap(), 1);
    let (name, phone, notes): (Option<String>, Option<String>, String) = store
        .conn()
        .query_row("SELECT name, phone, notes FROM cases WHERE id = ?1", [&c.id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!((name, phone, notes.as_str()), (None, None, ""));
    let visit_notes: String = store
        .conn()
        .query_row("SELECT group_concat(notes, '') FROM case_visits WHERE case_id = ?1", [&c.id], |r| r.get(0))
        .unwrap();
    assert_eq!(visit_notes, "");
    let after = followups::get(store.conn(), &c.id).unwrap();
    assert!(after.purged);
    assert_eq!(
        (after.risk, after.money_stopped, after.warned_on.as_str(), after.visits.len()),
        (Risk::High, true, "2026-01-10", 3)
    );
    // Purged cases are kept for counts and can no longer be edited.
    assert_eq!(
        followups::list(store.conn(), &CaseFilter { state: Some("closed".into()), ..Default::default() })
            .unwrap()
            .len(),
        1
    );
    let mut edit = case(&grid, "2026-01-10");
    edit.id = Some(c.id.clone());
    assert_eq!(store.write(|tx| followups::save(tx, &edit, d("2026-06-01"))).unwrap_err().code(), "followups.purged");
    // A second purge finds nothing.
    assert_eq!(store.write(|tx| followups::purge_due(tx, d("2027-01-01"))).unwrap(), 0);
}

#[test]
fn cases_come_a_page_at_a_time_with_the_total() {
    let (mut store, grid) = setup();
    for day in 1..=7 {
        store.write(|tx| followups::save(tx, &case(&grid, &format!("2026-01-{day:02}")), d("2026-05-01"))).unwrap();
    }
    let page = |limit: u32, offset: u32| CaseFilter { limit: Some(limit), offset: Some(offset), ..Default::default() };
    let warned = |f: &CaseFilter| -> Vec<String> {
        followups::list(store.conn(), f).unwrap().into_iter().map(|c| c.warned_on[8..].to_string()).collect()
    };
    // the latest warned first, a page of three, then the next
    assert_eq!(warned(&page(3, 0)), ["07", "06", "05"]);
    assert_eq!(warned(&page(3, 3)), ["04", "03", "02"]);
    assert_eq!(warned(&page(3, 6)), ["01"]);
    assert_eq!(followups::count(store.conn(), &page(3, 6)).unwrap(), 7);
    assert_eq!(
        followups::count(store.conn(), &CaseFilter { state: Some("closed".into()), ..Default::default() }).unwrap(),
        0
    );
    // no limit: all of them (the CLI's list); a limit of 0 still a page of one
    assert_eq!(warned(&CaseFilter::default()).len(), 7);
    assert_eq!(warned(&page(0, 0)).len(), 1);
}

/// `workers` grid workers (people of the grid) and `cases` warned residents spread over them
/// and over two grids (every seventh with no worker), warned over two months, of mixed risk.
fn due_world(workers: usize, cases: usize) -> (Store, String, String, Vec<String>) {
    use outreach_core::people::{self, PersonInput, PersonRole};
    let (mut store, grid) = setup();
    let city: String =
        store.conn().query_row("SELECT parent_id FROM units WHERE id = ?1", [&grid], |r| r.get(0)).unwrap();
    let other = common::add(&mut store, Some(&city), "稷下第二网格", UnitKind::Grid, Some(common::grid_profile(500)));
    store
        .write(|tx| {
            let ids: Vec<String> = (0..workers)
                .map(|i| {
                    let p = PersonInput {
                        id: None,
                        name: format!("网格员{i:03}"),
                        roles: vec![PersonRole::GridWorker],
                        phone: None,
                        unit_id: Some(grid.clone()),
                        team_ids: vec![],
                        topic_ids: vec![],
                        active: true,
                        joined_on: None,
                        notes: String::new(),
                    };
                    people::save(tx, &p).map(|p| p.id)
                })
                .collect::<outreach_core::Result<_>>()?;
            for i in 0..cases {
                let mut c =
                    case(if i % 3 == 0 { &other } else { &grid }, &format!("2026-0{}-{:02}", 1 + i % 2, 1 + i % 28));
                c.worker_id = (i % 7 != 6).then(|| ids[(i * 7 + i / 13) % workers].clone());
                c.risk = [Risk::High, Risk::Medium, Risk::Low][i % 3 / 2 + i % 2];
                followups::save(tx, &c, d("2026-03-01"))?;
            }
            Ok(())
        })
        .unwrap();
    let mut st = store.conn().prepare("SELECT id FROM people ORDER BY name").unwrap();
    let ids = st.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap();
    drop(st);
    (store, grid, other, ids)
}

/// What the totals must be: the full list counted in Rust, (worker, name) → (due, overdue).
fn counted(full: &[followups::DueVisit]) -> std::collections::BTreeMap<Option<String>, (String, u32, u32)> {
    let mut m = std::collections::BTreeMap::new();
    for v in full {
        let e = m.entry(v.worker_id.clone()).or_insert((v.worker_name.clone(), 0, 0));
        e.1 += 1;
        e.2 += v.overdue as u32;
    }
    m
}

#[test]
fn the_due_list_comes_a_page_at_a_time_with_its_totals() {
    let (store, grid, _, workers) = due_world(5, 90);
    let today = d("2026-03-20");
    let filter = |worker: Option<&str>, within: Option<&str>, limit: u32, offset: u32| followups::DueFilter {
        days: 7,
        worker_id: worker.map(str::to_owned),
        within: within.map(str::to_owned),
        limit,
        offset,
    };
    let mine = serde_json::to_string(&[&grid]).unwrap();
    for (worker, within) in [(None, None), (Some(workers[2].as_str()), None), (None, Some(mine.as_str()))] {
        let full = followups::due(store.conn(), today, 7, worker, within).unwrap();
        assert!(full.len() > 20 && full.iter().any(|v| v.overdue) && full.iter().any(|v| !v.overdue), "{}", full.len());
        // Pages of any size join up to the whole list, in its order (due date, high risk first).
        for limit in [1, 7, 50] {
            let mut joined = vec![];
            loop {
                let page =
                    followups::due_page(store.conn(), today, &filter(worker, within, limit, joined.len() as u32))
                        .unwrap();
                assert!(page.rows.len() <= limit as usize);
                // The totals are those of the whole list, whichever page.
                assert_eq!(
                    (page.total as usize, page.overdue as usize),
                    (full.len(), full.iter().filter(|v| v.overdue).count())
                );
                let per_worker: std::collections::BTreeMap<_, _> = page
                    .workers
                    .iter()
                    .map(|w| (w.worker_id.clone(), (w.worker_name.clone(), w.total, w.overdue)))
                    .collect();
                assert_eq!(per_worker, counted(&full), "worker {worker:?} within {within:?}");
                assert_eq!(page.workers_left_out, 0);
                // most due first
                assert!(page.workers.windows(2).all(|w| w[0].total >= w[1].total));
                if page.rows.is_empty() {
                    break;
                }
                joined.extend(page.rows);
            }
            assert_eq!(joined, full, "pages of {limit}");
        }
        assert!(full.windows(2).all(|w| {
            (w[0].due_on.as_str(), w[0].risk != Risk::High) <= (w[1].due_on.as_str(), w[1].risk != Risk::High)
        }));
    }
    // The worker filter keeps to the worker; the captain's scope to the captain's grid, totals too.
    let page = followups::due_page(store.conn(), today, &filter(Some(&workers[2]), None, 50, 0)).unwrap();
    assert!(page.rows.iter().all(|v| v.worker_id.as_deref() == Some(workers[2].as_str())));
    assert_eq!(page.workers.len(), 1);
    let all = followups::due_page(store.conn(), today, &filter(None, None, 500, 0)).unwrap();
    let scoped = followups::due_page(store.conn(), today, &filter(None, Some(&mine), 500, 0)).unwrap();
    let in_grid = all.rows.iter().filter(|v| v.grid_name == "稷下第一网格").count();
    assert!(scoped.rows.iter().all(|v| v.grid_name == "稷下第一网格"));
    assert!(0 < in_grid && in_grid < all.rows.len());
    assert_eq!((scoped.rows.len(), scoped.total as usize), (in_grid, in_grid));
    assert_eq!(scoped.overdue as usize, all.rows.iter().filter(|v| v.grid_name == "稷下第一网格" && v.overdue).count());
    assert_eq!(scoped.workers.iter().map(|w| w.total).sum::<u32>(), scoped.total);
    // A captain with no grid sees nothing, and no totals.
    let none = followups::due_page(store.conn(), today, &filter(None, Some("[]"), 50, 0)).unwrap();
    assert_eq!((none.rows.len(), none.total, none.overdue, none.workers.len(), none.workers_left_out), (0, 0, 0, 0, 0));
}

#[test]
fn a_due_page_is_capped_and_names_a_bounded_number_of_workers() {
    let workers = followups::DUE_WORKERS_MAX as usize + 40;
    let (store, ..) = due_world(workers, 1200);
    let today = d("2026-04-20");
    let f = |limit: u32, offset: u32| followups::DueFilter { days: 7, limit, offset, ..Default::default() };
    let full = followups::due(store.conn(), today, 7, None, None).unwrap();
    assert!(full.len() > 600, "{}", full.len());
    assert_eq!(
        followups::due_page(store.conn(), today, &f(10_000, 0)).unwrap().rows.len(),
        followups::PAGE_MAX as usize
    );
    assert_eq!(followups::due_page(store.conn(), today, &f(0, 0)).unwrap().rows.len(), 1);
    let counts = counted(&full);
    assert!(counts.len() > followups::DUE_WORKERS_MAX as usize);
    let mut by_count: Vec<u32> = counts.values().map(|c| c.1).collect();
    by_count.sort_unstable_by(|a, b| b.cmp(a));
    for offset in [0, 300, full.len() as u32 - 50] {
        let page = followups::due_page(store.conn(), today, &f(50, offset)).unwrap();
        // the 200 with the most due, and every worker on the page whatever their rank
        let named = page.workers.len();
        assert!((200..=250).contains(&named), "{named}");
        assert_eq!(named + page.workers_left_out as usize, counts.len());
        let top: Vec<u32> = page.workers.iter().take(200).map(|w| w.total).collect();
        assert_eq!(top, by_count[..200]);
        for w in &page.workers {
            let c = &counts[&w.worker_id];
            assert_eq!((&w.worker_name, w.total, w.overdue), (&c.0, c.1, c.2));
        }
        for v in &page.rows {
            assert!(page.workers.iter().any(|w| w.worker_id == v.worker_id), "{:?} not named", v.worker_id);
        }
        assert_eq!(
            (page.total as usize, page.overdue as usize),
            (full.len(), full.iter().filter(|v| v.overdue).count())
        );
    }
}

#[test]
fn a_case_needs_its_minimum_fields() {
    let (mut store, grid) = setup();
    let mut c = case(&grid, "2099-01-01");
    c.name = " ".into();
    c.phone = Some("12345".into());
    let e = store.write(|tx| followups::save(tx, &c, d("2026-01-01"))).unwrap_err();
    let codes: Vec<String> = e.issues().into_iter().map(|i| i.code.to_string()).collect();
    assert!(
        codes.contains(&"validation.required".into())
            && codes.contains(&"validation.phone".into())
            && codes.contains(&"validation.future".into()),
        "{codes:?}"
    );
    assert_eq!(store.conn().query_row("SELECT count(*) FROM cases", [], |r| r.get::<_, i64>(0)).unwrap(), 0);
}

/// Every file the data lives in: the database, its log, and each backup.
fn files_holding(dir: &std::path::Path, needle: &[u8]) -> Vec<String> {
    let mut paths = vec![dir.join("outreach.db"), dir.join("outreach.db-wal")];
    if let Ok(rd) = std::fs::read_dir(dir.join("backups")) {
        paths.extend(rd.filter_map(|e| e.ok()).map(|e| e.path()));
    }
    paths
        .into_iter()
        .filter(|p| std::fs::read(p).map(|b| b.windows(needle.len()).any(|w| w == needle)).unwrap_or(false))
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn the_purge_reaches_the_backups_and_leaves_no_byte_of_the_phone_behind() {
    use outreach_core::{audit, backup};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut store = Store::open(&dir.join("outreach.db")).unwrap();
    // A database from before secure delete: not marked scrubbed at birth, as new ones are.
    store.conn().execute("DELETE FROM settings WHERE key = 'purge_scrubbed'", []).unwrap();
    let city = common::add(&mut store, None, "淄博市", UnitKind::City, None);
    let grid = common::add(&mut store, Some(&city), "稷下第一网格", UnitKind::Grid, Some(common::grid_profile(600)));
    let mut input = case(&grid, "2026-01-10");
    input.phone = Some("13905337351".into());
    input.name = "滕某某".into();
    // Long notes make the purged row much shorter than it was: without secure delete its
    // old bytes (the phone among them) would stay in the page's free space.
    input.notes = "接到冒充客服电话后已劝阻，".repeat(25);
    let c = store.write(|tx| followups::save(tx, &input, d("2026-01-10"))).unwrap();
    // Neighbours in the same pages, still open: the purged row's old bytes are not simply
    // compacted away with the page — secure delete must zero them.
    for i in 0..12 {
        let mut other = case(&grid, "2026-04-20");
        other.phone = Some(format!("1380533{i:04}"));
        store.write(|tx| followups::save(tx, &other, d("2026-04-20"))).unwrap();
    }
    // A backup while the case is open (it has no purge date there), one after it closed.
    backup::create(&store, "manual").unwrap();
    for (v, date) in c.visits.iter().zip(["2026-01-17", "2026-02-10", "2026-04-12"]) {
        let done = VisitDone {
            visit_id: v.id.clone(),
            done_on: date.into(),
            method: Method::Phone,
            result: VisitResult::Safe,
            notes: String::new(),
            visitor_id: None,
        };
        store.write(|tx| followups::record_visit(tx, &done, d("2026-05-01"))).unwrap();
    }
    std::thread::sleep(std::time::Duration::from_millis(5));
    backup::create(&store, "auto").unwrap();
    let phone = b"13905337351";
    let name = "滕某某".as_bytes();
    assert_eq!(
        files_holding(dir, phone).iter().filter(|f| f.starts_with("outreach-2026")).count(),
        2,
        "the test needs the phone in the backups"
    );

    // Not due yet: nothing purged anywhere; the backups are rewritten once all the same,
    // under secure delete (they may hold the bytes of earlier purges).
    let early = followups::purge(&mut store, d("2026-05-11")).unwrap();
    assert_eq!((early.cases_purged, early.backup_cases_purged, early.backups_rewritten), (0, 0, 2), "{early:?}");
    assert_eq!(early.backups_dropped, 0, "{early:?}");
    // A backup that opens but cannot be rewritten (damaged: its cases table is not ours), from
    // long ago: it is dropped.
    {
        let c = rusqlite::Connection::open(dir.join("backups/outreach-20200101-000000000-auto.db")).unwrap();
        c.execute_batch("CREATE TABLE cases (id TEXT, phone TEXT); INSERT INTO cases VALUES ('x', '13905337351');")
            .unwrap();
    }

    let r = followups::purge(&mut store, d("2026-05-12")).unwrap();
    assert_eq!(
        r,
        followups::PurgeReport {
            cases_purged: 1,
            backups_rewritten: 2,
            backup_cases_purged: 2,
            backups_dropped: 1,
            backups_failed: 0,
            backups_unopenable: 0,
        },
        "the open-case backup is purged because the case is purged here"
    );
    assert_eq!(files_holding(dir, phone), Vec::<String>::new(), "the phone survives in a file");
    assert_eq!(files_holding(dir, name), Vec::<String>::new(), "the name survives in a file");
    // Each backup is still a backup, with the anonymous fields, and restores.
    let list = backup::list(&store).unwrap();
    assert_eq!(list.len(), 2);
    for b in &list {
        let conn = rusqlite::Connection::open(dir.join("backups").join(&b.file_name)).unwrap();
        let (purged, risk): (Option<String>, String) = conn
            .query_row("SELECT purged_at, risk FROM cases WHERE id = ?1", [&c.id], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap();
        assert!(purged.is_some() && risk == "high", "{}", b.file_name);
        let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(check, "ok");
    }
    // The audit log has the counts and nobody's name or phone.
    let entries = audit::list(store.conn(), 50, 0).unwrap();
    let e = entries
        .iter()
        .find(|e| e.action == "followups.purge" && e.detail.contains("清除 1 个"))
        .expect("an audit entry");
    assert!(e.detail.contains("改写 2 份") && e.detail.contains("删除 1 份"), "{}", e.detail);
    assert!(entries.iter().all(|e| !e.detail.contains("13905337351") && !e.detail.contains("滕某某")));
    // A second purge finds nothing; the older backup restores with the case purged.
    let again = followups::purge(&mut store, d("2026-06-01")).unwrap();
    assert_eq!(again, followups::PurgeReport::default());
    backup::restore(&mut store, &list[1].file_name).unwrap();
    assert!(followups::get(store.conn(), &c.id).unwrap().purged);
}

#[test]
fn a_new_database_is_born_scrubbed_and_its_daily_backup_runs_beside_the_store() {
    use outreach_core::backup;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut store = Store::open(&dir.join("outreach.db")).unwrap();
    let city = common::add(&mut store, None, "淄博市", UnitKind::City, None);
    // The copy runs on a connection of its own while the store goes on writing (the app's
    // maintenance holds the store only for the due check).
    let job = backup::auto_due(&store).unwrap().expect("no backup today yet");
    let copy = std::thread::spawn(move || job.run());
    for i in 0..40 {
        common::add(&mut store, Some(&city), &format!("第{i}网格"), UnitKind::Grid, Some(common::grid_profile(100)));
    }
    let info = copy.join().unwrap().unwrap();
    assert!(backup::auto_due(&store).unwrap().is_none(), "one automatic backup a day");
    // The copy is one moment's state of the database, whole and readable.
    let c = rusqlite::Connection::open(dir.join("backups").join(&info.file_name)).unwrap();
    let units: i64 = c.query_row("SELECT count(*) FROM units", [], |r| r.get(0)).unwrap();
    assert!((1..=41).contains(&units), "{units}");
    let ok: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
    // Made under secure delete from its first page, the database and its backups need no
    // scrubbing rewrite: a purge with nothing due touches no backup (no VACUUM of a city).
    let r = followups::purge(&mut store, d("2026-05-11")).unwrap();
    assert!(r.is_empty(), "{r:?}");
    // The purge in its two halves, as the app's maintenance runs it, does the same.
    let (mut r, backups) = followups::purge_live(&mut store, d("2026-05-11")).unwrap();
    backups.unwrap().run(d("2026-05-11"), &mut r).unwrap();
    followups::purge_audit(&mut store, &r).unwrap();
    assert!(r.is_empty(), "{r:?}");
}

/// A backup the purge cannot open — another key, as after a re-key that failed half way — may
/// be the only copy of something: it is kept, counted and named in the log, never deleted,
/// however old it is and whatever it may hold.
#[test]
fn the_purge_keeps_a_backup_it_cannot_open() {
    use outreach_core::{audit, backup};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut store = Store::open(&dir.join("outreach.db")).unwrap();
    let city = common::add(&mut store, None, "淄博市", UnitKind::City, None);
    let grid = common::add(&mut store, Some(&city), "稷下第一网格", UnitKind::Grid, Some(common::grid_profile(600)));
    store.write(|tx| followups::save(tx, &case(&grid, "2026-01-10"), d("2026-01-10"))).unwrap();
    backup::create(&store, "manual").unwrap();
    // Years older than the purge window, under a key this store does not have.
    let foreign = dir.join("backups/outreach-20200101-000000000-auto.db");
    {
        let c = rusqlite::Connection::open(&foreign).unwrap();
        c.pragma_update(None, "key", "another passphrase 2020").unwrap();
        c.execute_batch("CREATE TABLE cases (id TEXT, phone TEXT); INSERT INTO cases VALUES ('x', '13905331234');")
            .unwrap();
    }
    let before = std::fs::read(&foreign).unwrap();

    let r = followups::purge(&mut store, d("2026-12-31")).unwrap();
    assert_eq!(r.backups_unopenable, 1, "{r:?}");
    assert_eq!(r.backups_dropped, 0, "{r:?}");
    assert_eq!(std::fs::read(&foreign).unwrap(), before, "kept as it was");
    assert!(backup::list(&store).unwrap().iter().any(|b| b.file_name == "outreach-20200101-000000000-auto.db"));
    let kept = audit::list(store.conn(), 10, 0)
        .unwrap()
        .into_iter()
        .find(|e| e.params.get("note").map(String::as_str) == Some("followups.backups_kept"))
        .expect("the log names the backup kept");
    assert!(kept.detail.contains("1 份备份无法用当前口令打开"), "{}", kept.detail);
    assert!(r.text().contains("已保留未删除"), "{}", r.text());

    // The next purge, with nothing else to do, still keeps it and still says so.
    let again = followups::purge(&mut store, d("2027-01-31")).unwrap();
    assert_eq!(again.backups_unopenable, 1);
    assert!(again.is_empty(), "nothing else done: {again:?}");
    assert!(foreign.exists());
    // Said once a day, not at every hourly run.
    let kept_entries = audit::list(store.conn(), 50, 0)
        .unwrap()
        .iter()
        .filter(|e| e.params.get("note").map(String::as_str) == Some("followups.backups_kept"))
        .count();
    assert_eq!(kept_entries, 1);
}
