//! Writes the base bundle (`base/demo.bundle`: the demo data every target loads) and the
//! hand-made seeds of the corpora (`corpus/<target>/seed-*`). Run it again when a
//! migration is added — the base and the bundle seeds carry the schema version:
//!
//!     cargo run --manifest-path fuzz/Cargo.toml --example seeds
//!
//! Seeds are named `seed-*`; what libFuzzer found and `cargo fuzz cmin` kept sits beside
//! them under hash names and is left alone.

use std::path::{Path, PathBuf};

use outreach_core::bundles::{self, Body, Scope};
use outreach_core::people::{self, PersonInput};
use outreach_core::sheets::{self, Cell};
use outreach_core::transfer::{self, TableKind};
use outreach_core::units::{self, GridProfile, UnitInput, UnitKind};
use outreach_core::{demo, photos, Store};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn write(target: &str, name: &str, bytes: &[u8]) {
    let dir = root().join("corpus").join(target);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("seed-{name}")), bytes).unwrap();
    println!("corpus/{target}/seed-{name}: {} bytes", bytes.len());
}

fn main() {
    // ---- the base: the demo data, as a bundle every target imports at start
    let mut demo_store = Store::open_in_memory().unwrap();
    demo::load(&mut demo_store).unwrap();
    let exported = bundles::export(demo_store.conn(), Scope::All, None, "demo", None).unwrap().0;
    // Signed again with the harness's key, which every target's database trusts.
    let body = bundles::parse(demo_store.conn(), &exported).unwrap().body;
    let base = bundles::pack_signed(&body, "demo", "all", None, &outreach_fuzz::fuzz_key(), None).unwrap();
    std::fs::create_dir_all(root().join("base")).unwrap();
    std::fs::write(outreach_fuzz::base_path(), &base).unwrap();
    println!("base/demo.bundle: {} bytes", base.len());
    let db = outreach_fuzz::Db::load();
    let conn = db.store.conn();

    let png = images();
    sheets_seeds(conn);
    bundle_seeds(&base, &png[0]);
}

// ---------------------------------------------------------------- spreadsheets

fn sheets_seeds(conn: &rusqlite::Connection) {
    let tmp = std::env::temp_dir().join(format!("outreach-seeds-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    for kind in [TableKind::Units, TableKind::People, TableKind::Venues] {
        // A few rows of the base as the app exports them: they re-import as unchanged,
        // and a mutated cell makes them updates.
        let mut rows = transfer::rows(conn, kind, false).unwrap();
        rows.truncate(5);
        let csv = tmp.join("t.csv");
        sheets::write_csv(&csv, transfer::headers(kind), &rows).unwrap();
        write("import_csv", &format!("{}-export.csv", kind.as_str()), &std::fs::read(&csv).unwrap());
        let xlsx = tmp.join("t.xlsx");
        sheets::write_xlsx(&xlsx, kind.label(), transfer::headers(kind), &rows).unwrap();
        write("import_xlsx", &format!("{}-export.xlsx", kind.as_str()), &std::fs::read(&xlsx).unwrap());
        transfer::template(kind, transfer::FileFormat::Csv, &csv).unwrap();
        write("import_csv", &format!("{}-template.csv", kind.as_str()), &std::fs::read(&csv).unwrap());
    }

    // New rows the way people write their own rosters: names instead of ids, aliases for
    // headers, a refused row among them.
    let name_of = |sql: &str| -> String { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let community = name_of("SELECT name FROM units WHERE kind = 'community' ORDER BY name LIMIT 1");
    let grid = name_of("SELECT name FROM units WHERE kind = 'grid' ORDER BY name LIMIT 1");
    let person = name_of("SELECT name FROM people ORDER BY name LIMIT 1");
    let team = name_of("SELECT name FROM teams ORDER BY name LIMIT 1");
    let topic = name_of("SELECT name FROM topics ORDER BY name LIMIT 1");
    let units_csv = format!(
        "单位名称,上级单位,类型,户数,常住人口,60岁以上,备注\n\
         {community}第九网格,{community},网格,320,900,150,新划分\n\
         {community}第十网格,{community},网格,abc,-5,,\n\
         无名网格,不存在的社区,片区,1,2,3,\n"
    );
    write("import_csv", "units-new.csv", units_csv.as_bytes());
    let people_csv = format!(
        "姓名,角色,手机号,单位,团队,主题,是否在岗,入队日期,备注\n\
         赵新人,志愿者,13905330001,{grid},{team}、新成立宣讲队,{topic},是,2024-03-01,\"带逗号, 的备注\"\n\
         钱某,外星人,12345,{grid},,未知主题,也许,2024-13-40,'=1+1\n\
         {person},民警,,{community},,,否,,同名\n"
    );
    write("import_csv", "people-new.csv", people_csv.as_bytes());
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&people_csv);
    assert!(!unmappable);
    write("import_csv", "people-new-gbk.csv", &gbk);
    write("import_csv", "people-new-tabs.tsv", people_csv.replace(',', "\t").as_bytes());
    let venues_csv = format!(
        "场所名称,场所类型,所属单位,地址,联系人,联系人电话,法治副校长,员工人数,告知书签订日期\n\
         {community}幼儿园,学校,{community},齐都路 1 号,孙园长,0533-7212345,{person},40,2024-09-01\n\
         新开银行网点,银行,{grid},,,,,十二,\n"
    );
    write("import_csv", "venues-new.csv", format!("\u{feff}{venues_csv}").as_bytes());
    // The same new rows as a workbook.
    let xlsx = tmp.join("t.xlsx");
    let (headers, rows) = parse_csv(&people_csv);
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    sheets::write_xlsx(&xlsx, "人员", &headers, &rows).unwrap();
    write("import_xlsx", "people-new.xlsx", &std::fs::read(&xlsx).unwrap());
    std::fs::remove_dir_all(&tmp).unwrap();
}

fn parse_csv(text: &str) -> (Vec<String>, Vec<Vec<Cell>>) {
    let sheet = sheets::read_bytes(false, text.as_bytes()).unwrap();
    (sheet.headers, sheet.rows.into_iter().map(|r| r.into_iter().map(Cell::text).collect()).collect())
}

// ---------------------------------------------------------------- bundles

fn bundle_seeds(base: &[u8], photo: &[u8]) {
    // A captain's laptop set up from the base changes a person, adds a grid and a photo.
    let mut cap = Store::open_in_memory().unwrap();
    outreach_fuzz::trust_fuzz_key(&mut cap);
    bundles::import(&mut cap, base, false).unwrap();
    let base_hashes = bundles::fingerprint(cap.conn()).unwrap();
    let pid: String = cap.conn().query_row("SELECT id FROM people ORDER BY name LIMIT 1", [], |r| r.get(0)).unwrap();
    let p = people::get(cap.conn(), &pid).unwrap();
    cap.write(|tx| {
        people::save(
            tx,
            &PersonInput {
                id: Some(p.id.clone()),
                name: p.name.clone(),
                roles: p.roles.clone(),
                phone: None,
                unit_id: p.unit_id.clone(),
                team_ids: p.team_ids.clone(),
                topic_ids: p.topic_ids.clone(),
                active: p.active,
                joined_on: p.joined_on.clone(),
                notes: "队长改：周末可参加板凳会".into(),
            },
        )
    })
    .unwrap();
    let community: String = cap
        .conn()
        .query_row("SELECT id FROM units WHERE kind = 'community' ORDER BY name LIMIT 1", [], |r| r.get(0))
        .unwrap();
    cap.write(|tx| {
        units::save(
            tx,
            &UnitInput {
                id: None,
                parent_id: Some(community),
                name: "新划网格".into(),
                kind: UnitKind::Grid,
                code: String::new(),
                profile: Some(GridProfile { households: 100, residents: 280, ..Default::default() }),
            },
        )
    })
    .unwrap();
    let record: String = cap.conn().query_row("SELECT id FROM records ORDER BY id LIMIT 1", [], |r| r.get(0)).unwrap();
    let photo_dir = std::env::temp_dir().join(format!("outreach-seeds-photos-{}", std::process::id()));
    cap.write(|tx| photos::add(tx, &photo_dir, &record, photo, "p.png", "现场")).unwrap();
    let full = cap.write(|tx| bundles::export(tx, Scope::All, None, "队长", Some(&photo_dir))).unwrap().0;
    std::fs::remove_dir_all(&photo_dir).unwrap();

    // Only what differs from the base: a small file that adds and updates.
    let mut body: Body = {
        let b = bundles::parse(cap.conn(), &full).unwrap();
        b.body
    };
    body.items.retain(|i| base_hashes.get(&format!("{}/{}", i.t, i.id)) != Some(&i.hash));
    let delta = bundles::pack_signed(&body, "队长", "all", None, &outreach_fuzz::fuzz_key(), None).unwrap();
    write("bundle_import", "delta.bundle", &delta);
    write("bundle_import", "delta-body.json", &serde_json::to_vec(&body).unwrap());
    // The same changes without the versions they were built on: conflicts.
    let mut conflict = body.clone();
    for i in &mut conflict.items {
        i.known.retain(|h| *h == i.hash);
    }
    conflict.files.clear();
    write("bundle_import", "conflict-body.json", &serde_json::to_vec(&conflict).unwrap());
    // A reference bundle from another office: new ids, names that clash.
    let mut other = Store::open_in_memory().unwrap();
    let city = other
        .write(|tx| {
            units::save(
                tx,
                &UnitInput {
                    id: None,
                    parent_id: None,
                    name: "淄博市".into(),
                    kind: UnitKind::City,
                    code: "370300".into(),
                    profile: None,
                },
            )
        })
        .unwrap();
    other
        .write(|tx| {
            units::save(
                tx,
                &UnitInput {
                    id: None,
                    parent_id: Some(city.id),
                    name: "另一区".into(),
                    kind: UnitKind::District,
                    code: String::new(),
                    profile: None,
                },
            )
        })
        .unwrap();
    let foreign = bundles::export_store(&mut other, Scope::Reference, None, None).unwrap().0;
    let body = bundles::parse(other.conn(), &foreign).unwrap().body;
    let foreign = bundles::pack_signed(&body, "另一单位", "reference", None, &outreach_fuzz::fuzz_key(), None).unwrap();
    write("bundle_import", "other-office.bundle", &foreign);
}

// ---------------------------------------------------------------- images

/// Tiny images of each accepted format; returns them (the first is a PNG).
fn images() -> Vec<Vec<u8>> {
    use image::{DynamicImage, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
    let rgba = RgbaImage::from_fn(5, 3, |x, y| Rgba([x as u8 * 50, y as u8 * 80, 200, if x == 0 { 0 } else { 255 }]));
    let rgb = RgbImage::from_fn(16, 9, |x, y| Rgb([x as u8 * 15, y as u8 * 25, 90]));
    let enc = |img: &DynamicImage, f: ImageFormat| {
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, f).unwrap();
        out.into_inner()
    };
    let png = enc(&DynamicImage::ImageRgba8(rgba.clone()), ImageFormat::Png);
    let grey = enc(&DynamicImage::ImageLuma16(DynamicImage::ImageRgb8(rgb.clone()).to_luma16()), ImageFormat::Png);
    let jpg = enc(&DynamicImage::ImageRgb8(rgb.clone()), ImageFormat::Jpeg);
    let webp = enc(&DynamicImage::ImageRgba8(rgba), ImageFormat::WebP);
    // A phone photo stored sideways: EXIF orientation 6 (APP1 right after SOI).
    let exif: &[u8] = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x06\0\0\0\0\0\0";
    let mut rotated = jpg[..2].to_vec();
    rotated.extend([0xFF, 0xE1]);
    rotated.extend(((exif.len() + 2) as u16).to_be_bytes());
    rotated.extend(exif);
    rotated.extend(&jpg[2..]);
    write("image", "rgba.png", &png);
    write("image", "grey16.png", &grey);
    write("image", "photo.jpg", &jpg);
    write("image", "rotated.jpg", &rotated);
    write("image", "rgba.webp", &webp);
    vec![png, grey, jpg, rotated, webp]
}
