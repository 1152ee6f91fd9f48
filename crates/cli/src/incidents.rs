//! `outreach incidents …`: the weekly case review, the precision gaps, re-victimisation and the
//! fraud-type labels (the case file itself comes in with `outreach import incidents FILE`).

use std::path::PathBuf;

use clap::Subcommand;
use outreach_app::incidents as app;
use outreach_core::incidents::{self, Review};
use outreach_core::{units, Error, Result, Store};

use crate::json_out;

#[derive(Subcommand)]
pub enum IncidentsCmd {
    /// The weekly case review (每周研判): the week's incidents by type, place and group against
    /// the four weeks before, and a suggested action for each place
    Review {
        /// ISO week, e.g. 2026-W49 (default: this week)
        #[arg(long)]
        week: Option<String>,
        /// Unit id or name (default: the top of the tree)
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        json: bool,
        /// Write the review as the one-page brief (每周涉诈案情研判简报), a PDF
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Precision gaps: grids with incidents of a type and no session on it in 90 days; grids
    /// whose incidents rose while coverage fell
    Gaps {
        #[arg(long)]
        unit: Option<String>,
        /// The day the 90 days end (default: today)
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Warned residents defrauded again within 3 and 12 months of their warning
    Revictimisation {
        #[arg(long)]
        json: bool,
    },
    /// The case system's fraud-type labels and the topic each maps onto; with LABEL and TOPIC,
    /// add or change one
    Labels {
        label: Option<String>,
        /// Topic id or name
        topic: Option<String>,
        /// Remove LABEL's mapping
        #[arg(long)]
        remove: bool,
        #[arg(long)]
        json: bool,
    },
    /// The text of a tailored WeChat warning for a grid and week (定制化预警)
    Push {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        week: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

impl IncidentsCmd {
    pub fn action(&self) -> outreach_core::Action {
        use outreach_core::Action;
        match self {
            IncidentsCmd::Labels { topic: Some(_), .. } | IncidentsCmd::Labels { remove: true, .. } => {
                Action::IncidentsLabels
            }
            IncidentsCmd::Revictimisation { .. } => Action::CasesView,
            IncidentsCmd::Push { .. } => Action::IncidentsPush,
            _ => Action::IncidentsView,
        }
    }
}

/// The unit named, or the top of the tree.
fn unit_or_root(store: &Store, unit: Option<&str>) -> Result<String> {
    match unit {
        Some(u) => units::resolve(store.conn(), u),
        None => units::list(store.conn(), false)?
            .into_iter()
            .find(|u| u.parent_id.is_none())
            .map(|u| u.id)
            .ok_or_else(|| Error::not_found("unit", "")),
    }
}

fn this_week(week: Option<String>) -> String {
    week.unwrap_or_else(|| incidents::week_of(outreach_app::today()))
}

fn print_review(r: &Review) {
    let change = match r.change_pct {
        Some(0.0) => format!("，与前四周周均 {:.1} 起持平", r.avg4),
        Some(d) => format!("，较前四周周均 {:.1} 起{}{}%", r.avg4, if d > 0.0 { "上升" } else { "下降" }, d.abs()),
        None => String::new(),
    };
    println!(
        "{} {}（{} 至 {}）：新发案件 {} 起，损失 {} 元，止付 {} 元{change}",
        r.unit_name,
        r.week,
        r.from,
        r.to,
        r.count,
        incidents::money_text(r.loss_yuan),
        incidents::money_text(r.stopped_yuan)
    );
    if r.count == 0 {
        println!("本周没有新发案件。");
        return;
    }
    println!("按类型：");
    for t in &r.by_type {
        println!(
            "  {}\t{} 起\t损失 {} 元\t前四周周均 {:.1}",
            t.name,
            t.count,
            incidents::money_text(t.loss_yuan),
            t.avg4
        );
    }
    let groups: Vec<String> = r.groups.iter().map(|g| format!("{} {}", g.audience.label(), g.count)).collect();
    println!("受害人群：{}", groups.join("，"));
    println!("按地点与建议：");
    for p in &r.places {
        println!(
            "  {} / {}\t{} 起\t→ {}：{}",
            p.path,
            p.unit_name,
            p.count,
            p.suggestion.action.label(),
            p.suggestion.reason
        );
    }
    if r.more_places > 0 {
        println!("  另有 {} 处未列出", r.more_places);
    }
}

pub fn run(store: &mut Store, cmd: IncidentsCmd) -> Result<()> {
    match cmd {
        IncidentsCmd::Review { week, unit, json, output } => {
            let unit = unit_or_root(store, unit.as_deref())?;
            if let Some(path) = output {
                let r = app::save_brief(store, &unit, &this_week(week), &path)?;
                println!("已生成 {}：{}每周涉诈案情研判简报（{}）", path.display(), r.unit_name, r.week);
                return Ok(());
            }
            let r = app::review(store, &unit, &this_week(week))?;
            if json {
                json_out(&r)?;
            } else {
                print_review(&r);
            }
        }
        IncidentsCmd::Gaps { unit, date, json } => {
            let unit = unit_or_root(store, unit.as_deref())?;
            let day = match date {
                Some(d) => outreach_core::time::day(&d).ok_or_else(|| {
                    Error::invalid(outreach_core::error::Code::ValidationDate, &[("field", "date"), ("value", &d)])
                })?,
                None => outreach_app::today(),
            };
            let g = app::gaps(store, &unit, day)?;
            if json {
                json_out(&g)?;
            } else {
                println!(
                    "{} 至 {}：有发案、近90天未讲过该类型的网格 {} 处",
                    g.from,
                    g.to,
                    g.topic_gaps.len() + g.more_topic_gaps as usize
                );
                for t in g.topic_gaps.iter().take(50) {
                    println!(
                        "  {} / {}\t{}\t{} 起\t最近发案 {}\t上次该专题宣讲 {}",
                        t.path,
                        t.grid_name,
                        t.topic_name,
                        t.incidents,
                        t.last_incident,
                        t.last_session.as_deref().unwrap_or("无")
                    );
                }
                let rising: Vec<_> = g.points.iter().filter(|p| p.rising).collect();
                println!(
                    "{} 至 {}，发案率较前三个月上升而覆盖率下降的网格 {} 处",
                    g.months_from,
                    g.months_to,
                    rising.len()
                );
                for p in rising.iter().take(50) {
                    println!(
                        "  {} / {}\t每万人 {:.1} → {:.1} 起\t覆盖率 {:.1}% → {:.1}%",
                        p.path, p.grid_name, p.rate_before, p.rate, p.coverage_before_pct, p.coverage_pct
                    );
                }
                let exposed = g.points.iter().filter(|p| p.exposed).count();
                println!(
                    "高发案、低覆盖的网格 {exposed} 处（发案率 ≥ {:.1}，覆盖率 < {:.1}%）",
                    g.rate_line, g.coverage_line
                );
            }
        }
        IncidentsCmd::Revictimisation { json } => {
            let r = app::revictimisation(store, outreach_app::today())?;
            if json {
                json_out(&r)?;
            } else {
                let pct = |p: Option<f64>| p.map(|v| format!("{v:.1}%")).unwrap_or_else(|| "—".into());
                println!(
                    "预警对象 {} 人；3个月内再次被骗 {} / {}（{}）；12个月内 {} / {}（{}）",
                    r.warned,
                    r.again_3m,
                    r.warned_3m,
                    pct(r.pct_3m),
                    r.again_12m,
                    r.warned_12m,
                    pct(r.pct_12m)
                );
            }
        }
        IncidentsCmd::Labels { label, topic, remove, json } => match (label, topic, remove) {
            (Some(l), _, true) => {
                app::remove_label(store, &l)?;
                println!("已删除对照：{l}");
            }
            (Some(l), Some(t), false) => {
                let topics = outreach_core::topics::list(store.conn())?;
                let tid = outreach_core::topics::resolve(&topics, &t)
                    .ok_or_else(|| Error::invalid(outreach_core::error::Code::ImportUnknownTopic, &[("value", &t)]))?;
                let saved = app::save_label(store, &l, &tid)?;
                println!("已保存对照：{} → {}", saved.label, saved.topic_name);
            }
            (None, None, false) => {
                let all = app::labels(store)?;
                if json {
                    json_out(&all)?;
                } else {
                    for l in all {
                        println!("{}\t{}", l.label, l.topic_name);
                    }
                }
            }
            _ => {
                return Err(Error::invalid(outreach_core::error::Code::ValidationRequired, &[("field", "topic")]));
            }
        },
        IncidentsCmd::Push { unit, week, json } => {
            let unit = units::resolve(store.conn(), &unit)?;
            let d = app::push_draft(store, &unit, &this_week(week))?;
            if json {
                json_out(&d)?;
            } else {
                println!("{}", d.text);
            }
        }
    }
    Ok(())
}

/// `bench incidents` on a city-year database: the whole city's weekly review (the busiest week
/// of the year), the precision gaps as of the year's end, and the year's outcome figures — each
/// five times, the median (the target: review and gaps under 100 ms).
pub fn bench(store: &Store) -> Result<()> {
    let conn = store.conn();
    let n: u32 = conn.query_row("SELECT count(*) FROM incidents", [], |r| r.get(0))?;
    let last: Option<String> = conn.query_row("SELECT max(filed_on) FROM incidents", [], |r| r.get(0))?;
    let Some(last) = last.and_then(|d| outreach_core::time::day(&d)) else {
        eprintln!("bench incidents: no incidents here; run it on `demo --scale city-year`");
        return Ok(());
    };
    let busiest: String = conn.query_row(
        "SELECT strftime('%Y-%W', filed_on) w, min(filed_on) FROM incidents GROUP BY w ORDER BY count(*) DESC LIMIT 1",
        [],
        |r| r.get(1),
    )?;
    let week = incidents::week_of(outreach_core::time::day(&busiest).unwrap_or(last));
    let root = unit_or_root(store, None)?;
    println!("{n} incidents; whole city; week {week}; gaps as of {last}");
    let ms = crate::median_ms(&mut || incidents::review(conn, &root, &week).map(|_| ()))?;
    let r = incidents::review(conn, &root, &week)?;
    println!(
        "weekly review: {ms:.1} ms ({} cases, {} places listed + {} more, {:.1} KB as JSON)",
        r.count,
        r.places.len(),
        r.more_places,
        serde_json::to_vec(&r).map(|v| v.len()).unwrap_or(0) as f64 / 1024.0
    );
    let ms = crate::median_ms(&mut || incidents::gaps(conn, &root, last).map(|_| ()))?;
    let g = incidents::gaps(conn, &root, last)?;
    println!(
        "precision gaps: {ms:.1} ms ({} topic gaps, {} grid points, {:.1} KB as JSON)",
        g.topic_gaps.len(),
        g.points.len(),
        serde_json::to_vec(&g).map(|v| v.len()).unwrap_or(0) as f64 / 1024.0
    );
    let year = outreach_core::coverage::Period::parse(&format!("{}-01-01", &last.to_string()[..4]), &last.to_string())?;
    let ms = crate::median_ms(&mut || incidents::figures(conn, &root, year).map(|_| ()))?;
    println!("the year's outcome figures (report): {ms:.1} ms");
    Ok(())
}
