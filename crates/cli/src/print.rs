//! `outreach print …`: the documents of the Print view, from the command line.

use outreach_core::error::Code;
use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};
use outreach_app::print::documents;
use outreach_core::{Error, Result, Store};
use outreach_print::Paper;

#[derive(Clone, Copy, ValueEnum)]
pub enum PaperArg {
    A4,
    A5,
}

#[derive(Subcommand)]
pub enum PrintCmd {
    /// The flyer (宣传单) of a session
    Flyer {
        #[arg(long)]
        session: String,
        #[arg(short, long)]
        output: PathBuf,
        #[arg(long, value_enum, default_value = "a4")]
        paper: PaperArg,
        /// A photo to print on the flyer (PNG, JPEG or WebP)
        #[arg(long)]
        photo: Option<PathBuf>,
    },
    /// One flyer per grid under a unit, in one PDF
    Flyers {
        #[arg(long)]
        unit: String,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// The sign-in sheet (签到表) of a session
    Signin {
        #[arg(long)]
        session: String,
        #[arg(short, long)]
        output: PathBuf,
        /// Add a phone column (off by default: names are enough)
        #[arg(long)]
        phone_column: bool,
    },
    /// Notification letters (告知书) to enterprises (all when no --venue is given)
    Letters {
        #[arg(long)]
        venue: Vec<String>,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// A volunteer's certificate of service over a period
    Certificate {
        #[arg(long)]
        person: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(short, long)]
        output: PathBuf,
    },
}

pub fn print(store: &mut Store, cmd: PrintCmd) -> Result<()> {
    use outreach_app::print::{save, PrintRequest};
    let (req, photo, output) = match cmd {
        PrintCmd::Flyer { session, output, paper, photo } => {
            let paper = match paper {
                PaperArg::A4 => Paper::A4,
                PaperArg::A5 => Paper::A5,
            };
            let photo = photo.as_deref().map(outreach_app::read_chosen_image).transpose()?.map(|(_, bytes)| bytes);
            (PrintRequest::Flyer { session_id: session, paper, photo_id: None }, photo, output)
        }
        PrintCmd::Flyers { unit, output } => {
            (PrintRequest::GridFlyers { unit_id: outreach_core::units::resolve(store.conn(), &unit)? }, None, output)
        }
        PrintCmd::Signin { session, output, phone_column } => {
            (PrintRequest::Signin { session_id: session, phone_column }, None, output)
        }
        PrintCmd::Letters { venue, output } => (PrintRequest::Letters { venue_ids: venue }, None, output),
        PrintCmd::Certificate { person, from, to, output } => {
            (PrintRequest::Certificate { person_id: person, from, to }, None, output)
        }
    };
    let r = save(store, &req, photo, &mut outreach_app::Quiet, &output)?;
    println!("已生成 {}（{} 页，{} KB）：{}", output.display(), r.pages, r.bytes.len() / 1024, r.title);
    Ok(())
}

/// 1,000 personalised flyers from the demo's sessions in one PDF; the font is loaded first
/// and timed on its own.
pub fn bench(store: &mut Store, n: usize) -> Result<()> {
    use std::time::Instant;
    let t = Instant::now();
    outreach_print::fonts().map_err(documents::to_error)?;
    let font_ms = t.elapsed().as_secs_f64() * 1000.0;
    let list = outreach_core::sessions::list(store.conn(), &Default::default())?;
    if list.is_empty() {
        return Err(Error::invalid(Code::DemoNotEmpty, &[]));
    }
    let dir = store.data_dir();
    let base: Vec<outreach_print::Flyer> = list
        .iter()
        .take(40)
        .map(|s| documents::session_flyer(store.conn(), dir.as_deref(), &s.id, Paper::A4, None))
        .collect::<Result<_>>()?;
    let items: Vec<outreach_print::Flyer> = (0..n)
        .map(|i| {
            let mut f = base[i % base.len()].clone();
            f.title = format!("{}（第{}场）", f.title, i + 1);
            f
        })
        .collect();
    let one = outreach_print::flyer(&items[0]).map_err(documents::to_error)?;
    let t = Instant::now();
    let pdf = outreach_print::flyers_batch(&items, &mut |_, _| true).map_err(documents::to_error)?;
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    println!(
        "font load {font_ms:.0} ms; one flyer {} KB; {n} personalised flyers in one PDF: {ms:.0} ms, {} pages, {} KB",
        one.len() / 1024,
        outreach_print::page_count(&pdf),
        pdf.len() / 1024
    );
    Ok(())
}

fn period(from: &str, to: &str) -> Result<outreach_core::coverage::Period> {
    outreach_core::coverage::Period::parse(from, to)
}

/// `outreach report`: PDF, Excel or JSON by the file's extension, all from one ReportData.
pub fn report(store: &mut Store, unit: &str, from: &str, to: &str, output: &Path) -> Result<()> {
    let unit = outreach_core::units::resolve(store.conn(), unit)?;
    let data = outreach_app::reports::save(store, &unit, period(from, to)?, outreach_app::today(), output)?;
    println!("已生成 {}：{}（{}）", output.display(), data.title, data.period_text);
    Ok(())
}

pub fn coverage(store: &mut Store, unit: &str, from: &str, to: &str, by: &str, json: bool) -> Result<()> {
    use outreach_core::coverage::Level;
    use outreach_core::reports::pct_text;
    let unit = outreach_core::units::resolve(store.conn(), unit)?;
    let level = if by == "grids" { Level::Grids } else { Level::Children };
    let c = outreach_app::reports::coverage(store, &unit, period(from, to)?, outreach_app::today(), level)?;
    if json {
        return crate::json_out(&c);
    }
    println!("单位\t开展场次\t覆盖人次\t覆盖率%\t走访户次\t覆盖网格\t按时回访率%");
    for f in c.parts.iter().chain([&c.total]) {
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}/{}\t{}",
            f.unit_name,
            f.sessions_held,
            f.person_times,
            pct_text(f.coverage_pct),
            f.households_visited,
            f.grids_reached,
            f.grids,
            f.followups_on_time_pct.map_or("—".into(), pct_text)
        );
    }
    Ok(())
}

fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// The benchmark on a `demo --scale city-year` database.
pub fn bench_coverage(store: &mut Store) -> Result<()> {
    use outreach_core::coverage::{self as cov, Level, Period};
    use std::time::Instant;
    let conn = store.conn();
    let city: String = conn
        .query_row("SELECT id FROM units WHERE parent_id IS NULL LIMIT 1", [], |r| r.get(0))
        .map_err(|_| Error::invalid(Code::DemoNotEmpty, &[]))?;
    let district: String =
        conn.query_row("SELECT id FROM units WHERE kind = 'district' ORDER BY name LIMIT 1", [], |r| r.get(0))?;
    // The data's twelve months (they end today) and their last quarter.
    let (first, last): (String, String) =
        conn.query_row("SELECT substr(min(starts_at), 1, 10), substr(max(starts_at), 1, 10) FROM sessions", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let as_of = chrono::Local::now().date_naive();
    let y = Period::parse(&first, &last)?;
    let q = Period::parse(
        &format!("{}-01", y.to.checked_sub_months(chrono::Months::new(2)).unwrap_or(y.to).format("%Y-%m")),
        &last,
    )?;
    let year = format!("{first} – {last}");
    let median = crate::median_ms;
    let rss0 = rss_kb();
    let mut grids = 0;
    let dash = median(&mut || {
        let c = cov::coverage(conn, &city, y, as_of, Level::Children)?;
        cov::monthly(conn, &city, y)?;
        cov::figures(conn, &city, y.last_year(), as_of)?;
        grids = c.total.grids;
        Ok(())
    })?;
    let rss1 = rss_kb();
    let mut parts = 0;
    let district_q = median(&mut || {
        parts = cov::coverage(conn, &district, q, as_of, Level::Grids)?.parts.len();
        Ok(())
    })?;
    let mut pages = 0;
    let report = median(&mut || {
        let data = outreach_core::reports::build(conn, &city, y, as_of)?;
        let bytes = documents::report_pdf_pages(conn, None, &data, 50)?;
        pages = outreach_print::page_count(&bytes);
        Ok(())
    })?;
    // The cache's price: what the first read after a write pays (one month rebuilt), and what
    // a schema migration or a moved unit costs (everything rebuilt).
    let month = median(&mut || {
        conn.execute("INSERT INTO rollup_dirty VALUES (?1) ON CONFLICT DO NOTHING", [&first[..7]])?;
        cov::refresh(conn)
    })?;
    conn.execute("INSERT INTO rollup_dirty VALUES ('all') ON CONFLICT DO NOTHING", [])?;
    let t = Instant::now();
    cov::refresh(conn)?;
    let all = t.elapsed().as_secs_f64() * 1000.0;
    println!("whole city ({grids} grids), {year}, dashboard figures (totals by district + months + last year): median {dash:.1} ms");
    println!("one district's last quarter broken down by grid ({parts} grids): median {district_q:.1} ms");
    println!("report of {pages} pages, query + PDF: median {report:.0} ms");
    println!("process memory: {} MB before the dashboard, {} MB after", rss0 / 1024, rss1 / 1024);
    println!("roll-up cache: one month rebuilt after a write, median {month:.0} ms; everything rebuilt {all:.0} ms");
    Ok(())
}
