//! Who is working with the open database: the coordinator, or a captain profile with its
//! units and every unit below them. The store carries one [`Access`]; the rules of what each
//! role may do are in `profiles` (the guards) and the use-case layer (`outreach-app`).

use std::collections::BTreeSet;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;

pub const COORDINATOR_LABEL: &str = "协调员";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum Role {
    Coordinator,
    Captain,
}

/// Who is working with the open database. `scope_unit_ids`: every unit at or below
/// `unit_ids` (sorted; empty for the coordinator, meaning no limit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Access {
    pub role: Role,
    pub profile_id: Option<String>,
    pub label: String,
    pub unit_ids: Vec<String>,
    pub scope_unit_ids: Vec<String>,
}

impl Default for Access {
    fn default() -> Self {
        Access::coordinator()
    }
}

impl Access {
    pub fn coordinator() -> Self {
        Access {
            role: Role::Coordinator,
            profile_id: None,
            label: COORDINATOR_LABEL.into(),
            unit_ids: vec![],
            scope_unit_ids: vec![],
        }
    }

    pub fn is_coordinator(&self) -> bool {
        self.role == Role::Coordinator
    }

    /// Whether the unit is within reach (always, for the coordinator).
    pub fn covers(&self, unit_id: &str) -> bool {
        self.is_coordinator() || self.scope_unit_ids.binary_search_by(|u| u.as_str().cmp(unit_id)).is_ok()
    }
}

/// Every unit at or below the given ones, through the units' parent chain.
pub fn scope(conn: &Connection, unit_ids: &[String]) -> Result<Vec<String>> {
    let mut out = BTreeSet::new();
    let mut stmt = conn.prepare(
        "WITH RECURSIVE s(id) AS (SELECT id FROM units WHERE id = ?1 UNION SELECT u.id FROM units u JOIN s ON u.parent_id = s.id) SELECT id FROM s",
    )?;
    for u in unit_ids {
        for id in stmt.query_map([u], |r| r.get::<_, String>(0))? {
            out.insert(id?);
        }
    }
    Ok(out.into_iter().collect())
}
