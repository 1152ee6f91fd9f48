#![allow(dead_code)]
use outreach_core::bundles::{self, Scope};
use outreach_core::passphrase::Passphrase;
use outreach_core::units::{GridProfile, UnitInput, UnitKind};
use outreach_core::{units, Store};

/// scrypt N = 2^10 (1 MiB, a few milliseconds) instead of the real 2^18: tests only.
pub const TEST_WORK_FACTOR: u8 = 10;
pub const TEST_PASSPHRASE: &str = "稷下网格2026年春季交接";

pub fn passphrase() -> Passphrase {
    Passphrase::with_work_factor(TEST_PASSPHRASE, TEST_WORK_FACTOR)
}

/// A bundle of everything, encrypted as it must be, then opened again with the passphrase:
/// the plaintext bundle, for tests about merging.
pub fn export_all(store: &mut Store) -> Vec<u8> {
    let sealed = bundles::export_store(store, Scope::All, None, Some(&passphrase())).unwrap().0;
    bundles::open(&sealed, Some(&passphrase())).unwrap().into_owned()
}

/// `receiver` accepts `sender`'s bundles: `sender`'s key registered as a coordinator's (what
/// the coordinator does after comparing fingerprints on the phone). Once is enough.
pub fn trust(receiver: &mut Store, sender: &mut Store) {
    let me = sender.write(|tx| outreach_core::identity::own(tx)).unwrap();
    if outreach_core::identity::find(receiver.conn(), &me.public).unwrap().is_some() {
        return;
    }
    let input = outreach_core::identity::SignerInput {
        key: me.text(),
        label: format!("协调员 {}", me.fingerprint),
        role: outreach_core::identity::SignerRole::Coordinator,
        units: vec![],
    };
    receiver.write(|tx| outreach_core::identity::register(tx, &input)).unwrap();
}

pub fn grid_profile(residents: u32) -> GridProfile {
    GridProfile {
        households: residents / 3,
        residents,
        under18: residents / 5,
        age18to59: residents / 2,
        age60plus: residents / 4,
        students: residents / 6,
        elderly_alone: residents / 20,
        finance_staff: 3,
        notes: String::new(),
    }
}

pub fn add(
    store: &mut Store,
    parent: Option<&str>,
    name: &str,
    kind: UnitKind,
    profile: Option<GridProfile>,
) -> String {
    store
        .write(|tx| {
            units::save(
                tx,
                &UnitInput {
                    id: None,
                    parent_id: parent.map(str::to_string),
                    name: name.into(),
                    kind,
                    code: String::new(),
                    profile,
                },
            )
        })
        .unwrap()
        .id
}

/// A fingerprint of every table's content, to prove a refused operation changed nothing.
pub fn fingerprint(store: &Store) -> String {
    let mut out = String::new();
    for t in ["units", "people", "teams", "team_members", "venues", "topics", "settings", "audit_log"] {
        let mut st = store.conn().prepare(&format!("SELECT * FROM {t} ORDER BY 1, 2")).unwrap();
        let n = st.column_count();
        let mut rows = st.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            for i in 0..n {
                let v: rusqlite::types::Value = r.get(i).unwrap();
                out.push_str(&format!("{v:?}|"));
            }
            out.push('\n');
        }
    }
    out
}

/// A bench talk in a unit, with nothing else planned for it.
pub fn bench_talk(unit: &str, start: &str, end: &str) -> outreach_core::sessions::SessionInput {
    outreach_core::sessions::SessionInput {
        id: None,
        title: "反诈板凳会".into(),
        kind: outreach_core::sessions::SessionKind::BenchTalk,
        venue_id: None,
        unit_id: Some(unit.into()),
        start: start.into(),
        end: end.into(),
        audiences: vec![],
        topic_ids: vec![],
        people: vec![],
        materials: vec![],
        expected_audience: None,
        channel: String::new(),
        messages: None,
        notes: String::new(),
    }
}
