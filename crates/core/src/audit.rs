//! Append-only audit log of imports, exports, restores, prints, merges and views of
//! unmasked personal data. Each entry carries the hash of the one before, so an edit or
//! a removed row shows up as a broken link (`outreach audit verify`).

use std::collections::BTreeMap;

use rusqlite::{params, Connection, OptionalExtension};
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
    /// Who acted: the identity the database was unlocked as (`coordinator`, `profile:<id>`);
    /// empty for entries written before the log recorded it.
    pub actor: String,
    /// A captain profile's name for `profile:<id>` (as it is now); empty otherwise.
    pub actor_label: String,
    pub action: String,
    pub target: String,
    /// The entry in Chinese, as the log keeps it (the hash chain covers it).
    pub detail: String,
    /// The note's code (`note`) and its values, from which another language says the same;
    /// empty for entries written before notes had codes.
    pub params: BTreeMap<String, String>,
}

/// What an audit entry says: a code and its values. The log keeps the Chinese sentence
/// (`detail`, which the CLI prints) and these, so the English window says it in English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    code: &'static str,
    params: Vec<(&'static str, String)>,
}

impl Note {
    pub fn new(code: &'static str) -> Note {
        Note { code, params: vec![] }
    }

    pub fn with(mut self, key: &'static str, value: impl ToString) -> Note {
        self.params.push((key, value.to_string()));
        self
    }

    pub fn code(&self) -> &'static str {
        self.code
    }

    fn get(&self, key: &str) -> &str {
        self.params.iter().find(|(k, _)| *k == key).map_or("", |(_, v)| v.as_str())
    }

    /// The note in Chinese (the sentence the log has always kept).
    pub fn text(&self) -> String {
        let g = |k: &str| self.get(k);
        match self.code {
            // A write of the access table's: the action's name, and what it wrote.
            "action.done" if g("name").is_empty() => g("action").to_string(),
            "action.done" => format!("{}：{}", g("action"), g("name")),
            "phone.case" => "查看预警对象的完整电话".into(),
            "phone.person" => format!("查看 {} 的完整电话", g("name")),
            "phone.venue" => format!("查看 {} 联系人的完整电话", g("name")),
            "report.saved" => format!("{}（{}）", g("title"), g("period")),
            "brief.saved" => format!("{}每周研判简报（{}）", g("unit"), g("week")),
            "print.saved" => format!("{}（{} 页）", g("title"), g("pages")),
            "export.ics" => format!("{} 场活动 → {}", g("n"), g("path")),
            "export.table" => format!("{} 行 → {}", g("n"), g("path")),
            "export.table_full" => format!("{} 行 → {}（含完整电话）", g("n"), g("path")),
            "export.table_masked" => format!("{} 行 → {}（电话已遮挡）", g("n"), g("path")),
            "import.done" => format!(
                "{}: 新增 {} 更新 {} 未变 {} 跳过 {}",
                g("file"),
                g("added"),
                g("updated"),
                g("unchanged"),
                g("skipped")
            ),
            "keychain.saved" => "口令已保存在本机系统钥匙串中".into(),
            "keychain.forgotten" => "已删除本机系统钥匙串中的口令".into(),
            "bundle.take_incoming" => "采用交接包版本".into(),
            "bundle.keep_ours" => "保留本机版本".into(),
            "bundle.imported" => format!(
                "新增 {}，更新 {}，未变 {}，保留本机 {}，冲突 {}",
                g("added"),
                g("updated"),
                g("unchanged"),
                g("kept"),
                g("conflicts")
            ),
            "bundle.exported" => format!("{} 条记录，{} 张照片，已加密", g("entities"), g("files")),
            "bundle.exported_plain" => format!("{} 条记录，{} 张照片，未加密", g("entities"), g("files")),
            "demo.loaded" => format!(
                "载入演示数据：单位 {} 个（网格 {} 个），人员 {} 名，场所 {} 个，活动 {} 场",
                g("units"),
                g("grids"),
                g("people"),
                g("venues"),
                g("sessions")
            ),
            "followups.purged" => {
                let mut s = format!(
                    "清除 {} 个已结案预警对象的个人信息；备份：改写 {} 份（在其中清除 {} 个），删除 {} 份",
                    g("cases"),
                    g("rewritten"),
                    g("backupCases"),
                    g("dropped")
                );
                if g("failed") != "0" && !g("failed").is_empty() {
                    s.push_str(&format!("，{} 份未能处理（下次清除时重试）", g("failed")));
                }
                s
            }
            "followups.backups_kept" => {
                format!(
                    "{} 份备份无法用当前口令打开（口令不符或文件损坏）：已保留未删除，其中的个人信息未能清除",
                    g("n")
                )
            }
            "backup.manual" => "手动备份".into(),
            "backup.restored" if g("replaced").len() >= 16 => {
                format!("恢复前的数据已备份为 {}（恢复前审计链 {}…）", g("backup"), &g("replaced")[..16])
            }
            "backup.restored" => format!("恢复前的数据已备份为 {}", g("backup")),
            "records.corrected" => g("reason").to_string(),
            "access.captain" => format!("以队长身份「{}」解锁", g("label")),
            "access.switched" => format!("切换为「{}」身份", g("label")),
            "profile.added" => format!("添加队长身份「{}」", g("label")),
            "profile.changed" => format!("修改队长身份「{}」", g("label")),
            "profile.changed_rekeyed" => format!("修改队长身份并重设口令「{}」", g("label")),
            "profile.removed" => format!("删除队长身份「{}」", g("label")),
            "profile.sync_refused" => {
                format!("队长「{}」的工作未能汇入：{}（仍在其数据库中，未写入任何数据）", g("label"), g("reason"))
            }
            "passphrase.captain" => format!("队长「{}」更换了自己的口令", g("label")),
            "passphrase.changed" => "数据库口令已更换（只重新封装了数据密钥，数据库和备份不变）".into(),
            "passphrase.rekeyed" => "数据库和全部备份已改用新的数据密钥".into(),
            "unlock.failed" => format!("「{}」解锁失败 {} 次（{} 至 {}）", g("who"), g("count"), g("first"), g("last")),
            "passphrase.encrypted" => "原有数据库已加密（加密前已备份，备份随后也已加密）".into(),
            "passphrase.created" => "首次运行，数据库以口令加密创建".into(),
            other => other.to_string(),
        }
    }

    fn params_json(&self) -> String {
        let mut m: BTreeMap<&str, &str> = self.params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        m.insert("note", self.code);
        serde_json::to_string(&m).unwrap_or_default()
    }
}

/// Every note code, for the UI's languages (written to `ui/src/bindings/auditNotes.ts`).
pub const NOTE_CODES: &[&str] = &[
    "action.done",
    "phone.case",
    "phone.person",
    "phone.venue",
    "report.saved",
    "brief.saved",
    "print.saved",
    "export.ics",
    "export.table",
    "export.table_full",
    "export.table_masked",
    "import.done",
    "keychain.saved",
    "keychain.forgotten",
    "bundle.take_incoming",
    "bundle.keep_ours",
    "bundle.imported",
    "bundle.exported",
    "bundle.exported_plain",
    "demo.loaded",
    "followups.purged",
    "followups.backups_kept",
    "backup.manual",
    "backup.restored",
    "records.corrected",
    "access.captain",
    "access.switched",
    "profile.added",
    "profile.changed",
    "profile.changed_rekeyed",
    "profile.removed",
    "profile.sync_refused",
    "passphrase.captain",
    "passphrase.changed",
    "passphrase.rekeyed",
    "unlock.failed",
    "passphrase.encrypted",
    "passphrase.created",
];

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The link of an entry. Its params and its actor are part of it when it has them (entries
/// from before notes had codes, or before the actor was recorded, hash as they always did).
#[allow(clippy::too_many_arguments)]
fn entry_hash(
    prev: &str,
    seq: i64,
    at: &str,
    operator: &str,
    actor: &str,
    action: &str,
    target: &str,
    detail: &str,
    params: &str,
) -> String {
    let mut h = Sha256::new();
    for part in [prev, &seq.to_string(), at, operator, action, target, detail] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    if !params.is_empty() {
        h.update(params.as_bytes());
        h.update([0x1f]);
    }
    // Tagged, so an actor cannot pass for params (which always start with `{`) or the reverse.
    if !actor.is_empty() {
        h.update(b"actor\x1e");
        h.update(actor.as_bytes());
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

/// Appends an entry. `operator` is the name from the settings (free text); `actor` the identity
/// the database is unlocked as (`Store::actor`: `coordinator`, `profile:<id>`).
pub fn record(conn: &Connection, operator: &str, actor: &str, action: &str, target: &str, note: &Note) -> Result<()> {
    let detail = note.text();
    let params = note.params_json();
    let (last_seq, prev): (i64, String) = conn.query_row(
        "SELECT coalesce(max(seq), 0), coalesce((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), ?1) FROM audit_log",
        [GENESIS],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let seq = last_seq + 1;
    let at = now();
    let hash = entry_hash(&prev, seq, &at, operator, actor, action, target, &detail, &params);
    conn.execute(
        "INSERT INTO audit_log(seq, at, operator, actor, action, target, detail, prev_hash, hash, params)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
        params![seq, at, operator, actor, action, target, detail, prev, hash, params],
    )?;
    Ok(())
}

pub fn list(conn: &Connection, limit: u32, offset: u32) -> Result<Vec<AuditEntry>> {
    let mut st = conn.prepare(
        "SELECT seq, at, operator, action, target, detail, params, actor,
                coalesce((SELECT label FROM profiles WHERE 'profile:' || profiles.id = audit_log.actor), '')
         FROM audit_log ORDER BY seq DESC LIMIT ?1 OFFSET ?2",
    )?;
    let rows = st.query_map(params![limit.min(10_000), offset], |r| {
        Ok(AuditEntry {
            seq: r.get::<_, i64>(0)? as u32,
            at: r.get(1)?,
            operator: r.get(2)?,
            actor: r.get(7)?,
            actor_label: r.get(8)?,
            action: r.get(3)?,
            target: r.get(4)?,
            detail: r.get(5)?,
            params: serde_json::from_str(&r.get::<_, String>(6)?).unwrap_or_default(),
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
    let mut st = conn.prepare(
        "SELECT seq, at, operator, action, target, detail, prev_hash, hash, params, actor FROM audit_log ORDER BY seq",
    )?;
    let mut rows = st.query([])?;
    let mut prev = GENESIS.to_string();
    let mut expected_seq = 1i64;
    let mut entries = 0u64;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let (at, op, action, target, detail, prev_hash, hash, params): (
            String,
            String,
            String,
            String,
            String,
            String,
            String,
            String,
        ) = (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?);
        let actor: String = r.get(9)?;
        entries += 1;
        let ok = seq == expected_seq
            && prev_hash == prev
            && hash == entry_hash(&prev, seq, &at, &op, &actor, &action, &target, &detail, &params);
        if !ok {
            return Ok(Verification { entries, first_broken: Some(seq) });
        }
        prev = hash;
        expected_seq += 1;
    }
    Ok(Verification { entries, first_broken: None })
}

/// The fewest hex digits of an anchor that are accepted (what a report's footer prints).
pub const ANCHOR_MIN_DIGITS: usize = 16;

/// Verifies the chain and that it still holds the entry `anchor` names (its hash, or a prefix
/// of at least [`ANCHOR_MIN_DIGITS`] hex digits, as printed on a report or kept with a backup).
/// A chain cut before the anchor, or rebuilt from it on, verifies on its own; only the anchor
/// kept outside the database shows it: `audit.anchor_missing`.
pub fn verify_anchor(conn: &Connection, anchor: &str) -> Result<Verification> {
    let v = verify(conn)?;
    if let Some(seq) = v.first_broken {
        return Err(crate::error::Error::invalid(crate::error::Code::AuditBroken, &[("seq", &seq.to_string())]));
    }
    let a = anchor.trim().trim_end_matches('…').to_ascii_lowercase();
    let well_formed = (ANCHOR_MIN_DIGITS..=64).contains(&a.len()) && a.bytes().all(|b| b.is_ascii_hexdigit());
    let found = well_formed
        && conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM audit_log WHERE substr(hash, 1, length(?1)) = ?1)",
            [&a],
            |r| r.get::<_, bool>(0),
        )?;
    if !found {
        return Err(crate::error::Error::invalid(crate::error::Code::AuditAnchorMissing, &[("anchor", anchor.trim())]));
    }
    Ok(v)
}

/// The hash of the last entry: the anchor printed on reports and carried in bundle and backup headers.
pub fn head(conn: &Connection) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1", [], |r| r.get(0)).optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every note has its Chinese sentence; the codes are written for the UI, whose English
    /// must name each (AuditNotes.spec.ts).
    #[test]
    fn every_note_has_its_sentence_and_reaches_the_ui() {
        for code in NOTE_CODES {
            let n = Note::new(code).with("label", "甲").with("n", 3);
            assert_ne!(n.text(), *code, "{code} has no Chinese sentence");
        }
        let mut ts = String::from(
            "// Written by `cargo test -p outreach-core` (audit::tests) from audit::NOTE_CODES. Do not edit.\nexport const AUDIT_NOTES = [\n",
        );
        for c in NOTE_CODES {
            ts.push_str(&format!("  \"{c}\",\n"));
        }
        ts.push_str("] as const;\n");
        crate::write_ui_binding("auditNotes.ts", &ts);
    }

    #[test]
    fn params_are_part_of_the_chain_and_old_entries_still_verify() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, at TEXT, operator TEXT, action TEXT, target TEXT,
             detail TEXT, prev_hash TEXT, hash TEXT, params TEXT NOT NULL DEFAULT '', actor TEXT NOT NULL DEFAULT '');
             CREATE TABLE profiles (id TEXT, label TEXT)",
        )
        .unwrap();
        // An entry as written before notes had codes: no params, the old hash.
        let old = entry_hash(GENESIS, 1, "2026-01-01T00:00", "张", "", "backup", "b.db", "手动备份", "");
        conn.execute(
            "INSERT INTO audit_log VALUES (1, '2026-01-01T00:00', '张', 'backup', 'b.db', '手动备份', ?1, ?2, '', '')",
            params![GENESIS, old],
        )
        .unwrap();
        record(
            &conn,
            "张",
            "coordinator",
            "export",
            "people",
            &Note::new("export.table_full").with("n", 12).with("path", "/tmp/p.csv"),
        )
        .unwrap();
        assert_eq!(verify(&conn).unwrap().first_broken, None);
        let e = &list(&conn, 1, 0).unwrap()[0];
        assert_eq!(e.detail, "12 行 → /tmp/p.csv（含完整电话）");
        assert_eq!(e.params.get("note").map(String::as_str), Some("export.table_full"));
        assert_eq!(e.params.get("n").map(String::as_str), Some("12"));
        // Changing a value the window shows breaks the chain, as changing the sentence does.
        conn.execute("UPDATE audit_log SET params = replace(params, '12', '2') WHERE seq = 2", []).unwrap();
        assert_eq!(verify(&conn).unwrap().first_broken, Some(2));
    }

    #[test]
    fn the_actor_is_recorded_and_in_the_chain() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, at TEXT, operator TEXT, action TEXT, target TEXT,
             detail TEXT, prev_hash TEXT, hash TEXT, params TEXT NOT NULL DEFAULT '', actor TEXT NOT NULL DEFAULT '');
             CREATE TABLE profiles (id TEXT, label TEXT)",
        )
        .unwrap();
        assert_eq!(head(&conn).unwrap(), None);
        record(&conn, "张", "coordinator", "backup", "b.db", &Note::new("backup.manual")).unwrap();
        record(&conn, "张", "profile:p1", "people.edit", "people/1", &Note::new("action.done")).unwrap();
        conn.execute("INSERT INTO profiles VALUES ('p1', '一组')", []).unwrap();
        let e = &list(&conn, 1, 0).unwrap()[0];
        assert_eq!((e.actor.as_str(), e.actor_label.as_str()), ("profile:p1", "一组"));
        assert_eq!(verify(&conn).unwrap().first_broken, None);
        let last: String = conn.query_row("SELECT hash FROM audit_log WHERE seq = 2", [], |r| r.get(0)).unwrap();
        assert_eq!(head(&conn).unwrap(), Some(last));
        // Claiming the coordinator did what a captain did breaks the link.
        conn.execute("UPDATE audit_log SET actor = 'coordinator' WHERE seq = 2", []).unwrap();
        assert_eq!(verify(&conn).unwrap().first_broken, Some(2));
        // So does dropping it (an entry passing for one written before actors were recorded).
        conn.execute("UPDATE audit_log SET actor = '' WHERE seq = 2", []).unwrap();
        assert_eq!(verify(&conn).unwrap().first_broken, Some(2));
    }
}
