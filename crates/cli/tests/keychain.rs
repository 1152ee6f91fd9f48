//! `outreach passphrase remember|forget` against a real Secret Service. Run by
//! `scripts/keychain-test.sh` (which sets OUTREACH_KEYCHAIN_TEST=1 inside a D-Bus session
//! with gnome-keyring); without the variable it returns at once.

use std::path::Path;
use std::process::{Command, Output};

fn outreach(dir: &Path, db: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_outreach"));
    c.current_dir(dir)
        .env("OUTREACH_DATA_DIR", dir.join("data"))
        .env_remove("OUTREACH_PASSPHRASE")
        .env_remove("OUTREACH_NEW_PASSPHRASE");
    c.arg("--db").arg(db).args(args).envs(env.iter().copied());
    c.output().unwrap()
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn refused(o: &Output) -> String {
    assert!(!o.status.success(), "expected a refusal: {}", String::from_utf8_lossy(&o.stdout));
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn remembered_passphrase_opens_without_variable_follows_a_change_and_can_be_forgotten() {
    if std::env::var_os("OUTREACH_KEYCHAIN_TEST").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    const P1: &str = "临淄区-反诈宣防-2026";
    const P2: &str = "齐都花园-网格-秋季";
    ok(&outreach(d, "a.db", &["demo"], &[("OUTREACH_PASSPHRASE", P1)]));
    // Not remembered yet: no variable, no terminal, no passphrase.
    refused(&outreach(d, "a.db", &["units", "tree"], &[]));

    // A wrong passphrase is never remembered: the store does not open with it.
    refused(&outreach(d, "a.db", &["passphrase", "remember"], &[("OUTREACH_PASSPHRASE", "不对的口令-wrong-1")]));
    refused(&outreach(d, "a.db", &["units", "tree"], &[]));

    assert!(ok(&outreach(d, "a.db", &["passphrase", "remember"], &[("OUTREACH_PASSPHRASE", P1)])).contains("钥匙串"));
    assert!(ok(&outreach(d, "a.db", &["units", "tree"], &[])).contains("临淄区"));
    assert!(ok(&outreach(d, "a.db", &["passphrase", "status"], &[])).contains("口令已保存在系统钥匙串中"));

    // The keychain keeps the data key, not the passphrase: a change asks the current passphrase
    // (the keychain alone does not re-wrap the key), and what is kept still opens afterwards.
    let e = refused(&outreach(d, "a.db", &["passphrase", "change"], &[("OUTREACH_NEW_PASSPHRASE", P2)]));
    assert!(e.contains("请输入口令"), "{e}");
    assert!(ok(&outreach(
        d,
        "a.db",
        &["passphrase", "change"],
        &[("OUTREACH_NEW_PASSPHRASE", P2), ("OUTREACH_PASSPHRASE", P1)]
    ))
    .contains("重新封装"));
    assert!(ok(&outreach(d, "a.db", &["units", "tree"], &[])).contains("临淄区"));
    refused(&outreach(d, "a.db", &["units", "tree"], &[("OUTREACH_PASSPHRASE", P1)]));
    ok(&outreach(d, "a.db", &["units", "tree"], &[("OUTREACH_PASSPHRASE", P2)]));
    // The passphrase is back to P1 for what follows.
    ok(&outreach(
        d,
        "a.db",
        &["passphrase", "change"],
        &[("OUTREACH_NEW_PASSPHRASE", P1), ("OUTREACH_PASSPHRASE", P2)],
    ));

    // Another database file beside it is not opened by this one's entry.
    ok(&outreach(d, "b.db", &["demo"], &[("OUTREACH_PASSPHRASE", P1)]));
    refused(&outreach(d, "b.db", &["units", "tree"], &[]));

    // The file replaced by another database (with its key file, which travels with it): the
    // entry is stale, said once and dropped.
    for ext in ["db", "db-wal", "db-shm", "db.key"] {
        let _ = std::fs::remove_file(d.join(format!("a.{ext}")));
    }
    ok(&outreach(d, "b.db", &["units", "tree"], &[("OUTREACH_PASSPHRASE", P1)]));
    std::fs::copy(d.join("b.db"), d.join("a.db")).unwrap();
    std::fs::copy(d.join("b.db.key"), d.join("a.db.key")).unwrap();
    assert!(refused(&outreach(d, "a.db", &["units", "tree"], &[])).contains("钥匙串中保存的口令已失效"));
    let second = refused(&outreach(d, "a.db", &["units", "tree"], &[]));
    assert!(!second.contains("钥匙串"), "{second}");

    ok(&outreach(d, "a.db", &["passphrase", "remember"], &[("OUTREACH_PASSPHRASE", P1)]));
    assert!(ok(&outreach(d, "a.db", &["passphrase", "forget"], &[])).contains("已无本数据库的口令"));
    refused(&outreach(d, "a.db", &["units", "tree"], &[]));
}
