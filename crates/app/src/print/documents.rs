//! From the database to the documents: fills `outreach-print`'s plain models from
//! outreach-core, so the renderer stays pure (no SQL, no files) and the window and the CLI
//! print the same thing. Personal data is masked on paper: grid workers'
//! phones appear as 138****0000.

use outreach_core::error::Code;
use std::path::Path;

use chrono::{Datelike, NaiveDateTime};
use outreach_core::sessions::{self, Session};
use outreach_core::venues::VenueKind;
use outreach_core::{people, phone, photos, records, settings, targeting, topics, units, venues, Error, Result};
use outreach_print::model::{Certificate, Flyer, GridFlyer, Letter, Paper, SignIn, Worker};
use outreach_print::PrintError;
use rusqlite::Connection;

/// A print error as the product's error: a stable code and a Chinese message.
pub fn to_error(e: PrintError) -> Error {
    let detail = e.to_string();
    let code = match e {
        PrintError::ImageInvalid(_) => Code::PrintImageInvalid,
        PrintError::ImageTooLarge(_) => Code::PrintImageTooLarge,
        PrintError::Cancelled => Code::PrintCancelled,
        PrintError::Font(_) => Code::PrintFont,
        PrintError::Internal(_) => Code::PrintInternal,
    };
    Error::invalid(code, &[("detail", &detail)])
}

const WEEKDAYS: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];

/// "2026年11月28日 周六 09:00–10:30"
pub fn time_text(start: &str, end: &str) -> String {
    let (Ok(s), Ok(e)) = (
        NaiveDateTime::parse_from_str(start, sessions::TIME_FORMAT),
        NaiveDateTime::parse_from_str(end, sessions::TIME_FORMAT),
    ) else {
        return format!("{start}–{end}");
    };
    let day = format!(
        "{}年{}月{}日 周{}",
        s.year(),
        s.month(),
        s.day(),
        WEEKDAYS[s.weekday().num_days_from_monday() as usize]
    );
    if s.date() == e.date() {
        format!("{day} {}–{}", s.format("%H:%M"), e.format("%H:%M"))
    } else {
        format!("{day} {} – {}月{}日 {}", s.format("%H:%M"), e.month(), e.day(), e.format("%H:%M"))
    }
}

fn date_text(d: chrono::NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// The names of who speaks at the session, lead speaker first as planned.
fn speakers(s: &Session) -> Vec<String> {
    s.people
        .iter()
        .filter(|p| matches!(p.role, sessions::AssignRole::LeadSpeaker | sessions::AssignRole::Speaker))
        .map(|p| p.person_name.clone())
        .collect()
}

fn place(conn: &Connection, s: &Session) -> Result<String> {
    if let Some(v) = &s.venue_id {
        let venue = venues::list(conn, true)?.into_iter().find(|x| &x.id == v);
        if let Some(v) = venue {
            return Ok(if v.address.is_empty() { v.name } else { format!("{}（{}）", v.name, v.address) });
        }
    }
    Ok(s.unit_name.clone())
}

/// The organiser line: the operator's unit, else the session's unit or venue's unit.
fn organiser(conn: &Connection, s: Option<&Session>) -> Result<String> {
    let set = settings::get(conn)?;
    if let Some(u) = set.operator_unit_id.as_deref() {
        if let Ok(unit) = units::get(conn, u) {
            return Ok(unit.name);
        }
    }
    Ok(s.map(|s| if s.unit_name.is_empty() { s.venue_name.clone() } else { s.unit_name.clone() }).unwrap_or_default())
}

/// Tips for a flyer: the session's own topics first, then the topics aimed at its
/// audiences, one tip per topic in turn, three to five in all.
fn tips_for(conn: &Connection, topic_ids: &[String], audiences: &[String]) -> Result<Vec<String>> {
    let all = topics::list(conn)?;
    let mut chosen: Vec<&topics::Topic> = topic_ids.iter().filter_map(|id| all.iter().find(|t| &t.id == id)).collect();
    for t in &all {
        if chosen.len() >= 5 {
            break;
        }
        if !chosen.iter().any(|c| c.id == t.id) && t.audiences.iter().any(|a| audiences.contains(a)) {
            chosen.push(t);
        }
    }
    for t in &all {
        if chosen.len() >= 3 {
            break;
        }
        if !chosen.iter().any(|c| c.id == t.id) {
            chosen.push(t);
        }
    }
    let mut tips = Vec::new();
    for round in 0..3 {
        for t in &chosen {
            if tips.len() >= 5 {
                return Ok(tips);
            }
            if let Some(tip) = t.tips.get(round) {
                tips.push(tip.clone());
            }
        }
        if tips.len() >= 3 {
            break;
        }
    }
    Ok(tips)
}

fn qr(conn: &Connection, data_dir: Option<&Path>) -> Result<(Option<String>, String)> {
    let p = settings::get_print(conn, data_dir)?;
    Ok(((!p.qr_text.trim().is_empty()).then(|| p.qr_text.clone()), p.qr_caption))
}

pub fn hotlines() -> Vec<(String, String)> {
    vec![("96110".into(), "反诈预警劝阻专线".into()), ("110".into(), "报警电话".into())]
}

/// The flyer for a session (talk, bench talk, …), with the logo from the data folder.
pub fn session_flyer(
    conn: &Connection,
    data_dir: Option<&Path>,
    session_id: &str,
    paper: Paper,
    photo: Option<Vec<u8>>,
) -> Result<Flyer> {
    let s = sessions::get(conn, session_id)?;
    let audiences: Vec<String> = s.audiences.iter().map(|a| a.as_str().to_string()).collect();
    let (qr_text, qr_caption) = qr(conn, data_dir)?;
    Ok(Flyer {
        paper,
        title: s.title.clone(),
        kind_label: format!("反诈{}", s.kind.label()).replace("反诈反诈", "反诈"),
        time_text: time_text(&s.start, &s.end),
        place: place(conn, &s)?,
        organiser: organiser(conn, Some(&s))?,
        speakers: speakers(&s),
        tips: tips_for(conn, &s.topic_ids, &audiences)?,
        hotlines: hotlines(),
        qr_text,
        qr_caption,
        logo: data_dir.and_then(settings::logo),
        photo,
    })
}

/// One flyer per grid under a unit (the unit itself if it is a grid): the grid's workers
/// with masked phones and the topics its resident profile calls for.
pub fn unit_grid_flyers(conn: &Connection, data_dir: Option<&Path>, unit_id: &str) -> Result<Vec<GridFlyer>> {
    let all = units::list(conn, false)?;
    let by_id: std::collections::HashMap<String, units::Unit> = all.iter().map(|u| (u.id.clone(), u.clone())).collect();
    let root = units::get(conn, unit_id)?;
    let under = |u: &units::Unit| {
        let mut cur = Some(u.id.clone());
        while let Some(id) = cur {
            if id == root.id {
                return true;
            }
            cur = by_id.get(&id).and_then(|x| x.parent_id.clone());
        }
        false
    };
    let mut grids: Vec<&units::Unit> = all.iter().filter(|u| u.kind == units::UnitKind::Grid && under(u)).collect();
    grids.sort_by(|a, b| {
        units::path_names(&by_id, &a.id).cmp(&units::path_names(&by_id, &b.id)).then(a.name.cmp(&b.name))
    });
    let workers: Vec<(people::Person, String)> = people::list_with_phones(conn, false)?
        .into_iter()
        .filter(|(p, _)| p.active && p.roles.contains(&people::PersonRole::GridWorker))
        .collect();
    let (qr_text, qr_caption) = qr(conn, data_dir)?;
    let logo = data_dir.and_then(settings::logo);
    let org = organiser(conn, None)?;
    let all_topics = topics::list(conn)?;
    let mut out = Vec::new();
    for g in grids {
        let suggestion = targeting::suggest(conn, &g.id)?;
        let ids: Vec<String> = suggestion.topics.iter().take(4).map(|t| t.topic_id.clone()).collect();
        let mut tips = Vec::new();
        for id in &ids {
            if let Some(t) = all_topics.iter().find(|t| &t.id == id).and_then(|t| t.tips.first()) {
                tips.push(t.clone());
            }
        }
        out.push(GridFlyer {
            grid_name: g.name.clone(),
            unit_path: units::path_names(&by_id, &g.id).replace('/', " / "),
            workers: workers
                .iter()
                .filter(|(p, _)| p.unit_id.as_deref() == Some(g.id.as_str()))
                .map(|(p, ph)| Worker { name: p.name.clone(), phone_masked: phone::mask(ph) })
                .collect(),
            tips,
            qr_text: qr_text.clone(),
            qr_caption: qr_caption.clone(),
            organiser: if org.is_empty() { g.name.clone() } else { org.clone() },
            logo: logo.clone(),
        });
    }
    if out.is_empty() {
        return Err(Error::invalid(Code::PrintNoGrids, &[("unit", &root.name)]));
    }
    Ok(out)
}

/// The sign-in sheet: rows for the planned audience (at least 20).
pub fn session_signin(conn: &Connection, session_id: &str, with_phone_column: bool) -> Result<SignIn> {
    let s = sessions::get(conn, session_id)?;
    Ok(SignIn {
        title: format!("{}签到表", s.title),
        kind_label: s.kind.label().to_string(),
        time_text: time_text(&s.start, &s.end),
        place: place(conn, &s)?,
        organiser: organiser(conn, Some(&s))?,
        speakers: speakers(&s),
        rows: s.expected_audience.unwrap_or(20).max(20),
        with_phone_column,
    })
}

/// The 告知书 for enterprises: one letter per chosen enterprise (all enterprises when none chosen).
pub fn enterprise_letters(conn: &Connection, venue_ids: &[String], today: chrono::NaiveDate) -> Result<Vec<Letter>> {
    let all = venues::list(conn, false)?;
    let chosen: Vec<&venues::Venue> = if venue_ids.is_empty() {
        all.iter().filter(|v| v.kind == VenueKind::Enterprise).collect()
    } else {
        let mut v = Vec::new();
        for id in venue_ids {
            let venue = all.iter().find(|x| &x.id == id).ok_or_else(|| Error::not_found("venue", id))?;
            if venue.kind != VenueKind::Enterprise {
                return Err(Error::invalid(Code::PrintNotEnterprise, &[("name", &venue.name)]));
            }
            v.push(venue);
        }
        v
    };
    if chosen.is_empty() {
        return Err(Error::invalid(Code::PrintNoEnterprises, &[]));
    }
    let sender = organiser(conn, None)?;
    let sender = if sender.is_empty() { "公安机关反诈中心".to_string() } else { sender };
    Ok(chosen
        .into_iter()
        .map(|v| Letter {
            recipient: v.name.clone(),
            contact: v.contact_name.clone(),
            paragraphs: vec![
                format!("当前，电信网络诈骗犯罪多发高发，企业财务人员、出纳和高管是“冒充领导”“虚假投资”等诈骗的重点目标。为保护{}及职工的财产安全，现将有关事项告知如下：", v.name),
                "一、凡是通过微信、QQ等添加“领导”“老板”好友并要求转账汇款的，一律先当面或电话核实，不凭聊天记录付款。".into(),
                "二、严格执行财务审批和转账复核制度，大额资金支付须两人以上共同确认。".into(),
                "三、教育职工不出租、出借、出售银行卡、电话卡和营业执照，不为他人“跑分”、走流水。".into(),
                "四、组织职工下载“国家反诈中心”App并开启预警功能，遇到可疑情况及时拨打96110咨询或110报警。".into(),
                "请贵单位负责人组织传达学习，并在回执上签字盖章后交回辖区派出所。".into(),
            ],
            sender: sender.clone(),
            date_text: date_text(today),
        })
        .collect())
}

/// A volunteer's certificate of service over a period, from the session records.
pub fn service_certificate(
    conn: &Connection,
    person_id: &str,
    from: &str,
    to: &str,
    today: chrono::NaiveDate,
) -> Result<Certificate> {
    let p = people::get(conn, person_id)?;
    let from = outreach_core::util::parse_date("from", from)?
        .ok_or_else(|| Error::invalid(Code::ValidationRequired, &[("field", "from")]))?;
    let to = outreach_core::util::parse_date("to", to)?
        .ok_or_else(|| Error::invalid(Code::ValidationRequired, &[("field", "to")]))?;
    let (hours, n, rows) = records::service(conn, person_id, &from, &to)?;
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map(date_text).unwrap_or_else(|_| s.to_string());
    let issuer = organiser(conn, None)?;
    Ok(Certificate {
        person: p.name.clone(),
        unit: p.unit_name.clone(),
        from_text: d(&from),
        to_text: d(&to),
        hours,
        sessions: n,
        lines: rows
            .iter()
            .map(|(title, start, h)| format!("{} {}（{}小时）", outreach_core::time::day_text(start), title, h))
            .collect(),
        issuer: if issuer.is_empty() { "反诈宣传志愿服务队".into() } else { issuer },
        date_text: date_text(today),
    })
}

/// The report as the PDF model: summary, tables by child unit, charts, a page of photos of
/// held sessions (up to six, newest first), and optionally an appendix of every grid.
pub fn report_model(
    conn: &Connection,
    data_dir: Option<&Path>,
    d: &outreach_core::reports::ReportData,
    grid_rows: usize,
) -> Result<outreach_print::model::Report> {
    use outreach_core::reports::{audiences_table, incident_types_table, incidents_table, kinds_table, parts_table};
    use outreach_print::model::{BarChart, ChartSeries, Report, ReportPhoto, ReportSection, ReportTable};
    let table = |title: &str, header: Vec<String>, rows: Vec<Vec<outreach_core::reports::Cell>>| {
        let mut rows: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| c.text()).collect()).collect();
        let total = rows.pop();
        ReportTable { title: title.into(), columns: header, rows, total }
    };
    let (h, rows) = parts_table(d);
    let t1 = table("表1  各单位宣传开展情况", h.iter().map(|s| s.to_string()).collect(), rows);
    let (h, rows) = kinds_table(d);
    let t2 = table("表2  各单位活动类型（场）", h, rows);
    let (h, rows) = audiences_table(d);
    let t3 = table("表3  分人群覆盖情况", h.iter().map(|s| s.to_string()).collect(), rows);
    let labels: Vec<String> = d.parts.iter().map(|f| f.unit_name.clone()).collect();
    let charts = vec![
        BarChart {
            title: "图1  各单位覆盖人次".into(),
            labels: labels.clone(),
            series: vec![ChartSeries {
                name: "覆盖人次".into(),
                values: d.parts.iter().map(|f| f.person_times as f64).collect(),
            }],
            unit: "人次".into(),
        },
        BarChart {
            title: "图2  各单位覆盖率与按时回访率".into(),
            labels,
            series: vec![
                ChartSeries { name: "覆盖率".into(), values: d.parts.iter().map(|f| f.coverage_pct).collect() },
                ChartSeries {
                    name: "按时回访率".into(),
                    // a unit with nothing due draws no bar, labelled "—"
                    values: d.parts.iter().map(|f| f.followups_on_time_pct.unwrap_or(f64::NAN)).collect(),
                },
            ],
            unit: "%".into(),
        },
        BarChart {
            title: "图3  按月开展情况".into(),
            labels: d.months.iter().map(|m| m.month.clone()).collect(),
            series: vec![ChartSeries {
                name: "开展场次".into(),
                values: d.months.iter().map(|m| m.sessions_held as f64).collect(),
            }],
            unit: "场".into(),
        },
    ];
    let f = &d.total;
    let mut sections = vec![
        ReportSection {
            heading: "一、总体情况".into(),
            paragraphs: vec![d.summary.clone()],
            tables: vec![],
            charts: vec![],
        },
        ReportSection {
            heading: "二、分单位情况".into(),
            paragraphs: vec![format!(
                "各单位开展情况见表1、表2，分人群覆盖情况见表3。覆盖率最低的网格为{}，请相关单位下一阶段重点安排宣讲和入户走访。",
                d.least_covered
                    .iter()
                    .take(3)
                    .map(|g| format!("{}（{}%）", g.unit_name, outreach_core::reports::pct_text(g.coverage_pct)))
                    .collect::<Vec<_>>()
                    .join("、")
            )],
            tables: vec![t1, t2, t3],
            charts: vec![],
        },
        ReportSection {
            heading: "三、图表".into(),
            paragraphs: vec![format!(
                "本期发放宣传彩页{}份、海报{}张、横幅{}条、礼品{}份、告知书{}份。",
                f.flyers, f.posters, f.banners, f.gifts, f.letters
            )],
            tables: vec![],
            charts,
        },
    ];
    if !d.targets.is_empty() {
        let rows: Vec<Vec<String>> = d
            .targets
            .iter()
            .map(|t| {
                vec![
                    t.label.clone(),
                    t.target.metric.format(t.target.value),
                    t.target.metric.format(t.actual),
                    format!("{}%", outreach_core::reports::pct_text(t.pct)),
                ]
            })
            .collect();
        sections.push(ReportSection {
            heading: "四、目标完成情况".into(),
            paragraphs: vec![],
            tables: vec![ReportTable {
                title: "表4  目标完成情况".into(),
                columns: vec!["指标".into(), "目标".into(), "完成".into(), "完成率".into()],
                rows,
                total: None,
            }],
            charts: vec![],
        });
    }
    if !d.incidents.is_empty() {
        // Numbered after whatever came before: the targets are there only when set.
        let heading = if d.targets.is_empty() { "四、发案情况" } else { "五、发案情况" };
        let mut number = if d.targets.is_empty() { 4 } else { 5 };
        let (mut tables, mut refs) = (vec![], vec![]);
        // A grid has no child units: its table would be the 合计 row alone.
        if !d.incidents.by_unit.is_empty() {
            let (h, rows) = incidents_table(d);
            let h = h.iter().map(|s| s.to_string()).collect();
            tables.push(table(&format!("表{number}  各单位发案情况"), h, rows));
            refs.push(format!("各单位立案数与损失金额见表{number}"));
            number += 1;
        }
        if !d.incidents.by_type.is_empty() {
            let (h, rows) = incident_types_table(d);
            tables.push(ReportTable {
                title: format!("表{number}  分类型发案情况"),
                columns: h.iter().map(|s| s.to_string()).collect(),
                rows: rows.iter().map(|r| r.iter().map(|c| c.text()).collect()).collect(),
                total: None,
            });
            refs.push(format!("分类型发案情况见表{number}"));
        }
        sections.push(ReportSection {
            heading: heading.into(),
            paragraphs: vec![format!("{}，均与去年同期相比。", refs.join("，"))],
            tables,
            charts: vec![],
        });
    }
    if grid_rows > 0 {
        let grids = outreach_core::coverage::coverage(
            conn,
            &d.total.unit_id,
            outreach_core::coverage::Period::parse(&d.total.from, &d.total.to)?,
            chrono::Local::now().date_naive(),
            outreach_core::coverage::Level::Grids,
        )?;
        let rows: Vec<Vec<String>> = grids
            .parts
            .iter()
            .take(grid_rows)
            .map(|g| {
                vec![
                    g.unit_name.clone(),
                    g.sessions_held.to_string(),
                    g.person_times.to_string(),
                    g.residents.to_string(),
                    outreach_core::reports::decimal(g.coverage_pct),
                    g.households_visited.to_string(),
                ]
            })
            .collect();
        sections.push(ReportSection {
            heading: "附表  各网格开展情况".into(),
            paragraphs: vec![],
            tables: vec![ReportTable {
                title: "附表  各网格开展情况".into(),
                columns: vec![
                    "网格".into(),
                    "开展场次".into(),
                    "覆盖人次".into(),
                    "常住人口".into(),
                    "覆盖率(%)".into(),
                    "走访户数".into(),
                ],
                rows,
                total: None,
            }],
            charts: vec![],
        });
    }
    let photos = match data_dir {
        Some(dir) => report_photos(conn, &dir.join("photos"), d)?,
        None => vec![],
    };
    Ok(Report {
        title: d.title.clone(),
        subtitle: format!("（{}）", d.period_text),
        issuer: d.issuer.clone(),
        date_text: d.date_text.clone(),
        period_text: d.period_text.clone(),
        sections,
        photos: photos.into_iter().map(|(image, caption)| ReportPhoto { image, caption }).collect(),
        // The log's head before this report's own entry: what the paper can later be checked by.
        audit_anchor: outreach_core::audit::head(conn)?.unwrap_or_default(),
    })
}

/// Up to six photos of held sessions in the period under the unit, newest first (two per
/// session at most). Originals are read through `photos::read_file`, which unseals them; a
/// photo that cannot be read is left out rather than failing the report.
fn report_photos(
    conn: &Connection,
    dir: &Path,
    d: &outreach_core::reports::ReportData,
) -> Result<Vec<(Vec<u8>, String)>> {
    let held = outreach_core::coverage::held_sessions(
        conn,
        &d.total.unit_id,
        outreach_core::coverage::Period::parse(&d.total.from, &d.total.to)?,
    )?;
    let mut out = Vec::new();
    for s in held.iter().rev() {
        if out.len() >= 6 {
            break;
        }
        for p in photos::list(conn, &s.id)?.into_iter().rev().take(2) {
            let Some(bytes) = photos::read_file(conn, dir, &photos::file_name(&p.sha256, &p.ext)).ok().flatten() else {
                continue;
            };
            let cap = if p.caption.is_empty() {
                format!("{} {}", outreach_core::time::day_text(&s.start), s.title)
            } else {
                p.caption
            };
            // Originals stored before metadata was taken out at upload may still carry it.
            out.push((outreach_core::picture::strip_metadata(&bytes), cap));
        }
    }
    out.truncate(6);
    Ok(out)
}

pub fn report_pdf(
    conn: &Connection,
    data_dir: Option<&Path>,
    d: &outreach_core::reports::ReportData,
) -> Result<Vec<u8>> {
    let m = report_model(conn, data_dir, d, 0)?;
    outreach_print::report(&m).map_err(to_error)
}

/// A report padded with the grid appendix to about `pages` pages (for the benchmark).
pub fn report_pdf_pages(
    conn: &Connection,
    data_dir: Option<&Path>,
    d: &outreach_core::reports::ReportData,
    pages: usize,
) -> Result<Vec<u8>> {
    let m = report_model(conn, data_dir, d, pages.saturating_sub(4) * 32)?;
    outreach_print::report(&m).map_err(to_error)
}

/// Writes the report to `to` in the format `ext` names — `pdf`, `xlsx` or `json` (the
/// extension of the file the user chose; `to` is the temporary file `reports::save` renames
/// into place once the report's audit entry is written).
pub fn write_report(
    conn: &Connection,
    data_dir: Option<&Path>,
    d: &outreach_core::reports::ReportData,
    ext: &str,
    to: &Path,
) -> Result<()> {
    match ext {
        "json" => outreach_core::reports::write_json(d, to),
        "xlsx" => outreach_core::reports::write_xlsx(d, to),
        "pdf" => crate::print::write_file(to, &report_pdf(conn, data_dir, d)?),
        _ => Err(Error::invalid(Code::ReportFormat, &[("value", ext)])),
    }
}

/// "2026年11月30日至12月6日": the year once when both ends share it.
fn span_text(from: chrono::NaiveDate, to: chrono::NaiveDate) -> String {
    if from.year() == to.year() {
        format!("{}至{}月{}日", date_text(from), to.month(), to.day())
    } else {
        format!("{}至{}", date_text(from), date_text(to))
    }
}

/// The weekly review as the one-page brief: the key figures, the types against the four weeks
/// before, the victims' groups and the places with their suggested action. A place's path is
/// printed from below the brief's own unit (the city's brief does not say 淄博市 on every row).
pub fn brief_model(
    r: &outreach_core::incidents::Review,
    issuer: &str,
    today: chrono::NaiveDate,
) -> outreach_print::model::Brief {
    use outreach_core::incidents::{change_pct, money_text, ActionKind};
    use outreach_print::model::{Brief, BriefFigure, BriefPlace, ReportTable};
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let week_text = match r.week.split_once("-W") {
        Some((y, w)) => format!("{y}年第{}周", w.trim_start_matches('0')),
        None => r.week.clone(),
    };
    let span = match (day(&r.from), day(&r.to)) {
        (Some(f), Some(t)) => span_text(f, t),
        _ => format!("{}至{}", r.from, r.to),
    };
    // Against the average week of the four before: up, down, level, or new this week.
    let against = |n: f64, avg: f64| match change_pct(n, avg) {
        Some(d) if d > 0.0 => format!("+{}%", outreach_core::reports::pct_text(d)),
        Some(d) if d < 0.0 => format!("{}%", outreach_core::reports::pct_text(d)),
        Some(_) => "持平".to_string(),
        None if n > 0.0 => "新增".to_string(),
        None => "—".to_string(),
    };
    let count_note = match change_pct(r.count as f64, r.avg4) {
        Some(d) if d > 0.0 => format!("前四周周均{:.1}起，上升{}%", r.avg4, outreach_core::reports::decimal(d)),
        Some(d) if d < 0.0 => format!("前四周周均{:.1}起，下降{}%", r.avg4, outreach_core::reports::decimal(-d)),
        Some(_) => format!("与前四周周均{:.1}起持平", r.avg4),
        None => "前四周无发案".to_string(),
    };
    let per_case = if r.count > 0 {
        format!("平均每起{}元", money_text((r.loss_yuan / r.count as f64).round()))
    } else {
        String::new()
    };
    let kinds = [ActionKind::Talk, ActionKind::Visits, ActionKind::Push];
    let actions: Vec<String> = kinds
        .iter()
        .filter_map(|k| {
            let n = r.places.iter().filter(|p| p.suggestion.action == *k).count();
            // The box is narrow: "宣讲3处" rather than "专题宣讲3处".
            let short = match k {
                ActionKind::Talk => "宣讲",
                ActionKind::Visits => "走访",
                ActionKind::Push => "推送",
            };
            (n > 0).then(|| format!("{short}{n}处"))
        })
        .collect();
    let places_n = r.places.len() as u32 + r.more_places;
    let figures = vec![
        BriefFigure { label: "新发案件".into(), value: format!("{}起", r.count), note: count_note },
        BriefFigure { label: "损失金额".into(), value: format!("{}元", money_text(r.loss_yuan)), note: per_case },
        BriefFigure {
            label: "止付金额".into(),
            value: format!("{}元", money_text(r.stopped_yuan)),
            note: String::new(),
        },
        BriefFigure {
            label: "涉案地点".into(),
            value: format!("{places_n}处"),
            note: if actions.is_empty() { String::new() } else { format!("建议{}", actions.join("、")) },
        },
    ];
    let types = ReportTable {
        title: String::new(),
        columns: vec!["类型".into(), "本周立案".into(), "前四周周均".into(), "较周均".into(), "损失金额（元）".into()],
        rows: r
            .by_type
            .iter()
            .map(|t| {
                vec![
                    t.name.clone(),
                    t.count.to_string(),
                    format!("{:.1}", t.avg4),
                    against(t.count as f64, t.avg4),
                    money_text(t.loss_yuan),
                ]
            })
            .collect(),
        total: None,
    };
    let below = |path: &str| -> String {
        let parts: Vec<&str> = path.split(" / ").collect();
        match parts.iter().position(|p| *p == r.unit_name) {
            Some(i) => parts[i + 1..].join(" / "),
            None => path.to_string(),
        }
    };
    Brief {
        title: format!("{}每周涉诈案情研判简报", r.unit_name),
        subtitle: format!("（{week_text}，{span}）"),
        figures,
        types,
        groups: r.groups.iter().map(|g| (g.audience.label().to_string(), g.count)).collect(),
        places: r
            .places
            .iter()
            .map(|p| BriefPlace {
                name: p.unit_name.clone(),
                path: below(&p.path),
                cases: p.count,
                action: p.suggestion.action.label().to_string(),
                reason: p.suggestion.reason.clone(),
            })
            .collect(),
        more_places: r.more_places,
        no_places: "本周没有新发案件。".into(),
        issuer: issuer.to_string(),
        date_text: date_text(today),
    }
}

/// The brief as PDF bytes, issued by the operator's unit (else the review's own unit).
pub fn brief_pdf(conn: &Connection, r: &outreach_core::incidents::Review, today: chrono::NaiveDate) -> Result<Vec<u8>> {
    let issuer = organiser(conn, None)?;
    let issuer = if issuer.is_empty() { r.unit_name.clone() } else { issuer };
    outreach_print::brief(&brief_model(r, &issuer, today)).map_err(to_error)
}
