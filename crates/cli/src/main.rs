//! `outreach` — the command line over the same core as the desktop app. Scripts, checks
//! and benchmarks drive the product through it.
//!
//! Exit status: 0 success; 1 the input was refused (every reason on its own line, nothing
//! changed); 2 usage error.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use outreach_core::transfer::{self, FileFormat, TableKind};
use outreach_core::{audit, backup, demo, paths, sheets, units, Error, Store};

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
}

#[derive(Clone, Copy, ValueEnum)]
enum ImportTable {
    Units,
    People,
    Venues,
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
        /// Write phones masked (138****0000) instead of in full
        #[arg(long)]
        mask_phones: bool,
    },
    /// Write a blank import template with the column headers
    Template {
        #[arg(value_enum)]
        table: ImportTable,
        #[arg(long, value_enum)]
        format: Format,
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
    /// Organisation tree with the totals of the grids below each unit
    Units {
        #[command(subcommand)]
        cmd: UnitsCmd,
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
}

#[derive(Subcommand)]
enum UnitsCmd {
    /// Print the tree
    Tree {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum AuditCmd {
    /// Check the hash chain; exit 1 at the first broken link
    Verify,
    /// Print the newest entries
    List {
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
}

fn table_kind(t: ImportTable) -> TableKind {
    match t {
        ImportTable::Units => TableKind::Units,
        ImportTable::People => TableKind::People,
        ImportTable::Venues => TableKind::Venues,
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

fn main() -> ExitCode {
    // Piped into `head`, stop quietly like other command-line tools instead of panicking.
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    let db = cli.db.clone().unwrap_or_else(paths::default_db_path);
    let mut store = match Store::open(&db) {
        Ok(s) => s,
        Err(e) => return refused(&e),
    };
    match run(&mut store, cli.cmd) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => refused(&e),
    }
}

fn run(store: &mut Store, cmd: Cmd) -> outreach_core::Result<()> {
    match cmd {
        Cmd::Demo { scale } => {
            if let Scale::CityYear = scale {
                return Err(Error::invalid("not_implemented", &[("what", "demo --scale city-year")]));
            }
            let s = demo::load(store)?;
            println!("已载入演示数据：单位 {} 个（网格 {} 个），人员 {} 名，队伍 {} 支，场所 {} 个", s.units, s.grids, s.people, s.teams, s.venues);
        }
        Cmd::Export { table, format, output, mask_phones } => {
            let kind = match table {
                Table::Units => TableKind::Units,
                Table::People => TableKind::People,
                Table::Venues => TableKind::Venues,
                Table::Sessions => return Err(Error::invalid("not_implemented", &[("what", "export sessions")])),
            };
            let n = transfer::export(store.conn(), kind, format_of(format), &output, mask_phones)?;
            let detail = format!("{} 行 → {}{}", n, output.display(), if mask_phones { "（电话已遮挡）" } else { "（含完整电话）" });
            store.audit("export", kind.as_str(), &detail)?;
            println!("已导出 {n} 行到 {}", output.display());
        }
        Cmd::Template { table, format, output } => {
            transfer::template(table_kind(table), format_of(format), &output)?;
            println!("已保存模板 {}", output.display());
        }
        Cmd::Import { table, file, skip_invalid, dry_run } => {
            let kind = table_kind(table);
            let sheet = sheets::read(&file)?;
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
            let preview = transfer::preview(store, kind, &sheet, &name, &mut |_| {})?;
            for i in transfer::problem_issues(&preview.problems).iter().filter(|_| !preview.problems.is_empty()) {
                eprintln!("{}", i.message);
            }
            if dry_run {
                println!("检查完成：共 {} 行，可导入 {} 行（新增 {}，更新 {}，未变 {}），有误 {} 行", preview.total_rows, preview.valid_rows, preview.to_add, preview.to_update, preview.unchanged, preview.problems.len());
                return if preview.problems.is_empty() { Ok(()) } else { Err(Error::Invalid(vec![])) };
            }
            if !preview.problems.is_empty() && !skip_invalid {
                return Err(Error::invalid("import.has_problems", &[("count", &preview.problems.len().to_string())]));
            }
            let out = transfer::commit(store, kind, &sheet, &name, skip_invalid, &mut |_| {})?;
            println!("导入完成：新增 {}，更新 {}，未变 {}，跳过 {}", out.added, out.updated, out.unchanged, out.skipped);
        }
        Cmd::Units { cmd: UnitsCmd::Tree { json } } => {
            let tree = units::tree(store.conn(), false)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&tree).map_err(|e| Error::Internal(e.to_string()))?);
            } else {
                fn show(n: &units::UnitNode, depth: usize) {
                    println!("{}{} [{}] {}  网格 {} 户 {} 人 {}", "  ".repeat(depth), n.unit.name, n.unit.kind.label(), n.unit.id, n.totals.grids, n.totals.households, n.totals.residents);
                    for c in &n.children {
                        show(c, depth + 1);
                    }
                }
                tree.iter().for_each(|n| show(n, 0));
            }
        }
        Cmd::Backup { list } => {
            if list {
                for b in backup::list(store)? {
                    println!("{}\t{}\t{}\t{} 字节", b.file_name, b.created_at, b.reason, b.size_bytes);
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
        Cmd::Audit { cmd: AuditCmd::Verify } => {
            let v = audit::verify(store.conn())?;
            match v.first_broken {
                None => println!("审计日志完整：{} 条记录，哈希链无断裂", v.entries),
                Some(seq) => return Err(Error::invalid("audit.broken", &[("seq", &seq.to_string())])),
            }
        }
        Cmd::Audit { cmd: AuditCmd::List { limit } } => {
            for e in audit::list(store.conn(), limit, 0)? {
                println!("{}\t{}\t{}\t{}\t{}\t{}", e.seq, e.at, e.operator, e.action, e.target, e.detail);
            }
        }
    }
    Ok(())
}
