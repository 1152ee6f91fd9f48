//! `outreach record|visit|followup|bundle|materials`: recording, follow-ups, hand-over
//! bundles and the materials stock, over the same core as the app.

use outreach_core::error::Code;
use std::io::IsTerminal;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Subcommand, ValueEnum};
use outreach_core::bundles::{self, Scope, Take};
use outreach_core::followups::{CaseFilter, CaseInput, Method, Outcome, Risk, VisitDone, VisitResult};
use outreach_core::materials::{self, StockMoveInput};
use outreach_core::passphrase::{self, Passphrase, Zeroizing};
use outreach_core::records::{AudienceCount, HandOut, RecordInput, SpeakerHours};
use outreach_core::sessions::Audience;
use outreach_core::visits::{VisitFilter, VisitInput};
use outreach_core::{Error, Result, Store};

use crate::json_out;

#[derive(Subcommand)]
pub enum RecordCmd {
    /// Record (or correct) what happened at a session; it moves to "held"
    Add {
        #[arg(long)]
        session: String,
        /// Actual start, YYYY-MM-DDTHH:MM (default: the planned start)
        #[arg(long)]
        start: Option<String>,
        #[arg(long)]
        end: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        headcount: i64,
        /// Split by audience: elderly=30,public=20 (codes or Chinese names)
        #[arg(long, default_value = "", allow_hyphen_values = true)]
        split: String,
        /// Speakers present: person id, optionally :hours (repeatable)
        #[arg(long)]
        speaker: Vec<String>,
        /// Materials handed out: 宣传彩页=100 (name or id; repeatable)
        #[arg(long, allow_hyphen_values = true)]
        material: Vec<String>,
        /// A photo to attach (PNG, JPEG or WebP; repeatable)
        #[arg(long)]
        photo: Vec<PathBuf>,
        #[arg(long, default_value = "")]
        notes: String,
        /// Names on the sign-in list (staff trainings), separated by 、 or ,
        #[arg(long, default_value = "")]
        signin: String,
        /// Required to correct a reported record
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// A coordinator's review: the session becomes "reported" and its record locks
    Review { session: String },
    /// Show a record
    Show {
        session: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum VisitCmd {
    /// Log door-to-door visits in a grid
    Add {
        #[arg(long)]
        grid: String,
        #[arg(long)]
        session: Option<String>,
        #[arg(long, default_value = "")]
        building: String,
        /// YYYY-MM-DD
        #[arg(long)]
        date: String,
        #[arg(long, allow_hyphen_values = true)]
        visited: i64,
        #[arg(long, default_value_t = 0, allow_hyphen_values = true)]
        not_home: i64,
        #[arg(long, default_value_t = 0, allow_hyphen_values = true)]
        refused: i64,
        #[arg(long, default_value_t = 0, allow_hyphen_values = true)]
        warnings: i64,
        #[arg(long)]
        visitor: Vec<String>,
    },
    List {
        #[arg(long)]
        session: Option<String>,
        #[arg(long)]
        grid: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum FollowupCmd {
    /// Register a warned resident; the follow-up visits are scheduled
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        phone: String,
        #[arg(long)]
        grid: String,
        #[arg(long)]
        worker: Option<String>,
        /// high | medium | low
        #[arg(long, default_value = "medium")]
        risk: String,
        /// YYYY-MM-DD
        #[arg(long)]
        warned: String,
        /// phone | in_person
        #[arg(long, default_value = "phone")]
        method: String,
        /// dissuaded | not_reached | refused | victimised
        #[arg(long, default_value = "dissuaded")]
        outcome: String,
        #[arg(long)]
        money_stopped: bool,
        #[arg(long)]
        today: Option<String>,
    },
    /// Record a follow-up visit
    Visit {
        visit_id: String,
        #[arg(long)]
        date: String,
        #[arg(long, default_value = "phone")]
        method: String,
        /// safe | needs_help | not_reached | victimised
        #[arg(long, default_value = "safe")]
        result: String,
        #[arg(long)]
        today: Option<String>,
    },
    /// Cases (phones masked)
    List {
        #[arg(long)]
        json: bool,
    },
    /// Visits due within N days and overdue ones
    Due {
        #[arg(long, default_value_t = 7)]
        days: u32,
        #[arg(long)]
        today: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Purge the personal data of cases closed long enough ago, in the database and in its backups (counts only are printed)
    Purge {
        /// Pretend today is this date (YYYY-MM-DD)
        #[arg(long)]
        today: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ScopeArg {
    All,
    Reference,
}

#[derive(Subcommand)]
pub enum BundleCmd {
    /// Write a bundle of everything (or of the reference data; or of changes since a date).
    /// A bundle of everything is encrypted with a passphrase: from OUTREACH_PASSPHRASE, or
    /// typed twice at a prompt when run in a terminal (never as an argument)
    Export {
        #[arg(short, long)]
        output: PathBuf,
        /// Only rows changed on or after this date (YYYY-MM-DD)
        #[arg(long)]
        since: Option<String>,
        #[arg(long, value_enum, default_value = "all")]
        scope: ScopeArg,
        /// Encrypt reference data too (asks for a passphrase unless OUTREACH_PASSPHRASE is set;
        /// when it is set, reference data is encrypted with it anyway)
        #[arg(long)]
        encrypt: bool,
        /// Reference data for one captain: only what these units (id or name; repeatable)
        /// need, other grids' phones masked
        #[arg(long = "unit")]
        units: Vec<String>,
        /// Reference data with phones in full (in the given units only, when --unit is set);
        /// encrypted, so a passphrase is needed. Without it every phone is masked
        #[arg(long)]
        full_phones: bool,
    },
    /// Merge a bundle: new rows added, one-sided changes taken, two-sided changes listed as
    /// conflicts. An encrypted bundle is opened with OUTREACH_PASSPHRASE, or a passphrase
    /// typed at a prompt when run in a terminal
    Import {
        file: PathBuf,
        /// Show what would happen; change nothing
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// Conflicts waiting for a decision
    Conflicts {
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Settle a conflict
    Resolve {
        id: String,
        #[arg(long, value_enum)]
        take: TakeArg,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum TakeArg {
    Local,
    Incoming,
}

#[derive(Subcommand)]
pub enum MaterialsCmd {
    /// The item list
    List,
    /// Stock received into a unit (print run, purchase)
    Receive {
        #[arg(long)]
        material: String,
        #[arg(long)]
        unit: String,
        #[arg(long, allow_hyphen_values = true)]
        quantity: i64,
        #[arg(long)]
        date: String,
        #[arg(long, default_value = "")]
        source: String,
    },
    /// Move stock from one unit to another
    Allocate {
        #[arg(long)]
        material: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long, allow_hyphen_values = true)]
        quantity: i64,
        #[arg(long)]
        date: String,
    },
    /// The stock book: receipts and allocations, newest first (of a unit, or all)
    Moves {
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Reconciliation: received − allocated − handed out, per unit and item
    Stock {
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

fn today_or(s: Option<&str>) -> Result<NaiveDate> {
    match s {
        None => Ok(chrono::Local::now().date_naive()),
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| Error::invalid(Code::ValidationDate, &[("field", "today"), ("value", d)])),
    }
}

fn choice<T>(field: &str, v: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T> {
    parse(v).ok_or_else(|| Error::invalid(Code::ValidationChoice, &[("field", field), ("value", v)]))
}

fn parse_split(s: &str) -> Result<Vec<AudienceCount>> {
    let mut out = Vec::new();
    for part in outreach_core::util::split_list(s) {
        let (a, n) = part
            .split_once('=')
            .ok_or_else(|| Error::invalid(Code::ValidationChoice, &[("field", "audience"), ("value", &part)]))?;
        let audience = choice("audience", a, Audience::parse)?;
        let count = n
            .trim()
            .parse::<i64>()
            .map_err(|_| Error::invalid(Code::ValidationNumber, &[("field", "audience"), ("value", n)]))?;
        out.push(AudienceCount { audience, count });
    }
    Ok(out)
}

pub fn record(store: &mut Store, cmd: RecordCmd) -> Result<()> {
    match cmd {
        RecordCmd::Add { session, start, end, headcount, split, speaker, material, photo, notes, signin, reason } => {
            let s = outreach_core::sessions::get(store.conn(), &session)?;
            let mut materials_out = Vec::new();
            for m in &material {
                let (k, q) = m
                    .split_once('=')
                    .ok_or_else(|| Error::invalid(Code::ValidationChoice, &[("field", "material"), ("value", m)]))?;
                let item = materials::resolve(store.conn(), k)?;
                let quantity = q
                    .trim()
                    .parse::<i64>()
                    .map_err(|_| Error::invalid(Code::ValidationNumber, &[("field", "material"), ("value", q)]))?;
                materials_out.push(HandOut { material_id: item.id, quantity, material_name: String::new() });
            }
            let speakers = speaker
                .iter()
                .map(|sp| {
                    let (id, h) = sp.split_once(':').map(|(a, b)| (a, Some(b))).unwrap_or((sp.as_str(), None));
                    let hours = h
                        .map(|h| h.parse::<f64>().map_err(|_| Error::invalid(Code::RecordsHours, &[("value", h)])))
                        .transpose()?;
                    Ok(SpeakerHours { person_id: id.to_string(), hours, person_name: String::new() })
                })
                .collect::<Result<Vec<_>>>()?;
            let input = RecordInput {
                session_id: s.id.clone(),
                actual_start: start.unwrap_or(s.start.clone()),
                actual_end: end.unwrap_or(s.end.clone()),
                headcount,
                audiences: parse_split(&split)?,
                speakers,
                materials: materials_out,
                notes,
                signin_names: outreach_core::util::split_list(&signin),
                reason,
            };
            // One transaction; the photos are checked first, so a bad one refuses the whole record.
            let out = outreach_app::records::save_with_photos(store, &input, &photo)?;
            for w in &out.warnings {
                eprintln!("提醒：{}", w.message);
            }
            println!("已登记：{}，到场 {} 人，照片 {} 张", s.title, out.record.headcount, photo.len());
        }
        RecordCmd::Review { session } => {
            let r = outreach_app::records::review(store, &session)?;
            println!("已审核上报：{}", r.session_title);
        }
        RecordCmd::Show { session, json } => {
            let r = outreach_app::records::get(store, &session)?;
            if json {
                return json_out(&r);
            }
            println!("{}（{}）", r.session_title, r.session_status.label());
            println!("实际时间 {} – {}，到场 {} 人", r.actual_start, r.actual_end, r.headcount);
            for a in &r.audiences {
                println!("  {} {}", a.audience.label(), a.count);
            }
            for m in &r.materials {
                println!("  发放 {} {}", m.material_name, m.quantity);
            }
            println!("照片 {} 张；更正 {} 次", r.photos.len(), r.corrections);
        }
    }
    Ok(())
}

pub fn visit(store: &mut Store, cmd: VisitCmd) -> Result<()> {
    match cmd {
        VisitCmd::Add { grid, session, building, date, visited, not_home, refused, warnings, visitor } => {
            let grid_id = outreach_core::units::resolve(store.conn(), &grid)?;
            let input = VisitInput {
                id: None,
                session_id: session,
                grid_id,
                building,
                visited_on: date,
                visited,
                not_home,
                refused,
                warnings,
                visitor_ids: visitor,
                notes: String::new(),
            };
            let v = outreach_app::visits::save(store, &input)?;
            println!("已记录走访：{} {}，走访 {} 户", v.grid_name, v.building, v.visited);
        }
        VisitCmd::List { session, grid, json } => {
            let list =
                outreach_app::visits::list(store, &VisitFilter { session_id: session, grid_id: grid, within: None })?;
            if json {
                return json_out(&list);
            }
            for v in list {
                println!(
                    "{}\t{}\t{}\t走访 {}\t不在家 {}\t拒访 {}\t预警提示 {}",
                    v.visited_on, v.grid_name, v.building, v.visited, v.not_home, v.refused, v.warnings
                );
            }
        }
    }
    Ok(())
}

pub fn followup(store: &mut Store, cmd: FollowupCmd) -> Result<()> {
    match cmd {
        FollowupCmd::Add { name, phone, grid, worker, risk, warned, method, outcome, money_stopped, today } => {
            let today = today_or(today.as_deref())?;
            let input = CaseInput {
                id: None,
                name,
                phone: Some(phone),
                grid_id: outreach_core::units::resolve(store.conn(), &grid)?,
                worker_id: worker,
                risk: choice("risk", &risk, Risk::parse)?,
                warned_on: warned,
                method: choice("method", &method, Method::parse)?,
                outcome: choice("outcome", &outcome, Outcome::parse)?,
                money_stopped,
                notes: String::new(),
            };
            let c = outreach_app::followups::save(store, &input, today)?;
            println!("{}", c.id);
            for v in &c.visits {
                eprintln!("第 {} 次回访 {}（{}）", v.seq, v.due_on, v.id);
            }
        }
        FollowupCmd::Visit { visit_id, date, method, result, today } => {
            let today = today_or(today.as_deref())?;
            let input = VisitDone {
                visit_id,
                done_on: date,
                method: choice("method", &method, Method::parse)?,
                result: choice("result", &result, VisitResult::parse)?,
                notes: String::new(),
                visitor_id: None,
            };
            let c = outreach_app::followups::record_visit(store, &input, today)?;
            match &c.closed_on {
                Some(d) => {
                    println!("回访已记录；已结案（{d}），个人信息将于 {} 清除", c.purge_on.clone().unwrap_or_default())
                }
                None => println!("回访已记录"),
            }
        }
        FollowupCmd::List { json } => {
            let list = outreach_app::followups::list(store, &CaseFilter::default())?;
            if json {
                return json_out(&list);
            }
            for c in list {
                let done = c.visits.iter().filter(|v| v.done_on.is_some()).count();
                println!(
                    "{}\t{}\t{}\t{}\t{}\t回访 {}/{}",
                    c.warned_on,
                    if c.purged { "（已清除）" } else { &c.name },
                    c.phone_masked,
                    c.grid_name,
                    c.risk.label(),
                    done,
                    c.visits.len()
                );
            }
        }
        FollowupCmd::Due { days, today, json } => {
            let list = outreach_app::followups::due(store, today_or(today.as_deref())?, days, None)?;
            if json {
                return json_out(&list);
            }
            for d in list {
                println!(
                    "{}{}\t{}\t{}\t{}\t第 {} 次",
                    d.due_on,
                    if d.overdue { "（逾期）" } else { "" },
                    d.worker_name,
                    d.name,
                    d.phone_masked,
                    d.seq
                );
            }
        }
        FollowupCmd::Purge { today } => {
            let today = today_or(today.as_deref())?;
            // The live database and every backup; the audit entry (counts only) is written by the core.
            let r = outreach_app::followups::purge(store, today)?;
            println!("已{}", r.text());
        }
    }
    Ok(())
}

pub fn bundle(store: &mut Store, cmd: BundleCmd) -> Result<()> {
    match cmd {
        BundleCmd::Export { output, since, scope, encrypt, units, full_phones } => {
            let scope = match scope {
                ScopeArg::All => Scope::All,
                ScopeArg::Reference => Scope::Reference,
            };
            let units =
                units.iter().map(|u| outreach_core::units::resolve(store.conn(), u)).collect::<Result<Vec<_>>>()?;
            let filter = bundles::Filter { units: (!units.is_empty()).then_some(units), full_phones };
            let passphrase = match passphrase_from_env() {
                Some(p) => Some(p),
                None if scope == Scope::All || encrypt || full_phones => {
                    Some(prompt_new_passphrase().ok_or_else(|| {
                        eprintln!("{NO_PASSPHRASE_HINT}");
                        Error::invalid(Code::BundleEncryptionRequired, &[])
                    })??)
                }
                None => None,
            };
            let s = outreach_app::bundles::export_to(
                store,
                scope,
                since.as_deref(),
                passphrase.as_ref(),
                &filter,
                &output,
            )?;
            let how = if s.encrypted { "，已用口令加密" } else { "，未加密（仅基础数据）" };
            println!("已导出交接包：{} 条记录，{} 张照片，{} 字节{how}", s.entities, s.files, s.bytes);
        }
        BundleCmd::Import { file, dry_run, json } => {
            let bytes = std::fs::read(&file).map_err(|e| Error::io(file.display().to_string(), e))?;
            let passphrase = match bundles::file_kind(&bytes) {
                bundles::FileKind::Encrypted => {
                    Some(passphrase_from_env().or_else(|| prompt("交接包口令：")).ok_or_else(|| {
                        eprintln!("{NO_PASSPHRASE_HINT}");
                        Error::invalid(Code::BundlePassphraseRequired, &[])
                    })?)
                }
                _ => None,
            };
            let bytes = bundles::open(&bytes, passphrase.as_ref())?;
            drop(passphrase);
            let trace = std::env::var_os("OUTREACH_TRACE").is_some();
            let s = outreach_app::bundles::import(store, &bytes, dry_run, &mut |stage| {
                if trace {
                    eprintln!("stage: {stage}");
                }
            })?;
            if json {
                return json_out(&s);
            }
            let signer = if s.signer_label.is_empty() { "本数据库" } else { s.signer_label.as_str() };
            println!("签名：{signer}（{}）", s.signer_fingerprint);
            println!(
                "{}新增 {}，更新 {}，未变 {}，保留本机较新版本 {}，冲突 {}",
                if dry_run { "（预览，未写入）" } else { "" },
                s.added,
                s.updated,
                s.unchanged,
                s.kept,
                s.conflicts
            );
            for t in &s.tables {
                println!("  {}：新增 {}，更新 {}，冲突 {}", t.label, t.added, t.updated, t.conflicts);
            }
        }
        BundleCmd::Conflicts { all, json } => {
            let list = outreach_app::bundles::conflicts(store, all)?;
            if json {
                return json_out(&list);
            }
            for c in list {
                let diffs: Vec<String> = c
                    .fields
                    .iter()
                    .filter(|f| f.differs)
                    .map(|f| format!("{}: {} ⇄ {}", f.field, f.local, f.incoming))
                    .collect();
                println!("{}\t{}「{}」\t{}", c.id, c.entity, c.label, diffs.join("；"));
            }
        }
        BundleCmd::Resolve { id, take } => {
            let take = match take {
                TakeArg::Local => Take::Local,
                TakeArg::Incoming => Take::Incoming,
            };
            outreach_app::bundles::resolve(store, &id, take)?;
            println!("冲突已处理");
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- passphrases

const PASSPHRASE_ENV: &str = "OUTREACH_PASSPHRASE";
const NO_PASSPHRASE_HINT: &str =
    "请设置环境变量 OUTREACH_PASSPHRASE，或在终端中运行本命令以输入口令（口令不接受命令行参数）";

/// The passphrase in OUTREACH_PASSPHRASE, when set and not empty.
fn passphrase_from_env() -> Option<Passphrase> {
    let text = std::env::var(PASSPHRASE_ENV).ok().filter(|p| !p.is_empty())?;
    Some(with_work_factor(text))
}

/// Debug builds only: OUTREACH_TEST_WORK_FACTOR lowers the scrypt work factor so the CLI
/// tests need not spend a second per bundle. Release builds always use the real one.
pub(crate) fn with_work_factor(text: String) -> Passphrase {
    #[cfg(debug_assertions)]
    if let Some(n) = std::env::var("OUTREACH_TEST_WORK_FACTOR").ok().and_then(|v| v.parse::<u8>().ok()) {
        return Passphrase::with_work_factor(text, n);
    }
    Passphrase::new(text)
}

/// Reads a passphrase without echo when stdin is a terminal; None otherwise.
fn prompt(label: &str) -> Option<Passphrase> {
    if !std::io::stdin().is_terminal() {
        return None;
    }
    rpassword::prompt_password(label).ok().map(with_work_factor)
}

/// A new passphrase typed twice; checked for strength and agreement. None without a terminal.
fn prompt_new_passphrase() -> Option<Result<Passphrase>> {
    if !std::io::stdin().is_terminal() {
        return None;
    }
    eprintln!("含个人信息的交接包需用口令加密。口令至少 {} 个字符，混合字母、数字、符号或汉字中的至少两类；请另行告知接收方。", passphrase::MIN_CHARS);
    let read = |label: &str| rpassword::prompt_password(label).map(Zeroizing::new).map_err(|e| Error::io("终端", e));
    Some((|| {
        let first = read("设置交接包口令：")?;
        passphrase::check_strength(&first)?;
        let second = read("再次输入口令：")?;
        passphrase::check_confirmation(&first, &second)?;
        Ok(with_work_factor(first.to_string()))
    })())
}

pub fn materials_cmd(store: &mut Store, cmd: MaterialsCmd) -> Result<()> {
    match cmd {
        MaterialsCmd::Moves { unit, json } => {
            let unit = unit.map(|u| outreach_core::units::resolve(store.conn(), &u)).transpose()?;
            let list = materials::moves(store.conn(), unit.as_deref())?;
            if json {
                return json_out(&list);
            }
            for m in &list {
                println!(
                    "{}\t{}\t{}\t{} → {}\t{}\t{}",
                    m.moved_on, m.material_name, m.quantity, m.from_unit_name, m.to_unit_name, m.source, m.notes
                );
            }
        }
        MaterialsCmd::List => {
            for m in materials::list(store.conn())? {
                println!("{}\t{}\t{}\t预警 {}", m.id, m.name, m.unit_label, m.low_stock);
            }
        }
        MaterialsCmd::Receive { material, unit, quantity, date, source } => {
            let input = StockMoveInput {
                material_id: materials::resolve(store.conn(), &material)?.id,
                kind: "receipt".into(),
                from_unit_id: None,
                to_unit_id: outreach_core::units::resolve(store.conn(), &unit)?,
                quantity,
                moved_on: date,
                source,
                notes: String::new(),
            };
            let m = outreach_app::materials::add_move(store, &input)?;
            println!("入库：{} {} {}", m.to_unit_name, m.material_name, m.quantity);
        }
        MaterialsCmd::Allocate { material, from, to, quantity, date } => {
            let input = StockMoveInput {
                material_id: materials::resolve(store.conn(), &material)?.id,
                kind: "allocation".into(),
                from_unit_id: Some(outreach_core::units::resolve(store.conn(), &from)?),
                to_unit_id: outreach_core::units::resolve(store.conn(), &to)?,
                quantity,
                moved_on: date,
                source: String::new(),
                notes: String::new(),
            };
            let m = outreach_app::materials::add_move(store, &input)?;
            println!("调拨：{} → {} {} {}", m.from_unit_name, m.to_unit_name, m.material_name, m.quantity);
        }
        MaterialsCmd::Stock { unit, json } => {
            let unit = unit.map(|u| outreach_core::units::resolve(store.conn(), &u)).transpose()?;
            let lines = materials::stock(store.conn(), unit.as_deref())?;
            if json {
                return json_out(&lines);
            }
            println!("单位\t物资\t入库\t调入\t调出\t发放\t结存");
            for l in lines {
                let flag = match l.state.as_str() {
                    "negative" => "（负数！）",
                    "low" => "（低于预警）",
                    _ => "",
                };
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}{}",
                    l.unit_name,
                    l.material_name,
                    l.received,
                    l.allocated_in,
                    l.allocated_out,
                    l.handed_out,
                    l.balance,
                    flag
                );
            }
        }
    }
    Ok(())
}
