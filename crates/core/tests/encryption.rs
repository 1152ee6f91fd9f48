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
fn changing_the_passphrase_rekeys_the_database_and_every_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outreach.db");
    let (old, new) = (pass("第一个口令-abc123"), pass("第二个口令-xyz789"));
    let mut s = Store::open_with(&path, Some(&old)).unwrap();
    common::add(&mut s, None, "城市", UnitKind::City, None);
    backup::create(&s, "manual").unwrap();
    s.change_passphrase(&new).unwrap();
    let n: i64 = s.conn().query_row("SELECT count(*) FROM units", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 1, "the store works on the new key");
    drop(s);
    assert_eq!(Store::open_with(&path, Some(&old)).err().unwrap().code(), "db.passphrase_wrong");
    let s = Store::open_with(&path, Some(&new)).unwrap();
    for b in backup::list(&s).unwrap() {
        let p = outreach_core::paths::backups_dir(&path).join(&b.file_name);
        let copy = dir.path().join("probe.db");
        std::fs::copy(&p, &copy).unwrap();
        assert!(Store::open_with(&copy, Some(&old)).is_err(), "{} still opens with the old passphrase", b.file_name);
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
        rewrite_file(&path, Some(&key), None).unwrap();
        prop_assert_eq!(file_state(&path).unwrap(), FileState::Plain);
        let s = Store::open(&path).unwrap();
        prop_assert_eq!(&bundles::fingerprint(s.conn()).unwrap(), &before);
    }
}
