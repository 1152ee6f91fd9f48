//! `outreach bundle import` of crafted but well-formed bundles (re-packed with a correct
//! checksum and signed by a key the database registered): refused with exit 1, the message
//! naming the entity and the field, nothing changed; and a registered captain's bundle that
//! reaches outside their grids, refused the same way.

use std::path::Path;
use std::process::{Command, Output};

use outreach_core::bundles::{self, Body, Scope};
use outreach_core::Store;
use serde_json::{json, Value};

fn outreach(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_outreach"))
        .args(args)
        .current_dir(dir)
        .env("OUTREACH_DATA_DIR", dir.join("data"))
        .env_remove("OUTREACH_PASSPHRASE")
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The demo database's bundle of everything with `edit` applied to one row of `table`, every
/// hash recomputed and re-packed.
fn craft(db: &Path, table: &str, edit: impl Fn(&mut serde_json::Map<String, Value>, &Store)) -> Vec<u8> {
    let mut store = Store::open(db).unwrap();
    let bytes = store.write(|tx| bundles::export(tx, Scope::All, None, "队长", None)).unwrap().0;
    let mut body: Body = bundles::parse(store.conn(), &bytes).unwrap().body;
    let item = body.items.iter_mut().find(|i| i.t == table).unwrap_or_else(|| panic!("no {table} in the demo"));
    edit(&mut item.row, &store);
    for item in &mut body.items {
        item.hash = bundles::version(&item.row, &item.children);
    }
    pack(&body)
}

/// The key of the laptop the crafted bundles come from.
fn forger() -> outreach_core::identity::SigningKey {
    outreach_core::identity::SigningKey::from_bytes(&[9u8; 32])
}

fn pack(body: &Body) -> Vec<u8> {
    bundles::pack_signed(body, "队长", "all", None, &forger(), None).unwrap()
}

/// Registers the forger's key through the CLI, as the coordinator registers a laptop.
fn register(dir: &Path, role: &str, units: &[&str]) {
    let key = outreach_core::identity::public_text(&forger().verifying_key().to_bytes());
    let mut args = vec!["--db", "x.db", "signer", "add", "--key", &key, "--label", "队长的笔记本", "--role", role];
    for u in units {
        args.extend(["--unit", u]);
    }
    let o = outreach(dir, &args);
    assert!(o.status.success(), "{}", text(&o.stderr));
}

fn fingerprint(db: &Path) -> std::collections::BTreeMap<String, String> {
    bundles::fingerprint(Store::open(db).unwrap().conn()).unwrap()
}

/// Imports `bytes` through the CLI: refused with exit 1, the message containing every word of
/// `words`, the database unchanged, and the CLI answering at once afterwards.
fn refused(dir: &Path, bytes: &[u8], words: &[&str]) {
    let db = dir.join("x.db");
    std::fs::write(dir.join("crafted.outreach"), bytes).unwrap();
    let before = fingerprint(&db);
    let o = outreach(dir, &["--db", "x.db", "bundle", "import", "crafted.outreach"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    for w in words {
        assert!(err.contains(w), "{w} not in: {err}");
    }
    assert!(err.contains("未导入任何数据"), "{err}");
    assert_eq!(fingerprint(&db), before, "a refused bundle changes nothing");
    let t = std::time::Instant::now();
    let o = outreach(dir, &["--db", "x.db", "units", "tree"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(t.elapsed() < std::time::Duration::from_secs(10));
}

#[test]
fn crafted_bundles_are_refused_by_the_cli_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let o = outreach(dir.path(), &["--db", "x.db", "demo"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let db = dir.path().join("x.db");
    register(dir.path(), "coordinator", &[]);

    // A malformed time.
    let b = craft(&db, "sessions", |row, _| {
        row.insert("starts_at".into(), json!("2026-13-45T99:99"));
    });
    refused(dir.path(), &b, &["活动", "开始时间", "格式不正确"]);

    // A unit moved under its own grid.
    let b = craft(&db, "units", |row, store| {
        let id = row["id"].as_str().unwrap().to_string();
        let below: String = store
            .conn()
            .query_row(
                "WITH RECURSIVE d(id) AS (SELECT id FROM units WHERE parent_id = ?1 UNION ALL SELECT u.id FROM units u JOIN d ON u.parent_id = d.id)
                 SELECT id FROM d LIMIT 1",
                [&id],
                |r| r.get(0),
            )
            .unwrap();
        row.insert("parent_id".into(), json!(below));
    });
    refused(dir.path(), &b, &["单位", "上级单位", "循环"]);

    // A photo whose name is a path, added to a recorded session.
    let b = craft(&db, "records", |_, _| {});
    let mut body = bundles::parse(Store::open(&db).unwrap().conn(), &b).unwrap().body;
    let record = body.items.iter().find(|i| i.t == "records").unwrap().id.clone();
    let mut row = serde_json::Map::new();
    for (k, v) in [
        ("id", json!("01900000-0000-7000-8000-0000000000ph")),
        ("record_id", json!(record)),
        ("sha256", json!("../../etc/passwd")),
        ("ext", json!("jpg")),
        ("width", json!(16)),
        ("height", json!(12)),
        ("bytes", json!(100)),
        ("thumb", json!("data:image/jpeg;base64,")),
        ("caption", json!("")),
        ("removed_at", Value::Null),
        ("created_at", json!("2026-03-08T10:00:00.000Z")),
        ("updated_at", json!("2026-03-08T10:00:00.000Z")),
    ] {
        row.insert(k.into(), v);
    }
    let mut photo = bundles::Item {
        t: "photos".into(),
        id: "01900000-0000-7000-8000-0000000000ph".into(),
        hash: String::new(),
        known: vec![],
        row,
        children: Default::default(),
    };
    photo.hash = bundles::version(&photo.row, &photo.children);
    body.items.push(photo);
    refused(dir.path(), &pack(&body), &["照片", "照片文件", "不是有效的照片文件名"]);

    let b = craft(&db, "people", |row, _| {
        row.insert("name".into(), json!("长".repeat(200)));
    });
    refused(dir.path(), &b, &["人员", "名称", "过长"]);
}

/// The coordinator's reference data for one captain: their grid, the units above it, nothing
/// of the other grids' people; phones masked unless asked for in full, which needs a passphrase.
#[test]
fn a_reference_bundle_for_one_grid() {
    let dir = tempfile::tempdir().unwrap();
    assert!(outreach(dir.path(), &["--db", "x.db", "demo"]).status.success());
    let args =
        ["--db", "x.db", "bundle", "export", "--scope", "reference", "--unit", "稷下第一网格", "-o", "ref.outreach"];
    let o = outreach(dir.path(), &args);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let db = dir.path().join("x.db");
    let body =
        bundles::parse(Store::open(&db).unwrap().conn(), &std::fs::read(dir.path().join("ref.outreach")).unwrap())
            .unwrap()
            .body;
    let count = |t: &str| body.items.iter().filter(|i| i.t == t).count();
    let total_units: i64 = Store::open(&dir.path().join("x.db"))
        .unwrap()
        .conn()
        .query_row("SELECT count(*) FROM units", [], |r| r.get(0))
        .unwrap();
    assert!(
        count("units") >= 2 && count("units") < 8,
        "the grid and its ancestors, not all {total_units}: {}",
        count("units")
    );
    assert!(count("people") < 100, "not every person of the demo: {}", count("people"));
    let phones: Vec<&str> = body
        .items
        .iter()
        .filter(|i| i.t == "people")
        .filter_map(|i| i.row["phone"].as_str())
        .filter(|p| !p.is_empty())
        .collect();
    assert!(phones.iter().all(|p| p.contains("****")), "a plain reference bundle masks every phone: {phones:?}");

    // Full phones need a passphrase: none given and no terminal, refused.
    let mut full = args.to_vec();
    full.push("--full-phones");
    let o = outreach(dir.path(), &full);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("必须设置口令加密"), "{}", text(&o.stderr));
    // A unit that does not exist is refused by name.
    let o = outreach(
        dir.path(),
        &["--db", "x.db", "bundle", "export", "--scope", "reference", "--unit", "无此网格", "-o", "x.outreach"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("无此网格"), "{}", text(&o.stderr));
}

/// A registered captain's bundle changing what a captain does not write (a unit's name), and a
/// session in another grid: refused whole with the rows named, nothing changed.
#[test]
fn a_captains_bundle_outside_their_grids_is_refused_by_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    assert!(outreach(dir.path(), &["--db", "x.db", "demo"]).status.success());
    let db = dir.path().join("x.db");
    register(dir.path(), "captain", &["稷下第一网格"]);
    let b = craft(&db, "units", |row, _| {
        row.insert("name".into(), json!("改名的单位"));
    });
    refused(dir.path(), &b, &["队长的交接包不能修改", "单位"]);
    let b = craft(&db, "sessions", |row, store| {
        let other: String =
            store.conn().query_row("SELECT id FROM units WHERE name = '稷下第二网格'", [], |r| r.get(0)).unwrap();
        row.insert("unit_id".into(), json!(other));
        row.insert("notes".into(), json!("改到别的网格"));
    });
    refused(dir.path(), &b, &["队长的交接包不能修改", "活动"]);
}
