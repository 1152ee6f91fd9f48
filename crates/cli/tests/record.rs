//! `outreach record|followup|bundle` through the real binary. Imports killed part-way are
//! the crash harness's (crash.rs).

use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The passphrase of the bundles these tests export; scrypt at N = 2^10 (debug builds only)
/// so that no test spends seconds on key derivation.
const PASS: &str = "稷下网格2026年春季交接";

fn command(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_outreach"));
    c.args(args)
        .current_dir(dir)
        .env("OUTREACH_DATA_DIR", dir.join("data"))
        .env("OUTREACH_PASSPHRASE", PASS)
        .env("OUTREACH_TEST_WORK_FACTOR", "10")
        .stdin(Stdio::null());
    c
}

fn outreach(dir: &Path, args: &[&str]) -> Output {
    command(dir, args).output().unwrap()
}

/// With OUTREACH_PASSPHRASE set to `pass`, or unset when None.
fn outreach_with(dir: &Path, pass: Option<&str>, args: &[&str]) -> Output {
    let mut c = command(dir, args);
    match pass {
        Some(p) => c.env("OUTREACH_PASSPHRASE", p),
        None => c.env_remove("OUTREACH_PASSPHRASE"),
    };
    c.output().unwrap()
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

/// What `outreach identity` prints after `label`: the fingerprint (指纹) or the key (公钥).
fn identity(dir: &Path, db: &str, label: &str) -> String {
    identity_with(dir, Some(PASS), db, label)
}

/// `identity` with OUTREACH_PASSPHRASE set to `pass`, or unset.
fn identity_with(dir: &Path, pass: Option<&str>, db: &str, label: &str) -> String {
    let o = outreach_with(dir, pass, &["--db", db, "identity"]);
    let out = text(&o.stdout);
    let line = out.lines().find_map(|l| l.strip_prefix(label)).unwrap_or_else(|| panic!("no {label} in {out}"));
    line.trim().to_string()
}

/// `receiver` accepts `sender`'s bundles: the key `sender` prints registered as a coordinator's.
fn trust(dir: &Path, receiver: &str, sender: &str) {
    trust_with(dir, Some(PASS), receiver, sender)
}

fn trust_with(dir: &Path, pass: Option<&str>, receiver: &str, sender: &str) {
    let key = identity_with(dir, pass, sender, "公钥：");
    let args = ["--db", receiver, "signer", "add", "--key", &key, "--label", sender, "--role", "coordinator"];
    let o = outreach_with(dir, pass, &args);
    assert!(o.status.success(), "{}", text(&o.stderr));
}

fn png(path: &Path) {
    image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 120])).save(path).unwrap();
}

/// Plans a talk for yesterday morning, still marked planned, at the venue of the demo's first
/// planned session. The demo records every session of the days before today, so without this
/// a planned session that has already started exists only after the first one of today.
fn plan_yesterday(dir: &Path, db: &str) {
    let list = json(dir, &["--db", db, "plan", "list", "--json"]);
    let venue =
        list.as_array().unwrap().iter().find_map(|s| s["venueId"].as_str().map(str::to_string)).expect("a venue");
    let day = (chrono::Local::now() - chrono::Duration::days(1)).format("%Y-%m-%d").to_string();
    let (start, end) = (format!("{day} 10:00"), format!("{day} 11:00"));
    ok(
        dir,
        &[
            "--db",
            db,
            "plan",
            "add",
            "--title",
            "昨日补录宣讲",
            "--kind",
            "talk",
            "--start",
            &start,
            "--end",
            &end,
            "--venue",
            &venue,
            "--allow-conflict",
        ],
    );
}

/// A planned session that has already started (so it can be recorded), else a held one.
fn past_planned(dir: &Path, db: &str) -> serde_json::Value {
    let list = json(dir, &["--db", db, "plan", "list", "--json"]);
    let now = chrono::Local::now().format("%Y-%m-%dT%H:%M").to_string();
    list.as_array()
        .unwrap()
        .iter()
        .find(|s| {
            (s["status"] == "planned" || s["status"] == "confirmed") && s["start"].as_str().unwrap() < now.as_str()
        })
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

    ok(
        d,
        &[
            "--db",
            "x.db",
            "record",
            "add",
            "--session",
            id,
            "--headcount",
            "86",
            "--split",
            "老年人=60,public=20",
            "--material",
            "宣传彩页=120",
            "--photo",
            "现场.png",
        ],
    );
    let r = json(d, &["--db", "x.db", "record", "show", id, "--json"]);
    assert_eq!(r["headcount"], 86);
    assert_eq!(r["sessionStatus"], "held");
    assert_eq!(r["photos"].as_array().unwrap().len(), 1);
    let sha = r["photos"][0]["sha256"].as_str().unwrap();
    let disk =
        std::fs::read(d.join("photos").join(format!("{sha}.png"))).expect("the original sits beside the database");
    assert!(disk.starts_with(b"ODPHOTO1") && !disk.windows(4).any(|w| w == b"\x89PNG"), "sealed, not in clear");
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
    // Not a name the demo can give (its residents are "<surname>某（女|男）", drawn by a generator
    // whose sequence follows today's date): the list is searched for it after the purge.
    let out = outreach(
        d,
        &[
            "--db",
            "x.db",
            "followup",
            "add",
            "--name",
            "刘测试",
            "--phone",
            "13905330001",
            "--grid",
            "稷下第一网格",
            "--warned",
            "2026-01-05",
            "--today",
            "2026-01-06",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let visits: Vec<String> = text(&out.stderr)
        .lines()
        .filter_map(|l| l.rsplit('（').next().map(|s| s.trim_end_matches('）').to_string()))
        .collect();
    assert_eq!(visits.len(), 3, "{}", text(&out.stderr));
    for (v, date) in visits.iter().zip(["2026-01-12", "2026-02-05", "2026-04-05"]) {
        ok(d, &["--db", "x.db", "followup", "visit", v, "--date", date, "--today", "2026-04-05"]);
    }
    let list = ok(d, &["--db", "x.db", "followup", "list"]);
    assert!(list.contains("刘测试") && list.contains("139****0001") && !list.contains("13905330001"));
    assert!(ok(d, &["--db", "x.db", "followup", "purge", "--today", "2026-05-04"]).contains("清除 0 个"));
    let out = ok(d, &["--db", "x.db", "followup", "purge", "--today", "2026-05-05"]);
    assert!(out.contains("清除 1 个") && out.contains("备份：改写"), "{out}");
    assert!(!out.contains("刘测试") && !out.contains("13905330001"), "counts only: {out}");
    assert!(!ok(d, &["--db", "x.db", "followup", "list"]).contains("刘测试"));
}

#[test]
fn a_captains_bundle_reaches_the_coordinator_with_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["--db", "coord.db", "demo"]);
    // The reference bundle carries planned sessions only, so the captain needs one that has started.
    plan_yesterday(d, "coord.db");
    ok(d, &["--db", "coord.db", "bundle", "export", "-o", "ref.outreach", "--scope", "reference"]);
    // From an installation not registered here: refused, naming the fingerprint to compare.
    let o = outreach(d, &["--db", "cap.db", "bundle", "import", "ref.outreach"]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("未登记") && err.contains(&identity(d, "coord.db", "指纹：")), "{err}");
    trust(d, "cap.db", "coord.db");
    ok(d, &["--db", "cap.db", "bundle", "import", "ref.outreach"]);
    trust(d, "coord.db", "cap.db");
    let s = past_planned(d, "cap.db");
    let id = s["id"].as_str().unwrap();
    ok(d, &["--db", "cap.db", "record", "add", "--session", id, "--headcount", "40"]);
    ok(d, &["--db", "coord.db", "record", "add", "--session", id, "--headcount", "45"]);
    ok(d, &["--db", "cap.db", "bundle", "export", "-o", "cap.outreach"]);
    let v = json(d, &["--db", "coord.db", "bundle", "import", "cap.outreach", "--json"]);
    assert!(v["conflicts"].as_u64().unwrap() >= 1, "{v}");
    assert_eq!(
        (v["signerLabel"].as_str(), v["signerFingerprint"].as_str()),
        (Some("cap.db"), Some(identity(d, "cap.db", "指纹：").as_str()))
    );
    let conflicts = json(d, &["--db", "coord.db", "bundle", "conflicts", "--json"]);
    let c = conflicts.as_array().unwrap().iter().find(|c| c["table"] == "records").expect("the record conflicts");
    let r = json(d, &["--db", "coord.db", "record", "show", id, "--json"]);
    assert_eq!(r["headcount"], 45, "the coordinator's record is not overwritten");
    ok(d, &["--db", "coord.db", "bundle", "resolve", c["id"].as_str().unwrap(), "--take", "incoming"]);
    let r = json(d, &["--db", "coord.db", "record", "show", id, "--json"]);
    assert_eq!(r["headcount"], 40);
    // A second import of the same bundle changes nothing.
    let again = json(d, &["--db", "coord.db", "bundle", "import", "cap.outreach", "--json"]);
    assert_eq!(
        (again["added"].as_u64(), again["updated"].as_u64(), again["conflicts"].as_u64()),
        (Some(0), Some(0), Some(0)),
        "{again}"
    );
    // A damaged file is refused with exit 1. (Cut inside an encrypted chunk, the cut is
    // indistinguishable from a changed byte: the chunk fails its authentication.)
    let mut bytes = std::fs::read(d.join("cap.outreach")).unwrap();
    bytes.truncate(bytes.len() / 2);
    std::fs::write(d.join("cut.outreach"), bytes).unwrap();
    let o = outreach(d, &["--db", "coord.db", "bundle", "import", "cut.outreach"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("校验失败（文件被修改或损坏），未导入任何数据"), "{}", text(&o.stderr));
}

#[test]
fn a_bundle_of_everything_is_encrypted_with_the_passphrase_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Plain databases: the variable here is the bundles' passphrase only.
    assert!(outreach_with(d, None, &["--db", "coord.db", "demo"]).status.success());
    let out = ok(d, &["--db", "coord.db", "bundle", "export", "-o", "all.outreach"]);
    assert!(out.contains("已用口令加密"), "{out}");
    let bytes = std::fs::read(d.join("all.outreach")).unwrap();
    assert!(bytes.starts_with(b"age-encryption.org/v1\n-> scrypt "), "an age file with a passphrase");
    assert!(!text(&bytes).contains("OUTREACH-DESK-BUNDLE") && !text(&bytes).contains("网格"), "nothing readable");

    // No passphrase and no terminal: refused with a hint, no file written.
    let o = outreach_with(d, None, &["--db", "coord.db", "bundle", "export", "-o", "none.outreach"]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("含个人信息的交接包必须设置口令加密") && err.contains("OUTREACH_PASSPHRASE"), "{err}");
    assert!(!d.join("none.outreach").exists());
    // A weak one is refused with the reasons.
    let o = outreach_with(d, Some("abc"), &["--db", "coord.db", "bundle", "export", "-o", "weak.outreach"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("口令至少需要 10 个字符"), "{}", text(&o.stderr));
    assert!(!d.join("weak.outreach").exists());
    // The passphrase is never an argument.
    let o = outreach(d, &["--db", "coord.db", "bundle", "export", "-o", "x.outreach", "--passphrase", PASS]);
    assert_eq!(o.status.code(), Some(2), "clap refuses an unknown argument");

    // Reference data stays plaintext unless a passphrase is given.
    let out = text(
        &outreach_with(
            d,
            None,
            &["--db", "coord.db", "bundle", "export", "--scope", "reference", "-o", "ref.outreach"],
        )
        .stdout,
    );
    assert!(out.contains("未加密"), "{out}");
    assert!(std::fs::read(d.join("ref.outreach")).unwrap().starts_with(b"OUTREACH-DESK-BUNDLE\n"));
    trust_with(d, None, "cap.db", "coord.db");
    let o = outreach_with(d, None, &["--db", "cap.db", "bundle", "import", "ref.outreach"]);
    assert!(o.status.success(), "{}", text(&o.stderr));

    // Import: no passphrase, a wrong one — refused, nothing changed; the right one imports.
    let before = json(d, &["--db", "cap.db", "plan", "list", "--json"]);
    let o = outreach_with(d, None, &["--db", "cap.db", "bundle", "import", "all.outreach"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("交接包已加密，请输入导出时设置的口令"), "{}", text(&o.stderr));
    let o = outreach_with(d, Some("稷下网格2026年秋季交接"), &["--db", "cap.db", "bundle", "import", "all.outreach"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("口令不正确"), "{}", text(&o.stderr));
    assert!(!text(&o.stderr).contains(PASS) && !text(&o.stdout).contains(PASS));
    assert_eq!(json(d, &["--db", "cap.db", "plan", "list", "--json"]), before);
    let v = json(d, &["--db", "cap.db", "bundle", "import", "all.outreach", "--json"]);
    assert_eq!(v["conflicts"], 0, "{v}");
    assert_eq!(
        json(d, &["--db", "cap.db", "plan", "list", "--json"]),
        json(d, &["--db", "coord.db", "plan", "list", "--json"])
    );
    // The audit log records the export as encrypted, and never the passphrase.
    let log = ok(d, &["--db", "coord.db", "audit", "list"]);
    assert!(log.contains("已加密") && !log.contains(PASS), "{log}");
}

/// The first grid's id in `units tree --json`.
fn a_grid(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Object(m) if m.get("kind").and_then(|k| k.as_str()) == Some("grid") => {
            m.get("id").and_then(|i| i.as_str()).map(str::to_string)
        }
        serde_json::Value::Object(m) => m.values().find_map(a_grid),
        serde_json::Value::Array(a) => a.iter().find_map(a_grid),
        _ => None,
    }
}

#[test]
fn signers_are_registered_listed_and_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["--db", "coord.db", "demo"]);
    let fp = identity(d, "cap.db", "指纹：");
    let key = identity(d, "cap.db", "公钥：");
    assert!(fp.len() == 19 && fp.split('-').count() == 4, "{fp}");
    assert!(key.starts_with("ed25519:"), "{key}");
    assert_eq!(identity(d, "cap.db", "公钥："), key, "one identity per database");
    assert_ne!(identity(d, "coord.db", "公钥："), key);

    let grid = a_grid(&json(d, &["--db", "coord.db", "units", "tree", "--json"])).expect("a grid");
    // A captain needs its grids; a key must be one.
    let o =
        outreach(d, &["--db", "coord.db", "signer", "add", "--key", &key, "--label", "王队长", "--role", "captain"]);
    assert_eq!(o.status.code(), Some(1));
    let o = outreach(
        d,
        &["--db", "coord.db", "signer", "add", "--key", "ed25519:abc", "--label", "王队长", "--role", "coordinator"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("签名公钥无效"), "{}", text(&o.stderr));
    let out = ok(
        d,
        &[
            "--db",
            "coord.db",
            "signer",
            "add",
            "--key",
            &key,
            "--label",
            "王队长",
            "--role",
            "captain",
            "--unit",
            &grid,
        ],
    );
    assert!(out.contains(&fp), "{out}");
    let list = json(d, &["--db", "coord.db", "signer", "list", "--json"]);
    assert_eq!(list[0]["fingerprint"], fp.as_str());
    assert_eq!(list[0]["role"], "captain");
    assert_eq!(list[0]["units"][0], grid.as_str());
    assert!(list[0]["revokedAt"].is_null());

    ok(d, &["--db", "cap.db", "bundle", "export", "--scope", "reference", "-o", "cap.outreach"]);
    let v = json(d, &["--db", "coord.db", "bundle", "import", "cap.outreach", "--dry-run", "--json"]);
    assert_eq!(v["signerLabel"], "王队长", "{v}");

    ok(d, &["--db", "coord.db", "signer", "revoke", &fp.to_lowercase()]);
    let out = ok(d, &["--db", "coord.db", "signer", "list"]);
    assert!(out.contains("王队长") && out.contains("已撤销"), "{out}");
    let o = outreach(d, &["--db", "coord.db", "bundle", "import", "cap.outreach"]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("已被撤销") && err.contains("王队长") && err.contains(&fp), "{err}");
    // Registering and revoking are in the audit log; the key text is not needed there.
    let log = ok(d, &["--db", "coord.db", "audit", "list"]);
    assert!(log.contains(&format!("signers/{fp}")) && log.contains(&format!("signers/{fp}/revoked")), "{log}");
}
