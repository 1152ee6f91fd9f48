//! Targeting: which audiences and fraud topics a grid or unit needs first, judged from its
//! resident profile (and said why), and the gap list of grids no held session has reached.

use crate::error::Code;
use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use crate::error::Result;
use crate::sessions::Audience;
use crate::units::{self, Totals};
use crate::{topics, util};

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct AudienceWeight {
    pub audience: Audience,
    /// 0–100: how much this audience matters here.
    pub weight: u32,
    /// Why, in Chinese (the CLI); the window says it from the figures below.
    pub reason: String,
    /// The audience's share of the unit's residents, and of all units' (per cent, rounded).
    pub share_pct: u32,
    pub share_all_pct: u32,
    /// Finance staff only: how many here, and in all units.
    #[ts(type = "number")]
    pub people: u64,
    #[ts(type = "number")]
    pub people_all: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct TopicSuggestion {
    pub topic_id: String,
    pub name: String,
    pub score: u32,
    /// Why, in Chinese (the CLI); the window says it from `audience` and `elderly_alone`.
    pub reason: String,
    /// The audience that made the score (its own reason says why it matters here).
    pub audience: Option<Audience>,
    /// For the elderly-care topic: the elderly living alone here (0 otherwise).
    #[ts(type = "number")]
    pub elderly_alone: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Suggestions {
    pub unit_id: String,
    pub audiences: Vec<AudienceWeight>,
    pub topics: Vec<TopicSuggestion>,
}

/// Shares of the unit's residents set against the whole organisation's, so "many elderly"
/// means more than elsewhere, not merely many.
pub fn audience_weights(t: &Totals, all: &Totals) -> Vec<AudienceWeight> {
    let share = |p: u64, total: &Totals| if total.residents == 0 { 0.0 } else { p as f64 / total.residents as f64 };
    let mut out = Vec::new();
    let mut push = |audience: Audience, here: f64, base: f64, label: &str| {
        let ratio = if base > 0.0 { here / base } else { 1.0 };
        let weight = ((here * 100.0) * ratio.clamp(0.3, 3.0)).round().min(100.0) as u32;
        let (share_pct, share_all_pct) = ((here * 100.0).round() as u32, (base * 100.0).round() as u32);
        let reason = format!("{label}占 {share_pct}%（全部辖区 {share_all_pct}%）");
        out.push(AudienceWeight { audience, weight, reason, share_pct, share_all_pct, people: 0, people_all: 0 });
    };
    push(Audience::Elderly, share(t.age60plus, t), share(all.age60plus, all), "60岁以上老人");
    push(Audience::Students, share(t.students, t), share(all.students, all), "在校学生");
    push(Audience::Parents, share(t.under18, t) * 0.8, share(all.under18, all) * 0.8, "未成年人家庭");
    push(
        Audience::FinanceStaff,
        share(t.finance_staff * 20, t),
        share(all.finance_staff * 20, all),
        "企业财务人员（按每人影响20人计）",
    );
    push(
        Audience::EnterpriseStaff,
        share(t.age18to59, t) * 0.4,
        share(all.age18to59, all) * 0.4,
        "18-59岁劳动年龄人口",
    );
    if let Some(f) = out.iter_mut().find(|a| a.audience == Audience::FinanceStaff) {
        f.reason = format!("企业财务人员 {} 人（全部辖区 {} 人）", t.finance_staff, all.finance_staff);
        (f.people, f.people_all) = (t.finance_staff, all.finance_staff);
    }
    out.push(AudienceWeight {
        audience: Audience::Public,
        weight: 10,
        reason: "所有居民".into(),
        share_pct: 100,
        share_all_pct: 100,
        people: 0,
        people_all: 0,
    });
    out.sort_by_key(|w| std::cmp::Reverse(w.weight));
    out
}

pub fn suggest(conn: &Connection, unit_id: &str) -> Result<Suggestions> {
    let t = units::totals(conn, unit_id)?;
    let mut all = Totals::default();
    for r in units::tree(conn, false)? {
        all.add(&r.totals);
    }
    let audiences = audience_weights(&t, &all);
    let w: HashMap<Audience, &AudienceWeight> = audiences.iter().map(|a| (a.audience, a)).collect();
    let mut topics_out: Vec<(TopicSuggestion, usize)> = topics::list(conn)?
        .into_iter()
        .map(|topic| {
            // A topic lists the audiences it hits hardest first: the first counts fully, the
            // second 70%, the rest half. Ties go to the more specific topic (fewer audiences).
            let hits: Vec<(&AudienceWeight, u32)> = topic
                .audiences
                .iter()
                .filter_map(|a| Audience::parse(a))
                .enumerate()
                .filter_map(|(i, a)| w.get(&a).map(|aw| (*aw, aw.weight * [10, 7, 5, 5, 5, 5, 5][i.min(6)] / 10)))
                .collect();
            let score = hits.iter().map(|(_, s)| *s).max().unwrap_or(0);
            let best = hits.iter().max_by_key(|(_, s)| *s).map(|(h, _)| *h);
            let mut reason = best
                .map(|b: &AudienceWeight| format!("主要针对{}：{}", b.audience.label(), b.reason))
                .unwrap_or_default();
            let elderly_alone = if topic.id == "topic-elderly-care" { t.elderly_alone as u64 } else { 0 };
            if elderly_alone > 0 {
                reason.push_str(&format!("；独居老人 {elderly_alone} 人"));
            }
            let audience = best.map(|b| b.audience);
            (
                TopicSuggestion { topic_id: topic.id, name: topic.name, score, reason, audience, elderly_alone },
                topic.audiences.len(),
            )
        })
        .collect();
    topics_out.sort_by(|a, b| b.0.score.cmp(&a.0.score).then(a.1.cmp(&b.1)).then(a.0.name.cmp(&b.0.name)));
    let topics_out: Vec<TopicSuggestion> = topics_out.into_iter().map(|(t, _)| t).collect();
    Ok(Suggestions { unit_id: unit_id.to_string(), audiences, topics: topics_out })
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Gap {
    pub grid_id: String,
    pub grid_name: String,
    /// Names from the root down to the grid's parent.
    pub path: String,
    pub residents: u32,
    pub households: u32,
    pub last_held: Option<String>,
    pub days_since: Option<u32>,
}

/// Grids (under `unit_id`, or all) with no held or reported session in the `days` days up
/// to `as_of`, largest population first: the residents not reached (what reaches a grid is
/// `coverage`'s rule).
pub fn gaps(conn: &Connection, unit_id: Option<&str>, days: u32, as_of: Option<&str>) -> Result<Vec<Gap>> {
    let as_of = match as_of {
        Some(d) => util::parse_date("date", d)?.unwrap_or_else(util::today),
        None => util::today(),
    };
    let day = NaiveDate::parse_from_str(&as_of, "%Y-%m-%d")
        .map_err(|_| crate::error::Error::invalid(Code::ValidationDate, &[("field", "date"), ("value", &as_of)]))?;
    let since = format!("{}T00:00", day - Duration::days(days as i64));
    let until = format!("{}T24:00", day);
    let all = units::list(conn, false)?;
    let by_id: HashMap<String, units::Unit> = all.iter().map(|u| (u.id.clone(), u.clone())).collect();
    let within: Option<std::collections::HashSet<String>> = match unit_id {
        Some(root) => {
            units::get(conn, root)?;
            let mut set = std::collections::HashSet::new();
            set.insert(root.to_string());
            for u in &all {
                // `all` lists parents first, so one pass collects the subtree.
                if u.parent_id.as_ref().is_some_and(|p| set.contains(p)) {
                    set.insert(u.id.clone());
                }
            }
            Some(set)
        }
        None => None,
    };
    // The same rule as the coverage figures: a held session reaches its grid, or every grid of
    // the community it belongs to (coverage.rs).
    let last = crate::coverage::last_reached(conn, &until)?;
    let mut out = Vec::new();
    for u in &all {
        let Some(p) = &u.profile else { continue };
        if within.as_ref().is_some_and(|w| !w.contains(&u.id)) {
            continue;
        }
        let last_held = last.get(&u.id).cloned();
        if last_held.as_ref().is_some_and(|t| *t >= since) {
            continue;
        }
        let days_since =
            last_held.as_ref().and_then(|t| crate::time::day(t)).map(|d| (day - d).num_days().max(0) as u32);
        let path = u.parent_id.as_deref().map(|pid| units::path_names(&by_id, pid)).unwrap_or_default();
        out.push(Gap {
            grid_id: u.id.clone(),
            grid_name: u.name.clone(),
            path,
            residents: p.residents,
            households: p.households,
            last_held: last_held.map(|t| crate::time::day_text(&t)),
            days_since,
        });
    }
    out.sort_by(|a, b| b.residents.cmp(&a.residents).then(a.grid_name.cmp(&b.grid_name)));
    Ok(out)
}
