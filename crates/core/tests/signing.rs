//! Signed bundles: the signature and its signer are checked before the body is read; a
//! database accepts its own bundles and those of the signers it registered, and refuses
//! unknown, revoked and forged ones, and unsigned (format 1) files, changing nothing.

mod common;

use base64::Engine;
use outreach_core::bundles::{self, Body, Header, Scope, Sender};
use outreach_core::identity::{self, SignerInput, SignerRole, SigningKey};
use outreach_core::units::UnitKind;
use outreach_core::Store;
use sha2::{Digest, Sha256};

/// A database with a city and two grids.
fn database() -> (Store, String, String) {
    let mut s = Store::open_in_memory().unwrap();
    let city = common::add(&mut s, None, "淄博市", UnitKind::City, None);
    let g1 = common::add(&mut s, Some(&city), "稷下第一网格", UnitKind::Grid, Some(common::grid_profile(500)));
    let g2 = common::add(&mut s, Some(&city), "稷下第二网格", UnitKind::Grid, Some(common::grid_profile(300)));
    (s, g1, g2)
}

fn key(n: u8) -> SigningKey {
    SigningKey::from_bytes(&[n; 32])
}

fn key_text(k: &SigningKey) -> String {
    identity::public_text(&k.verifying_key().to_bytes())
}

fn fp(k: &SigningKey) -> String {
    identity::fingerprint(&k.verifying_key().to_bytes())
}

fn register(s: &mut Store, k: &SigningKey, label: &str, role: SignerRole, units: &[&str]) -> outreach_core::Result<()> {
    let input = SignerInput {
        key: key_text(k),
        label: label.into(),
        role,
        units: units.iter().map(|u| u.to_string()).collect(),
    };
    s.write(|tx| identity::register(tx, &input)).map(|_| ())
}

/// The coordinator's database as a bundle body (the rows a captain would send back).
fn body_of(s: &mut Store) -> Body {
    let plain = common::export_all(s);
    bundles::parse(s.conn(), &plain).unwrap().body
}

/// A body that `parse` refuses once it reads it (a table that is not synced).
fn unreadable_body() -> Body {
    let mut row = serde_json::Map::new();
    row.insert("id".into(), "x".into());
    Body {
        items: vec![bundles::Item {
            t: "identity".into(),
            id: "x".into(),
            hash: String::new(),
            known: vec![],
            row,
            children: Default::default(),
        }],
        files: Default::default(),
    }
}

fn split(bytes: &[u8]) -> (Header, Vec<u8>) {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let mut parts = text.splitn(3, '\n');
    assert_eq!(parts.next(), Some(bundles::MAGIC));
    let header: Header = serde_json::from_str(parts.next().unwrap()).unwrap();
    (header, parts.next().unwrap().as_bytes().to_vec())
}

fn join(header: &Header, body: &[u8]) -> Vec<u8> {
    let mut out = format!("{}\n", bundles::MAGIC).into_bytes();
    out.extend(serde_json::to_vec(header).unwrap());
    out.push(b'\n');
    out.extend(body);
    out
}

/// The checksum as the exporter computes it (header without checksum and signature, body).
fn checksum(header: &Header, body: &[u8]) -> String {
    let mut h = header.clone();
    h.sha256 = String::new();
    h.signature = String::new();
    let mut hasher = Sha256::new();
    hasher.update(serde_json::to_vec(&h).unwrap());
    hasher.update(b"\n");
    hasher.update(body);
    hex::encode(hasher.finalize())
}

#[test]
fn an_unknown_signer_is_refused_before_the_body_is_read() {
    let (mut coord, _, _) = database();
    let (mut other, _, _) = database();
    let body = body_of(&mut other);
    let stranger = key(1);
    let bytes = bundles::pack_signed(&body, "陌生人", "all", None, &stranger, None).unwrap();
    let before = bundles::fingerprint(coord.conn()).unwrap();
    let audit_before = outreach_core::audit::list(coord.conn(), 1000, 0).unwrap().len();
    for dry_run in [true, false] {
        let e = bundles::import(&mut coord, &bytes, dry_run).unwrap_err();
        assert_eq!(e.code(), "bundle.signer_unknown");
        assert!(e.to_string().contains(&fp(&stranger)), "the message names the fingerprint: {e}");
    }
    // A body that would be refused once read is not read: the signer is refused first.
    let junk = bundles::pack_signed(&unreadable_body(), "陌生人", "all", None, &stranger, None).unwrap();
    assert_eq!(bundles::import(&mut coord, &junk, false).unwrap_err().code(), "bundle.signer_unknown");
    assert_eq!(bundles::fingerprint(coord.conn()).unwrap(), before);
    assert_eq!(outreach_core::audit::list(coord.conn(), 1000, 0).unwrap().len(), audit_before);

    // Registered after comparing the fingerprint, the same file imports.
    register(&mut coord, &stranger, "另一位协调员", SignerRole::Coordinator, &[]).unwrap();
    assert_eq!(bundles::import(&mut coord, &junk, false).unwrap_err().code(), "bundle.schema");
    let s = bundles::import(&mut coord, &bytes, false).unwrap();
    assert_eq!(s.added, 3);
    assert_eq!((s.signer_fingerprint.as_str(), s.signer_label.as_str()), (fp(&stranger).as_str(), "另一位协调员"));
}

#[test]
fn a_revoked_signer_is_refused_and_still_listed() {
    let (mut coord, g1, _) = database();
    let cap = key(2);
    register(&mut coord, &cap, "王队长", SignerRole::Captain, &[&g1]).unwrap();
    let body = body_of(&mut coord);
    let bytes = bundles::pack_signed(&body, "王队长", "all", None, &cap, None).unwrap();
    bundles::import(&mut coord, &bytes, true).unwrap();

    let revoked = coord.write(|tx| identity::revoke(tx, &fp(&cap).to_lowercase())).unwrap();
    assert!(revoked.revoked_at.is_some());
    let before = bundles::fingerprint(coord.conn()).unwrap();
    let e = bundles::import(&mut coord, &bytes, false).unwrap_err();
    assert_eq!(e.code(), "bundle.signer_revoked");
    let msg = e.to_string();
    assert!(msg.contains("王队长") && msg.contains(&fp(&cap)), "{msg}");
    assert_eq!(bundles::fingerprint(coord.conn()).unwrap(), before);

    let list = identity::list(coord.conn()).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!((list[0].label.as_str(), list[0].unit_names.clone()), ("王队长", vec!["稷下第一网格".to_string()]));
    assert_eq!(list[0].revoked_at, revoked.revoked_at);
    // Revoking again keeps the first date; an unknown fingerprint is said so.
    let again = coord.write(|tx| identity::revoke(tx, &fp(&cap))).unwrap();
    assert_eq!(again.revoked_at, revoked.revoked_at);
    let e = coord.write(|tx| identity::revoke(tx, "AAAA-BBBB-CCCC-DDDD")).unwrap_err();
    assert_eq!(e.code(), "signer.not_found");
}

#[test]
fn a_body_changed_after_signing_is_refused() {
    let (mut coord, _, _) = database();
    let cap = key(3);
    register(&mut coord, &cap, "李队长", SignerRole::Coordinator, &[]).unwrap();
    let (mut other, _, _) = database();
    let bytes = bundles::pack_signed(&body_of(&mut other), "李队长", "all", None, &cap, None).unwrap();
    let (header, body) = split(&bytes);
    let before = bundles::fingerprint(coord.conn()).unwrap();

    // Another grid name, with the checksum made to fit: only the signature can tell.
    let text = String::from_utf8(body).unwrap().replacen("稷下第二网格", "稷下第三网格", 1);
    let mut forged = header.clone();
    forged.sha256 = checksum(&forged, text.as_bytes());
    assert_ne!(forged.sha256, header.sha256);
    let e = bundles::import(&mut coord, &join(&forged, text.as_bytes()), false).unwrap_err();
    assert_eq!(e.code(), "bundle.tampered");

    // Signed by a stranger, but naming the registered key as its signer.
    let stranger = key(4);
    let mut claimed =
        split(&bundles::pack_signed(&body_of(&mut other), "李队长", "all", None, &stranger, None).unwrap());
    claimed.0.signer = key_text(&cap);
    claimed.0.sha256 = checksum(&claimed.0, &claimed.1);
    let e = bundles::import(&mut coord, &join(&claimed.0, &claimed.1), false).unwrap_err();
    assert_eq!(e.code(), "bundle.tampered");

    // And the signature of one header put on another (the audit head changed).
    let mut moved = header.clone();
    moved.audit_head = Some("0".repeat(64));
    moved.sha256 = checksum(&moved, &split(&bytes).1);
    let e = bundles::import(&mut coord, &join(&moved, &split(&bytes).1), false).unwrap_err();
    assert_eq!(e.code(), "bundle.tampered");
    assert_eq!(bundles::fingerprint(coord.conn()).unwrap(), before);
    // The untouched file imports.
    bundles::import(&mut coord, &bytes, false).unwrap();
}

#[test]
fn a_database_accepts_its_own_bundles_and_signs_with_one_key() {
    let (mut coord, _, _) = database();
    let me = coord.write(|tx| identity::own(tx)).unwrap();
    assert_eq!(coord.write(|tx| identity::own(tx)).unwrap(), me, "made once, then read");
    assert_eq!(identity::own_if_made(coord.conn()).unwrap(), Some(me.clone()));
    assert_eq!(identity::parse_public(&me.text()).unwrap(), me.public);
    common::export_all(&mut coord);
    let head = outreach_core::audit::head(coord.conn()).unwrap();
    assert!(head.is_some(), "an export is audited");
    let bytes = common::export_all(&mut coord);
    let (header, _) = split(&bytes);
    assert_eq!(header.version, bundles::FORMAT_VERSION);
    assert_eq!(header.signer, me.text());
    assert_eq!(header.audit_head, head, "the sender's audit head when it exported");
    let s = bundles::import(&mut coord, &bytes, false).unwrap();
    assert_eq!((s.added, s.updated, s.conflicts), (0, 0, 0));
    assert_eq!((s.signer_fingerprint, s.signer_label), (me.fingerprint.clone(), String::new()));
    let bundle = bundles::parse(coord.conn(), &bytes).unwrap();
    assert!(matches!(bundles::sender_of(coord.conn(), &bundle).unwrap(), Sender::Coordinator));

    // The private key is in no bundle, whatever the scope.
    let secret: Vec<u8> = coord.conn().query_row("SELECT secret FROM identity", [], |r| r.get(0)).unwrap();
    let reference = bundles::export_store(&mut coord, Scope::Reference, None, None).unwrap().0;
    for b in [&bytes, &reference] {
        let text = String::from_utf8_lossy(b);
        assert!(!text.contains(&base64::engine::general_purpose::STANDARD.encode(&secret)));
        assert!(!text.contains(&hex::encode(&secret)));
        assert!(!b.windows(32).any(|w| w == secret.as_slice()));
        assert!(!text.contains("\"t\":\"identity\"") && !text.contains("\"t\":\"signers\""));
    }
}

#[test]
fn a_registered_captain_is_accepted_and_sent_for_its_units() {
    let (mut coord, g1, g2) = database();
    let cap = key(5);
    // An empty hand-over: what it may carry is the scope check's (tests/bundle_trust.rs).
    let bytes = bundles::pack_signed(&Body::default(), "赵队长", "all", Some("2026-01-01"), &cap, None).unwrap();
    register(&mut coord, &cap, "赵队长", SignerRole::Captain, &[&g1, &g2, &g1]).unwrap();
    let bundle = bundles::parse(coord.conn(), &bytes).unwrap();
    match bundles::sender_of(coord.conn(), &bundle).unwrap() {
        Sender::Captain { units } => assert_eq!(units, vec![g1.clone(), g2.clone()]),
        Sender::Coordinator => panic!("a captain's bundle taken as the coordinator's"),
    }
    let s = bundles::import(&mut coord, &bytes, false).unwrap();
    assert_eq!(s.signer_label, "赵队长");
    assert_eq!(s.signer_fingerprint, fp(&cap));
}

#[test]
fn an_unsigned_bundle_of_format_one_is_refused() {
    let (mut coord, _, _) = database();
    let bytes = bundles::pack_signed(&Body::default(), "旧版本", "all", None, &key(6), None).unwrap();
    let (_, body) = split(&bytes);
    let old = format!(
        "{}\n{{\"format\":\"outreach-bundle\",\"version\":1,\"schema\":{},\"createdAt\":\"2026-01-01T00:00:00.000Z\",\"origin\":\"旧版本\",\"scope\":\"all\",\"since\":null,\"entities\":0,\"bodyBytes\":{},\"sha256\":\"00\"}}\n",
        bundles::MAGIC,
        outreach_core::db::latest_version(),
        body.len()
    );
    let mut old = old.into_bytes();
    old.extend(&body);
    let e = bundles::import(&mut coord, &old, true).unwrap_err();
    assert_eq!(e.code(), "bundle.unsigned");
}

#[test]
fn registering_checks_the_key_the_label_and_a_captains_units() {
    let (mut coord, g1, _) = database();
    let code = |r: outreach_core::Result<()>| r.unwrap_err().code().to_string();
    let input =
        |key: &str, role, units: Vec<String>| SignerInput { key: key.into(), label: "队长".into(), role, units };
    for bad in ["", "ed25519:", "ed25519:AAAA", "ssh-ed25519 AAAAC3Nza"] {
        let i = input(bad, SignerRole::Coordinator, vec![]);
        assert_eq!(code(coord.write(|tx| identity::register(tx, &i)).map(|_| ())), "signer.key_invalid");
    }
    let k = key(7);
    assert_eq!(code(register(&mut coord, &k, "队长", SignerRole::Captain, &[])), "signer.units_required");
    assert_eq!(code(register(&mut coord, &k, "队长", SignerRole::Captain, &["nope"])), "not_found");
    assert_eq!(code(register(&mut coord, &k, "  ", SignerRole::Coordinator, &[])), "validation.required");
    let me = coord.write(|tx| identity::own(tx)).unwrap();
    let own = input(&me.text(), SignerRole::Coordinator, vec![]);
    assert_eq!(code(coord.write(|tx| identity::register(tx, &own)).map(|_| ())), "signer.own");
    // Pasted with a line break and spaces: the same key.
    let pasted = input(&format!("  {}\r\n", key_text(&k)), SignerRole::Captain, vec![g1.clone()]);
    let s = coord.write(|tx| identity::register(tx, &pasted)).unwrap();
    assert_eq!((s.fingerprint.clone(), s.public_key.clone(), s.role), (fp(&k), key_text(&k), SignerRole::Captain));
    let e = register(&mut coord, &k, "别名", SignerRole::Coordinator, &[]).unwrap_err();
    assert_eq!(e.code(), "signer.duplicate");
    assert!(e.to_string().contains("队长"), "{e}");
    assert_eq!(identity::list(coord.conn()).unwrap().len(), 1);
}
