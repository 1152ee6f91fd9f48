//! Incidents: the import (all or nothing, labels, re-import, the phone compared and never kept),
//! the outcome figures against last year by hand, re-victimisation, the weekly review's
//! suggestions and a precision gap that closes when the talk is held.

mod common;

use chrono::NaiveDate;
use outreach_core::coverage::Period;
use outreach_core::followups::{self, CaseInput, Method, Outcome, Risk};
use outreach_core::incidents::{self, ActionKind};
use outreach_core::records::{self, RecordInput};
use outreach_core::sessions::{self, SessionInput, SessionKind};
use outreach_core::sheets;
use outreach_core::transfer::{self, TableKind};
use outreach_core::units::UnitKind;
use outreach_core::{Error, Store};

struct World {
    s: Store,
    dir: tempfile::TempDir,
    city: String,
    east: String,
    west: String,
    station: String,
    community: String,
    g1: String,
    g2: String,
    g3: String,
}

/// 城市 → 东区 → 东派出所 → 东社区 → 东一网格 / 东二网格; 城市 → 西区 → 西一网格.
fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("outreach.db")).unwrap();
    let city = common::add(&mut s, None, "城市", UnitKind::City, None);
    let east = common::add(&mut s, Some(&city), "东区", UnitKind::District, None);
    let west = common::add(&mut s, Some(&city), "西区", UnitKind::District, None);
    let station = common::add(&mut s, Some(&east), "东派出所", UnitKind::Station, None);
    let community = common::add(&mut s, Some(&station), "东社区", UnitKind::Community, None);
    let g1 = common::add(&mut s, Some(&community), "东一网格", UnitKind::Grid, Some(common::grid_profile(10_000)));
    let g2 = common::add(&mut s, Some(&community), "东二网格", UnitKind::Grid, Some(common::grid_profile(5_000)));
    let g3 = common::add(&mut s, Some(&west), "西一网格", UnitKind::Grid, Some(common::grid_profile(2_000)));
    World { s, dir, city, east, west, station, community, g1, g2, g3 }
}

const HEADER: &str = "案件编号,立案日期,案件类别,损失金额,止付金额,年龄,职业,派出所,社区,网格,受害人电话,身份证号\n";

fn import(s: &mut Store, body: &str) -> outreach_core::Result<transfer::ImportOutcome> {
    let sheet = sheets::read_bytes(false, format!("{HEADER}{body}").as_bytes())?;
    transfer::commit(s, TableKind::Incidents, &sheet, "cases.csv", false, &mut |_| {})
}

fn count(s: &Store) -> i64 {
    s.conn().query_row("SELECT count(*) FROM incidents", [], |r| r.get(0)).unwrap()
}

fn period(from: &str, to: &str) -> Period {
    Period::parse(from, to).unwrap()
}

const YEAR_FILE: &str = "\
A1,2025-02-10,刷单返利类,1000,0,35,企业职工,东派出所,东社区,东一网格,,
A2,2025-12-31,刷单返利类,777,0,35,企业职工,东派出所,东社区,东一网格,,
A3,2026-01-01,冒充公检法及政府机关类,5000,2000,70岁,退休,东派出所,东社区,东一网格,,
A4,2026/3/31,刷单返利诈骗,300.5,0,18-59岁,学生,东派出所,东社区,,,
A5,2026-04-01,刷单返利类,9999,0,,,东派出所,东社区,东二网格,,
A6,2026-02-01,虚假投资理财,100,0,40,个体,,,西一网格,,
";

#[test]
fn outcome_figures_across_the_year_boundary_by_hand() {
    let mut w = world();
    let out = import(&mut w.s, YEAR_FILE).unwrap();
    assert_eq!((out.added, out.updated, out.unchanged), (6, 0, 0));
    let q1 = period("2026-01-01", "2026-03-31");
    let f = incidents::figures(w.s.conn(), &w.east, q1).unwrap();
    // In Q1 2026 under 东区: A3 (grid) and A4 (community only); Q1 2025: A1. A2 falls between,
    // A5 after, A6 in 西区.
    assert_eq!((f.count, f.count_last_year), (2, 1));
    assert_eq!(f.loss_yuan, 5300.5);
    assert_eq!(f.loss_last_year_yuan, 1000.0);
    assert_eq!(f.stopped_yuan, 2000.0);
    assert_eq!(f.revictimised, 0);
    let types: Vec<(&str, u64, u64, f64)> =
        f.by_type.iter().map(|t| (t.topic_id.as_str(), t.count, t.count_last_year, t.loss_yuan)).collect();
    assert_eq!(types, vec![("topic-order-brushing", 1, 1, 300.5), ("topic-fake-police", 1, 0, 5000.0)]);
    // By child unit: 东区's one station carries both.
    assert_eq!(f.by_unit.len(), 1);
    assert_eq!(
        (f.by_unit[0].unit_id.as_str(), f.by_unit[0].count, f.by_unit[0].count_last_year),
        (w.station.as_str(), 2, 1)
    );
    // The whole city adds 西区's case; 西区 alone has one, nothing last year.
    let c = incidents::figures(w.s.conn(), &w.city, q1).unwrap();
    assert_eq!((c.count, c.loss_yuan), (3, 5400.5));
    let west = incidents::figures(w.s.conn(), &w.west, q1).unwrap();
    assert_eq!((west.count, west.count_last_year), (1, 0));
    assert_eq!(incidents::change_pct(west.count as f64, west.count_last_year as f64), None);
    // A grid with none: zeros and no sentence.
    let g2 = incidents::figures(w.s.conn(), &w.g2, q1).unwrap();
    assert!(g2.is_empty());
    assert_eq!(incidents::summary_zh(&g2, "东二网格"), "");
    // The seeds' sentence: cases +100%, losses +430.1%.
    let text = incidents::summary_zh(&f, "东区");
    assert!(text.contains("立案2起，同比上升100%"), "{text}");
    assert!(text.contains("损失金额5,300.50元，同比上升430.1%"), "{text}");
    assert!(text.contains("预警后无复骗案例"), "{text}");
    assert!(incidents::summary_en(&f, "East").contains("up 100% on last year"));
}

#[test]
fn a_refused_file_changes_nothing_and_names_each_row() {
    let mut w = world();
    let before = count(&w.s);
    let body = "\
B1,2026-05-01,刷单返利类,100,0,30,学生,,,东一网格,,
B2,2026-05-02,新型虚拟货币类,100,0,30,学生,,,东一网格,,
B3,2026-13-01,刷单返利类,-5,0,三百岁,宇航员,,,北极网格,,
B4,2026-05-03,刷单返利类,100,0,30,学生,,,,,
";
    let Err(Error::Invalid(issues)) = import(&mut w.s, body) else { panic!("a bad file was accepted") };
    let codes: Vec<(String, &str)> =
        issues.iter().map(|i| (i.params.get("row").cloned().unwrap_or_default(), i.code.as_str())).collect();
    assert!(codes.contains(&("3".into(), "incidents.unknown_type")), "{codes:?}");
    for code in ["validation.date", "incidents.money", "validation.choice", "import.unknown_unit"] {
        assert!(codes.contains(&("4".into(), code)), "{code} missing in {codes:?}");
    }
    assert!(codes.contains(&("5".into(), "incidents.no_place")), "{codes:?}");
    assert!(!codes.iter().any(|(r, _)| r == "2"), "the good row is not named: {codes:?}");
    let unknown = issues.iter().find(|i| i.code.as_str() == "incidents.unknown_type").unwrap();
    assert!(unknown.message.contains("新型虚拟货币类"), "{}", unknown.message);
    assert_eq!(count(&w.s), before);
    // Mapped, the label is known; the rest of the file still has to be right.
    w.s.write(|tx| incidents::save_label(tx, "新型虚拟货币类", "topic-fake-investment")).unwrap();
    let out = import(&mut w.s, &body.lines().take(2).map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    assert_eq!(out.added, 2);
    let t: String =
        w.s.conn().query_row("SELECT topic_id FROM incidents WHERE case_no = 'B2'", [], |r| r.get(0)).unwrap();
    assert_eq!(t, "topic-fake-investment");
}

#[test]
fn importing_the_same_file_again_changes_nothing() {
    let mut w = world();
    // Two identical rows without a case number are two cases, kept apart by their order.
    let body = format!("{YEAR_FILE},2026-06-01,刷单返利类,50,0,30,学生,,,东二网格,,\n,2026-06-01,刷单返利类,50,0,30,学生,,,东二网格,,\n");
    assert_eq!(import(&mut w.s, &body).unwrap().added, 8);
    let snapshot = |s: &Store| -> Vec<String> {
        let mut st = s
            .conn()
            .prepare("SELECT id || '|' || filed_on || '|' || loss_fen || '|' || updated_at FROM incidents ORDER BY id")
            .unwrap();
        st.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    };
    let before = snapshot(&w.s);
    let again = import(&mut w.s, &body).unwrap();
    assert_eq!((again.added, again.updated, again.unchanged), (0, 0, 8));
    assert_eq!(snapshot(&w.s), before);
    // The case system corrected a loss: the same case number updates the case, not a new one.
    let fixed = YEAR_FILE.replace("A6,2026-02-01,虚假投资理财,100", "A6,2026-02-01,虚假投资理财,150");
    let out = import(&mut w.s, &fixed).unwrap();
    assert_eq!((out.added, out.updated, out.unchanged), (0, 1, 5));
    // And what the app exports imports back unchanged.
    let path = w.dir.path().join("incidents.xlsx");
    transfer::export(w.s.conn(), TableKind::Incidents, transfer::FileFormat::Xlsx, &path, true).unwrap();
    let sheet = sheets::read(&path).unwrap();
    let back = transfer::commit(&mut w.s, TableKind::Incidents, &sheet, "incidents.xlsx", false, &mut |_| {}).unwrap();
    assert_eq!((back.added, back.updated, back.unchanged), (0, 0, 8));
}

fn warn(s: &mut Store, grid: &str, phone: &str, day: &str) -> String {
    s.write(|tx| {
        followups::save(
            tx,
            &CaseInput {
                id: None,
                name: "王某".into(),
                phone: Some(phone.into()),
                grid_id: grid.into(),
                worker_id: None,
                risk: Risk::High,
                warned_on: day.into(),
                method: Method::Phone,
                outcome: Outcome::Dissuaded,
                money_stopped: false,
                notes: String::new(),
            },
            NaiveDate::from_ymd_opt(2026, 1, 10).unwrap(),
        )
    })
    .unwrap()
    .id
}

/// Every byte of the data folder (database, its WAL, backups), to look for a number in.
fn folder_bytes(dir: &std::path::Path) -> Vec<u8> {
    let mut out = vec![];
    for e in walkdir(dir) {
        out.extend(std::fs::read(e).unwrap_or_default());
    }
    out
}

fn walkdir(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walkdir(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn a_warned_victims_phone_sets_the_flag_and_is_kept_nowhere() {
    let mut w = world();
    let case = warn(&mut w.s, &w.g1, "13912345678", "2026-01-10");
    // The import takes a backup first: that file must not hold the victims' numbers either.
    let body = "\
C1,2026-02-20,刷单返利类,800,0,30,学生,,,东一网格,139 1234 5678,370302199001011234
C2,2026-02-21,刷单返利类,800,0,30,学生,,,东一网格,13698765432,370302198502025678
C3,2026-01-05,刷单返利类,800,0,30,学生,,,东一网格,13912345678,
";
    import(&mut w.s, body).unwrap();
    let flags: Vec<(String, Option<String>, Option<String>)> = {
        let mut st =
            w.s.conn().prepare("SELECT case_no, warned_case_id, warned_on FROM incidents ORDER BY case_no").unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().collect::<Result<_, _>>().unwrap()
    };
    // C1 matched the warned resident (written with spaces, still the same number); C2 is nobody
    // this product warned; C3 was filed before the warning, so it is no re-victimisation.
    assert_eq!(
        flags,
        vec![
            ("C1".into(), Some(case.clone()), Some("2026-01-10".into())),
            ("C2".into(), None, None),
            ("C3".into(), None, None),
        ]
    );
    let as_of = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let r = incidents::revictimisation(w.s.conn(), None, as_of).unwrap();
    assert_eq!((r.warned, r.warned_3m, r.again_3m, r.pct_3m), (1, 1, 1, Some(100.0)));
    assert_eq!((r.warned_12m, r.again_12m, r.pct_12m), (0, 0, None));
    let q = incidents::figures(w.s.conn(), &w.city, period("2026-01-01", "2026-03-31")).unwrap();
    assert_eq!(q.revictimised, 1);
    // The numbers: the unknown victim's phone and both ID numbers are in no file of the data
    // folder (database, WAL, backups). The warned resident's number is in the cases table, as it
    // was before; once that case is purged it is gone everywhere while the flag stays.
    w.s.conn().execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    let bytes = folder_bytes(w.dir.path());
    for n in ["13698765432", "370302199001011234", "370302198502025678", "139 1234 5678"] {
        assert!(!contains(&bytes, n), "{n} was written to the data folder");
    }
    w.s.write(|tx| {
        tx.execute("UPDATE cases SET closed_on = '2026-01-11', purge_on = '2026-01-12' WHERE id = ?1", [&case])?;
        followups::purge_due(tx, NaiveDate::from_ymd_opt(2026, 2, 1).unwrap())
    })
    .unwrap();
    w.s.conn().execute_batch("PRAGMA wal_checkpoint(TRUNCATE); VACUUM").unwrap();
    let db = std::fs::read(w.dir.path().join("outreach.db")).unwrap();
    assert!(!contains(&db, "13912345678"), "the purged resident's number is still in the database");
    let still: Option<String> =
        w.s.conn().query_row("SELECT warned_case_id FROM incidents WHERE case_no = 'C1'", [], |r| r.get(0)).unwrap();
    assert_eq!(still, Some(case));
}

fn held_talk(s: &mut Store, unit: &str, day: &str, topic: &str) {
    let mut input: SessionInput = common::bench_talk(unit, &format!("{day}T09:00"), &format!("{day}T10:00"));
    input.kind = SessionKind::Talk;
    input.topic_ids = vec![topic.into()];
    let id = s.write(|tx| sessions::save(tx, &input, true, "t")).unwrap().session.unwrap().id;
    let rec = RecordInput {
        session_id: id,
        actual_start: format!("{day}T09:00"),
        actual_end: format!("{day}T10:00"),
        headcount: 40,
        audiences: vec![],
        speakers: vec![],
        materials: vec![],
        notes: String::new(),
        signin_names: vec![],
        reason: String::new(),
    };
    s.write(|tx| records::save(tx, &rec, "t", "coordinator")).unwrap();
}

#[test]
fn the_weekly_review_suggests_by_its_rule_and_a_gap_closes_when_the_talk_is_held() {
    let mut w = world();
    // Week 2026-W10 is 2 – 8 March. 东一网格: two 刷单 cases of working-age victims; 东二网格: an
    // elderly victim (its grids have elderly living alone); 西一网格: a 刷单 case where a talk on
    // it was held in February. Before: two cases in 东一网格 in the four weeks before.
    let body = "\
D1,2026-03-02,刷单返利类,1000,0,30,企业职工,,,东一网格,,
D2,2026-03-05,刷单返利类,2000,500,31,企业职工,,,东一网格,,
D3,2026-03-06,冒充公检法及政府机关类,50000,0,72,退休,,,东二网格,,
D4,2026-03-07,刷单返利类,300,0,25,企业职工,,,西一网格,,
D5,2026-02-10,刷单返利类,100,0,25,企业职工,,,东一网格,,
D6,2026-02-20,虚假网络贷款类,100,0,25,企业职工,,,东一网格,,
";
    import(&mut w.s, body).unwrap();
    held_talk(&mut w.s, &w.g3, "2026-02-15", "topic-order-brushing");
    let r = incidents::review(w.s.conn(), &w.city, "2026-W10").unwrap();
    assert_eq!((r.from.as_str(), r.to.as_str(), r.count), ("2026-03-02", "2026-03-08", 4));
    assert_eq!(r.loss_yuan, 53300.0);
    assert_eq!(r.avg4, 0.5);
    assert_eq!(r.change_pct, Some(700.0));
    assert_eq!(
        (r.by_type[0].topic_id.as_str(), r.by_type[0].count, r.by_type[0].avg4),
        ("topic-order-brushing", 3, 0.25)
    );
    let place = |id: &str| r.places.iter().find(|p| p.unit_id == id).unwrap();
    assert_eq!(r.places[0].unit_id, w.g1, "most cases first");
    assert_eq!(place(&w.g1).suggestion.action, ActionKind::Talk);
    assert_eq!(place(&w.g1).suggestion.topic_ids[0], "topic-order-brushing");
    assert!(place(&w.g1).suggestion.reason.contains("近90天辖区未开展该专题宣讲"));
    assert_eq!(place(&w.g2).suggestion.action, ActionKind::Visits);
    assert_eq!(place(&w.g3).suggestion.action, ActionKind::Push);
    assert!(incidents::review(w.s.conn(), &w.city, "2026-W60").is_err());
    // The push text names the week's type and its tips, in plain Chinese.
    let d = incidents::push_draft(w.s.conn(), &w.g1, "2026-W10").unwrap();
    assert!(d.text.contains("刷单返利2起") && d.text.contains("96110"), "{}", d.text);
    // Precision gaps as of 8 March: 东一网格 (刷单, 贷款) and 东二网格 (公检法); not 西一网格,
    // where the talk on 刷单 was held within the 90 days.
    let as_of = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
    let g = incidents::gaps(w.s.conn(), &w.city, as_of).unwrap();
    let gaps: Vec<(&str, &str)> = g.topic_gaps.iter().map(|t| (t.grid_id.as_str(), t.topic_id.as_str())).collect();
    assert!(gaps.contains(&(w.g1.as_str(), "topic-order-brushing")), "{gaps:?}");
    assert!(gaps.contains(&(w.g2.as_str(), "topic-fake-police")), "{gaps:?}");
    assert!(!gaps.iter().any(|(g, _)| *g == w.g3), "{gaps:?}");
    let p1 = g.points.iter().find(|p| p.grid_id == w.g1).unwrap();
    // 4 cases in 10,000 residents in the 90 days.
    assert_eq!((p1.incidents, p1.rate), (4, 4.0));
    // A talk on 刷单 held in 东社区 reaches both its grids (coverage's reach rule): the gap closes.
    held_talk(&mut w.s, &w.community, "2026-03-07", "topic-order-brushing");
    let g = incidents::gaps(w.s.conn(), &w.city, as_of).unwrap();
    let gaps: Vec<(&str, &str)> = g.topic_gaps.iter().map(|t| (t.grid_id.as_str(), t.topic_id.as_str())).collect();
    assert!(!gaps.contains(&(w.g1.as_str(), "topic-order-brushing")), "{gaps:?}");
    assert!(gaps.contains(&(w.g1.as_str(), "topic-loan-credit")), "{gaps:?}");
    let _ = w.east;
}
