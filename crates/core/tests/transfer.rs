mod common;

use common::fingerprint;
use outreach_core::sheets::{self, Sheet};
use outreach_core::transfer::{self, FileFormat, ImportPreview, TableKind};
use outreach_core::{demo, people, units, venues, Store};

fn demo_store(dir: &std::path::Path) -> Store {
    let mut s = Store::open(&dir.join("outreach.db")).unwrap();
    demo::load(&mut s).unwrap();
    s
}

fn preview(s: &mut Store, kind: TableKind, sheet: &Sheet) -> ImportPreview {
    transfer::preview(s, kind, sheet, "f", &mut |_| {}).unwrap()
}

fn csv_sheet(text: &str) -> outreach_core::Result<Sheet> {
    sheets::read_bytes(false, text.as_bytes())
}

const PEOPLE_HEADER: &str = "编号,姓名,身份,电话,所属单位编号,所属单位,队伍,可讲主题,在岗,加入日期,备注\n";

#[test]
fn round_trip_of_every_table_in_both_formats_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = demo_store(dir.path());
    for kind in [TableKind::Units, TableKind::People, TableKind::Venues] {
        for format in [FileFormat::Csv, FileFormat::Xlsx] {
            let path = dir.path().join(format!("{}.{}", kind.as_str(), format.extension()));
            let n = transfer::export(s.conn(), kind, format, &path, false).unwrap();
            assert!(n > 30, "{kind:?} exported {n} rows");
            let before = fingerprint(&s);
            let sheet = sheets::read(&path).unwrap();
            assert_eq!(sheet.headers, transfer::headers(kind));
            let p = preview(&mut s, kind, &sheet);
            assert!(p.problems.is_empty(), "{kind:?} {format:?}: {:?}", p.problems);
            assert_eq!((p.to_add, p.to_update, p.unchanged as usize), (0, 0, n), "{kind:?} {format:?}");
            let out = transfer::commit(&mut s, kind, &sheet, "f", false, &mut |_| {}).unwrap();
            assert_eq!(out.unchanged as usize, n);
            // Only the audit entry of the import itself is new.
            let after = fingerprint(&s);
            let strip = |f: &str| f.lines().filter(|l| !l.contains("\"import\"")).collect::<Vec<_>>().join("\n");
            assert_eq!(strip(&after), strip(&before), "{kind:?} {format:?}");
        }
    }
}

#[test]
fn exports_have_ids_first_parents_first_bom_and_escaped_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = demo_store(dir.path());
    let city = units::list(s.conn(), false).unwrap()[0].clone();
    s.write(|tx| {
        let u = units::get(tx, &city.id)?;
        units::save(
            tx,
            &units::UnitInput {
                id: Some(u.id),
                parent_id: None,
                name: "=HYPERLINK(\"x\")".into(),
                kind: u.kind,
                code: "+1".into(),
                profile: None,
            },
        )
    })
    .unwrap();
    let path = dir.path().join("u.csv");
    transfer::export(s.conn(), TableKind::Units, FileFormat::Csv, &path, false).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut lines = text.lines();
    assert!(lines.next().unwrap().starts_with("编号,"));
    let first = lines.next().unwrap();
    assert!(first.starts_with(&city.id), "first row is the root");
    assert!(first.contains("'=HYPERLINK") && first.contains("'+1"), "{first}");
    // …and the escaped file still round-trips.
    let p = preview(&mut s, TableKind::Units, &sheets::read(&path).unwrap());
    assert_eq!((p.to_update, p.problems.len()), (0, 0));
    // Parents before children, everywhere.
    let sheet = sheets::read(&path).unwrap();
    let mut seen = std::collections::HashSet::new();
    for r in &sheet.rows {
        if !r[1].is_empty() {
            assert!(seen.contains(&r[1]), "{} before its parent", r[3]);
        }
        seen.insert(r[0].clone());
    }
}

#[test]
fn masked_export_reimports_without_losing_phones() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = demo_store(dir.path());
    let path = dir.path().join("p.xlsx");
    transfer::export(s.conn(), TableKind::People, FileFormat::Xlsx, &path, true).unwrap();
    let sheet = sheets::read(&path).unwrap();
    assert!(sheet.rows.iter().all(|r| r[3].is_empty() || r[3].contains("****")));
    let before = fingerprint(&s);
    let p = preview(&mut s, TableKind::People, &sheet);
    assert_eq!((p.to_update, p.problems.len()), (0, 0));
    assert_eq!(fingerprint(&s), before);
    // A masked number that is not the row's own (the phone changed since the export), or on a
    // new row, never overwrites a real number: the row is refused with its own message.
    let mut edited = sheet.clone();
    let row = edited.rows.iter().position(|r| r[3].contains("****")).unwrap();
    edited.rows[row][3] = "199****0000".into();
    let mut fresh = sheet.rows[row].clone();
    fresh[0] = String::new();
    fresh[1] = "新来的志愿者".into();
    edited.rows.push(fresh);
    let problems = refused(&mut s, TableKind::People, Ok(edited));
    assert_eq!(
        problems.iter().map(|(_, c)| c.as_str()).collect::<Vec<_>>(),
        vec!["validation.phone_masked", "validation.phone_masked"],
        "{problems:?}"
    );
    let message =
        outreach_core::Error::invalid(outreach_core::error::Code::ValidationPhoneMasked, &[("value", "199****0000")]);
    assert!(message.to_string().contains("遮挡"), "{message}");
}

fn refused(s: &mut Store, kind: TableKind, sheet: outreach_core::Result<Sheet>) -> Vec<(u32, String)> {
    let before = fingerprint(s);
    let out = match sheet {
        Err(e) => vec![(0, e.code().to_string())],
        Ok(sheet) => match transfer::commit(s, kind, &sheet, "f", false, &mut |_| {}) {
            Ok(o) => panic!("import was accepted: {o:?}"),
            Err(e) => {
                let p = transfer::preview(s, kind, &sheet, "f", &mut |_| {});
                match p {
                    Ok(p) => p
                        .problems
                        .iter()
                        .flat_map(|pr| pr.issues.iter().map(move |i| (pr.row, i.code.to_string())))
                        .collect(),
                    Err(_) => vec![(0, e.code().to_string())],
                }
            }
        },
    };
    assert_eq!(fingerprint(s), before, "a refused import changed the database");
    out
}

#[test]
fn bad_files_are_refused_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = demo_store(dir.path());
    let k = TableKind::People;
    assert_eq!(refused(&mut s, k, sheets::read_bytes(false, b"")), vec![(0, "import.empty".into())]);
    assert_eq!(refused(&mut s, k, csv_sheet("\u{feff}\n\n")), vec![(0, "import.empty".into())]);
    assert_eq!(refused(&mut s, k, csv_sheet(PEOPLE_HEADER)), vec![(0, "import.no_rows".into())]);
    assert_eq!(
        refused(&mut s, k, csv_sheet("名字不对,电话号码\n张三,13800138000\n")),
        vec![(0, "import.header".into())]
    );
    let garbage: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    assert_eq!(refused(&mut s, k, sheets::read_bytes(false, &garbage)), vec![(0, "import.unreadable".into())]);
    assert_eq!(refused(&mut s, k, sheets::read_bytes(true, &garbage)), vec![(0, "import.unreadable".into())]);
    let mut fake_zip = b"PK\x03\x04".to_vec();
    fake_zip.extend_from_slice(&garbage);
    assert_eq!(refused(&mut s, k, sheets::read_bytes(false, &fake_zip)), vec![(0, "import.unreadable".into())]);
}

#[test]
fn bad_rows_are_named_by_spreadsheet_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = demo_store(dir.path());
    let existing = people::list(s.conn(), false).unwrap()[0].id.clone();
    let text = format!(
        "{PEOPLE_HEADER}\
         ,王小明,志愿者,13912345671,,稷下第一网格,,,是,,\n\
         ,李小红,志愿者,12345,,稷下第一网格,,,是,,\n\
         ,,志愿者,13912345672,,稷下第一网格,,,是,,\n\
         ,赵大勇,志愿者,13912345673,,不存在的网格,,,是,,\n\
         {existing},周重复,志愿者,13912345674,,,,,是,,\n\
         {existing},周重复二,志愿者,13912345675,,,,,是,,\n\
         ,孙主题,外星人,13912345676,,,,诈骗大全,也许,2024-13-01,\n\
         ,钱重复,志愿者,13912345671,,,,,是,,\n"
    );
    let problems = refused(&mut s, TableKind::People, csv_sheet(&text));
    let want: Vec<(u32, &str)> = vec![
        (3, "validation.phone"),
        (4, "validation.required"),
        (5, "import.unknown_unit"),
        (7, "import.duplicate_id"),
        (8, "validation.choice"),
        (8, "import.unknown_topic"),
        (8, "validation.choice"),
        (9, "duplicate"),
    ];
    let got: Vec<(u32, &str)> = problems.iter().map(|(r, c)| (*r, c.as_str())).collect();
    // Row 8's date error is reported once the other fields of the row pass; the set matters, not the order.
    for w in &want {
        assert!(got.contains(w), "missing {w:?} in {got:?}");
    }
    // --skip-invalid imports the rest: rows 2 and 6.
    let sheet = csv_sheet(&text).unwrap();
    let out = transfer::commit(&mut s, TableKind::People, &sheet, "f", true, &mut |_| {}).unwrap();
    assert_eq!((out.added, out.updated, out.skipped), (1, 1, 6));
    let names: Vec<String> = people::list(s.conn(), false).unwrap().into_iter().map(|p| p.name).collect();
    assert!(names.contains(&"王小明".to_string()) && names.contains(&"周重复".to_string()));
}

#[test]
fn gbk_csv_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = demo_store(dir.path());
    let text = format!("{PEOPLE_HEADER},淄川鑫老师,教师、志愿者,０５３３－１２３４５６７,,稷下第一网格,护齐反诈宣讲团,刷单返利、养老/保健品,是,2025年3月5日,退休教师\n");
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&gbk).is_err(), "really GBK bytes");
    let sheet = sheets::read_bytes(false, &gbk).unwrap();
    let out = transfer::commit(&mut s, TableKind::People, &sheet, "gbk.csv", false, &mut |_| {}).unwrap();
    assert_eq!(out.added, 1);
    let p = people::list(s.conn(), false).unwrap().into_iter().find(|p| p.name == "淄川鑫老师").unwrap();
    assert_eq!(p.phone_masked, "053****4567");
    assert_eq!(p.joined_on.as_deref(), Some("2025-03-05"));
    assert_eq!(p.topic_ids.len(), 2);
    assert_eq!(p.team_ids.len(), 1);
}

#[test]
fn new_tree_imports_with_parents_by_name_and_unknown_teams_are_created() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("outreach.db")).unwrap();
    let units_csv = "名称,类型,上级单位,户数,常住人口,60岁以上\n济南市,市,,,,\n历下区,区县,济南市,,,\n文东社区,社区,历下区,,,\n文东第一网格,网格,文东社区,300,900,200\n";
    let out = transfer::commit(&mut s, TableKind::Units, &csv_sheet(units_csv).unwrap(), "u.csv", false, &mut |_| {})
        .unwrap();
    assert_eq!(out.added, 4);
    let root = &units::tree(s.conn(), false).unwrap()[0];
    assert_eq!((root.totals.grids, root.totals.residents, root.totals.age60plus), (1, 900, 200));
    let people_csv = format!("{PEOPLE_HEADER},张网格,网格员,13700001111,,文东第一网格,文东文艺小分队,,是,,\n");
    transfer::commit(&mut s, TableKind::People, &csv_sheet(&people_csv).unwrap(), "p.csv", false, &mut |_| {}).unwrap();
    let teams = outreach_core::teams::list(s.conn()).unwrap();
    assert_eq!((teams.len(), teams[0].kind), (1, outreach_core::teams::TeamKind::Troupe));
    let venues_csv = "名称,类型,所属单位,联系电话,法治副校长,职工人数\n文东小学,学校,文东社区,0531-88886666,张网格,\n";
    transfer::commit(&mut s, TableKind::Venues, &csv_sheet(venues_csv).unwrap(), "v.csv", false, &mut |_| {}).unwrap();
    let v = &venues::list(s.conn(), false).unwrap()[0];
    assert_eq!((v.vice_principal_name.as_str(), v.contact_phone_masked.as_str()), ("张网格", "053****6666"));
}

#[test]
fn hundred_thousand_rows_import_in_one_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = demo_store(dir.path());
    let mut text = String::from(PEOPLE_HEADER);
    for i in 0..100_000u32 {
        text.push_str(&format!(",志愿者{i},志愿者,139{:08},,稷下第一网格,,,是,,\n", i));
    }
    let sheet = csv_sheet(&text).unwrap();
    assert_eq!(sheet.rows.len(), 100_000);
    let mut last = 0;
    let out = transfer::commit(&mut s, TableKind::People, &sheet, "big.csv", false, &mut |p| last = p.done).unwrap();
    assert_eq!(out.added, 100_000);
    assert_eq!(last, 100_000);
    // One bad row at the very end refuses the whole file.
    let mut bad = String::from(PEOPLE_HEADER);
    for i in 0..100_000u32 {
        bad.push_str(&format!(",新志愿者{i},志愿者,136{:08},,稷下第一网格,,,是,,\n", i));
    }
    bad.push_str(",坏号码,志愿者,123,,稷下第一网格,,,是,,\n");
    let before = fingerprint(&s);
    let e = transfer::commit(&mut s, TableKind::People, &csv_sheet(&bad).unwrap(), "big.csv", false, &mut |_| {})
        .unwrap_err();
    assert_eq!(e.issues()[0].params["row"], "100002");
    assert_eq!(fingerprint(&s), before);
}

#[test]
fn too_many_rows_are_refused_before_reading_them_all() {
    let mut text = String::from(PEOPLE_HEADER);
    for i in 0..(sheets::MAX_ROWS + 1) {
        text.push_str(&format!(",x{i},,,,,,,,,\n"));
    }
    assert_eq!(csv_sheet(&text).unwrap_err().code(), "import.too_many_rows");
}

/// Found by the import_xlsx fuzz target: a cell reference with more column letters than
/// fit in 32 bits. calamine's arithmetic overflows on it; the file must be refused, not
/// panic (dev builds) or be read with a wrapped-around column (release).
#[test]
fn a_workbook_with_an_overflowing_cell_reference_is_refused() {
    let bytes = include_bytes!("data/fuzz-xlsx-column-overflow.xlsx");
    assert_eq!(sheets::read_bytes(true, bytes).unwrap_err().code(), "import.unreadable");
}

/// A workbook is sparse, read rows are dense: one cell far from the others must not turn
/// a small file into billions of cells (calamine's own ranges would abort the program).
#[test]
fn a_stray_cell_far_away_in_a_workbook_is_refused_before_it_is_allocated() {
    let with_cell = |row: u32, col: u16| {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "姓名").unwrap();
        ws.write_string(1, 0, "张三").unwrap();
        ws.write_string(row, col, "x").unwrap();
        wb.save_to_buffer().unwrap()
    };
    let code = |row, col| sheets::read_bytes(true, &with_cell(row, col)).map(|_| ()).unwrap_err().code();
    assert_eq!(code(1_048_575, 16_383), "import.too_many_rows");
    assert_eq!(code(2, 16_383), "import.unreadable", "wider than MAX_COLUMNS");
    assert_eq!(code(150_000, 900), "import.unreadable", "more than MAX_CELLS cells");
    // Within the bounds the sheet reads as before: rows as wide as the rightmost cell.
    let sheet = sheets::read_bytes(true, &with_cell(3, 40)).unwrap();
    assert_eq!(sheet.headers.len(), 41);
    assert_eq!(sheet.rows.len(), 3);
    assert_eq!((sheet.rows[0][0].as_str(), sheet.rows[2][40].as_str()), ("张三", "x"));
}

/// A sheet that starts below and right of A1 reads from its first row, blank rows above
/// the header dropped, columns kept in place.
#[test]
fn a_workbook_not_starting_at_a1_reads_from_its_header() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(4, 2, " ").unwrap();
    ws.write_string(6, 2, "姓名").unwrap();
    ws.write_string(6, 3, "电话").unwrap();
    ws.write_string(7, 2, "张三").unwrap();
    let sheet = sheets::read_bytes(true, &wb.save_to_buffer().unwrap()).unwrap();
    assert_eq!(sheet.headers, vec!["", "", "姓名", "电话"]);
    assert_eq!(sheet.rows, vec![vec!["", "", "张三", ""]]);
}
