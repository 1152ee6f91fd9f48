//! Reading and writing the spreadsheets people keep their rosters in: `.xlsx` (and other
//! workbooks calamine reads) and `.csv` in UTF-8 (with or without BOM) or GBK/GB18030.

use crate::error::Code;
use std::io::Write;
use std::path::Path;

use calamine::{Data, Reader};

use crate::error::{Error, Result};

pub const MAX_FILE_BYTES: u64 = 200 * 1024 * 1024;
pub const MAX_ROWS: usize = 200_000;
/// A workbook is stored sparsely: a few bytes can name a cell a million rows down or
/// sixteen thousand columns across. Read rows are dense, so the widest column and the
/// number of cells they add up to are bounded — far above any roster, far below what
/// would exhaust memory.
pub const MAX_COLUMNS: usize = 1_000;
pub const MAX_CELLS: usize = 10_000_000;

/// A table as read from a file: header row, then data rows (row `i` is spreadsheet row `i + 2`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    }

    pub fn opt(s: Option<impl Into<String>>) -> Cell {
        s.map(|v| Cell::text(v)).unwrap_or(Cell::Empty)
    }

    fn as_plain(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) if n.fract() == 0.0 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

fn unreadable(reason: &str) -> Error {
    Error::invalid(Code::ImportUnreadable, &[("reason", reason)])
}

pub fn is_workbook(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()).map(|e| e.to_ascii_lowercase()).as_deref(),
        Some("xlsx" | "xlsm" | "xls" | "xlsb" | "ods")
    )
}

pub fn read(path: &Path) -> Result<Sheet> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path.display().to_string(), e))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(unreadable("文件超过 200 MB"));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path.display().to_string(), e))?;
    read_bytes(is_workbook(path), &bytes)
}

/// Parses file content; `workbook` picks the spreadsheet reader over CSV.
pub fn read_bytes(workbook: bool, bytes: &[u8]) -> Result<Sheet> {
    if bytes.is_empty() {
        return Err(Error::invalid(Code::ImportEmpty, &[]));
    }
    let raw = if workbook || bytes.starts_with(b"PK\x03\x04") { read_workbook(bytes)? } else { read_csv(bytes)? };
    finish(raw)
}

fn finish(mut raw: Vec<Vec<String>>) -> Result<Sheet> {
    // Trailing blank rows are what spreadsheets leave behind; drop them, keep row numbers.
    while raw.last().is_some_and(|r| r.iter().all(|c| c.trim().is_empty())) {
        raw.pop();
    }
    if raw.is_empty() {
        return Err(Error::invalid(Code::ImportEmpty, &[]));
    }
    let headers: Vec<String> = raw[0].iter().map(|h| clean_header(h)).collect();
    if headers.iter().all(|h| h.is_empty()) {
        return Err(Error::invalid(Code::ImportEmpty, &[]));
    }
    let rows: Vec<Vec<String>> =
        raw.into_iter().skip(1).map(|r| r.into_iter().map(|c| unescape(c.trim())).collect()).collect();
    if rows.is_empty() {
        return Err(Error::invalid(Code::ImportNoRows, &[]));
    }
    if rows.len() > MAX_ROWS {
        return Err(Error::invalid(Code::ImportTooManyRows, &[("max", &MAX_ROWS.to_string())]));
    }
    Ok(Sheet { headers, rows })
}

fn clean_header(h: &str) -> String {
    h.trim().trim_start_matches('\u{feff}').trim_matches(['*', '＊']).trim().to_string()
}

fn decode_text(bytes: &[u8]) -> Result<String> {
    if bytes.contains(&0) {
        return Err(unreadable("不是文本表格（含二进制内容）"));
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(body) {
        return Ok(s.to_string());
    }
    // Chinese office software still writes CSV in GBK; GB18030 is its superset.
    let (text, _, had_errors) = encoding_rs::GB18030.decode(body);
    if had_errors {
        return Err(unreadable("无法识别的文字编码（应为 UTF-8 或 GBK）"));
    }
    Ok(text.into_owned())
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>> {
    let text = decode_text(bytes)?;
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if !first_line.contains(',') && first_line.contains('\t') { b'\t' } else { b',' };
    let mut rdr =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec =
            rec.map_err(|e| unreadable(&format!("CSV 格式错误（第 {} 行）", e.position().map_or(0, |p| p.line()))))?;
        out.push(rec.iter().map(str::to_string).collect());
        if out.len() > MAX_ROWS + 1 {
            return Err(Error::invalid(Code::ImportTooManyRows, &[("max", &MAX_ROWS.to_string())]));
        }
    }
    Ok(out)
}

fn read_workbook(bytes: &[u8]) -> Result<Vec<Vec<String>>> {
    let sheet_unreadable = || unreadable("无法读取第一个工作表");
    // .xlsx/.xlsm and .xlsb are read cell by cell: calamine's ranges are dense, so one cell
    // at A1 and one at XFD1048576 would ask for 17 billion cells and abort the program.
    if let Ok(mut wb) = calamine::Xlsx::new(std::io::Cursor::new(bytes)) {
        let name = wb.sheet_names().first().cloned().ok_or_else(|| Error::invalid(Code::ImportEmpty, &[]))?;
        let mut cells = match wb.worksheet_cells_reader(&name) {
            Ok(c) => c,
            Err(calamine::XlsxError::NotAWorksheet(_)) => return Err(Error::invalid(Code::ImportEmpty, &[])),
            Err(_) => return Err(sheet_unreadable()),
        };
        return sparse_rows(|| cells.next_cell().map_err(|_| sheet_unreadable()));
    }
    if let Ok(mut wb) = calamine::Xlsb::new(std::io::Cursor::new(bytes)) {
        let name = wb.sheet_names().first().cloned().ok_or_else(|| Error::invalid(Code::ImportEmpty, &[]))?;
        let mut cells = wb.worksheet_cells_reader(&name).map_err(|_| sheet_unreadable())?;
        return sparse_rows(|| cells.next_cell().map_err(|_| sheet_unreadable()));
    }
    // .xls and .ods: calamine reads them whole on opening.
    let cursor = std::io::Cursor::new(bytes.to_vec());
    let mut wb = calamine::open_workbook_auto_from_rs(cursor).map_err(|_| unreadable("不是有效的 Excel 工作簿"))?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or_else(|| Error::invalid(Code::ImportEmpty, &[]))?
        .map_err(|_| sheet_unreadable())?;
    if range.height() > MAX_ROWS + 1 {
        return Err(too_many_rows());
    }
    let (_, start_col) = range.start().unwrap_or((0, 0));
    check_size(range.height(), start_col as usize + range.width())?;
    let mut out: Vec<Vec<String>> = Vec::with_capacity(range.height());
    for row in range.rows() {
        let mut cells: Vec<String> = vec![String::new(); start_col as usize];
        cells.extend(row.iter().map(cell_text));
        out.push(cells);
    }
    Ok(leading_blank_rows_dropped(out))
}

fn too_many_rows() -> Error {
    Error::invalid(Code::ImportTooManyRows, &[("max", &MAX_ROWS.to_string())])
}

fn too_big() -> Error {
    unreadable(&format!("表格过大（超过 {MAX_COLUMNS} 列或 {} 万个单元格）", MAX_CELLS / 10_000))
}

fn check_size(rows: usize, columns: usize) -> Result<()> {
    if columns > MAX_COLUMNS || rows.saturating_mul(columns) > MAX_CELLS {
        return Err(too_big());
    }
    Ok(())
}

/// The rows of a sheet from its cells in any order: from the first row with a cell to the
/// last, each as wide as the sheet's rightmost cell, as calamine's ranges give them.
fn sparse_rows<'a>(
    mut next: impl FnMut() -> Result<Option<calamine::Cell<calamine::DataRef<'a>>>>,
) -> Result<Vec<Vec<String>>> {
    let mut cells: Vec<(u32, u32, String)> = Vec::new();
    let (mut top, mut bottom, mut right) = (u32::MAX, 0u32, 0u32);
    while let Some(cell) = next()? {
        let ((r, c), val) = (cell.get_position(), cell.get_value());
        if matches!(val, calamine::DataRef::Empty) {
            continue;
        }
        (top, bottom, right) = (top.min(r), bottom.max(r), right.max(c));
        if (bottom - top) as usize > MAX_ROWS {
            return Err(too_many_rows());
        }
        check_size(1, right as usize + 1)?;
        if cells.len() >= MAX_CELLS {
            return Err(too_big());
        }
        cells.push((r, c, cell_text(&val.clone().into())));
    }
    if cells.is_empty() {
        return Ok(Vec::new());
    }
    let (height, width) = ((bottom - top) as usize + 1, right as usize + 1);
    check_size(height, width)?;
    let mut out = vec![vec![String::new(); width]; height];
    for (r, c, text) in cells {
        out[(r - top) as usize][c as usize] = text;
    }
    Ok(leading_blank_rows_dropped(out))
}

/// Blank rows above the header are not data (nor are the rows above the first cell, which
/// are not read at all).
fn leading_blank_rows_dropped(mut out: Vec<Vec<String>>) -> Vec<Vec<String>> {
    let blank = out.iter().take_while(|r| r.iter().all(|c| c.trim().is_empty())).count();
    out.drain(..blank.min(out.len().saturating_sub(1)));
    out
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => {
            if *b {
                "是".into()
            } else {
                "否".into()
            }
        }
        Data::DateTime(dt) => dt
            .as_datetime()
            .map(|t| {
                if t.time() == chrono::NaiveTime::MIN {
                    t.format("%Y-%m-%d").to_string()
                } else {
                    t.format("%Y-%m-%d %H:%M").to_string()
                }
            })
            .unwrap_or_default(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(_) => String::new(),
    }
}

/// Cells that a spreadsheet would run as a formula are written with a leading apostrophe.
pub fn escape(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// Reverses `escape`, so an exported file re-imports unchanged.
fn unescape(s: &str) -> String {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_string(),
        _ => s.to_string(),
    }
}

/// CSV for Excel: UTF-8 with a BOM so Excel on Chinese Windows shows the text right.
pub fn write_csv(path: &Path, headers: &[&str], rows: &[Vec<Cell>]) -> Result<()> {
    let io = |e: std::io::Error| Error::io(path.display().to_string(), e);
    let tmp = path.with_extension("csv.part");
    {
        let file = std::fs::File::create(&tmp).map_err(io)?;
        let mut buf = std::io::BufWriter::new(file);
        buf.write_all(b"\xEF\xBB\xBF").map_err(io)?;
        let mut w = csv::Writer::from_writer(buf);
        w.write_record(headers).map_err(|e| Error::Internal(e.to_string()))?;
        for r in rows {
            w.write_record(r.iter().map(|c| escape(&c.as_plain()))).map_err(|e| Error::Internal(e.to_string()))?;
        }
        let buf = w.into_inner().map_err(|e| Error::Internal(e.to_string()))?;
        buf.into_inner().map_err(|e| io(e.into_error()))?.sync_all().map_err(io)?;
    }
    std::fs::rename(&tmp, path).map_err(io)
}

pub fn write_xlsx(path: &Path, sheet_name: &str, headers: &[&str], rows: &[Vec<Cell>]) -> Result<()> {
    let xl = |e: rust_xlsxwriter::XlsxError| Error::Internal(e.to_string());
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet_name).map_err(xl)?;
    let bold = rust_xlsxwriter::Format::new().set_bold().set_background_color(rust_xlsxwriter::Color::RGB(0xDDEBF7));
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold).map_err(xl)?;
        ws.set_column_width(c as u16, if c == 0 { 38.0 } else { 14.0 }).map_err(xl)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            match cell {
                Cell::Text(s) => {
                    ws.write_string((r + 1) as u32, c as u16, s).map_err(xl)?;
                }
                Cell::Number(n) => {
                    ws.write_number((r + 1) as u32, c as u16, *n).map_err(xl)?;
                }
                Cell::Empty => {}
            }
        }
    }
    ws.set_freeze_panes(1, 0).map_err(xl)?;
    let tmp = path.with_extension("xlsx.part");
    wb.save(&tmp).map_err(|e| match e {
        rust_xlsxwriter::XlsxError::IoError(io) => Error::io(path.display().to_string(), io),
        other => xl(other),
    })?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path.display().to_string(), e))
}
