//! `outreach plan …` and `export sessions` through the real binary.

use std::path::Path;
use std::process::{Command, Output};

fn outreach(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_outreach"))
        .args(args)
        .current_dir(dir)
        .env("OUTREACH_DATA_DIR", dir.join("data"))
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn plan_list_json_over_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    assert!(outreach(dir.path(), &["--db", "x.db", "demo"]).status.success());
    let o = outreach(dir.path(), &["--db", "x.db", "plan", "list", "--json"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let arr = v.as_array().unwrap();
    assert!(arr.len() >= 50, "{}", arr.len());
    for s in arr {
        for k in ["id", "title", "kind", "start", "end", "status"] {
            assert!(s.get(k).is_some_and(|x| x.is_string()), "missing {k} in {s}");
        }
    }
    assert!(arr.iter().any(|s| s["status"] == "held") && arr.iter().any(|s| s["kind"] == "bench_talk"));
    // The range filter narrows it.
    let first_start = arr[0]["start"].as_str().unwrap()[..10].to_string();
    let o =
        outreach(dir.path(), &["--db", "x.db", "plan", "list", "--from", &first_start, "--to", &first_start, "--json"]);
    let day: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(!day.as_array().unwrap().is_empty() && day.as_array().unwrap().len() < arr.len());
}

#[test]
fn conflicting_plan_add_exits_1_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    assert!(outreach(dir.path(), &["--db", "x.db", "demo"]).status.success());
    let list: serde_json::Value =
        serde_json::from_slice(&outreach(dir.path(), &["--db", "x.db", "plan", "list", "--json"]).stdout).unwrap();
    let busy =
        list.as_array().unwrap().iter().find(|s| s["status"] == "planned" && s["venueId"].is_string()).unwrap().clone();
    let (venue, start, end) =
        (busy["venueId"].as_str().unwrap(), busy["start"].as_str().unwrap(), busy["end"].as_str().unwrap());
    let args = [
        "--db",
        "x.db",
        "plan",
        "add",
        "--title",
        "加场宣讲",
        "--kind",
        "宣讲",
        "--start",
        start,
        "--end",
        end,
        "--venue",
        venue,
    ];
    let o = outreach(dir.path(), &args);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    assert!(text(&o.stderr).contains("已安排"), "{}", text(&o.stderr));
    let count = |dir: &Path| {
        serde_json::from_slice::<serde_json::Value>(&outreach(dir, &["--db", "x.db", "plan", "list", "--json"]).stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(count(dir.path()), list.as_array().unwrap().len(), "a refused add changes nothing");
    let mut allowed = args.to_vec();
    allowed.push("--allow-conflict");
    let o = outreach(dir.path(), &allowed);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let id = text(&o.stdout).trim().to_string();
    assert_eq!(count(dir.path()), list.as_array().unwrap().len() + 1);
    // Refusals: end before start.
    let o = outreach(
        dir.path(),
        &[
            "--db",
            "x.db",
            "plan",
            "add",
            "--title",
            "x",
            "--kind",
            "talk",
            "--start",
            "2026-12-01 10:00",
            "--end",
            "2026-12-01 09:00",
            "--venue",
            venue,
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("结束时间必须晚于开始时间"));
    // Cancel it.
    let o = outreach(dir.path(), &["--db", "x.db", "plan", "cancel", &id, "--reason", "重复安排"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
}

#[test]
fn series_ics_and_sessions_export() {
    let dir = tempfile::tempdir().unwrap();
    assert!(outreach(dir.path(), &["--db", "x.db", "demo"]).status.success());
    let o = outreach(
        dir.path(),
        &[
            "--db",
            "x.db",
            "plan",
            "add",
            "--title",
            "每周三校园宣讲",
            "--kind",
            "talk",
            "--start",
            "2027-03-03 15:00",
            "--end",
            "2027-03-03 15:45",
            "--unit",
            &units_first(dir.path()),
            "--repeat",
            "weekly",
            "--count",
            "8",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("已创建 8 场"));
    let o = outreach(dir.path(), &["--db", "x.db", "plan", "ics", "-o", "plan.ics"]);
    assert!(o.status.success());
    let ics = std::fs::read_to_string(dir.path().join("plan.ics")).unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR") && ics.matches("BEGIN:VEVENT").count() >= 58);
    let o = outreach(dir.path(), &["--db", "x.db", "export", "sessions", "--format", "xlsx", "-o", "s.xlsx"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let sheet = outreach_core::sheets::read(&dir.path().join("s.xlsx")).unwrap();
    assert_eq!(sheet.headers[0], "编号");
    assert!(sheet.rows.iter().filter(|r| r[1] == "每周三校园宣讲").count() == 8);
    let o = outreach(dir.path(), &["--db", "x.db", "import", "units", "s.xlsx"]);
    assert_eq!(o.status.code(), Some(1));
}

fn units_first(dir: &Path) -> String {
    let o = outreach(dir, &["--db", "x.db", "units", "tree", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v[0]["unit"]["id"].as_str().unwrap().to_string()
}
