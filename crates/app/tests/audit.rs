//! Every write of the use-case layer leaves one audit entry in the same transaction: the access
//! table's action, the row it wrote, and words a person recognises — never a resident's name.
//! A refused write, or a plan held back for its warnings, leaves none.

use chrono::NaiveDate;
use outreach_app::{followups, people, units, venues};
use outreach_core::audit::{self, AuditEntry};
use outreach_core::followups::{CaseInput, Method, Outcome, Risk};
use outreach_core::people::{PersonInput, PersonRole};
use outreach_core::{demo, Store};

fn newest(s: &Store) -> AuditEntry {
    audit::list(s.conn(), 1, 0).unwrap().remove(0)
}

fn count(s: &Store) -> i64 {
    s.conn().query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).unwrap()
}

fn unit(s: &Store, name: &str) -> String {
    s.conn().query_row("SELECT id FROM units WHERE name = ?1", [name], |r| r.get(0)).unwrap()
}

fn person(name: &str, unit_id: &str) -> PersonInput {
    PersonInput {
        id: None,
        name: name.into(),
        roles: vec![PersonRole::Volunteer],
        phone: Some("13800138000".into()),
        unit_id: Some(unit_id.into()),
        team_ids: vec![],
        topic_ids: vec![],
        active: true,
        joined_on: None,
        notes: String::new(),
    }
}

#[test]
fn a_write_is_audited_with_its_action_and_row() {
    let mut s = Store::open_in_memory().unwrap();
    demo::load(&mut s).unwrap();
    let grid = unit(&s, "稷下社区");
    let p = people::save(&mut s, &person("宋志愿", &grid)).unwrap();
    let e = newest(&s);
    assert_eq!((e.action.as_str(), e.target.clone()), ("people.edit", format!("people/{}", p.id)));
    assert_eq!(e.params.get("note").map(String::as_str), Some("action.done"));
    assert_eq!(e.params.get("name").map(String::as_str), Some("宋志愿"));
    assert_eq!(e.detail, "编辑人员：宋志愿");
    assert_eq!(e.actor, "coordinator", "the identity unlocked, beside the operator's free-text name");
    // the phone is personal data: not in the log
    assert!(!format!("{e:?}").contains("13800138000"));

    people::archive(&mut s, &p.id).unwrap();
    assert_eq!(newest(&s).action, "people.archive");
    let v = outreach_core::venues::list(s.conn(), false).unwrap().remove(0);
    venues::archive(&mut s, &v.id).unwrap();
    assert_eq!(newest(&s).target, format!("venues/{}", v.id));
    assert_eq!(audit::verify(s.conn()).unwrap().first_broken, None, "the chain holds");
}

#[test]
fn a_refused_write_leaves_no_entry() {
    let mut s = Store::open_in_memory().unwrap();
    demo::load(&mut s).unwrap();
    let before = count(&s);
    let grid = unit(&s, "稷下社区");
    assert!(people::save(&mut s, &person("", &grid)).is_err());
    // a unit with active units below it is refused by the store, after the access check
    let city = outreach_core::units::tree(s.conn(), false).unwrap().remove(0).unit.id;
    assert!(units::archive(&mut s, &city).is_err());
    assert_eq!(count(&s), before, "a refused write wrote to the log");
}

/// A warned resident's case is purged when its purpose ends; the log is kept for good, so its
/// entries name the grid and the row, never the resident.
#[test]
fn a_case_entry_does_not_name_the_resident() {
    let mut s = Store::open_in_memory().unwrap();
    demo::load(&mut s).unwrap();
    let grid =
        s.conn().query_row("SELECT id FROM units WHERE kind = 'grid' LIMIT 1", [], |r| r.get::<_, String>(0)).unwrap();
    let input = CaseInput {
        id: None,
        name: "被劝阻的王阿姨".into(),
        phone: Some("13900139000".into()),
        grid_id: grid,
        worker_id: None,
        risk: Risk::High,
        warned_on: "2026-11-30".into(),
        method: Method::Phone,
        outcome: Outcome::Dissuaded,
        money_stopped: true,
        notes: String::new(),
    };
    let c = followups::save(&mut s, &input, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()).unwrap();
    let e = newest(&s);
    assert_eq!((e.action.as_str(), e.target.clone()), ("followups.save", format!("cases/{}", c.id)));
    let all = format!("{e:?}");
    assert!(!all.contains("王阿姨") && !all.contains("13900139000"), "{all}");
}

#[test]
fn registering_and_revoking_a_signer_is_audited_and_a_refusal_is_not() {
    use outreach_app::bundles;
    use outreach_core::identity::{SignerInput, SignerRole};
    let mut s = Store::open_in_memory().unwrap();
    demo::load(&mut s).unwrap();
    let mut other = Store::open_in_memory().unwrap();
    let key = bundles::identity(&mut other).unwrap();
    let input =
        SignerInput {
            key: key.public_key.clone(), label: "王队长".into(), role: SignerRole::Captain, units: vec![]
        };
    let before = count(&s);
    assert_eq!(bundles::register_signer(&mut s, &input).unwrap_err().code(), "signer.units_required");
    assert_eq!(count(&s), before, "a refused registration leaves no entry");

    let input = SignerInput { units: vec![unit(&s, "稷下社区")], ..input };
    let signer = bundles::register_signer(&mut s, &input).unwrap();
    assert_eq!(signer.fingerprint, key.fingerprint);
    let e = newest(&s);
    assert_eq!((e.action.as_str(), e.target.clone()), ("bundles.signers_edit", format!("signers/{}", key.fingerprint)));
    assert_eq!(e.detail, format!("登记或撤销签名身份：王队长（{}）", key.fingerprint));
    assert!(!format!("{e:?}").contains(&key.public_key), "the fingerprint names it; the key is not needed");

    bundles::revoke_signer(&mut s, &key.fingerprint).unwrap();
    assert_eq!(newest(&s).target, format!("signers/{}/revoked", key.fingerprint));
    assert_eq!(count(&s), before + 2);
    assert_eq!(audit::verify(s.conn()).unwrap().first_broken, None);
}
