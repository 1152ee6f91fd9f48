//! Encryption at rest: a lost laptop's data folder cannot be read without the passphrase.
//! New encrypted databases, plain ones encrypted in place with a backup first, wrong
//! passphrases refused without touching the file, encrypted backups, re-keying, and a
//! property test that encrypting and decrypting gives back the same data.

mod common;

use std::path::Path;

use outreach_core::db::{file_state, rewrite_file, FileState};
use outreach_core::units::UnitKind;
use outreach_core::{backup, bundles, Passphrase, Store};
use proptest::prelude::*;
use sha2::{Digest, Sha256};

fn pass(s: &str) -> Passphrase {
    Passphrase::new(s)
}

fn file_hash(p: &Path) -> String {
    hex::encode(Sha256::digest(std::fs::read(p).unwrap()))
}

fn contains(p: &Path, needle: &str) -> bool {
    let bytes = std::fs::read(p).unwrap();
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn a_new_encrypted_database_reads_only_with_its_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outreach.db");
    {
        let mut s = Store::open_with(&path, Some(&pass("齐都花园-2026!"))).unwrap();
        common::add(&mut s, None, "淄博市秘密单位", UnitKind::City, None);
        s.conn().execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    }
    assert_eq!(file_state(&path).unwrap(), FileState::Encrypted);
    assert!(!contains(&path, "淄博市秘密单位"), "unit name readable in the encrypted file");
    assert!(!contains(&path, "SQLite format 3"));

    let before = file_hash(&path);
    let e = Store::open(&path).err().expect("opened without a passphrase");
    assert_eq!(e.code(), "db.passphrase_required");
    let e = Store::open_with(&path, Some(&pass("wrong-passphrase-1"))).err().expect("opened with a wrong passphrase");
    assert_eq!(e.code(), "db.passphrase_wrong");
    assert!(e.issues()[0].message.contains("口令不正确"));
    assert_eq!(file_hash(&path), before, "a wrong passphrase changed the file");

    let s = Store::open_with(&path, Some(&pass("齐都花园-2026!"))).unwrap();
    let n: i64 =
        s.conn().query_row("SELECT count(*) FROM units WHERE name = '淄博市秘密单位'", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 1);
}

#[test]
fn a_plain_database_is_encrypted_in_place_with_its_backups() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outreach.db");
    let before = {
        let mut s = Store::open(&path).unwrap();
        common::add(&mut s, None, "明文单位", UnitKind::City, None);
        backup::create(&s, "manual").unwrap();
        bundles::fingerprint(s.conn()).unwrap()
    };
    assert_eq!(file_state(&path).unwrap(), FileState::Plain);
    let key = pass("换成密文-2026-淄博");
    let s = Store::open_with(&path, Some(&key)).unwrap();
    assert_eq!(bundles::fingerprint(s.conn()).unwrap(), before, "encrypting changed the data");
    assert_eq!(file_state(&path).unwrap(), FileState::Encrypted);
    let list = backup::list(&s).unwrap();
    assert!(list.iter().any(|b| b.reason == "pre-encrypt"), "no backup taken before encrypting: {list:?}");
    for b in &list {
        let p = outreach_core::paths::backups_dir(&path).join(&b.file_name);
        assert_eq!(file_state(&p).unwrap(), FileState::Encrypted, "{} left plain", b.file_name);
        assert!(!contains(&p, "明文单位"));
    }
    // A backup of the encrypted store is encrypted and restores.
    let b = backup::create(&s, "manual").unwrap();
    let p = outreach_core::paths::backups_dir(&path).join(&b.file_name);
    assert_eq!(file_state(&p).unwrap(), FileState::Encrypted);
    drop(s);
    let mut s = Store::open_with(&path, Some(&key)).unwrap();
    backup::restore(&mut s, &b.file_name).unwrap();
    assert_eq!(bundles::fingerprint(s.conn()).unwrap().get("units"), before.get("units"));
}

#[test]
fn changing_the_passphrase_rewraps_the_key_and_leaves_the_files_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outreach.db");
    let (old, new) = (pass("第一个口令-abc123"), pass("第二个口令-xyz789"));
    let mut s = Store::open_with(&path, Some(&old)).unwrap();
    common::add(&mut s, None, "城市", UnitKind::City, None);
    let b = backup::create(&s, "manual").unwrap();
    let backup_file = outreach_core::paths::backups_dir(&path).join(&b.file_name);
    let backup_before = file_hash(&backup_file);
    let data = outreach_core::keyfile::data_key(&path, &old).unwrap();
    let started = std::time::Instant::now();
    s.change_passphrase(&new).unwrap();
    eprintln!("passphrase changed in {:?} (a re-wrap: one Argon2id)", started.elapsed());
    let n: i64 = s.conn().query_row("SELECT count(*) FROM units", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 1, "the store goes on working");
    drop(s);
    assert_eq!(file_hash(&backup_file), backup_before, "a change of passphrase rewrote a backup");
    assert_eq!(Store::open_with(&path, Some(&old)).err().unwrap().code(), "db.passphrase_wrong");
    // The same data key under the new wrap: it still opens the backup made before the change.
    let unwrapped = outreach_core::keyfile::data_key(&path, &new).unwrap();
    let copy = dir.path().join("probe-data.db");
    std::fs::copy(&backup_file, &copy).unwrap();
    assert!(outreach_core::db::check_passphrase(&copy, &unwrapped).is_ok());
    assert!(outreach_core::db::check_passphrase(&copy, &data).is_ok());
    std::fs::remove_file(&copy).unwrap();
    let s = Store::open_with(&path, Some(&new)).unwrap();
    assert_eq!(backup::list(&s).unwrap().len(), 1);
    // The passphrase is not the files' key: neither the old nor the new one opens a copy of
    // the database or a backup without the key file.
    for f in [&path, &backup_file] {
        let copy = dir.path().join("probe.db");
        std::fs::copy(f, &copy).unwrap();
        for p in [&old, &new] {
            assert_eq!(outreach_core::db::check_passphrase(&copy, p).unwrap_err().code(), "db.passphrase_wrong");
        }
        std::fs::remove_file(&copy).unwrap();
    }
}

#[test]
fn a_database_from_before_data_keys_moves_to_one_with_its_backups() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outreach.db");
    let legacy = pass("旧版口令-即数据库密钥-2025");
    let before = {
        let mut s = Store::open(&path).unwrap();
        common::add(&mut s, None, "旧版单位", UnitKind::City, None);
        backup::create(&s, "manual").unwrap();
        bundles::fingerprint(s.conn()).unwrap()
    };
    // As the earlier version kept them: the file and its backup keyed by the passphrase itself.
    outreach_core::db::encrypt_file(&path, &legacy).unwrap();
    let b = outreach_core::paths::backups_dir(&path);
    // (Each backup has a header beside it, `<backup>.json`: not a database.)
    let backups = || {
        std::fs::read_dir(&b).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "db"))
    };
    for f in backups() {
        outreach_core::db::encrypt_file(&f, &legacy).unwrap();
    }
    let s = Store::open_with(&path, Some(&legacy)).unwrap();
    assert_eq!(bundles::fingerprint(s.conn()).unwrap(), before);
    drop(s);
    assert!(outreach_core::keyfile::exists(&path));
    let data = outreach_core::keyfile::data_key(&path, &legacy).unwrap();
    for f in std::iter::once(path.clone()).chain(backups()) {
        let copy = dir.path().join("probe.db");
        std::fs::copy(&f, &copy).unwrap();
        assert!(outreach_core::db::check_passphrase(&copy, &data).is_ok(), "{f:?} is not on the data key");
        assert!(outreach_core::db::check_passphrase(&copy, &legacy).is_err(), "{f:?} still opens with the passphrase");
        std::fs::remove_file(&copy).unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, .. ProptestConfig::default() })]

    /// Encrypting a database and decrypting it again gives back exactly the same data.
    #[test]
    fn encrypt_then_decrypt_gives_back_the_same_database(names in proptest::collection::vec("[a-z\\u{4e00}-\\u{4e50}]{1,12}", 1..12), key in "[ -~]{10,40}") {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outreach.db");
        let before = {
            let mut s = Store::open(&path).unwrap();
            let city = common::add(&mut s, None, "城市", UnitKind::City, None);
            for (i, n) in names.iter().enumerate() {
                common::add(&mut s, Some(&city), &format!("{n}{i}"), UnitKind::District, None);
            }
            bundles::fingerprint(s.conn()).unwrap()
        };
        let key = pass(&key);
        outreach_core::db::encrypt_file(&path, &key).unwrap();
        prop_assert_eq!(file_state(&path).unwrap(), FileState::Encrypted);
        {
            let s = Store::open_with(&path, Some(&key)).unwrap();
            prop_assert_eq!(&bundles::fingerprint(s.conn()).unwrap(), &before);
        }
        // Opening moved it to a data key; that key turns it back into a plain file.
        let data = outreach_core::keyfile::data_key(&path, &key).unwrap();
        rewrite_file(&path, Some(&data), None).unwrap();
        prop_assert_eq!(file_state(&path).unwrap(), FileState::Plain);
        let s = Store::open(&path).unwrap();
        prop_assert_eq!(&bundles::fingerprint(s.conn()).unwrap(), &before);
    }
}

#[test]
fn failed_unlocks_are_slowed_down_and_reach_the_audit_log() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outreach.db");
    let right = pass("正确口令-Right-2026");
    drop(Store::open_with(&path, Some(&right)).unwrap());
    for _ in 0..5 {
        assert_eq!(
            Store::open_with(&path, Some(&pass("错误口令-Wrong-2026"))).err().unwrap().code(),
            "db.passphrase_wrong"
        );
    }
    // The sixth try is refused before any key derivation, even with the right passphrase.
    let e = Store::open_with(&path, Some(&right)).err().unwrap();
    assert_eq!(e.code(), "db.unlock_throttled");
    assert!(e.issues()[0].message.contains("秒后再试"));
    // The wait passes (the log's last failure moved back in time, as a clock would).
    let log = dir.path().join("outreach.db.unlocks");
    let text = std::fs::read_to_string(&log).unwrap();
    let earlier = text.replace(&chrono::Local::now().format("%Y-%m-%d").to_string(), "2000-01-01");
    std::fs::write(&log, earlier).unwrap();
    let s = Store::open_with(&path, Some(&right)).unwrap();
    let entries = outreach_core::audit::list(s.conn(), 10, 0).unwrap();
    let failed = entries.iter().find(|e| e.action == "unlock").expect("no audit entry for the failed unlocks");
    assert!(failed.detail.contains("解锁失败 5 次"), "{}", failed.detail);
    assert!(!log.exists() || std::fs::read_to_string(&log).unwrap().contains("[]"));
}
