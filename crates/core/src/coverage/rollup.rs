//! The roll-up cache behind the coverage figures: for every unit and month, the sums of that
//! unit with everything below it (`rollup`), and for every unit and year the grids reached and
//! the speakers active, with the months they were (`rollup_reach`, a 12-bit mask), so that
//! distinct counts over any run of months need no rows.
//!
//! Triggers (migration 006) only mark the months a write touched in `rollup_dirty` — on every
//! write path, forms, imports, bundle merges, removals — and `refresh` rebuilds just those
//! months from the definitions in `coverage.rs` before the next read. Moving or archiving a
//! unit marks everything. The rows stay the truth: tests compare the cache with them.

use std::collections::{BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate};
use rusqlite::{params, Connection};

use super::{first_of_next, sessions_into, Raw, Tree, AUDIENCES, KINDS};
use crate::error::Result;

const FIELDS: usize = 3 + KINDS + 1 + AUDIENCES + 5 + 1 + 6 + 4 + 2;

fn values(r: &Raw) -> [u64; FIELDS] {
    let mut v = [0u64; FIELDS];
    let mut i = 0;
    let mut put = |x: u64| {
        v[i] = x;
        i += 1;
    };
    put(r.held);
    put(r.planned);
    put(r.cancelled);
    r.by_kind.iter().for_each(|x| put(*x));
    put(r.person_times);
    r.audience.iter().for_each(|x| put(*x));
    for x in [r.visit_logs, r.households_visited, r.not_home, r.refused, r.warnings] {
        put(x);
    }
    // Hours are credited in fractions; thousandths keep the sums exact to the shown tenth.
    put((r.hours * 1000.0).round() as u64);
    r.materials.iter().for_each(|x| put(*x));
    for x in [r.fu_due, r.fu_on_time, r.fu_late, r.fu_open, r.warned, r.money_stopped] {
        put(x);
    }
    v
}

/// Adds a cached month into `r`. Open follow-up visits are overdue once the month has ended.
fn add_values(r: &mut Raw, v: &[u64; FIELDS], ended: bool) {
    let mut i = 0;
    let mut take = || {
        i += 1;
        v[i - 1]
    };
    r.held += take();
    r.planned += take();
    r.cancelled += take();
    for k in 0..KINDS {
        r.by_kind[k] += take();
    }
    r.person_times += take();
    for a in 0..AUDIENCES {
        r.audience[a] += take();
    }
    r.visit_logs += take();
    r.households_visited += take();
    r.not_home += take();
    r.refused += take();
    r.warnings += take();
    r.hours += take() as f64 / 1000.0;
    for m in 0..6 {
        r.materials[m] += take();
    }
    r.fu_due += take();
    r.fu_on_time += take();
    r.fu_late += take();
    let open = take();
    r.fu_open += open;
    if ended {
        r.fu_overdue += open;
    }
    r.warned += take();
    r.money_stopped += take();
}

/// LEB128: most values of a unit-month are small or zero, so rows stay a few dozen bytes.
fn encode(v: &[u64; FIELDS]) -> Vec<u8> {
    let mut out = Vec::with_capacity(FIELDS * 2);
    for &x in v {
        let mut x = x;
        loop {
            let b = (x & 0x7f) as u8;
            x >>= 7;
            if x == 0 {
                out.push(b);
                break;
            }
            out.push(b | 0x80);
        }
    }
    out
}

fn decode(bytes: &[u8]) -> [u64; FIELDS] {
    let mut v = [0u64; FIELDS];
    let (mut i, mut shift) = (0, 0);
    for &b in bytes {
        if i >= FIELDS {
            break;
        }
        v[i] |= ((b & 0x7f) as u64) << shift;
        if b & 0x80 == 0 {
            i += 1;
            shift = 0;
        } else {
            shift += 7;
        }
    }
    v
}

fn key(m: NaiveDate) -> String {
    m.format("%Y-%m").to_string()
}

pub(super) fn refresh(conn: &Connection) -> Result<()> {
    let dirty: Vec<String> = conn
        .prepare_cached("SELECT month FROM rollup_dirty")?
        .query_map([], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    if dirty.is_empty() {
        return Ok(());
    }
    // A savepoint works inside or outside a caller's transaction: all rebuilt or none.
    conn.execute_batch("SAVEPOINT rollup_refresh")?;
    let rebuilt = (|| -> Result<()> {
        let tree = Tree::cached(conn)?;
        let months: BTreeSet<String> = if dirty.iter().any(|m| m == "all") {
            conn.execute_batch("DELETE FROM rollup; DELETE FROM rollup_reach;")?;
            let mut st = conn.prepare(
                "SELECT substr(starts_at, 1, 7) FROM sessions UNION SELECT month FROM visit_totals
                 UNION SELECT month FROM followup_totals UNION SELECT month FROM case_totals",
            )?;
            let all = st.query_map([], |r| r.get::<_, Option<String>>(0))?.filter_map(|m| m.ok().flatten()).collect();
            all
        } else {
            dirty.into_iter().collect()
        };
        for m in months {
            if let Ok(first) = NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d") {
                rebuild(conn, &tree, first)?;
            }
        }
        conn.execute("DELETE FROM rollup_dirty", [])?;
        Ok(())
    })();
    match rebuilt {
        Ok(()) => conn.execute_batch("RELEASE rollup_refresh")?,
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK TO rollup_refresh; RELEASE rollup_refresh");
            return Err(e);
        }
    }
    Ok(())
}

/// Recomputes one month for every unit: sessions from their rows, the large tables from their
/// per-grid monthly sums, rolled up each unit's chain.
fn rebuild(conn: &Connection, tree: &Tree, first: NaiveDate) -> Result<()> {
    let month = key(first);
    let mut leaf: HashMap<String, Raw> = HashMap::new();
    sessions_into(conn, first, first_of_next(first) - chrono::Duration::days(1), &mut leaf)?;
    {
        let mut st = conn.prepare_cached(
            "SELECT grid_id, logs, visited, not_home, refused, warnings FROM visit_totals WHERE month = ?1",
        )?;
        let mut rows = st.query([&month])?;
        while let Some(r) = rows.next()? {
            super::add_visits(&mut leaf, r.get(0)?, [r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?]);
        }
        let mut st =
            conn.prepare_cached("SELECT grid_id, due, on_time, late, open FROM followup_totals WHERE month = ?1")?;
        let mut rows = st.query([&month])?;
        while let Some(r) = rows.next()? {
            super::add_followups(&mut leaf, r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
        }
        let mut st = conn.prepare_cached("SELECT grid_id, warned, money_stopped FROM case_totals WHERE month = ?1")?;
        let mut rows = st.query([&month])?;
        while let Some(r) = rows.next()? {
            super::add_cases(&mut leaf, r.get(0)?, r.get(1)?, r.get(2)?);
        }
    }
    tree.mark_reached(&mut leaf);
    let mut up: HashMap<&str, Raw> = HashMap::new();
    for (id, r) in &leaf {
        for a in tree.chain.get(id).into_iter().flatten() {
            up.entry(a.as_str()).or_default().add(r);
        }
    }
    conn.execute("DELETE FROM rollup WHERE month = ?1", [&month])?;
    let mut ins = conn.prepare_cached("INSERT INTO rollup(unit_id, month, v) VALUES (?1, ?2, ?3)")?;
    for (id, r) in &up {
        ins.execute(params![id, month, encode(&values(r))])?;
    }
    let (year, bit) = (first.year(), 1i64 << first.month0());
    conn.execute(
        "UPDATE rollup_reach SET months = months & ~?2 WHERE year = ?1 AND (months & ?2) != 0",
        params![year, bit],
    )?;
    conn.execute("DELETE FROM rollup_reach WHERE year = ?1 AND months = 0", [year])?;
    let mut reach = conn.prepare_cached(
        "INSERT INTO rollup_reach(year, unit_id, what, member, months) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(year, unit_id, what, member) DO UPDATE SET months = months | excluded.months",
    )?;
    for (id, r) in &up {
        for g in &r.grids {
            reach.execute(params![year, id, 0, g, bit])?;
        }
        for s in &r.speakers {
            reach.execute(params![year, id, 1, s, bit])?;
        }
    }
    Ok(())
}

/// The cached sums of whole months `m1..=m2` (first days) for the given units, each with the
/// grids reached and speakers active in those months.
pub(super) fn read(
    conn: &Connection,
    ids: &[String],
    (m1, m2): (NaiveDate, NaiveDate),
    as_of: NaiveDate,
) -> Result<HashMap<String, Raw>> {
    let list = serde_json::to_string(ids).map_err(|e| crate::error::Error::Internal(e.to_string()))?;
    let mut out: HashMap<String, Raw> = HashMap::new();
    let mut st = conn.prepare_cached(
        "SELECT unit_id, month, v FROM rollup WHERE unit_id IN (SELECT value FROM json_each(?1)) AND month BETWEEN ?2 AND ?3",
    )?;
    let mut rows = st.query(params![list, key(m1), key(m2)])?;
    let closed_before = key(super::first_of(as_of));
    while let Some(r) = rows.next()? {
        let (id, month): (String, String) = (r.get(0)?, r.get(1)?);
        let v = decode(r.get_ref(2)?.as_blob().unwrap_or_default());
        add_values(out.entry(id).or_default(), &v, month < closed_before);
    }
    let mut st = conn.prepare_cached(
        "SELECT unit_id, what, member FROM rollup_reach WHERE year = ?1 AND unit_id IN (SELECT value FROM json_each(?2)) AND (months & ?3) != 0",
    )?;
    for year in m1.year()..=m2.year() {
        let lo = if year == m1.year() { m1.month0() } else { 0 };
        let hi = if year == m2.year() { m2.month0() } else { 11 };
        let mask: i64 = (lo..=hi).map(|b| 1i64 << b).sum();
        let mut rows = st.query(params![year, list, mask])?;
        while let Some(r) = rows.next()? {
            let (id, what, member): (String, i64, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let e = out.entry(id).or_default();
            if what == 0 {
                e.grids.insert(member);
            } else {
                e.speakers.insert(member);
            }
        }
    }
    Ok(out)
}

/// Sessions held and person-times of one unit per cached month between `from` and `to`.
pub(super) fn monthly(
    conn: &Connection,
    unit_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<String, (u64, u64)>> {
    let mut st = conn.prepare_cached("SELECT month, v FROM rollup WHERE unit_id = ?1 AND month BETWEEN ?2 AND ?3")?;
    let mut rows = st.query(params![unit_id, key(from), key(to)])?;
    let mut out = HashMap::new();
    while let Some(r) = rows.next()? {
        let month: String = r.get(0)?;
        let mut raw = Raw::default();
        add_values(&mut raw, &decode(r.get_ref(1)?.as_blob().unwrap_or_default()), false);
        out.insert(month, (raw.held, raw.person_times));
    }
    Ok(out)
}

/// Person-times of each of `ids` (with everything below it) over whole months `m1..=m2`: only
/// that one sum decoded, for thousands of grids at once.
pub(super) fn person_times(
    conn: &Connection,
    ids: &[String],
    (m1, m2): (NaiveDate, NaiveDate),
) -> Result<HashMap<String, u64>> {
    let list = serde_json::to_string(ids).map_err(|e| crate::error::Error::Internal(e.to_string()))?;
    let mut out: HashMap<String, u64> = HashMap::new();
    let mut st = conn.prepare_cached(
        "SELECT unit_id, v FROM rollup WHERE unit_id IN (SELECT value FROM json_each(?1)) AND month BETWEEN ?2 AND ?3",
    )?;
    let mut rows = st.query(params![list, key(m1), key(m2)])?;
    // held, planned, cancelled and the kinds come first (the order of `add_values`).
    let at = 3 + KINDS;
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let v = decode(r.get_ref(1)?.as_blob().unwrap_or_default());
        *out.entry(id).or_default() += v[at];
    }
    Ok(out)
}
