//! A synthetic city year at scale, for measuring (`outreach demo --scale city-year`):
//! the twelve months up to today (so 本季度 and 本年 have data), about 5,000 grids, 2,000 people, 20,000 sessions with their records, 1,000,000
//! door-to-door logs and 100,000 warned residents with their follow-up visits.
//! Deterministic (a fixed-seed generator) and written with prepared statements in one
//! transaction; the summary tables fill through their triggers like any other write.

use crate::error::Code;
use chrono::{Duration, NaiveDate};
use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

use crate::db::Store;
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct CityYearSummary {
    pub units: u32,
    pub grids: u32,
    pub people: u32,
    pub sessions: u32,
    pub visits: u32,
    pub cases: u32,
    /// The first and the last day of the data (today).
    pub from: String,
    pub to: String,
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn int(&mut self, n: u64) -> i64 {
        self.below(n) as i64
    }
}

const TS: &str = "2026-01-01T00:00:00.000Z";

pub fn load(store: &mut Store, grids_target: u32, sessions: u32, visits: u32, cases: u32) -> Result<CityYearSummary> {
    if !store.is_empty()? {
        return Err(Error::invalid(Code::DemoNotEmpty, &[]));
    }
    let today = chrono::Local::now().date_naive();
    load_until(store, today, grids_target, sessions, visits, cases)
}

/// The same, for the 365 days ending on `last`.
pub fn load_until(
    store: &mut Store,
    last: NaiveDate,
    grids_target: u32,
    sessions: u32,
    visits: u32,
    cases: u32,
) -> Result<CityYearSummary> {
    let start = last - Duration::days(364);
    // A million rows in one transaction overflow SQLite's default 2 MB page cache, and every
    // spilled page is a system call; a large cache for the load only halves the time.
    store.conn().pragma_update(None, "cache_size", -524_288)?;
    let loaded = store.write(|tx| {
        let mut rng = Rng(0x0DDB1A5E5BAD5EED);
        let mut units = 0u32;
        let mut unit = tx.prepare("INSERT INTO units(id, parent_id, name, kind, code, households, residents, under18, age18to59, age60plus, students, elderly_alone, finance_staff, created_at, updated_at)
            VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?14)")?;
        let id = |p: &str, n: u64| format!("{p}-{n:08}");
        unit.execute(params![id("u", 0), None::<String>, "淄川市", "city", "", 0u32, 0u32, 0u32, 0u32, 0u32, 0u32, 0u32, 0u32, TS])?;
        units += 1;
        // 8 districts × 12 stations × 13 communities × 4 grids ≈ 5,000 grids.
        let (d_n, s_n, c_n) = (8u64, 12u64, 13u64);
        let g_n = (grids_target as u64 / (d_n * s_n * c_n)).max(1);
        let mut grid_ids = Vec::new();
        let mut n = 1u64;
        for d in 0..d_n {
            let did = id("u", n);
            n += 1;
            unit.execute(params![did, id("u", 0), format!("第{}区", d + 1), "district", "", 0u32, 0u32, 0u32, 0u32, 0u32, 0u32, 0u32, 0u32, TS])?;
            for s in 0..s_n {
                let sid = id("u", n);
                n += 1;
                unit.execute(params![sid, did, format!("第{}区{}号派出所", d + 1, s + 1), "station", "", 0u32, 0u32, 0u32, 0u32, 0u32, 0u32, 0u32, 0u32, TS])?;
                for c in 0..c_n {
                    let cid = id("u", n);
                    n += 1;
                    unit.execute(params![cid, sid, format!("{}-{}-{}社区", d + 1, s + 1, c + 1), "community", "", 0u32, 0u32, 0u32, 0u32, 0u32, 0u32, 0u32, 0u32, TS])?;
                    for g in 0..g_n {
                        let gid = id("u", n);
                        n += 1;
                        let residents = 600 + rng.below(1800) as u32;
                        let a60 = residents * (15 + rng.below(20) as u32) / 100;
                        let u18 = residents * (12 + rng.below(10) as u32) / 100;
                        unit.execute(params![gid, cid, format!("{}-{}-{}社区第{}网格", d + 1, s + 1, c + 1, g + 1), "grid", "",
                            residents / 3, residents, u18, residents - a60 - u18, a60, u18 * 2 / 3, a60 / 8, rng.below(12) as u32, TS])?;
                        grid_ids.push(gid);
                    }
                }
            }
        }
        units += n as u32 - 1;
        let mut person = tx.prepare("INSERT INTO people(id, name, roles, phone, unit_id, topic_ids, active, created_at, updated_at) VALUES (?1,?2,?3,?4,?5,'[\"topic-fake-police\"]',1,?6,?6)")?;
        let people_n = 2000u64;
        for i in 0..people_n {
            let roles = if i % 2 == 0 { "[\"grid_worker\"]" } else { "[\"volunteer\"]" };
            person.execute(params![id("p", i), format!("宣讲员{i}"), roles, format!("139{:08}", i), grid_ids[(i as usize * 7) % grid_ids.len()], TS])?;
        }
        let kinds = ["talk", "bench_talk", "door_to_door", "booth", "performance", "training", "online_push"];
        let audiences = ["elderly", "students", "public", "enterprise_staff", "merchants"];
        let mut sess = tx.prepare("INSERT INTO sessions(id, title, kind, unit_id, starts_at, ends_at, audiences, status, created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?9)")?;
        let mut rec = tx.prepare("INSERT INTO records(id, actual_start, actual_end, headcount, created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?5)")?;
        let mut aud = tx.prepare("INSERT INTO record_audiences(record_id, audience, count) VALUES (?1,?2,?3)")?;
        let mut spk = tx.prepare("INSERT INTO record_speakers(record_id, person_id, hours) VALUES (?1,?2,?3)")?;
        let mut mat = tx.prepare("INSERT INTO record_materials(record_id, material_id, quantity) VALUES (?1,'mat-flyer',?2)")?;
        for i in 0..sessions as u64 {
            // Up to yesterday: every session is over (held or reported) when the data is made.
            let day = start + Duration::days(rng.below(364) as i64);
            let st = format!("{day}T{:02}:00", 9 + rng.below(9));
            let en = format!("{day}T{:02}:30", 10 + rng.below(9));
            let en = if en <= st { format!("{day}T20:00") } else { en };
            let status = match rng.below(20) { 0 => "cancelled", 1 | 2 => "held", _ => "reported" };
            let sid = id("s", i);
            let a = audiences[rng.below(audiences.len() as u64) as usize];
            sess.execute(params![sid, format!("反诈宣讲{i}"), kinds[rng.below(7) as usize], grid_ids[rng.below(grid_ids.len() as u64) as usize], st, en, format!("[\"{a}\"]"), status, TS])?;
            if status != "cancelled" {
                let heads = 20 + rng.int(180);
                rec.execute(params![sid, st, en, heads, TS])?;
                aud.execute(params![sid, a, heads * 7 / 10])?;
                spk.execute(params![sid, id("p", rng.below(people_n)), 1.5])?;
                mat.execute(params![sid, heads])?;
            }
        }
        let mut visit = tx.prepare("INSERT INTO visits(id, grid_id, building, visited_on, visited, not_home, refused, warnings, created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?9)")?;
        for i in 0..visits as u64 {
            let day = start + Duration::days(rng.below(365) as i64);
            visit.execute(params![id("v", i), grid_ids[rng.below(grid_ids.len() as u64) as usize], format!("{}号楼", 1 + rng.below(30)), day.to_string(),
                5 + rng.int(20), rng.int(6), rng.int(2), rng.int(3), TS])?;
        }
        let mut case = tx.prepare("INSERT INTO cases(id, name, phone, grid_id, worker_id, risk, warned_on, method, outcome, money_stopped, created_at, updated_at) VALUES (?1,?2,?3,?4,?9,?5,?6,'phone','dissuaded',?7,?8,?8)")?;
        let mut cv = tx.prepare("INSERT INTO case_visits(id, case_id, seq, due_on, done_on, method, result, created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?8)")?;
        let risks = ["high", "medium", "low"];
        for i in 0..cases as u64 {
            let warned = start + Duration::days(rng.below(365) as i64);
            let cid = id("c", i);
            let grid = rng.below(grid_ids.len() as u64) as usize;
            // The grid's worker (the even people are grid workers, ~5 grids each); one case in ten has none.
            let worker = (i % 10 != 0).then(|| id("p", 2 * (grid as u64 % (people_n / 2))));
            case.execute(params![cid, format!("居民{i}"), format!("137{:08}", i), grid_ids[grid], risks[rng.below(3) as usize], warned.to_string(), (rng.below(4) == 0) as i64, TS, worker])?;
            for (k, days) in [7i64, 30, 90].iter().enumerate() {
                let due = warned + Duration::days(*days);
                let done = match rng.below(10) { 0 => None, 1 => Some(due + Duration::days(3)), _ => Some(due - Duration::days(rng.below(3) as i64)) };
                let done = done.filter(|d| *d <= last).map(|d| d.to_string());
                cv.execute(params![format!("{cid}-{k}"), cid, k as i64 + 1, due.to_string(), done, done.as_ref().map(|_| "phone"), done.as_ref().map(|_| "safe"), TS])?;
            }
        }
        // The case system's year beside the outreach: 30,000 incidents over the same grids.
        crate::demo::synthetic_incidents(tx, 0xC17E, start, last, 30_000, None)?;
        Ok(CityYearSummary {
            units,
            grids: grid_ids.len() as u32,
            people: people_n as u32,
            sessions,
            visits,
            cases,
            from: start.to_string(),
            to: last.to_string(),
        })
    })
    .and_then(|summary| {
        // Build the coverage roll-up now, as part of generating, not on the first dashboard.
        let t = std::time::Instant::now();
        crate::coverage::refresh(store.conn())?;
        if std::env::var_os("OUTREACH_DEBUG").is_some() {
            eprintln!("debug: coverage roll-up built in {:?}", t.elapsed());
        }
        Ok(summary)
    });
    store.conn().pragma_update(None, "cache_size", crate::db::CACHE_KIB)?;
    loaded
}
