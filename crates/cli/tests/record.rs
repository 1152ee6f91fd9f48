//! `outreach record|followup|bundle` through the real binary, including a bundle import
//! killed part-way.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

fn outreach(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_outreach")).args(args).current_dir(dir).env("OUTREACH_DATA_DIR", dir.join("data")).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let o = outreach(dir, args);
    assert!(o.status.success(), "{args:?}: {}{}", text(&o.stdout), text(&o.stderr));
    text(&o.stdout)
}

fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(dir, args)).unwrap()
}

fn png(path: &Path) {
    image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 120])).save(path).unwrap();
}

/// A planned bench talk of the demo that has already started (so it can be recorded).
fn past_planned(dir: &Path, db: &str) -> serde_json::Value {
    let list = json(dir, &["--db", db, "plan", "list", "--json"]);
    let now = chrono::Local::now().format("%Y-%m-%dT%H:%M").to_string();
    list.as_array()
        .unwrap()
        .iter()
        .find(|s| (s["status"] == "planned" || s["status"] == "confirmed") && s["start"].as_str().unwrap() < now.as_str())
        .or_else(|| list.as_array().unwrap().iter().find(|s| s["status"] == "held"))
        .cloned()
        .expect("a session that can be recorded")
}

#[test]
fn recording_a_session_with_a_photo_and_a_split() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["--db", "x.db", "demo"]);
    png(&d.join("现场.png"));
    std::fs::write(d.join("fake.jpg"), b"not a picture").unwrap();
    let s = past_planned(d, "x.db");
    let id = s["id"].as_str().unwrap();

    // Refused: negative headcount, split over total, not an image — each exit 1, nothing written.
    for (args, want) in [
        (vec!["--headcount", "-3"], "不能为负数"),
        (vec!["--headcount", "10", "--split", "elderly=8,public=5"], "超过到场总人数"),
        (vec!["--headcount", "10", "--photo", "fake.jpg"], "不是 PNG、JPEG 或 WebP 图片"),
    ] {
        let mut a = vec!["--db", "x.db", "record", "add", "--session", id];
        a.extend(args);
        let o = outreach(d, &a);
        assert_eq!(o.status.code(), Some(1), "{a:?}");
        assert!(text(&o.stderr).contains(want), "{a:?}: {}", text(&o.stderr));
    }
    let before = json(d, &["--db", "x.db", "plan", "list", "--json"]);
    assert_eq!(before.as_array().unwrap().iter().find(|x| x["id"] == id).unwrap()["status"], s["status"]);

    ok(d, &["--db", "x.db", "record", "add", "--session", id, "--headcount", "86", "--split", "老年人=60,public=20", "--material", "宣传彩页=120", "--photo", "现场.png"]);
    let r = json(d, &["--db", "x.db", "record", "show", id, "--json"]);
    assert_eq!(r["headcount"], 86);
    assert_eq!(r["sessionStatus"], "held");
    assert_eq!(r["photos"].as_array().unwrap().len(), 1);
    let sha = r["photos"][0]["sha256"].as_str().unwrap();
    assert!(d.join("photos").join(format!("{sha}.png")).exists(), "the original sits beside the database");
    // The sessions export carries the recorded headcount.
    ok(d, &["--db", "x.db", "export", "sessions", "--format", "csv", "-o", "s.csv"]);
    let csv = std::fs::read_to_string(d.join("s.csv")).unwrap();
    assert!(csv.lines().next().unwrap().contains("实到人数"));
    assert!(csv.lines().any(|l| l.starts_with(id) && l.contains(",86,")), "{csv}");
    ok(d, &["--db", "x.db", "record", "review", id]);
    let o = outreach(d, &["--db", "x.db", "record", "add", "--session", id, "--headcount", "90"]);
    assert_eq!(o.status.code(), Some(1));
    ok(d, &["--db", "x.db", "record", "add", "--session", id, "--headcount", "90", "--reason", "补记后到群众"]);
}

#[test]
fn followups_are_scheduled_and_purged_by_date() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["--db", "x.db", "demo"]);
    let out = outreach(d, &["--db", "x.db", "followup", "add", "--name", "刘某", "--phone", "13905330001", "--grid", "稷下第一网格", "--warned", "2026-01-05", "--today", "2026-01-06"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let visits: Vec<String> = text(&out.stderr).lines().filter_map(|l| l.rsplit('（').next().map(|s| s.trim_end_matches('）').to_string())).collect();
    assert_eq!(visits.len(), 3, "{}", text(&out.stderr));
    for (v, date) in visits.iter().zip(["2026-01-12", "2026-02-05", "2026-04-05"]) {
        ok(d, &["--db", "x.db", "followup", "visit", v, "--date", date, "--today", "2026-04-05"]);
    }
    let list = ok(d, &["--db", "x.db", "followup", "list"]);
    assert!(list.contains("刘某") && list.contains("139****0001") && !list.contains("13905330001"));
    assert!(ok(d, &["--db", "x.db", "followup", "purge", "--today", "2026-05-04"]).contains("清除 0 个"));
    let out = ok(d, &["--db", "x.db", "followup", "purge", "--today", "2026-05-05"]);
    assert!(out.contains("清除 1 个") && out.contains("备份：改写"), "{out}");
    assert!(!out.contains("刘某") && !out.contains("13905330001"), "counts only: {out}");
    assert!(!ok(d, &["--db", "x.db", "followup", "list"]).contains("刘某"));
}

#[test]
fn a_captains_bundle_reaches_the_coordinator_with_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["--db", "coord.db", "demo"]);
    ok(d, &["--db", "coord.db", "bundle", "export", "-o", "ref.outreach", "--scope", "reference"]);
    ok(d, &["--db", "cap.db", "bundle", "import", "ref.outreach"]);
    let s = past_planned(d, "cap.db");
    let id = s["id"].as_str().unwrap();
    ok(d, &["--db", "cap.db", "record", "add", "--session", id, "--headcount", "40"]);
    ok(d, &["--db", "coord.db", "record", "add", "--session", id, "--headcount", "45"]);
    ok(d, &["--db", "cap.db", "bundle", "export", "-o", "cap.outreach"]);
    let v = json(d, &["--db", "coord.db", "bundle", "import", "cap.outreach", "--json"]);
    assert!(v["conflicts"].as_u64().unwrap() >= 1, "{v}");
    let conflicts = json(d, &["--db", "coord.db", "bundle", "conflicts", "--json"]);
    let c = conflicts.as_array().unwrap().iter().find(|c| c["table"] == "records").expect("the record conflicts");
    let r = json(d, &["--db", "coord.db", "record", "show", id, "--json"]);
    assert_eq!(r["headcount"], 45, "the coordinator's record is not overwritten");
    ok(d, &["--db", "coord.db", "bundle", "resolve", c["id"].as_str().unwrap(), "--take", "incoming"]);
    let r = json(d, &["--db", "coord.db", "record", "show", id, "--json"]);
    assert_eq!(r["headcount"], 40);
    // A second import of the same bundle changes nothing.
    let again = json(d, &["--db", "coord.db", "bundle", "import", "cap.outreach", "--json"]);
    assert_eq!((again["added"].as_u64(), again["updated"].as_u64(), again["conflicts"].as_u64()), (Some(0), Some(0), Some(0)), "{again}");
    // A damaged file is refused with exit 1.
    let mut bytes = std::fs::read(d.join("cap.outreach")).unwrap();
    bytes.truncate(bytes.len() / 2);
    std::fs::write(d.join("cut.outreach"), bytes).unwrap();
    let o = outreach(d, &["--db", "coord.db", "bundle", "import", "cut.outreach"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("不完整"), "{}", text(&o.stderr));
}

/// A process killed in the middle of a bundle import leaves the database as it was (or, if
/// the kill came after the commit, fully imported) — never half of it.
#[test]
fn a_bundle_import_killed_midway_leaves_the_database_whole() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["--db", "src.db", "demo"]);
    ok(d, &["--db", "src.db", "bench", "import", "--rows", "6000"]);
    ok(d, &["--db", "src.db", "bundle", "export", "-o", "big.outreach"]);
    ok(d, &["--db", "dst.db", "demo"]);
    ok(d, &["--db", "dst.db", "export", "people", "--format", "csv", "-o", "before.csv"]);
    let before = std::fs::read(d.join("before.csv")).unwrap();
    // How long an undisturbed import takes, on a copy.
    std::fs::copy(d.join("dst.db"), d.join("probe.db")).unwrap();
    std::fs::copy(d.join("dst.db"), d.join("pristine.db")).unwrap();
    let t = std::time::Instant::now();
    ok(d, &["--db", "probe.db", "bundle", "import", "big.outreach"]);
    let full = t.elapsed().as_millis() as u64;
    ok(d, &["--db", "probe.db", "export", "people", "--format", "csv", "-o", "complete.csv"]);
    let complete = std::fs::read(d.join("complete.csv")).unwrap();
    assert_ne!(complete, before);
    let cycles: u64 = std::env::var("KILL_CYCLES").ok().and_then(|v| v.parse().ok()).unwrap_or(8);
    let mut seed: u64 = 0x5eed;
    let (mut inside, mut before_merge) = (0, 0);
    for i in 0..cycles {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let wait = (seed >> 33) % full.max(1);
        let mut child = Command::new(env!("CARGO_BIN_EXE_outreach"))
            .args(["--db", "dst.db", "bundle", "import", "big.outreach"])
            .current_dir(d)
            .env("OUTREACH_DATA_DIR", d.join("data"))
            .env("OUTREACH_TRACE", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(wait));
        let _ = child.kill();
        let _ = child.wait();
        let mut stages = String::new();
        child.stderr.take().unwrap().read_to_string(&mut stages).unwrap();
        let conn = rusqlite::Connection::open(d.join("dst.db")).unwrap();
        let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(check, "ok", "cycle {i}");
        drop(conn);
        ok(d, &["--db", "dst.db", "export", "people", "--format", "csv", "-o", "after.csv"]);
        let after = std::fs::read(d.join("after.csv")).unwrap();
        // Never half: exactly as before, or exactly as a complete import leaves it (the kill
        // may land between the commit and the report of it).
        assert!(after == before || after == complete, "cycle {i}: killed after {wait} ms ({stages:?}): a partial import");
        if after == complete {
            // Start the next cycle from the untouched database again.
            for ext in ["db-wal", "db-shm"] {
                let _ = std::fs::remove_file(d.join(format!("dst.{ext}")));
            }
            std::fs::copy(d.join("pristine.db"), d.join("dst.db")).unwrap();
            continue;
        }
        if stages.contains("stage: merge") {
            inside += 1;
        } else {
            before_merge += 1;
        }
    }
    eprintln!("import takes {full} ms; kills inside the merge transaction: {inside}, before it: {before_merge}");
    assert!(inside > 0, "no kill landed inside the import; the test proved nothing");
}
