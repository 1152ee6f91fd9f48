//! The OS keychain, for real: these run against a Secret Service (gnome-keyring in its own
//! D-Bus session) started by `scripts/keychain-test.sh`, which sets OUTREACH_KEYCHAIN_TEST=1
//! and fails unless every one of them ran. Without the variable (a plain `cargo test` with
//! no keychain on the machine) they return at once.

use outreach_core::db::check_passphrase;
use outreach_core::{keychain, Passphrase, Store};

fn on() -> bool {
    std::env::var_os("OUTREACH_KEYCHAIN_TEST").is_some()
}

#[test]
fn remembered_secret_comes_back_for_its_database_only() {
    if !on() {
        return;
    }
    assert!(keychain::available(), "no Secret Service on this session's bus");
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.db");
    let b = dir.path().join("b.db");
    assert!(keychain::recall(&a).unwrap().is_none());
    assert!(!keychain::is_remembered(&a));

    keychain::remember(&a, None, &Passphrase::new("淄博反诈-coordinator-1")).unwrap();
    keychain::remember(&b, Some("profile-7"), &Passphrase::new("队长口令-captain-2")).unwrap();
    let ra = keychain::recall(&a).unwrap().unwrap();
    assert_eq!(ra.profile, None);
    let rb = keychain::recall(&b).unwrap().unwrap();
    assert_eq!(rb.profile.as_deref(), Some("profile-7"));
    // The Debug form never shows the secret.
    assert!(!format!("{ra:?}").contains("coordinator-1"));

    // Replacing, then forgetting one leaves the other.
    keychain::remember(&a, None, &Passphrase::new("另一个口令-coordinator-3")).unwrap();
    keychain::forget(&a).unwrap();
    assert!(keychain::recall(&a).unwrap().is_none());
    keychain::forget(&a).unwrap();
    assert!(keychain::is_remembered(&b));
    keychain::forget(&b).unwrap();
}

#[test]
fn a_remembered_secret_opens_the_database_and_a_stale_one_is_dropped() {
    if !on() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("outreach.db");
    let key = Passphrase::new("齐都花园-网格宣防-2026");
    drop(Store::open_with(&db, Some(&key)).unwrap());
    keychain::remember(&db, None, &key).unwrap();
    let got = keychain::recall(&db).unwrap().unwrap();
    check_passphrase(&db, &got.secret).unwrap();
    Store::open_with(&db, Some(&got.secret)).unwrap();

    // Changed elsewhere: what the keychain holds no longer opens the file.
    Store::open_with(&db, Some(&key)).unwrap().change_passphrase(&Passphrase::new("新口令-临淄区-宣防")).unwrap();
    let old = keychain::recall(&db).unwrap().unwrap();
    assert_eq!(check_passphrase(&db, &old.secret).unwrap_err().code(), "db.passphrase_wrong");
    assert_eq!(keychain::stale(&db).code(), "keychain.stale");
    assert!(keychain::recall(&db).unwrap().is_none());
}
