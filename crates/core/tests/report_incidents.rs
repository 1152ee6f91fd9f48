//! The report's outcome: the cases of an imported case file, summed by hand from the file's own
//! rows, come out in the JSON's `incidents`, the summary's 同比 sentence and the tables.

mod common;

use chrono::NaiveDate;
use outreach_core::coverage::Period;
use outreach_core::reports::{self, Cell};
use outreach_core::sheets;
use outreach_core::transfer::{self, TableKind};
use outreach_core::units::UnitKind;
use outreach_core::Store;

const HEADER: &str = "编号,立案日期,诈骗类型,损失金额（元）,止付金额（元）,受害人年龄段,受害人职业,派出所,社区,网格\n";

/// (case number, filed on, type, loss, stopped, grid)
const ROWS: &[(&str, &str, &str, f64, f64, &str)] = &[
    // Q4 2026 under 东区
    ("B1", "2026-10-03", "刷单返利类", 12_000.0, 2_000.0, "东一网格"),
    ("B2", "2026-11-15", "刷单返利类", 800.5, 0.0, "东二网格"),
    ("B3", "2026-12-31", "冒充公检法及政府机关类", 50_000.0, 10_000.0, "东一网格"),
    // Q4 2026 under 西区
    ("B4", "2026-12-01", "虚假投资理财", 3_000.0, 0.0, "西一网格"),
    // Q4 2025: last year's
    ("B5", "2025-10-01", "刷单返利类", 40_000.0, 0.0, "东一网格"),
    ("B6", "2025-11-20", "刷单返利类", 30_000.0, 0.0, "东二网格"),
    ("B7", "2025-12-31", "冒充公检法及政府机关类", 90_000.0, 0.0, "东一网格"),
    ("B8", "2025-12-10", "虚假投资理财", 1_000.0, 0.0, "西一网格"),
    ("B9", "2025-11-11", "虚假投资理财", 2_000.0, 0.0, "西一网格"),
    // neither period
    ("B10", "2026-09-30", "刷单返利类", 7_777.0, 0.0, "东一网格"),
    ("B11", "2027-01-01", "刷单返利类", 6_666.0, 0.0, "东一网格"),
];

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn the_report_json_carries_the_sums_of_the_imported_case_file() {
    let mut s = Store::open_in_memory().unwrap();
    let city = common::add(&mut s, None, "城市", UnitKind::City, None);
    let east = common::add(&mut s, Some(&city), "东区", UnitKind::District, None);
    let west = common::add(&mut s, Some(&city), "西区", UnitKind::District, None);
    for (parent, grid) in [(&east, "东一网格"), (&east, "东二网格"), (&west, "西一网格")] {
        common::add(&mut s, Some(parent), grid, UnitKind::Grid, Some(common::grid_profile(3_000)));
    }
    let mut csv = HEADER.to_string();
    for (no, on, label, loss, stopped, grid) in ROWS {
        csv.push_str(&format!("{no},{on},{label},{loss},{stopped},35,企业职工,,,{grid}\n"));
    }
    let sheet = sheets::read_bytes(false, csv.as_bytes()).unwrap();
    let out = transfer::commit(&mut s, TableKind::Incidents, &sheet, "cases.csv", false, &mut |_| {}).unwrap();
    assert_eq!(out.added as usize, ROWS.len());

    let p = Period::parse("2026-10-01", "2026-12-31").unwrap();
    let data = reports::build(s.conn(), &east, p, day("2027-01-05")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.json");
    reports::write_json(&data, &path).unwrap();
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let inc = &json["incidents"];

    // By hand, from the file: the rows under 东区 in the quarter and in last year's quarter.
    let east_rows = |from: &str, to: &str| -> Vec<&(&str, &str, &str, f64, f64, &str)> {
        ROWS.iter().filter(|r| r.5.starts_with('东') && r.1 >= from && r.1 <= to).collect()
    };
    let now = east_rows("2026-10-01", "2026-12-31");
    let last = east_rows("2025-10-01", "2025-12-31");
    assert_eq!((now.len(), last.len()), (3, 3));
    assert_eq!(inc["count"], now.len() as u64);
    assert_eq!(inc["count_last_year"], last.len() as u64);
    assert_eq!(inc["loss_yuan"], now.iter().map(|r| r.3).sum::<f64>());
    assert_eq!(inc["loss_last_year_yuan"], last.iter().map(|r| r.3).sum::<f64>());
    assert_eq!(inc["stopped_yuan"], now.iter().map(|r| r.4).sum::<f64>());
    assert_eq!(inc["revictimised"], 0);
    // The names its readers were promised, and no others.
    let mut keys: Vec<&str> = inc.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "by_type",
            "by_unit",
            "count",
            "count_last_year",
            "loss_last_year_yuan",
            "loss_yuan",
            "revictimised",
            "stopped_yuan"
        ]
    );
    let types = inc["by_type"].as_array().unwrap();
    for t in types {
        assert!(t.get("type").is_some() && t.get("count").is_some() && t.get("loss_yuan").is_some(), "{t}");
    }
    let n_of = |field: &str| types.iter().map(|t| t[field].as_u64().unwrap()).sum::<u64>();
    assert_eq!(n_of("count"), 3);
    assert_eq!(n_of("count_last_year"), 3);
    let brushing = types.iter().find(|t| t["count"] == 2).unwrap();
    assert_eq!(brushing["loss_yuan"], 12_800.5);
    assert_eq!(brushing["count_last_year"], 2);
    // 东区's grids are its children here: one row each, adding up to the whole.
    let units = inc["by_unit"].as_array().unwrap();
    assert_eq!(units.iter().map(|u| u["count"].as_u64().unwrap()).sum::<u64>(), 3);

    // 3 against 3 cases: level; 62,800.5 against 160,000 yuan: down 60.7 %.
    assert!(data.summary.contains("期内东区电信网络诈骗立案3起"), "{}", data.summary);
    assert!(data.summary.contains("立案3起，与去年同期持平"), "{}", data.summary);
    assert!(data.summary.contains("同比下降60.7%"), "{}", data.summary);
    assert!(data.summary.contains("止付12,000元"), "{}", data.summary);
    assert!(data.summary_en.contains("down 60.7% on last year"), "{}", data.summary_en);

    // The city, its two districts: the table's rows and 合计.
    let data = reports::build(s.conn(), &city, p, day("2027-01-05")).unwrap();
    assert_eq!((data.incidents.count, data.incidents.count_last_year), (4, 5));
    assert!(data.summary.contains("立案4起，同比下降20%"), "{}", data.summary);
    let (header, rows) = reports::incidents_table(&data);
    assert_eq!(header[..3], ["单位", "立案数", "去年同期"]);
    let text: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(Cell::text).collect()).collect();
    assert_eq!(
        text,
        [
            ["东区", "3", "3", "0.0", "62,800.50", "160,000", "-60.7"],
            ["西区", "1", "2", "-50.0", "3,000", "3,000", "0.0"],
            ["合计", "4", "5", "-20.0", "65,800.50", "163,000", "-59.6"],
        ]
    );
    let (header, rows) = reports::incident_types_table(&data);
    assert_eq!(header, ["类型", "立案数", "去年同期", "损失金额（元）"]);
    assert_eq!(rows.len(), 3);
}

#[test]
fn no_case_file_means_no_outcome_sentence() {
    let mut s = Store::open_in_memory().unwrap();
    let city = common::add(&mut s, None, "城市", UnitKind::City, None);
    let p = Period::parse("2026-10-01", "2026-12-31").unwrap();
    let data = reports::build(s.conn(), &city, p, day("2027-01-05")).unwrap();
    assert!(data.incidents.is_empty());
    assert!(!data.summary.contains("立案"), "{}", data.summary);
    assert!(!data.summary_en.contains("fraud cases"), "{}", data.summary_en);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.xlsx");
    reports::write_xlsx(&data, &path).unwrap();
}
