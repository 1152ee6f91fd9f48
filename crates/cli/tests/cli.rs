//! The CLI contract of the brief, driven through the real binary.

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
fn demo_then_export_people_gives_the_demo_people() {
    let dir = tempfile::tempdir().unwrap();
    let o = outreach(dir.path(), &["--db", "x.db", "demo"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o = outreach(dir.path(), &["--db", "x.db", "export", "people", "--format", "csv", "-o", "p.csv"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let csv = std::fs::read_to_string(dir.path().join("p.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("\u{feff}编号,姓名"));
    assert_eq!(lines.len(), 101, "header + 100 demo people");
    assert!(lines[1].split(',').next().unwrap().len() >= 32, "id first");
    // A second demo into the same database is refused.
    let o = outreach(dir.path(), &["--db", "x.db", "demo"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("演示数据只能载入空数据库"));
}

#[test]
fn import_with_one_bad_row_exits_1_names_the_row_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    assert!(outreach(dir.path(), &["--db", "x.db", "demo"]).status.success());
    outreach(dir.path(), &["--db", "x.db", "export", "people", "--format", "xlsx", "-o", "before.xlsx"]);
    let roster = "编号,姓名,身份,电话,所属单位编号,所属单位,队伍,可讲主题,在岗,加入日期,备注\n\
                  ,甲,志愿者,13911112222,,稷下第一网格,,,是,,\n\
                  ,乙,志愿者,13911113333,,稷下第一网格,,,是,,\n\
                  ,丙,志愿者,139-1111-44,,稷下第一网格,,,是,,\n";
    std::fs::write(dir.path().join("roster.csv"), roster).unwrap();
    let o = outreach(dir.path(), &["--db", "x.db", "import", "people", "roster.csv"]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.lines().any(|l| l.contains("第 4 行") && l.contains("139-1111-44")), "{err}");
    outreach(dir.path(), &["--db", "x.db", "export", "people", "--format", "xlsx", "-o", "after.xlsx"]);
    let rows = |f: &str| outreach_core::sheets::read(&dir.path().join(f)).unwrap().rows;
    assert_eq!(rows("before.xlsx"), rows("after.xlsx"));
    // With --skip-invalid the two good rows go in.
    let o = outreach(dir.path(), &["--db", "x.db", "import", "people", "roster.csv", "--skip-invalid"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("新增 2"));
}

#[test]
fn units_export_lists_a_root_first_and_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    assert!(outreach(dir.path(), &["--db", "x.db", "demo"]).status.success());
    let o = outreach(dir.path(), &["--db", "x.db", "export", "units", "--format", "xlsx", "-o", "u.xlsx"]);
    assert!(o.status.success());
    let sheet = outreach_core::sheets::read(&dir.path().join("u.xlsx")).unwrap();
    assert_eq!(sheet.rows[0][1], "", "first row is a root");
    let o = outreach(dir.path(), &["--db", "x.db", "import", "units", "u.xlsx"]);
    assert!(o.status.success());
    assert!(text(&o.stdout).contains("新增 0，更新 0"), "{}", text(&o.stdout));
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["frobnicate"],
        vec!["export", "people"],
        vec!["export", "people", "--format", "pdf", "-o", "x"],
        vec!["import", "dragons", "x.csv"],
    ] {
        let o = outreach(dir.path(), &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn default_database_lives_in_the_data_dir_and_backups_restore() {
    let dir = tempfile::tempdir().unwrap();
    assert!(outreach(dir.path(), &["demo"]).status.success());
    assert!(dir.path().join("data").join("outreach.db").is_file());
    let o = outreach(dir.path(), &["backup"]);
    assert!(o.status.success());
    let name = text(&o.stdout).trim().rsplit('：').next().unwrap().to_string();
    let o = outreach(dir.path(), &["backup", "--list"]);
    assert!(text(&o.stdout).contains(&name));
    let o = outreach(dir.path(), &["restore", &name]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o = outreach(dir.path(), &["restore", "no-such-backup.db"]);
    assert_eq!(o.status.code(), Some(1));
    let o = outreach(dir.path(), &["audit", "verify"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
}

/// An anchor kept outside the database (a backup's header, a report's footer) shows a log cut
/// back before it, which `audit verify` alone cannot see.
#[test]
fn audit_verify_with_an_anchor_catches_a_truncated_log() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(outreach(d, &["--db", "x.db", "demo"]).status.success());
    let o = outreach(d, &["--db", "x.db", "backup"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let name = text(&o.stdout).trim().rsplit('：').next().unwrap().to_string();
    let header: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("backups").join(format!("{name}.json"))).unwrap()).unwrap();
    let head = header["auditHead"].as_str().expect("the backup's header carries the audit head").to_string();
    let listed = text(&outreach(d, &["--db", "x.db", "backup", "--list"]).stdout);
    assert!(listed.contains(&format!("审计链 {}", &head[..16])), "{listed}");
    // Later work: the anchor is still in the chain, by its full hash or its first 16 digits.
    let o = outreach(d, &["--db", "x.db", "export", "units", "--format", "csv", "-o", "u.csv"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let db = d.join("x.db");
    let entries = |db: &Path| -> i64 {
        rusqlite::Connection::open(db).unwrap().query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).unwrap()
    };
    for anchor in [head.clone(), format!("{}…", &head[..16])] {
        let o = outreach(d, &["--db", "x.db", "audit", "verify", "--anchor", &anchor]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        assert!(text(&o.stdout).contains("锚点"), "{}", text(&o.stdout));
    }
    let o = outreach(d, &["--db", "x.db", "audit", "verify", "--anchor", &head[..8]]);
    assert_eq!(o.status.code(), Some(2), "a prefix too short to stand for one entry");
    // Cut back to before the anchor (the triggers dropped by someone with the file): the
    // chain that is left verifies on its own; the anchor does not.
    let n = entries(&db);
    assert!(n >= 2, "the export was audited after the anchor");
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(&format!("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq >= {};", n - 1))
        .unwrap();
    assert!(outreach(d, &["--db", "x.db", "audit", "verify"]).status.success());
    let o = outreach(d, &["--db", "x.db", "audit", "verify", "--anchor", &head[..16]]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("审计日志中找不到锚点"), "{}", text(&o.stderr));
}

/// A people export masks phones unless full numbers are asked for, and the log says which.
#[test]
fn exports_mask_phones_unless_full_phones_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(outreach(d, &["--db", "x.db", "demo"]).status.success());
    let phones = |file: &str| -> Vec<String> {
        let csv = std::fs::read_to_string(d.join(file)).unwrap();
        csv.lines().skip(1).map(|l| l.split(',').nth(3).unwrap_or("").to_string()).filter(|p| !p.is_empty()).collect()
    };
    let last_note = || -> String {
        let o = outreach(d, &["--db", "x.db", "audit", "list", "--limit", "1", "--json"]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v[0]["params"]["note"].as_str().unwrap_or("").to_string()
    };
    let o = outreach(d, &["--db", "x.db", "export", "people", "--format", "csv", "-o", "masked.csv"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let masked = phones("masked.csv");
    assert!(!masked.is_empty() && masked.iter().all(|p| p.contains("****")), "{masked:?}");
    assert_eq!(last_note(), "export.table_masked");
    let o = outreach(d, &["--db", "x.db", "export", "people", "--format", "csv", "-o", "full.csv", "--full-phones"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let full = phones("full.csv");
    assert!(full.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())), "{full:?}");
    assert_eq!(last_note(), "export.table_full");
    // Venues' contacts too; a table without phones says neither.
    let o = outreach(d, &["--db", "x.db", "export", "venues", "--format", "csv", "-o", "v.csv"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let venues = std::fs::read_to_string(d.join("v.csv")).unwrap();
    let mobile = |c: &str| c.len() == 11 && c.starts_with('1') && c.chars().all(|x| x.is_ascii_digit());
    assert!(venues.contains("****") && !venues.lines().flat_map(|l| l.split(',')).any(mobile), "{venues}");
    assert_eq!(last_note(), "export.table_masked");
    assert!(outreach(d, &["--db", "x.db", "export", "units", "--format", "csv", "-o", "u.csv"]).status.success());
    assert_eq!(last_note(), "export.table");
}

#[test]
fn missing_file_is_a_clear_refusal() {
    let dir = tempfile::tempdir().unwrap();
    let o = outreach(dir.path(), &["--db", "x.db", "import", "units", "nope.csv"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("nope.csv"));
    assert!(!text(&o.stderr).contains("panicked"));
}

fn outreach_with(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_outreach"));
    c.args(args).current_dir(dir).env("OUTREACH_DATA_DIR", dir.join("data"));
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

/// With OUTREACH_PASSPHRASE set, `demo` creates an encrypted database; without it, or with a
/// wrong one, every command is refused with a clear message and the file is untouched; a
/// changed passphrase locks out the old one. The passphrase is never an argument.
#[test]
fn the_passphrase_comes_from_the_environment_and_locks_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let key = [("OUTREACH_PASSPHRASE", "齐都花园社区-2026")];
    let o = outreach_with(dir.path(), &key, &["--db", "x.db", "demo"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let raw = std::fs::read(dir.path().join("x.db")).unwrap();
    assert!(!raw.starts_with(b"SQLite format 3"), "the demo database is not encrypted");
    let o = outreach_with(dir.path(), &key, &["--db", "x.db", "passphrase", "status"]);
    assert!(text(&o.stdout).contains("已加密"));

    let o = outreach(dir.path(), &["--db", "x.db", "units", "tree"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("数据库已加密，请输入口令"), "{}", text(&o.stderr));
    let before = std::fs::read(dir.path().join("x.db")).unwrap();
    let o =
        outreach_with(dir.path(), &[("OUTREACH_PASSPHRASE", "not-the-passphrase")], &["--db", "x.db", "units", "tree"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("口令不正确"));
    assert_eq!(std::fs::read(dir.path().join("x.db")).unwrap(), before, "a wrong passphrase changed the file");

    // A too-short new passphrase is refused; a good one re-keys.
    let o = outreach_with(
        dir.path(),
        &[key[0], ("OUTREACH_NEW_PASSPHRASE", "short")],
        &["--db", "x.db", "passphrase", "change"],
    );
    assert_eq!(o.status.code(), Some(1));
    let o = outreach_with(
        dir.path(),
        &[key[0], ("OUTREACH_NEW_PASSPHRASE", "另一个口令-淄博-2027")],
        &["--db", "x.db", "passphrase", "change"],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(outreach_with(dir.path(), &key, &["--db", "x.db", "units", "tree"]).status.code(), Some(1));
    let o = outreach_with(
        dir.path(),
        &[("OUTREACH_PASSPHRASE", "另一个口令-淄博-2027")],
        &["--db", "x.db", "units", "tree"],
    );
    assert!(o.status.success() && text(&o.stdout).contains("淄博市"), "{}", text(&o.stderr));
}
