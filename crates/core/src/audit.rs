//! Append-only audit log of imports, exports, restores, prints, merges and views of
//! unmasked personal data. Each entry carries the hash of the one before, so an edit or
//! a removed row shows up as a broken link (`outreach audit verify`).

use rusqlite::{params, Connection};
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::Result;
use crate::util::now;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct AuditEntry {
    pub seq: u32,
    pub at: String,
    pub operator: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn entry_hash(prev: &str, seq: i64, at: &str, operator: &str, action: &str, target: &str, detail: &str) -> String {
    let mut h = Sha256::new();
    for part in [prev, &seq.to_string(), at, operator, action, target, detail] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

pub fn record(conn: &Connection, operator: &str, action: &str, target: &str, detail: &str) -> Result<()> {
    let (last_seq, prev): (i64, String) = conn.query_row(
        "SELECT coalesce(max(seq), 0), coalesce((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), ?1) FROM audit_log",
        [GENESIS],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let seq = last_seq + 1;
    let at = now();
    let hash = entry_hash(&prev, seq, &at, operator, action, target, detail);
    conn.execute(
        "INSERT INTO audit_log(seq, at, operator, action, target, detail, prev_hash, hash) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
        params![seq, at, operator, action, target, detail, prev, hash],
    )?;
    Ok(())
}

pub fn list(conn: &Connection, limit: u32, offset: u32) -> Result<Vec<AuditEntry>> {
    let mut st = conn.prepare(
        "SELECT seq, at, operator, action, target, detail FROM audit_log ORDER BY seq DESC LIMIT ?1 OFFSET ?2",
    )?;
    let rows = st.query_map(params![limit.min(10_000), offset], |r| {
        Ok(AuditEntry {
            seq: r.get::<_, i64>(0)? as u32,
            at: r.get(1)?,
            operator: r.get(2)?,
            action: r.get(3)?,
            target: r.get(4)?,
            detail: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Verification {
    #[ts(type = "number")]
    pub entries: u64,
    /// The first entry whose link to the one before does not hold.
    #[ts(type = "number | null")]
    pub first_broken: Option<i64>,
}

pub fn verify(conn: &Connection) -> Result<Verification> {
    let mut st =
        conn.prepare("SELECT seq, at, operator, action, target, detail, prev_hash, hash FROM audit_log ORDER BY seq")?;
    let mut rows = st.query([])?;
    let mut prev = GENESIS.to_string();
    let mut expected_seq = 1i64;
    let mut entries = 0u64;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let (at, op, action, target, detail, prev_hash, hash): (
            String,
            String,
            String,
            String,
            String,
            String,
            String,
        ) = (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?);
        entries += 1;
        let ok = seq == expected_seq
            && prev_hash == prev
            && hash == entry_hash(&prev, seq, &at, &op, &action, &target, &detail);
        if !ok {
            return Ok(Verification { entries, first_broken: Some(seq) });
        }
        prev = hash;
        expected_seq += 1;
    }
    Ok(Verification { entries, first_broken: None })
}
