//! `outreach` — the command line over the same core as the desktop app. Scripts, checks
//! and benchmarks drive the product through it.
//!
//! Exit status: 0 success; 1 the input was refused (every reason on its own line, nothing
//! changed); 2 usage error.

mod incidents;
mod people;
mod print;
mod record;
mod stress;
mod venues;

use outreach_core::error::Code;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use outreach_core::access::Action;
use outreach_core::keychain;
use outreach_core::series;
use outreach_core::sessions::{
    self, AssignRole, Assignment, Audience, SessionFilter, SessionInput, SessionKind, SessionStatus,
};
use outreach_core::transfer::{self, FileFormat, TableKind};
use outreach_core::Passphrase;
use outreach_core::{audit, backup, demo, paths, profiles, sheets, units, Error, Store};

#[derive(Parser)]
#[command(name = "outreach", version, about = "反诈宣防工作台 Outreach Desk — command line")]
struct Cli {
    /// Database file (default: the app's own database in its data folder; OUTREACH_DATA_DIR moves that folder)
    #[arg(long, global = true)]
    db: Option<PathBuf>,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Clone, Copy, ValueEnum)]
enum Scale {
    Small,
    CityYear,
}

#[derive(Clone, Copy, ValueEnum)]
enum Table {
    Units,
    People,
    Venues,
    Sessions,
    Incidents,
}

#[derive(Clone, Copy, ValueEnum)]
enum ImportTable {
    Units,
    People,
    Venues,
    /// The case system's fraud cases (发案数据)
    Incidents,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Csv,
    Xlsx,
}

#[derive(Subcommand)]
enum Cmd {
    /// Load the demo data (a city with three districts) into an empty database
    Demo {
        #[arg(long, value_enum, default_value = "small")]
        scale: Scale,
    },
    /// Export a table; the first column is the record id, units list parents before children
    Export {
        #[arg(value_enum)]
        table: Table,
        #[arg(long, value_enum)]
        format: Format,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// Write phones in full; without it they are masked (138****0000). Audited either way
        #[arg(long)]
        full_phones: bool,
        /// Masked phones are the default now; kept so older scripts still run
        #[arg(long, hide = true, conflicts_with = "full_phones")]
        mask_phones: bool,
    },
    /// Write a blank import template with the column headers (the format follows the file's
    /// extension unless --format says it)
    Template {
        #[arg(value_enum)]
        table: ImportTable,
        #[arg(long, value_enum)]
        format: Option<Format>,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Import a .csv (UTF-8 or GBK) or .xlsx file; all rows or none unless --skip-invalid
    Import {
        #[arg(value_enum)]
        table: ImportTable,
        file: PathBuf,
        /// Import the valid rows and skip the refused ones
        #[arg(long)]
        skip_invalid: bool,
        /// Check the file and report, without changing anything
        #[arg(long)]
        dry_run: bool,
    },
    /// Organisation tree with the totals of the grids below each unit; archive or restore a unit
    Units {
        #[command(subcommand)]
        cmd: UnitsCmd,
    },
    /// The speaker corps and grid workers: list, add, archive, restore, a full phone number
    People {
        #[command(subcommand)]
        cmd: people::PeopleCmd,
    },
    /// Schools, firms, communities and squares: list, add, archive, restore, a contact's phone
    Venues {
        #[command(subcommand)]
        cmd: venues::VenuesCmd,
    },
    /// Take a backup now, or list the backups
    Backup {
        #[arg(long)]
        list: bool,
    },
    /// Replace the database with a backup (a backup of the current state is taken first)
    Restore {
        /// A file name from `backup --list`, or a path
        backup: String,
    },
    /// The audit log
    Audit {
        #[command(subcommand)]
        cmd: AuditCmd,
    },
    /// Encrypt the database with a passphrase, or change it (the new one from
    /// OUTREACH_NEW_PASSPHRASE or a prompt; never from the command line). Backups follow.
    Passphrase {
        #[command(subcommand)]
        cmd: PassphraseCmd,
    },
    /// Captain profiles (coordinator): list, add, edit, remove; `passphrase` changes the
    /// current captain's own (OUTREACH_PROFILE), the new one from OUTREACH_NEW_PASSPHRASE or
    /// typed twice. OUTREACH_PROFILE=<label or id> makes any command run as that captain.
    Profiles {
        #[command(subcommand)]
        cmd: ProfilesCmd,
    },
    /// Measurements on a release build
    Bench {
        #[command(subcommand)]
        cmd: BenchCmd,
    },
    /// Plan sessions: add, list, cancel, calendar export, gaps and topic suggestions
    Plan {
        #[command(subcommand)]
        cmd: PlanCmd,
    },
    /// Record what happened at a session: headcount, split, speakers, materials, photos
    Record {
        #[command(subcommand)]
        cmd: record::RecordCmd,
    },
    /// Door-to-door visit logs
    Visit {
        #[command(subcommand)]
        cmd: record::VisitCmd,
    },
    /// Warned residents and their follow-up visits
    Followup {
        #[command(subcommand)]
        cmd: record::FollowupCmd,
    },
    /// Hand-over bundles between machines
    Bundle {
        #[command(subcommand)]
        cmd: record::BundleCmd,
    },
    /// This database's signing identity: the fingerprint to read aloud and the public key
    /// another database registers (`signer add --key …`) to accept its bundles
    Identity,
    /// The signers whose bundles this database accepts: add, list, revoke (coordinator)
    Signer {
        #[command(subcommand)]
        cmd: SignerCmd,
    },
    /// A report for a unit and period; the format follows the file's extension (.pdf, .xlsx, .json)
    Report {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Coverage figures of a unit for a period (the dashboard's numbers)
    Coverage {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        /// Break down by child units or by grids
        #[arg(long, default_value = "children")]
        by: String,
        #[arg(long)]
        json: bool,
    },
    /// Print documents as PDF: flyer, flyers (per grid), signin, letters, certificate
    Print {
        #[command(subcommand)]
        cmd: print::PrintCmd,
    },
    /// Materials: items, receipts, allocations and the stock reconciliation
    Materials {
        #[command(subcommand)]
        cmd: record::MaterialsCmd,
    },
    /// Fraud cases beside the outreach: weekly review, precision gaps, re-victimisation, labels
    Incidents {
        #[command(subcommand)]
        cmd: incidents::IncidentsCmd,
    },
    /// The crash harness's child: writes until killed, reporting each committed write on stdout
    #[command(hide = true)]
    Stress {
        #[arg(long)]
        seed: u64,
        /// A reference bundle of the same database, the base of the bundles it imports
        #[arg(long, required_unless_present = "rekey")]
        reference: Option<PathBuf>,
        /// Instead of writing, move the database and its backups to a new data key over and
        /// over (the re-key crash harness); the passphrase from OUTREACH_PASSPHRASE
        #[arg(long)]
        rekey: bool,
    },
}

#[derive(Subcommand)]
enum BenchCmd {
    /// Fill a month with N sessions (on the demo's venues and people) and time the calendar query
    Month {
        /// YYYY-MM
        #[arg(long)]
        month: String,
        #[arg(long, default_value_t = 2000)]
        sessions: u32,
    },
    /// Time the import of N generated people rows (all in one transaction)
    Import {
        #[arg(long, default_value_t = 100_000)]
        rows: u32,
    },
    /// Time N personalised flyers in one PDF (on the demo's sessions; font load timed apart)
    Print {
        #[arg(long, default_value_t = 1000)]
        flyers: usize,
    },
    /// On a city-year database: the dashboard's whole-city year, a district's quarter by grid, a 50-page report
    Coverage,
    /// On a city-year database: the window's long lists a page at a time (follow-up cases, the
    /// due follow-ups with their totals, the print view's session picker) against the whole
    /// lists they replace
    Lists,
    /// On a city-year database: the whole city's weekly case review, the precision gaps and the
    /// year's outcome figures
    Incidents,
    /// Time the import of a bundle carrying N changes (in a scratch folder; the database is not touched)
    Bundle {
        #[arg(long, default_value_t = 10_000)]
        changes: u32,
    },
}

#[derive(Subcommand)]
enum PlanCmd {
    /// Plan a session (or a recurring series). Warnings (double booking, …) refuse it with exit 1 unless --allow-conflict
    Add {
        #[arg(long)]
        title: String,
        /// talk|bench_talk|door_to_door|booth|performance|training|online_push (or 宣讲, 板凳会, …)
        #[arg(long)]
        kind: String,
        /// Local time, "YYYY-MM-DD HH:MM" or "YYYY-MM-DDTHH:MM" (Asia/Shanghai)
        #[arg(long)]
        start: String,
        #[arg(long)]
        end: String,
        #[arg(long)]
        venue: Option<String>,
        #[arg(long)]
        unit: Option<String>,
        /// PERSON_ID[:role] — role lead_speaker|speaker|grid_worker|captain|performer (default speaker); repeatable
        #[arg(long = "person")]
        people: Vec<String>,
        /// Topic id or name; repeatable
        #[arg(long = "topic")]
        topics: Vec<String>,
        /// elderly|students|parents|enterprise_staff|finance_staff|merchants|public; repeatable
        #[arg(long = "audience")]
        audiences: Vec<String>,
        #[arg(long)]
        expected: Option<u32>,
        #[arg(long, default_value = "")]
        channel: String,
        #[arg(long)]
        messages: Option<u32>,
        #[arg(long, default_value = "")]
        notes: String,
        /// weekly[:N] | monthly-day | monthly-weekday:NTH:WEEKDAY (NTH 1–4 or -1 for last; WEEKDAY 1=Mon … 7=Sun)
        #[arg(long)]
        repeat: Option<String>,
        #[arg(long, default_value_t = 1)]
        count: u32,
        /// Save despite warnings
        #[arg(long)]
        allow_conflict: bool,
    },
    /// List sessions
    List {
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        /// This unit and everything below it
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        person: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Cancel a session (other occurrences of its series stay)
    Cancel {
        id: String,
        #[arg(long)]
        reason: String,
    },
    /// Move a session along its lifecycle: planned|confirmed|held|cancelled (held by hand only
    /// once started, with --reason; a held session without a record back to confirmed;
    /// reported only by `record review`)
    Status {
        id: String,
        status: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Write the sessions (of a unit and below, or of a person) as an .ics calendar
    Ics {
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        person: Option<String>,
    },
    /// Grids with no held session in the last N days, most residents first
    Gaps {
        #[arg(long, default_value_t = 30)]
        days: u32,
        #[arg(long)]
        unit: Option<String>,
        /// Count the days back from this date (default today)
        #[arg(long)]
        as_of: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Audiences and topics a unit needs first, with the reasons
    Suggest {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        json: bool,
    },
    /// Who could take a session at this time on these topics: the qualified and free first,
    /// each with their topics and what they are already booked for
    Candidates {
        #[arg(long)]
        start: String,
        #[arg(long)]
        end: String,
        /// Topic id or name; repeatable
        #[arg(long = "topic")]
        topics: Vec<String>,
        /// The session being changed (its own people are not busy with it)
        #[arg(long)]
        session: Option<String>,
        /// Part of a name or of a unit's name
        #[arg(long, default_value = "")]
        search: String,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// The topic library: each topic, the audiences it is for, its tips
    Topics {
        #[arg(long)]
        json: bool,
    },
    /// The session templates: kind, length, audiences, topics, roles, materials
    Templates {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum UnitsCmd {
    /// Print the tree
    Tree {
        #[arg(long)]
        json: bool,
    },
    /// Archive a unit (name or id) with nothing active below it
    Archive {
        unit: String,
        #[arg(long)]
        json: bool,
    },
    /// Bring an archived unit back (by id; `units tree` lists only active ones)
    Restore {
        unit: String,
        #[arg(long)]
        json: bool,
    },
}

/// An anchor as printed (a report's footer ends it with …): at least 16 hex digits.
fn anchor_arg(s: &str) -> Result<String, String> {
    let a = s.trim().trim_end_matches('…').to_ascii_lowercase();
    if (audit::ANCHOR_MIN_DIGITS..=64).contains(&a.len()) && a.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(a)
    } else {
        Err(format!("锚点应为审计记录哈希的前 {}–64 位十六进制数字", audit::ANCHOR_MIN_DIGITS))
    }
}

#[derive(Subcommand)]
enum AuditCmd {
    /// Check the hash chain; exit 1 at the first broken link
    Verify {
        /// An entry's hash kept outside the database (a report's footer, a backup's header),
        /// at least its first 16 hex digits: exit 1 when the log no longer holds it (cut or rewritten)
        #[arg(long, value_parser = anchor_arg)]
        anchor: Option<String>,
    },
    /// Print the newest entries
    List {
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Each entry with its note's code and values, as the window shows it
        #[arg(long)]
        json: bool,
    },
}

fn table_kind(t: ImportTable) -> TableKind {
    match t {
        ImportTable::Units => TableKind::Units,
        ImportTable::People => TableKind::People,
        ImportTable::Venues => TableKind::Venues,
        ImportTable::Incidents => TableKind::Incidents,
    }
}

fn format_of(f: Format) -> FileFormat {
    match f {
        Format::Csv => FileFormat::Csv,
        Format::Xlsx => FileFormat::Xlsx,
    }
}

fn refused(e: &Error) -> ExitCode {
    for i in e.issues() {
        eprintln!("{}", i.message);
    }
    if std::env::var_os("OUTREACH_DEBUG").is_some() {
        eprintln!("debug: {e:?}");
    }
    ExitCode::from(1)
}

#[derive(Subcommand)]
enum ProfilesCmd {
    /// Every profile (id, label, units)
    List {
        #[arg(long)]
        json: bool,
    },
    /// A new captain profile; its passphrase from OUTREACH_NEW_PASSPHRASE or typed twice
    Add {
        #[arg(long)]
        label: String,
        /// A grid, or a community/station meaning every grid under it (repeatable)
        #[arg(long = "unit", required = true)]
        units: Vec<String>,
    },
    /// Change a profile's label or units (the units given replace the old ones)
    Edit {
        id: String,
        #[arg(long)]
        label: Option<String>,
        #[arg(long = "unit")]
        units: Vec<String>,
    },
    /// Bring the captain's last work in, then archive the profile and delete its key slot and database
    Remove { id: String },
    /// Bring every captain's work on this machine in, and the latest to them (also done at the
    /// window's unlock)
    Sync,
    /// The current captain's own passphrase
    Passphrase,
}

#[derive(Subcommand)]
enum SignerCmd {
    /// Register another database's public key (compare its fingerprint on the phone first)
    Add {
        /// The key as `outreach identity` prints it: ed25519:…
        #[arg(long)]
        key: String,
        #[arg(long)]
        label: String,
        #[arg(long, value_enum)]
        role: SignerRoleArg,
        /// A captain's grid, or a community meaning every grid under it (repeatable)
        #[arg(long = "unit")]
        units: Vec<String>,
    },
    /// Every registered signer (fingerprint, label, role, units, revoked)
    List {
        #[arg(long)]
        json: bool,
    },
    /// Refuse this signer's bundles from now on (it stays listed)
    Revoke { fingerprint: String },
}

#[derive(Clone, Copy, ValueEnum)]
enum SignerRoleArg {
    Coordinator,
    Captain,
}

#[derive(Subcommand)]
enum PassphraseCmd {
    /// Set a passphrase on a plain database, or change the current one
    Change,
    /// Whether the database is encrypted, and whether the OS keychain holds its passphrase
    Status,
    /// Keep the passphrase (checked first) in the OS keychain, so this account's later runs
    /// need neither the variable nor the prompt. Anyone logged into the account can then open the data
    Remember,
    /// Remove the passphrase from the OS keychain
    Forget,
    /// Move the database and every backup to a new data key (after a key may have leaked);
    /// the passphrase stays. Journalled: an interrupted re-key is finished at the next unlock
    Rekey,
}

/// The database passphrase: the variable OUTREACH_PASSPHRASE, else a prompt when the file is
/// encrypted and someone is at the terminal. Never an argument: those end up in shell history
/// and in the process list.
fn db_passphrase(db: &std::path::Path) -> outreach_core::Result<Option<Passphrase>> {
    passphrase_for(db, true)
}

/// The passphrase as `db_passphrase` finds it; `use_keychain`: whether the OS keychain may give
/// it (the coordinator's only: a captain's is typed or in the variable).
fn passphrase_for(db: &std::path::Path, use_keychain: bool) -> outreach_core::Result<Option<Passphrase>> {
    // A plain database stays plain (the variable may be there for a bundle): encrypting it
    // is `outreach passphrase change`, or the app's first screen.
    let state = outreach_core::db::file_state(db)?;
    if state == outreach_core::db::FileState::Plain {
        return Ok(None);
    }
    if let Some(p) = std::env::var("OUTREACH_PASSPHRASE").ok().filter(|p| !p.is_empty()) {
        return Ok(Some(Passphrase::new(p)));
    }
    if state == outreach_core::db::FileState::Encrypted {
        // Remembered in the OS keychain (`outreach passphrase remember`). No keychain on this
        // machine is no error: the prompt follows.
        if let Some(Ok(Some(r))) = use_keychain.then(|| keychain::recall(db)) {
            if r.profile.is_none() {
                return match outreach_core::db::check_passphrase(db, &r.secret) {
                    Ok(()) => Ok(Some(r.secret)),
                    Err(e) if e.code() == "db.passphrase_wrong" => Err(keychain::stale(db)),
                    Err(e) => Err(e),
                };
            }
        }
        if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
            let p = rpassword::prompt_password("数据库口令：").map_err(|e| Error::io("stdin", e))?;
            return Ok(Some(Passphrase::new(p)));
        }
    }
    Ok(None)
}

/// The coordinator's passphrase asked again (OUTREACH_PASSPHRASE, else the prompt).
fn current_passphrase(store: &Store) -> outreach_core::Result<Passphrase> {
    let db = store.path().ok_or_else(|| Error::Internal("no database file".into()))?;
    passphrase_for(db, false)?.ok_or_else(|| Error::invalid(Code::DbPassphraseRequired, &[]))
}

/// A new passphrase: OUTREACH_NEW_PASSPHRASE, else typed twice at the terminal.
fn new_passphrase() -> outreach_core::Result<Passphrase> {
    if let Some(p) = std::env::var("OUTREACH_NEW_PASSPHRASE").ok().filter(|p| !p.is_empty()) {
        return Ok(record::with_work_factor(p));
    }
    if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        return Err(Error::invalid(Code::PassphraseNeededNew, &[]));
    }
    let a = rpassword::prompt_password("新口令：").map_err(|e| Error::io("stdin", e))?;
    let b = rpassword::prompt_password("再输入一次：").map_err(|e| Error::io("stdin", e))?;
    if a != b {
        return Err(Error::invalid(Code::PassphraseMismatch, &[]));
    }
    Ok(record::with_work_factor(a.to_string()))
}

/// Opens the database as the coordinator, or — with OUTREACH_PROFILE (label or id) — as
/// that captain, whose passphrase is then OUTREACH_PASSPHRASE (or the prompt).
fn open(db: &std::path::Path) -> outreach_core::Result<Store> {
    let Some(who) = std::env::var("OUTREACH_PROFILE").ok().filter(|p| !p.trim().is_empty()) else {
        return db_passphrase(db).and_then(|k| Store::open_with(db, k.as_ref()));
    };
    let slots = profiles::slots(db)?;
    let slot = slots
        .iter()
        .find(|s| s.id == who)
        .or_else(|| slots.iter().find(|s| s.label == who))
        .ok_or_else(|| Error::invalid(Code::ProfileNotFound, &[("id", &who)]))?;
    let key = passphrase_for(db, false)?.ok_or_else(|| Error::invalid(Code::DbPassphraseRequired, &[]))?;
    profiles::unlock(db, &slot.id, &key)
}

fn main() -> ExitCode {
    // Piped into `head`, stop quietly like other command-line tools instead of panicking.
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    let db = cli.db.clone().unwrap_or_else(paths::default_db_path);
    let mut store = match open(&db) {
        Ok(s) => s,
        Err(e) => return refused(&e),
    };
    match run(&mut store, cli.cmd) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => refused(&e),
    }
}

/// What a captain may not do from the command line (the core refuses some of these too).
/// The access-table action of a subcommand, checked before it runs. Every subcommand is
/// named here (no fallthrough), so a new one cannot skip the table; `None` is a read of
/// nothing personal, or a command whose use case checks its own rows.
fn action_of(cmd: &Cmd) -> Option<Action> {
    use record::{BundleCmd, FollowupCmd, MaterialsCmd, RecordCmd, VisitCmd};
    match cmd {
        Cmd::Demo { .. } => Some(Action::DemoLoad),
        Cmd::Export { .. } => Some(Action::TableExport),
        Cmd::Template { .. } => Some(Action::TableTemplate),
        Cmd::Import { .. } => Some(Action::TableImport),
        Cmd::Units { cmd: UnitsCmd::Tree { .. } } => None,
        Cmd::Units { cmd: UnitsCmd::Archive { .. } } => Some(Action::UnitsArchive),
        Cmd::Units { cmd: UnitsCmd::Restore { .. } } => Some(Action::UnitsRestore),
        Cmd::People { cmd: people::PeopleCmd::List { .. } } => None,
        Cmd::People { cmd: people::PeopleCmd::Add { .. } } => Some(Action::PeopleEdit),
        Cmd::People { cmd: people::PeopleCmd::Archive { .. } } => Some(Action::PeopleArchive),
        Cmd::People { cmd: people::PeopleCmd::Restore { .. } } => Some(Action::PeopleRestore),
        Cmd::People { cmd: people::PeopleCmd::Phone { .. } } => Some(Action::PeopleRevealPhone),
        Cmd::Venues { cmd: venues::VenuesCmd::List { .. } } => None,
        Cmd::Venues { cmd: venues::VenuesCmd::Add { .. } } => Some(Action::VenuesEdit),
        Cmd::Venues { cmd: venues::VenuesCmd::Archive { .. } } => Some(Action::VenuesArchive),
        Cmd::Venues { cmd: venues::VenuesCmd::Restore { .. } } => Some(Action::VenuesRestore),
        Cmd::Venues { cmd: venues::VenuesCmd::Phone { .. } } => Some(Action::VenuesRevealPhone),
        Cmd::Backup { list: false } => Some(Action::BackupCreate),
        Cmd::Backup { list: true } => None,
        Cmd::Restore { .. } => Some(Action::BackupRestore),
        Cmd::Audit { cmd: AuditCmd::List { .. } } => Some(Action::AuditList),
        Cmd::Audit { cmd: AuditCmd::Verify { .. } } => Some(Action::AuditVerify),
        Cmd::Passphrase { cmd: PassphraseCmd::Change } => Some(Action::PassphraseChange),
        Cmd::Passphrase { cmd: PassphraseCmd::Status } => None,
        Cmd::Passphrase { cmd: PassphraseCmd::Remember } => Some(Action::PassphraseRemember),
        Cmd::Passphrase { cmd: PassphraseCmd::Forget } => Some(Action::PassphraseForget),
        Cmd::Passphrase { cmd: PassphraseCmd::Rekey } => Some(Action::PassphraseChange),
        Cmd::Profiles { cmd: ProfilesCmd::Passphrase } => Some(Action::OwnPassphrase),
        Cmd::Profiles { .. } => Some(Action::ProfilesManage),
        Cmd::Bench { .. } => Some(Action::Bench),
        Cmd::Stress { .. } => Some(Action::Stress),
        Cmd::Plan { cmd: PlanCmd::Add { .. } | PlanCmd::Cancel { .. } | PlanCmd::Status { .. } } => {
            Some(Action::SessionsPlan)
        }
        Cmd::Plan {
            cmd:
                PlanCmd::List { .. }
                | PlanCmd::Ics { .. }
                | PlanCmd::Gaps { .. }
                | PlanCmd::Suggest { .. }
                | PlanCmd::Topics { .. }
                | PlanCmd::Candidates { .. }
                | PlanCmd::Templates { .. },
        } => None,
        Cmd::Record { cmd: RecordCmd::Add { .. } } => Some(Action::RecordsSave),
        Cmd::Record { cmd: RecordCmd::Review { .. } } => Some(Action::RecordsReview),
        Cmd::Record { cmd: RecordCmd::Show { .. } } => Some(Action::RecordsView),
        Cmd::Visit { cmd: VisitCmd::Add { .. } } => Some(Action::VisitsSave),
        Cmd::Visit { cmd: VisitCmd::List { .. } } => Some(Action::VisitsView),
        Cmd::Followup { cmd: FollowupCmd::Add { .. } } => Some(Action::CasesSave),
        Cmd::Followup { cmd: FollowupCmd::Visit { .. } } => Some(Action::CasesVisit),
        Cmd::Followup { cmd: FollowupCmd::List { .. } | FollowupCmd::Due { .. } } => Some(Action::CasesView),
        Cmd::Followup { cmd: FollowupCmd::Purge { .. } } => Some(Action::CasesPurge),
        Cmd::Bundle { cmd: BundleCmd::Export { .. } } => Some(Action::BundlesExportChanges),
        Cmd::Bundle { cmd: BundleCmd::Import { .. } } => Some(Action::BundlesImport),
        Cmd::Bundle { cmd: BundleCmd::Conflicts { .. } | BundleCmd::Resolve { .. } } => Some(Action::BundlesResolve),
        Cmd::Identity | Cmd::Signer { cmd: SignerCmd::List { .. } } => None,
        Cmd::Signer { cmd: SignerCmd::Add { .. } | SignerCmd::Revoke { .. } } => Some(Action::SignersEdit),
        Cmd::Report { .. } | Cmd::Coverage { .. } => Some(Action::ReportsView),
        Cmd::Print { .. } => Some(Action::PrintDocuments),
        Cmd::Materials { cmd: MaterialsCmd::Receive { .. } | MaterialsCmd::Allocate { .. } } => Some(Action::StockMove),
        Cmd::Materials { cmd: MaterialsCmd::List | MaterialsCmd::Moves { .. } | MaterialsCmd::Stock { .. } } => None,
        Cmd::Incidents { cmd } => Some(cmd.action()),
    }
}

fn run(store: &mut Store, cmd: Cmd) -> outreach_core::Result<()> {
    if let Some(action) = action_of(&cmd) {
        store.authorize(action)?;
    }
    match cmd {
        Cmd::Profiles { cmd } => profiles_cmd(store, cmd)?,
        Cmd::Demo { scale } => {
            if let Scale::CityYear = scale {
                let t = std::time::Instant::now();
                let s = outreach_core::cityyear::load(store, 5000, 20_000, 1_000_000, 100_000)?;
                println!(
                    "已生成 {} 至 {} 的城市数据：单位 {} 个（网格 {} 个），人员 {} 名，活动 {} 场，走访记录 {} 条，预警对象 {} 个（{:.1} 秒）",
                    s.from, s.to, s.units, s.grids, s.people, s.sessions, s.visits, s.cases, t.elapsed().as_secs_f64()
                );
                return Ok(());
            }
            let s = demo::load(store)?;
            println!(
                "已载入演示数据：单位 {} 个（网格 {} 个），人员 {} 名，队伍 {} 支，场所 {} 个，活动 {} 场",
                s.units, s.grids, s.people, s.teams, s.venues, s.sessions
            );
        }
        Cmd::Export { table, format, output, full_phones, .. } => {
            let kind = match table {
                Table::Units => TableKind::Units,
                Table::People => TableKind::People,
                Table::Venues => TableKind::Venues,
                Table::Sessions => TableKind::Sessions,
                Table::Incidents => TableKind::Incidents,
            };
            let n = outreach_app::transfer::export(store, kind, format_of(format), &output, full_phones)?;
            println!("已导出 {n} 行到 {}", output.display());
        }
        Cmd::Template { table, format, output } => {
            let format = match format {
                Some(f) => format_of(f),
                None if output.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) => FileFormat::Csv,
                None => FileFormat::Xlsx,
            };
            transfer::template(table_kind(table), format, &output)?;
            println!("已保存模板 {}", output.display());
        }
        Cmd::Import { table, file, skip_invalid, dry_run } => {
            let kind = table_kind(table);
            let sheet = sheets::read(&file)?;
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
            if dry_run {
                let preview = transfer::preview(store, kind, &sheet, &name, &mut |_| {})?;
                for i in transfer::problem_issues(&preview.problems).iter().filter(|_| !preview.problems.is_empty()) {
                    eprintln!("{}", i.message);
                }
                println!(
                    "检查完成：共 {} 行，可导入 {} 行（新增 {}，更新 {}，未变 {}），有误 {} 行",
                    preview.total_rows,
                    preview.valid_rows,
                    preview.to_add,
                    preview.to_update,
                    preview.unchanged,
                    preview.problems.len()
                );
                return if preview.problems.is_empty() { Ok(()) } else { Err(Error::Invalid(vec![])) };
            }
            // One pass: a refused row rolls the whole transaction back and names every bad row.
            let out = transfer::commit(store, kind, &sheet, &name, skip_invalid, &mut |_| {})?;
            println!(
                "导入完成：新增 {}，更新 {}，未变 {}，跳过 {}",
                out.added, out.updated, out.unchanged, out.skipped
            );
        }
        Cmd::Units { cmd: UnitsCmd::Tree { json } } => {
            let tree = units::tree(store.conn(), false)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&tree).map_err(|e| Error::Internal(e.to_string()))?);
            } else {
                fn show(n: &units::UnitNode, depth: usize) {
                    println!(
                        "{}{} [{}] {}  网格 {} 户 {} 人 {}",
                        "  ".repeat(depth),
                        n.unit.name,
                        n.unit.kind.label(),
                        n.unit.id,
                        n.totals.grids,
                        n.totals.households,
                        n.totals.residents
                    );
                    for c in &n.children {
                        show(c, depth + 1);
                    }
                }
                tree.iter().for_each(|n| show(n, 0));
            }
        }
        Cmd::Units { cmd: UnitsCmd::Archive { unit, json } } => {
            let id = units::resolve(store.conn(), &unit)?;
            let u = outreach_app::units::archive(store, &id)?;
            if json {
                return json_out(&u);
            }
            println!("已归档：{}", u.name);
        }
        Cmd::Units { cmd: UnitsCmd::Restore { unit, json } } => {
            let id = units::resolve(store.conn(), &unit)?;
            let u = outreach_app::units::restore(store, &id)?;
            if json {
                return json_out(&u);
            }
            println!("已恢复：{}", u.name);
        }
        Cmd::People { cmd } => people::people(store, cmd)?,
        Cmd::Venues { cmd } => venues::venues(store, cmd)?,
        Cmd::Backup { list } => {
            if list {
                for b in backup::list(store)? {
                    // The audit head at the copy (its anchor for `audit verify --anchor`), when known.
                    let head = b.audit_head.as_deref().map(|h| &h[..h.len().min(16)]).unwrap_or("-");
                    println!("{}\t{}\t{}\t{} 字节\t审计链 {head}", b.file_name, b.created_at, b.reason, b.size_bytes);
                }
            } else {
                let b = backup::create(store, "manual")?;
                println!("已备份：{}", b.file_name);
            }
        }
        Cmd::Restore { backup: name } => {
            let before = backup::restore(store, &name)?;
            println!("已恢复 {name}；恢复前的数据已备份为 {}", before.file_name);
        }
        Cmd::Audit { cmd: AuditCmd::Verify { anchor: None } } => {
            let v = audit::verify(store.conn())?;
            match v.first_broken {
                None => println!("审计日志完整：{} 条记录，哈希链无断裂", v.entries),
                Some(seq) => return Err(Error::invalid(Code::AuditBroken, &[("seq", &seq.to_string())])),
            }
        }
        Cmd::Audit { cmd: AuditCmd::Verify { anchor: Some(anchor) } } => {
            let v = audit::verify_anchor(store.conn(), &anchor)?;
            println!("审计日志完整：{} 条记录，哈希链无断裂，锚点 {anchor} 仍在链中", v.entries);
        }
        Cmd::Passphrase { cmd: PassphraseCmd::Change } => {
            let new = new_passphrase()?;
            match store.change_passphrase(&new) {
                // Opened with the data key the keychain keeps: the current passphrase is asked.
                Err(e) if e.code() == "db.passphrase_required" => {
                    store.confirm_passphrase(&current_passphrase(store)?)?;
                    store.change_passphrase(&new)?;
                }
                r => r?,
            }
            println!("口令已设置：数据密钥已用新口令重新封装（数据库和备份无需重写）");
        }
        Cmd::Passphrase { cmd: PassphraseCmd::Rekey } => {
            store.rekey_data(&current_passphrase(store)?)?;
            println!("数据库和全部备份已改用新的数据密钥");
        }
        Cmd::Passphrase { cmd: PassphraseCmd::Status } => {
            println!("{}", if store.is_encrypted() { "数据库已加密（SQLCipher，AES-256）" } else { "数据库未加密" });
            let db = store.path().map(|p| p.to_path_buf()).unwrap_or_default();
            if store.is_encrypted() && keychain::is_remembered(&db) {
                println!("口令已保存在系统钥匙串中");
            }
        }
        Cmd::Passphrase { cmd: PassphraseCmd::Remember } => {
            // Whoever is working: a captain's own passphrase (OUTREACH_PASSPHRASE or the prompt),
            // never the database passphrase their slot unlocked.
            let db = store.path().map(|p| p.to_path_buf()).unwrap_or_default();
            let own = match store.access().profile_id {
                Some(_) => passphrase_for(&db, false)?,
                None => None,
            };
            outreach_app::security::remember(store, own.as_ref())?;
            println!("口令已保存在系统钥匙串中：本账户以后运行不再询问口令（用 outreach passphrase forget 删除）");
        }
        Cmd::Passphrase { cmd: PassphraseCmd::Forget } => {
            outreach_app::security::forget(store)?;
            println!("系统钥匙串中已无本数据库的口令");
        }
        Cmd::Plan { cmd } => plan(store, cmd)?,
        Cmd::Record { cmd } => record::record(store, cmd)?,
        Cmd::Visit { cmd } => record::visit(store, cmd)?,
        Cmd::Followup { cmd } => record::followup(store, cmd)?,
        Cmd::Bundle { cmd } => record::bundle(store, cmd)?,
        Cmd::Identity => {
            let me = outreach_app::bundles::identity(store)?;
            println!("本数据库的签名身份");
            println!("指纹：{}", me.fingerprint);
            println!("公钥：{}", me.public_key);
        }
        Cmd::Signer { cmd } => signer_cmd(store, cmd)?,
        Cmd::Materials { cmd } => record::materials_cmd(store, cmd)?,
        Cmd::Print { cmd } => print::print(store, cmd)?,
        Cmd::Report { unit, from, to, output } => print::report(store, &unit, &from, &to, &output)?,
        Cmd::Coverage { unit, from, to, by, json } => print::coverage(store, &unit, &from, &to, &by, json)?,
        Cmd::Bench { cmd } => bench(store, cmd)?,
        Cmd::Incidents { cmd } => incidents::run(store, cmd)?,
        Cmd::Stress { rekey: true, .. } => stress::rekey(store, &current_passphrase(store)?)?,
        Cmd::Stress { seed, reference, .. } => stress::run(store, seed, reference.unwrap_or_default())?,
        Cmd::Audit { cmd: AuditCmd::List { limit, json } } => {
            let entries = audit::list(store.conn(), limit, 0)?;
            if json {
                json_out(&entries)?;
            } else {
                for e in entries {
                    let actor = match e.actor_label.as_str() {
                        "" => e.actor.clone(),
                        label => format!("{}（{label}）", e.actor),
                    };
                    println!("{}\t{}\t{}\t{actor}\t{}\t{}\t{}", e.seq, e.at, e.operator, e.action, e.target, e.detail);
                }
            }
        }
    }
    Ok(())
}

fn signer_cmd(store: &mut Store, cmd: SignerCmd) -> outreach_core::Result<()> {
    use outreach_core::identity::{SignerInput, SignerRole};
    let role_zh = |r: SignerRole| if r == SignerRole::Coordinator { "协调员" } else { "队长" };
    match cmd {
        SignerCmd::Add { key, label, role, units } => {
            let units = units.iter().map(|k| units::resolve(store.conn(), k)).collect::<outreach_core::Result<_>>()?;
            let role = match role {
                SignerRoleArg::Coordinator => SignerRole::Coordinator,
                SignerRoleArg::Captain => SignerRole::Captain,
            };
            let s = outreach_app::bundles::register_signer(store, &SignerInput { key, label, role, units })?;
            println!("已登记签名身份「{}」（{}）：{}", s.label, role_zh(s.role), s.fingerprint);
        }
        SignerCmd::List { json } => {
            let list = outreach_app::bundles::signers(store)?;
            if json {
                return json_out(&list);
            }
            for s in list {
                println!(
                    "{}\t{}\t{}\t{}\t{}{}",
                    s.fingerprint,
                    s.label,
                    role_zh(s.role),
                    s.unit_names.join("、"),
                    &s.created_at[..10.min(s.created_at.len())],
                    s.revoked_at.as_deref().map(|r| format!("\t已撤销 {}", &r[..10.min(r.len())])).unwrap_or_default()
                );
            }
        }
        SignerCmd::Revoke { fingerprint } => {
            let s = outreach_app::bundles::revoke_signer(store, &fingerprint)?;
            println!("已撤销签名身份「{}」（{}）：此后它签名的交接包不再导入", s.label, s.fingerprint);
        }
    }
    Ok(())
}

fn profiles_cmd(store: &mut Store, cmd: ProfilesCmd) -> outreach_core::Result<()> {
    let resolve = |store: &Store, keys: &[String]| {
        keys.iter().map(|k| units::resolve(store.conn(), k)).collect::<outreach_core::Result<Vec<_>>>()
    };
    match cmd {
        ProfilesCmd::List { json } => {
            let list = profiles::list_for(store)?;
            if json {
                return json_out(&list);
            }
            for p in list {
                println!(
                    "{}\t{}\t{}{}",
                    p.id,
                    p.label,
                    p.unit_names.join("、"),
                    if p.archived { "\t（已删除）" } else { "" }
                );
            }
        }
        ProfilesCmd::Add { label, units } => {
            let units = resolve(store, &units)?;
            let pass = new_passphrase()?;
            let p = profiles::save_with(store, None, &label, &units, Some(&pass))?;
            println!("已添加队长身份「{}」：{}（{}）", p.label, p.id, p.unit_names.join("、"));
        }
        ProfilesCmd::Edit { id, label, units } => {
            let current = profiles::get(store.conn(), &id)?;
            let units = if units.is_empty() { current.unit_ids.clone() } else { resolve(store, &units)? };
            let p = profiles::save_with(store, Some(&id), label.as_deref().unwrap_or(&current.label), &units, None)?;
            println!("已修改队长身份「{}」（{}）", p.label, p.unit_names.join("、"));
        }
        ProfilesCmd::Remove { id } => {
            profiles::remove(store, &id)?;
            println!("已删除队长身份 {id}：其数据库已删除，它的口令不能再打开任何文件");
        }
        ProfilesCmd::Sync => {
            profiles::sync_all(store)?;
            println!("队长们的工作已汇入，最新数据已交给队长");
        }
        ProfilesCmd::Passphrase => {
            let current =
                passphrase_for(store.path().ok_or_else(|| Error::Internal("no database file".into()))?, false)?
                    .ok_or_else(|| Error::invalid(Code::DbPassphraseRequired, &[]))?;
            let new = new_passphrase()?;
            profiles::change_own_passphrase(store, &current, &new)?;
            println!("口令已更换");
        }
    }
    Ok(())
}

pub(crate) fn json_out<T: serde::Serialize>(v: &T) -> outreach_core::Result<()> {
    println!("{}", serde_json::to_string_pretty(v).map_err(|e| Error::Internal(e.to_string()))?);
    Ok(())
}

fn parse_repeat(s: &str) -> outreach_core::Result<series::Repeat> {
    let bad = || Error::invalid(Code::SeriesRule, &[]);
    let parts: Vec<&str> = s.split(':').collect();
    Ok(match parts.as_slice() {
        ["weekly"] => series::Repeat::Weekly { every: 1 },
        ["weekly", n] => series::Repeat::Weekly { every: n.parse().map_err(|_| bad())? },
        ["monthly-day"] => series::Repeat::MonthlyDay,
        ["monthly-weekday", nth, wd] => series::Repeat::MonthlyWeekday {
            nth: nth.parse().map_err(|_| bad())?,
            weekday: wd.parse().map_err(|_| bad())?,
        },
        _ => return Err(bad()),
    })
}

/// The topic library's ids for the names or ids typed (`--topic`), refusing an unknown one.
fn topic_ids_of(store: &Store, typed: &[String]) -> outreach_core::Result<Vec<String>> {
    let all = outreach_core::topics::list(store.conn())?;
    typed
        .iter()
        .map(|t| {
            outreach_core::topics::resolve(&all, t)
                .ok_or_else(|| Error::invalid(Code::ImportUnknownTopic, &[("value", t)]))
        })
        .collect()
}

fn plan(store: &mut Store, cmd: PlanCmd) -> outreach_core::Result<()> {
    match cmd {
        PlanCmd::Add {
            title,
            kind,
            start,
            end,
            venue,
            unit,
            people,
            topics,
            audiences,
            expected,
            channel,
            messages,
            notes,
            repeat,
            count,
            allow_conflict,
        } => {
            let kind = SessionKind::parse(&kind)
                .ok_or_else(|| Error::invalid(Code::ValidationChoice, &[("field", "kind"), ("value", &kind)]))?;
            let mut assigned = Vec::new();
            for p in &people {
                let (id, role) = p.split_once(':').unwrap_or((p, "speaker"));
                let role = AssignRole::parse(role)
                    .ok_or_else(|| Error::invalid(Code::ValidationChoice, &[("field", "role"), ("value", role)]))?;
                assigned.push(Assignment { person_id: id.to_string(), role, person_name: String::new() });
            }
            let topic_ids = topic_ids_of(store, &topics)?;
            let mut auds = Vec::new();
            for a in &audiences {
                auds.push(
                    Audience::parse(a).ok_or_else(|| {
                        Error::invalid(Code::ValidationChoice, &[("field", "audience"), ("value", a)])
                    })?,
                );
            }
            let input = SessionInput {
                id: None,
                title,
                kind,
                venue_id: venue,
                unit_id: unit,
                start,
                end,
                audiences: auds,
                topic_ids,
                people: assigned,
                materials: vec![],
                expected_audience: expected,
                channel,
                messages,
                notes,
            };
            let warnings = match repeat {
                None => {
                    let out = outreach_app::sessions::save(store, &input, allow_conflict)?;
                    if let Some(s) = &out.session {
                        println!("{}", s.id);
                    }
                    out.warnings
                }
                Some(r) => {
                    let input = series::SeriesInput { first: input, repeat: parse_repeat(&r)?, count };
                    let out = outreach_app::sessions::create_series(store, &input, allow_conflict)?;
                    if let Some(id) = &out.series_id {
                        println!("{id}\t已创建 {} 场", out.created);
                    }
                    out.warnings
                }
            };
            if !warnings.is_empty() {
                for w in &warnings {
                    eprintln!("{}{}", if allow_conflict { "注意：" } else { "" }, w.message);
                }
                if !allow_conflict {
                    eprintln!("未保存：确认无误后加 --allow-conflict 再次执行");
                    return Err(Error::Invalid(vec![]));
                }
            }
        }
        PlanCmd::List { from, to, unit, person, json } => {
            let f = SessionFilter { from, to, unit_id: unit, person_id: person, ..Default::default() };
            let list = sessions::list(store.conn(), &f)?;
            if json {
                json_out(&list)?;
            } else {
                for s in &list {
                    println!(
                        "{}\t{} – {}\t{}\t{}\t{}\t{}",
                        s.id,
                        outreach_core::time::minute_text(&s.start),
                        outreach_core::time::clock_text(&s.end),
                        s.kind.label(),
                        s.status.label(),
                        s.title,
                        if s.venue_name.is_empty() { &s.unit_name } else { &s.venue_name }
                    );
                }
            }
        }
        PlanCmd::Cancel { id, reason } => {
            let s = outreach_app::sessions::set_status(store, &id, SessionStatus::Cancelled, &reason)?;
            println!("已取消：{}", s.title);
        }
        PlanCmd::Status { id, status, reason } => {
            let to = SessionStatus::parse(&status)
                .ok_or_else(|| Error::invalid(Code::ValidationChoice, &[("field", "status"), ("value", &status)]))?;
            let s = outreach_app::sessions::set_status(store, &id, to, &reason)?;
            println!("{}：{}", s.title, s.status.label());
        }
        PlanCmd::Ics { output, unit, person } => {
            let n = outreach_app::sessions::export_ics(store, unit, person, &output)?;
            println!("已导出 {n} 场活动到 {}", output.display());
        }
        PlanCmd::Gaps { days, unit, as_of, json } => {
            let gaps = outreach_core::targeting::gaps(store.conn(), unit.as_deref(), days, as_of.as_deref())?;
            if json {
                json_out(&gaps)?;
            } else {
                for g in &gaps {
                    let last = g.last_held.clone().unwrap_or_else(|| "从未".into());
                    println!("{}\t{} / {}\t常住 {} 人\t上次 {}", g.grid_id, g.path, g.grid_name, g.residents, last);
                }
            }
        }
        PlanCmd::Suggest { unit, json } => {
            let s = outreach_core::targeting::suggest(store.conn(), &unit)?;
            if json {
                json_out(&s)?;
            } else {
                for a in &s.audiences {
                    println!("对象 {}\t{}\t{}", a.audience.label(), a.weight, a.reason);
                }
                for t in &s.topics {
                    println!("主题 {}\t{}\t{}", t.name, t.score, t.reason);
                }
            }
        }
        PlanCmd::Candidates { start, end, topics, session, search, limit, json } => {
            let topic_ids = topic_ids_of(store, &topics)?;
            let q = outreach_core::sessions::CandidateQuery {
                session_id: session,
                start: start.replace(' ', "T"),
                end: end.replace(' ', "T"),
                topic_ids,
                search,
                limit,
            };
            let list = outreach_core::sessions::candidates(store.conn(), &q)?;
            if json {
                json_out(&list)?;
            } else {
                for c in &list {
                    let mark = if c.fits() { "✓" } else { " " };
                    let busy = c.busy_with.as_deref().map(|b| format!("\t已安排：{b}")).unwrap_or_default();
                    let missing = if c.missing_topics.is_empty() {
                        String::new()
                    } else {
                        format!("\t不讲：{}", c.missing_topics.join("、"))
                    };
                    println!("{mark} {}\t{}\t{}{missing}{busy}", c.name, c.unit_name, c.topics.join("、"));
                }
            }
        }
        PlanCmd::Topics { json } => {
            let topics = outreach_core::topics::list(store.conn())?;
            if json {
                json_out(&topics)?;
            } else {
                for t in &topics {
                    let audiences: Vec<&str> = t
                        .audiences
                        .iter()
                        .map(|a| outreach_core::sessions::Audience::parse(a).map_or(a.as_str(), |x| x.label()))
                        .collect();
                    println!("{}\t{}\t{}", t.name, audiences.join("、"), t.tips.join(" / "));
                }
            }
        }
        PlanCmd::Templates { json } => {
            let templates = outreach_core::templates::list(store.conn())?;
            if json {
                json_out(&templates)?;
            } else {
                for t in &templates {
                    println!("{}\t{}\t{} 分钟", t.name, t.kind.label(), t.duration_minutes);
                }
            }
        }
    }
    Ok(())
}

/// A coordinator and a captain set up from the demo; the captain adds `changes` people and
/// edits the notes of every session; the coordinator's import of that bundle is timed.
/// `receiver` accepts `sender`'s bundles, as a coordinator's: for the benchmark's and the
/// stress test's made-up machines (a person compares fingerprints and runs `signer add`).
pub(crate) fn trust(receiver: &mut Store, sender: &mut Store, label: &str) -> outreach_core::Result<()> {
    use outreach_core::identity::{self, SignerInput, SignerRole};
    let key = sender.write(|tx| identity::own(tx))?.text();
    let input = SignerInput { key, label: label.into(), role: SignerRole::Coordinator, units: vec![] };
    receiver.write(|tx| identity::register(tx, &input)).map(|_| ())
}

fn bench_bundle(changes: u32) -> outreach_core::Result<()> {
    use outreach_core::bundles::{self, Scope};
    use std::time::Instant;
    let dir = std::env::temp_dir().join(format!("outreach-bench-bundle-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut coord = Store::open(&dir.join("coordinator/outreach.db"))?;
    demo::load(&mut coord)?;
    let (reference, _) = bundles::export_store(&mut coord, Scope::Reference, None, None)?;
    let mut cap = Store::open(&dir.join("captain/outreach.db"))?;
    trust(&mut cap, &mut coord, "bench coordinator")?;
    trust(&mut coord, &mut cap, "bench captain")?;
    bundles::import(&mut cap, &reference, false)?;
    let unit =
        cap.conn().query_row("SELECT name FROM units WHERE kind = 'grid' LIMIT 1", [], |r| r.get::<_, String>(0))?;
    let edits: u32 = cap.conn().query_row("SELECT count(*) FROM sessions", [], |r| r.get(0))?;
    let adds = changes.saturating_sub(edits);
    let mut text = String::from("编号,姓名,身份,电话,所属单位,在岗\n");
    for i in 0..adds {
        text.push_str(&format!(",队员{i},志愿者,137{i:08},{unit},是\n"));
    }
    let sheet = sheets::read_bytes(false, text.as_bytes())?;
    transfer::commit(&mut cap, TableKind::People, &sheet, "bench.csv", false, &mut |_| {})?;
    cap.write(|tx| {
        Ok(tx.execute(
            "UPDATE sessions SET notes = notes || '（队长补记）', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')",
            [],
        )?)
    })?;
    // The real scrypt work factor: the key derivation is part of what a person waits for.
    let pass = outreach_core::passphrase::Passphrase::new("稷下网格2026年春季交接");
    let t = Instant::now();
    let (sealed, summary) =
        bundles::export_store(&mut cap, Scope::All, Some(&outreach_core::util::today()), Some(&pass))?;
    let exported = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let bundle = bundles::open(&sealed, Some(&pass))?.into_owned();
    let opened = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let s = bundles::import(&mut coord, &bundle, false)?;
    let imported = t.elapsed().as_secs_f64() * 1000.0;
    println!(
        "bundle of {} rows ({} KB encrypted): export and encrypt {exported:.0} ms; decrypt {opened:.0} ms; import {imported:.0} ms including the pre-import backup (added {}, updated {}, conflicts {})",
        summary.entities,
        sealed.len() / 1024,
        s.added,
        s.updated,
        s.conflicts
    );
    let t = Instant::now();
    let again = bundles::import(&mut coord, &bundle, false)?;
    println!(
        "same bundle again: {:.0} ms (added {}, updated {})",
        t.elapsed().as_secs_f64() * 1000.0,
        again.added,
        again.updated
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn bench(store: &mut Store, cmd: BenchCmd) -> outreach_core::Result<()> {
    use std::time::Instant;
    match cmd {
        BenchCmd::Month { month, sessions: n } => {
            let t = Instant::now();
            demo::fill_month(store, &month, n)?;
            println!("planned {n} sessions in {month}: {:.0} ms", t.elapsed().as_secs_f64() * 1000.0);
            let f = SessionFilter {
                from: Some(format!("{month}-01")),
                to: Some(format!("{month}-31")),
                ..Default::default()
            };
            let mut times = Vec::new();
            let mut count = 0;
            for _ in 0..5 {
                let t = Instant::now();
                count = sessions::list(store.conn(), &f)?.len();
                times.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            times.sort_by(|a, b| a.partial_cmp(b).unwrap());
            println!(
                "month query ({count} sessions with their people): median {:.1} ms, min {:.1} ms",
                times[2], times[0]
            );
        }
        BenchCmd::Import { rows } => {
            let unit = store
                .conn()
                .query_row("SELECT name FROM units WHERE kind = 'grid' LIMIT 1", [], |r| r.get::<_, String>(0))
                .map_err(|_| Error::invalid(Code::DemoNotEmpty, &[]))?;
            let mut text = String::from("编号,姓名,身份,电话,所属单位编号,所属单位,队伍,可讲主题,在岗,加入日期,备注\n");
            for i in 0..rows {
                text.push_str(&format!(
                    ",志愿者{i},志愿者,139{i:08},,{unit},护齐反诈宣讲团,刷单返利、养老/保健品,是,2025-03-01,\n"
                ));
            }
            let t = Instant::now();
            let sheet = sheets::read_bytes(false, text.as_bytes())?;
            let parsed = t.elapsed().as_secs_f64();
            let out = transfer::commit(store, TableKind::People, &sheet, "bench.csv", false, &mut |_| {})?;
            println!(
                "import of {rows} rows: parse {:.0} ms, validate and write {:.0} ms (added {})",
                parsed * 1000.0,
                (t.elapsed().as_secs_f64() - parsed) * 1000.0,
                out.added
            );
        }
        BenchCmd::Bundle { changes } => bench_bundle(changes)?,
        BenchCmd::Print { flyers } => print::bench(store, flyers)?,
        BenchCmd::Coverage => print::bench_coverage(store)?,
        BenchCmd::Lists => bench_lists(store)?,
        BenchCmd::Incidents => incidents::bench(store)?,
    }
    Ok(())
}

/// The median of five runs of `f`, in milliseconds (the benches' one way of timing a query).
pub(crate) fn median_ms(f: &mut dyn FnMut() -> outreach_core::Result<()>) -> outreach_core::Result<f64> {
    let mut times = Vec::with_capacity(5);
    for _ in 0..5 {
        let t = std::time::Instant::now();
        f()?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    Ok(times[2])
}

/// `bench lists`: each query five times, the median; the answer's size as the window gets it (JSON).
fn bench_lists(store: &Store) -> outreach_core::Result<()> {
    use outreach_core::followups::{self, CaseFilter};
    fn timed<T: serde::Serialize>(
        what: &str,
        f: &mut dyn FnMut() -> outreach_core::Result<(Vec<T>, Option<u32>)>,
    ) -> outreach_core::Result<()> {
        let mut last = (Vec::new(), None);
        let ms = median_ms(&mut || {
            last = f()?;
            Ok(())
        })?;
        let bytes = serde_json::to_vec(&last.0).map(|v| v.len()).unwrap_or(0);
        let total = last.1.map(|n| format!(" of {n}")).unwrap_or_default();
        println!("{what}: {ms:.1} ms, {}{total} rows, {:.1} KB as JSON", last.0.len(), bytes as f64 / 1024.0);
        Ok(())
    }
    let conn = store.conn();
    let cases = conn.query_row("SELECT count(*) FROM cases", [], |r| r.get::<_, u32>(0))?;
    if cases < 1000 {
        eprintln!("bench lists: {cases} follow-up cases here; run it on `demo --scale city-year`");
    }
    timed("follow-up cases, all at once (before)", &mut || Ok((followups::list(conn, &CaseFilter::default())?, None)))?;
    for (name, offset) in [("first page", 0), ("page 1,000", 49_950)] {
        let f = CaseFilter { limit: Some(50), offset: Some(offset), ..Default::default() };
        timed(&format!("follow-up cases, {name} of 50 with the total"), &mut || {
            Ok((followups::list(conn, &f)?, Some(followups::count(conn, &f)?)))
        })?;
    }
    // 待回访: what is due within 7 days and overdue, all at once as the window took it before,
    // against a page of 50 with its totals (all, overdue, per worker) counted in SQL.
    let today = chrono::Local::now().date_naive();
    timed("due follow-ups, all at once (before)", &mut || Ok((followups::due(conn, today, 7, None, None)?, None)))?;
    let all = followups::due_page(conn, today, &followups::DueFilter { days: 7, limit: 1, ..Default::default() })?;
    let middle = all.total / 2 / 50 * 50;
    let mut pages = vec![("first page".to_string(), None, 0), (format!("page {}", middle / 50 + 1), None, middle)];
    if let Some(w) = all.workers.into_iter().find(|w| w.worker_id.is_some()) {
        pages.push(("first page of the worker with the most".to_string(), w.worker_id, 0));
    }
    for (name, worker_id, offset) in pages {
        let f = followups::DueFilter { days: 7, worker_id, limit: 50, offset, ..Default::default() };
        let mut last = None;
        let ms = median_ms(&mut || {
            last = Some(followups::due_page(conn, today, &f)?);
            Ok(())
        })?;
        let p = last.expect("timed at least once");
        let bytes = serde_json::to_vec(&p).map(|v| v.len()).unwrap_or(0);
        println!(
            "due follow-ups, {name} of 50 with the totals: {ms:.1} ms, {} of {} rows ({} overdue), {} workers named + {} left out, {:.1} KB as JSON",
            p.rows.len(),
            p.total,
            p.overdue,
            p.workers.len(),
            p.workers_left_out,
            bytes as f64 / 1024.0
        );
    }
    let printable =
        Some(vec![SessionStatus::Planned, SessionStatus::Confirmed, SessionStatus::Held, SessionStatus::Reported]);
    let now = chrono::Local::now().format("%Y-%m-%dT%H:%M").to_string();
    let all = SessionFilter { statuses: printable.clone(), ..Default::default() };
    timed("print picker, every session at once (before)", &mut || Ok((sessions::list(conn, &all)?, None)))?;
    let upcoming =
        SessionFilter { statuses: printable.clone(), from: Some(now.clone()), limit: Some(30), ..Default::default() };
    let past = SessionFilter {
        statuses: printable.clone(),
        to: Some(now.clone()),
        limit: Some(30),
        newest_first: Some(true),
        ..Default::default()
    };
    timed("print picker, the next 30 and the latest 30", &mut || {
        let mut v = sessions::list(conn, &upcoming)?;
        v.extend(sessions::list(conn, &past)?);
        Ok((v, None))
    })?;
    let search = SessionFilter { search: Some("3-1-8社区".into()), ..past.clone() };
    timed("print picker, searching 3-1-8社区 (a unit of the city year)", &mut || {
        Ok((sessions::list(conn, &search)?, None))
    })?;
    Ok(())
}
