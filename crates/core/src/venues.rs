//! Venues: schools (with their vice principal for rule of law), enterprises (size and the
//! date their notification letter was signed), communities, markets, squares, banks.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Issues, Result};
use crate::phone;
use crate::units::Saved;
use crate::util::{check_name, check_text, new_id, now, parse_date};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum VenueKind {
    School,
    Enterprise,
    Community,
    Market,
    Square,
    Bank,
    Other,
}

impl VenueKind {
    pub const ALL: [VenueKind; 7] = [
        VenueKind::School,
        VenueKind::Enterprise,
        VenueKind::Community,
        VenueKind::Market,
        VenueKind::Square,
        VenueKind::Bank,
        VenueKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            VenueKind::School => "school",
            VenueKind::Enterprise => "enterprise",
            VenueKind::Community => "community",
            VenueKind::Market => "market",
            VenueKind::Square => "square",
            VenueKind::Bank => "bank",
            VenueKind::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            VenueKind::School => "学校",
            VenueKind::Enterprise => "企业",
            VenueKind::Community => "社区",
            VenueKind::Market => "市场/商超",
            VenueKind::Square => "广场",
            VenueKind::Bank => "银行",
            VenueKind::Other => "其他",
        }
    }

    pub fn parse(s: &str) -> Option<VenueKind> {
        let s = s.trim();
        VenueKind::ALL.into_iter().find(|k| k.as_str() == s || k.label() == s).or(match s {
            "市场" | "商超" | "超市" | "农贸市场" => Some(VenueKind::Market),
            "小区" | "村" => Some(VenueKind::Community),
            "公司" | "工厂" => Some(VenueKind::Enterprise),
            "学校/幼儿园" | "幼儿园" | "中学" | "小学" | "高校" => Some(VenueKind::School),
            _ => None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Venue {
    pub id: String,
    pub name: String,
    pub kind: VenueKind,
    pub unit_id: Option<String>,
    pub unit_name: String,
    pub address: String,
    pub contact_name: String,
    pub contact_phone_masked: String,
    pub vice_principal_id: Option<String>,
    pub vice_principal_name: String,
    pub staff_count: Option<u32>,
    pub letter_signed_on: Option<String>,
    pub notes: String,
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct VenueInput {
    pub id: Option<String>,
    pub name: String,
    pub kind: VenueKind,
    pub unit_id: Option<String>,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub contact_name: String,
    /// As PersonInput.phone: None keeps, "" clears.
    pub contact_phone: Option<String>,
    pub vice_principal_id: Option<String>,
    pub staff_count: Option<u32>,
    pub letter_signed_on: Option<String>,
    #[serde(default)]
    pub notes: String,
}

const SELECT: &str = "SELECT v.id, v.name, v.kind, v.unit_id, coalesce(u.name, ''), v.address, v.contact_name, v.contact_phone,
        v.vice_principal_id, coalesce(p.name, ''), v.staff_count, v.letter_signed_on, v.notes, v.archived_at, v.created_at, v.updated_at
     FROM venues v LEFT JOIN units u ON u.id = v.unit_id LEFT JOIN people p ON p.id = v.vice_principal_id";

fn from_row(r: &Row) -> rusqlite::Result<(Venue, String)> {
    let phone: String = r.get(7)?;
    Ok((
        Venue {
            id: r.get(0)?,
            name: r.get(1)?,
            kind: VenueKind::parse(&r.get::<_, String>(2)?).unwrap_or(VenueKind::Other),
            unit_id: r.get(3)?,
            unit_name: r.get(4)?,
            address: r.get(5)?,
            contact_name: r.get(6)?,
            contact_phone_masked: phone::mask(&phone),
            vice_principal_id: r.get(8)?,
            vice_principal_name: r.get(9)?,
            staff_count: r.get(10)?,
            letter_signed_on: r.get(11)?,
            notes: r.get(12)?,
            archived: r.get::<_, Option<String>>(13)?.is_some(),
            created_at: r.get(14)?,
            updated_at: r.get(15)?,
        },
        phone,
    ))
}

pub fn list(conn: &Connection, include_archived: bool) -> Result<Vec<Venue>> {
    Ok(list_with_phones(conn, include_archived)?.into_iter().map(|(v, _)| v).collect())
}

pub fn list_with_phones(conn: &Connection, include_archived: bool) -> Result<Vec<(Venue, String)>> {
    let filter = if include_archived { "" } else { " WHERE v.archived_at IS NULL" };
    let mut st = conn.prepare_cached(&format!("{SELECT}{filter} ORDER BY v.name, v.id"))?;
    let rows = st.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn find(conn: &Connection, id: &str) -> Result<Option<(Venue, String)>> {
    let mut st = conn.prepare_cached(&format!("{SELECT} WHERE v.id = ?1"))?;
    Ok(st.query_row([id], from_row).optional()?)
}

pub fn get(conn: &Connection, id: &str) -> Result<Venue> {
    find(conn, id)?.map(|(v, _)| v).ok_or_else(|| Error::not_found("venue", id))
}

pub fn reveal_phone(conn: &Connection, id: &str) -> Result<String> {
    find(conn, id)?.map(|(_, ph)| ph).ok_or_else(|| Error::not_found("venue", id))
}

pub fn save(conn: &Connection, input: &VenueInput) -> Result<Venue> {
    save_counted(conn, input).map(|(v, _)| v)
}

pub fn save_counted(conn: &Connection, input: &VenueInput) -> Result<(Venue, Saved)> {
    let mut iss = Issues::default();
    let name = iss.take(check_name("name", &input.name, crate::rules::VENUE_NAME))?.unwrap_or_default();
    let address = iss.take(check_text("address", &input.address, crate::rules::VENUE_ADDRESS))?.unwrap_or_default();
    let contact_name =
        iss.take(check_text("contactName", &input.contact_name, crate::rules::VENUE_CONTACT))?.unwrap_or_default();
    let notes = iss.take(check_text("notes", &input.notes, crate::rules::VENUE_NOTES))?.unwrap_or_default();
    let letter = iss.take(parse_date("letterSignedOn", input.letter_signed_on.as_deref().unwrap_or("")))?.flatten();
    let existing = match input.id.as_deref().filter(|s| !s.is_empty()) {
        Some(id) => find(conn, id)?,
        None => None,
    };
    let stored = existing.as_ref().map(|(_, ph)| ph.clone()).unwrap_or_default();
    let phone_digits = iss.take(phone::updated(&stored, input.contact_phone.as_deref()))?.unwrap_or(stored);
    let unit_id = input.unit_id.as_deref().filter(|s| !s.is_empty()).map(str::to_string);
    if let Some(u) = &unit_id {
        iss.take(crate::units::get(conn, u))?;
    }
    // Only schools have a vice principal for rule of law; only enterprises a size and a letter.
    let vp = input
        .vice_principal_id
        .as_deref()
        .filter(|s| !s.is_empty() && input.kind == VenueKind::School)
        .map(str::to_string);
    if let Some(p) = &vp {
        iss.take(crate::people::get(conn, p))?;
    }
    let (staff, letter) = if input.kind == VenueKind::Enterprise { (input.staff_count, letter) } else { (None, None) };
    iss.finish()?;
    let ts = now();
    match existing {
        Some((old, old_phone)) => {
            let same = old.name == name
                && old.kind == input.kind
                && old.unit_id == unit_id
                && old.address == address
                && old.contact_name == contact_name
                && old_phone == phone_digits
                && old.vice_principal_id == vp
                && old.staff_count == staff
                && old.letter_signed_on == letter
                && old.notes == notes;
            if same {
                return Ok((old, Saved::Unchanged));
            }
            conn.prepare_cached(
                "UPDATE venues SET name=?2, kind=?3, unit_id=?4, address=?5, contact_name=?6, contact_phone=?7, vice_principal_id=?8,
                 staff_count=?9, letter_signed_on=?10, notes=?11, updated_at=?12 WHERE id=?1",
            )?
            .execute(params![old.id, name, input.kind.as_str(), unit_id, address, contact_name, phone_digits, vp, staff, letter, notes, ts])?;
            Ok((get(conn, &old.id)?, Saved::Updated))
        }
        None => {
            let id = match input.id.as_deref().filter(|s| !s.is_empty()) {
                Some(id) => crate::util::check_id(id)?,
                None => new_id(),
            };
            conn.prepare_cached(
                "INSERT INTO venues (id, name, kind, unit_id, address, contact_name, contact_phone, vice_principal_id, staff_count,
                 letter_signed_on, notes, created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?12)",
            )?
            .execute(params![id, name, input.kind.as_str(), unit_id, address, contact_name, phone_digits, vp, staff, letter, notes, ts])?;
            Ok((get(conn, &id)?, Saved::Added))
        }
    }
}

pub fn archive(conn: &Connection, id: &str) -> Result<Venue> {
    get(conn, id)?;
    conn.execute(
        "UPDATE venues SET archived_at = coalesce(archived_at, ?2), updated_at = ?2 WHERE id = ?1",
        params![id, now()],
    )?;
    get(conn, id)
}

pub fn restore(conn: &Connection, id: &str) -> Result<Venue> {
    get(conn, id)?;
    conn.execute("UPDATE venues SET archived_at = NULL, updated_at = ?2 WHERE id = ?1", params![id, now()])?;
    get(conn, id)
}
