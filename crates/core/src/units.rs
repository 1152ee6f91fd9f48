//! The organisation tree: city → district/county → police station → community/village → grid,
//! any depth. Grids carry the resident profile; every other unit shows the totals below it.

use crate::error::Code;
use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::util::{check_name, check_text, new_id, now};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum UnitKind {
    City,
    District,
    Station,
    Community,
    Grid,
}

impl UnitKind {
    pub const ALL: [UnitKind; 5] =
        [UnitKind::City, UnitKind::District, UnitKind::Station, UnitKind::Community, UnitKind::Grid];

    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::City => "city",
            UnitKind::District => "district",
            UnitKind::Station => "station",
            UnitKind::Community => "community",
            UnitKind::Grid => "grid",
        }
    }

    /// The label used in spreadsheets and on paper.
    pub fn label(self) -> &'static str {
        match self {
            UnitKind::City => "市",
            UnitKind::District => "区县",
            UnitKind::Station => "派出所",
            UnitKind::Community => "社区/村",
            UnitKind::Grid => "网格",
        }
    }

    pub fn parse(s: &str) -> Option<UnitKind> {
        let s = s.trim();
        Some(match s {
            "city" | "市" | "城市" | "地市" => UnitKind::City,
            "district" | "区县" | "区" | "县" | "区/县" | "县区" | "分局" => UnitKind::District,
            "station" | "派出所" | "所" => UnitKind::Station,
            "community" | "社区/村" | "社区" | "村" | "村居" | "社区·村" => UnitKind::Community,
            "grid" | "网格" => UnitKind::Grid,
            _ => return None,
        })
    }

    /// The usual kind of a child unit, for forms that add one.
    pub fn child(self) -> UnitKind {
        match self {
            UnitKind::City => UnitKind::District,
            UnitKind::District => UnitKind::Station,
            UnitKind::Station => UnitKind::Community,
            UnitKind::Community | UnitKind::Grid => UnitKind::Grid,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct GridProfile {
    pub households: u32,
    pub residents: u32,
    pub under18: u32,
    pub age18to59: u32,
    pub age60plus: u32,
    pub students: u32,
    pub elderly_alone: u32,
    pub finance_staff: u32,
    pub notes: String,
}

impl GridProfile {
    pub fn validate(&self) -> Result<()> {
        let mut issues = Vec::new();
        let sum = self.under18 as u64 + self.age18to59 as u64 + self.age60plus as u64;
        if sum > self.residents as u64 {
            issues.push(crate::error::issue(
                Code::ValidationAgeSplit,
                &[("sum", &sum.to_string()), ("residents", &self.residents.to_string())],
            ));
        }
        for (field, v) in [("students", self.students), ("elderlyAlone", self.elderly_alone)] {
            if v > self.residents {
                issues.push(crate::error::issue(Code::ValidationKeyGroups, &[("field", field)]));
            }
        }
        if self.notes.chars().count() > crate::rules::GRID_NOTES {
            let max = crate::rules::GRID_NOTES.to_string();
            issues.push(crate::error::issue(Code::ValidationTooLong, &[("field", "notes"), ("max", &max)]));
        }
        if issues.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(issues))
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Totals {
    pub grids: u32,
    #[ts(type = "number")]
    pub households: u64,
    #[ts(type = "number")]
    pub residents: u64,
    #[ts(type = "number")]
    pub under18: u64,
    #[ts(type = "number")]
    pub age18to59: u64,
    #[ts(type = "number")]
    pub age60plus: u64,
    #[ts(type = "number")]
    pub students: u64,
    #[ts(type = "number")]
    pub elderly_alone: u64,
    #[ts(type = "number")]
    pub finance_staff: u64,
}

impl Totals {
    fn add_profile(&mut self, p: &GridProfile) {
        self.grids += 1;
        self.households += p.households as u64;
        self.residents += p.residents as u64;
        self.under18 += p.under18 as u64;
        self.age18to59 += p.age18to59 as u64;
        self.age60plus += p.age60plus as u64;
        self.students += p.students as u64;
        self.elderly_alone += p.elderly_alone as u64;
        self.finance_staff += p.finance_staff as u64;
    }

    pub(crate) fn add(&mut self, o: &Totals) {
        self.grids += o.grids;
        self.households += o.households;
        self.residents += o.residents;
        self.under18 += o.under18;
        self.age18to59 += o.age18to59;
        self.age60plus += o.age60plus;
        self.students += o.students;
        self.elderly_alone += o.elderly_alone;
        self.finance_staff += o.finance_staff;
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Unit {
    pub id: String,
    pub parent_id: Option<String>,
    pub name: String,
    pub kind: UnitKind,
    pub code: String,
    /// Only grids have a profile.
    pub profile: Option<GridProfile>,
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct UnitNode {
    pub unit: Unit,
    pub totals: Totals,
    pub children: Vec<UnitNode>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct UnitInput {
    /// None creates a new unit; an id that does not exist yet creates it with that id (imports).
    pub id: Option<String>,
    pub parent_id: Option<String>,
    pub name: String,
    pub kind: UnitKind,
    #[serde(default)]
    pub code: String,
    pub profile: Option<GridProfile>,
}

impl From<&Unit> for UnitInput {
    fn from(u: &Unit) -> Self {
        UnitInput {
            id: Some(u.id.clone()),
            parent_id: u.parent_id.clone(),
            name: u.name.clone(),
            kind: u.kind,
            code: u.code.clone(),
            profile: u.profile.clone(),
        }
    }
}

const COLS: &str = "id, parent_id, name, kind, code, households, residents, under18, age18to59, age60plus, \
                    students, elderly_alone, finance_staff, notes, archived_at, created_at, updated_at";

fn from_row(r: &Row) -> rusqlite::Result<Unit> {
    let kind_s: String = r.get(3)?;
    let kind = UnitKind::parse(&kind_s).unwrap_or(UnitKind::Community);
    let profile = (kind == UnitKind::Grid).then(|| -> rusqlite::Result<GridProfile> {
        Ok(GridProfile {
            households: r.get(5)?,
            residents: r.get(6)?,
            under18: r.get(7)?,
            age18to59: r.get(8)?,
            age60plus: r.get(9)?,
            students: r.get(10)?,
            elderly_alone: r.get(11)?,
            finance_staff: r.get(12)?,
            notes: r.get(13)?,
        })
    });
    Ok(Unit {
        id: r.get(0)?,
        parent_id: r.get(1)?,
        name: r.get(2)?,
        kind,
        code: r.get(4)?,
        profile: profile.transpose()?,
        archived: r.get::<_, Option<String>>(14)?.is_some(),
        created_at: r.get(15)?,
        updated_at: r.get(16)?,
    })
}

pub fn get(conn: &Connection, id: &str) -> Result<Unit> {
    find(conn, id)?.ok_or_else(|| Error::not_found("unit", id))
}

pub fn find(conn: &Connection, id: &str) -> Result<Option<Unit>> {
    let mut st = conn.prepare_cached(&format!("SELECT {COLS} FROM units WHERE id = ?1"))?;
    Ok(st.query_row([id], from_row).optional()?)
}

/// A unit by id, or by name when exactly one active unit has it (the CLI takes either).
pub fn resolve(conn: &Connection, key: &str) -> Result<String> {
    let key = key.trim();
    if find(conn, key)?.is_some() {
        return Ok(key.to_string());
    }
    let mut st = conn.prepare_cached("SELECT id FROM units WHERE name = ?1 AND archived_at IS NULL LIMIT 2")?;
    let ids: Vec<String> = st.query_map([key], |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
    match ids.len() {
        1 => Ok(ids.into_iter().next().unwrap()),
        0 => Err(Error::invalid(Code::ImportUnknownUnit, &[("value", key)])),
        _ => Err(Error::invalid(Code::ImportAmbiguousUnit, &[("value", key)])),
    }
}

/// Every unit, each parent before its children (depth-first, siblings by name).
pub fn list(conn: &Connection, include_archived: bool) -> Result<Vec<Unit>> {
    let all = {
        let mut st = conn.prepare_cached(&format!("SELECT {COLS} FROM units ORDER BY created_at, id"))?;
        let rows = st.query_map([], from_row)?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    let mut by_parent: HashMap<Option<String>, Vec<Unit>> = HashMap::new();
    let ids: std::collections::HashSet<String> = all.iter().map(|u| u.id.clone()).collect();
    for u in all {
        // A parent missing from the table (never expected) must not hide the child.
        let key = u.parent_id.clone().filter(|p| ids.contains(p));
        by_parent.entry(key).or_default().push(u);
    }
    let mut out = Vec::with_capacity(ids.len());
    let mut stack: Vec<Unit> = by_parent.remove(&None).unwrap_or_default().into_iter().rev().collect();
    while let Some(u) = stack.pop() {
        if !include_archived && u.archived {
            continue;
        }
        if let Some(children) = by_parent.remove(&Some(u.id.clone())) {
            stack.extend(children.into_iter().rev());
        }
        out.push(u);
    }
    Ok(out)
}

/// The tree with totals rolled up from the (non-archived) grids below each unit.
pub fn tree(conn: &Connection, include_archived: bool) -> Result<Vec<UnitNode>> {
    let units = list(conn, include_archived)?;
    let mut children: HashMap<Option<String>, Vec<usize>> = HashMap::new();
    for (i, u) in units.iter().enumerate() {
        children.entry(u.parent_id.clone()).or_default().push(i);
    }
    fn build(i: usize, units: &[Unit], children: &HashMap<Option<String>, Vec<usize>>) -> UnitNode {
        let u = &units[i];
        let kids: Vec<UnitNode> = children
            .get(&Some(u.id.clone()))
            .map(|v| v.iter().map(|&c| build(c, units, children)).collect())
            .unwrap_or_default();
        let mut totals = Totals::default();
        if let (Some(p), false) = (&u.profile, u.archived) {
            totals.add_profile(p);
        }
        for k in &kids {
            if !k.unit.archived {
                totals.add(&k.totals);
            }
        }
        UnitNode { unit: u.clone(), totals, children: kids }
    }
    let ids: std::collections::HashSet<&str> = units.iter().map(|u| u.id.as_str()).collect();
    let roots: Vec<usize> = units
        .iter()
        .enumerate()
        .filter(|(_, u)| u.parent_id.as_deref().is_none_or(|p| !ids.contains(p)))
        .map(|(i, _)| i)
        .collect();
    Ok(roots.into_iter().map(|i| build(i, &units, &children)).collect())
}

/// Totals of the grids at and below one unit.
pub fn totals(conn: &Connection, id: &str) -> Result<Totals> {
    get(conn, id)?;
    let t = conn.query_row(
        "WITH RECURSIVE sub(id) AS (SELECT ?1 UNION ALL SELECT u.id FROM units u JOIN sub ON u.parent_id = sub.id WHERE u.archived_at IS NULL)
         SELECT count(*), coalesce(sum(households),0), coalesce(sum(residents),0), coalesce(sum(under18),0), coalesce(sum(age18to59),0),
                coalesce(sum(age60plus),0), coalesce(sum(students),0), coalesce(sum(elderly_alone),0), coalesce(sum(finance_staff),0)
         FROM units WHERE id IN sub AND kind = 'grid' AND archived_at IS NULL",
        [id],
        |r| {
            Ok(Totals {
                grids: r.get(0)?,
                households: r.get::<_, i64>(1)? as u64,
                residents: r.get::<_, i64>(2)? as u64,
                under18: r.get::<_, i64>(3)? as u64,
                age18to59: r.get::<_, i64>(4)? as u64,
                age60plus: r.get::<_, i64>(5)? as u64,
                students: r.get::<_, i64>(6)? as u64,
                elderly_alone: r.get::<_, i64>(7)? as u64,
                finance_staff: r.get::<_, i64>(8)? as u64,
            })
        },
    )?;
    Ok(t)
}

fn check_parent(conn: &Connection, id: Option<&str>, parent_id: Option<&str>) -> Result<()> {
    let Some(pid) = parent_id else { return Ok(()) };
    let parent = find(conn, pid)?.ok_or_else(|| Error::not_found("parent", pid))?;
    if parent.archived {
        return Err(Error::invalid(Code::UnitsParentArchived, &[]));
    }
    if parent.kind == UnitKind::Grid {
        return Err(Error::invalid(Code::UnitsGridChildren, &[]));
    }
    if let Some(id) = id {
        // Walk up from the new parent; meeting the unit itself means a cycle.
        let mut cur = Some(pid.to_string());
        let mut steps = 0;
        while let Some(c) = cur {
            if c == id {
                return Err(Error::invalid(Code::UnitsCycle, &[]));
            }
            steps += 1;
            if steps > 10_000 {
                return Err(Error::invalid(Code::UnitsCycle, &[]));
            }
            let mut st = conn.prepare_cached("SELECT parent_id FROM units WHERE id = ?1")?;
            cur = st.query_row([&c], |r| r.get::<_, Option<String>>(0)).optional()?.flatten();
        }
    }
    Ok(())
}

fn has_children(conn: &Connection, id: &str, only_active: bool) -> Result<bool> {
    let sql = if only_active {
        "SELECT EXISTS (SELECT 1 FROM units WHERE parent_id = ?1 AND archived_at IS NULL)"
    } else {
        "SELECT EXISTS (SELECT 1 FROM units WHERE parent_id = ?1)"
    };
    let mut st = conn.prepare_cached(sql)?;
    Ok(st.query_row([id], |r| r.get(0))?)
}

/// What `save` did, so imports can count added / updated / unchanged rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Added,
    Updated,
    Unchanged,
}

pub fn save(conn: &Connection, input: &UnitInput) -> Result<Unit> {
    save_counted(conn, input).map(|(u, _)| u)
}

pub fn save_counted(conn: &Connection, input: &UnitInput) -> Result<(Unit, Saved)> {
    let name = check_name("name", &input.name, crate::rules::UNIT_NAME)?;
    let code = check_text("code", &input.code, crate::rules::UNIT_CODE)?;
    let profile = if input.kind == UnitKind::Grid {
        let p = GridProfile {
            notes: input.profile.as_ref().map(|p| p.notes.trim().to_string()).unwrap_or_default(),
            ..input.profile.clone().unwrap_or_default()
        };
        p.validate()?;
        p
    } else {
        GridProfile::default()
    };
    let parent_id = input.parent_id.as_deref().filter(|p| !p.is_empty());
    let existing = match input.id.as_deref().filter(|s| !s.is_empty()) {
        Some(id) => find(conn, id)?,
        None => None,
    };
    let ts = now();
    match existing {
        Some(old) => {
            if old.parent_id.as_deref() != parent_id {
                check_parent(conn, Some(&old.id), parent_id)?;
            }
            if input.kind == UnitKind::Grid && old.kind != UnitKind::Grid && has_children(conn, &old.id, false)? {
                return Err(Error::invalid(Code::UnitsGridChildren, &[]));
            }
            let candidate = Unit {
                parent_id: parent_id.map(str::to_string),
                name: name.clone(),
                kind: input.kind,
                code: code.clone(),
                profile: (input.kind == UnitKind::Grid).then(|| profile.clone()),
                ..old.clone()
            };
            if candidate == old {
                return Ok((old, Saved::Unchanged));
            }
            let mut st = conn.prepare_cached(
                "UPDATE units SET parent_id=?2, name=?3, kind=?4, code=?5, households=?6, residents=?7, under18=?8, age18to59=?9,
                 age60plus=?10, students=?11, elderly_alone=?12, finance_staff=?13, notes=?14, updated_at=?15 WHERE id=?1",
            )?;
            st.execute(params![
                old.id,
                parent_id,
                name,
                input.kind.as_str(),
                code,
                profile.households,
                profile.residents,
                profile.under18,
                profile.age18to59,
                profile.age60plus,
                profile.students,
                profile.elderly_alone,
                profile.finance_staff,
                profile.notes,
                ts
            ])?;
            Ok((get(conn, &old.id)?, Saved::Updated))
        }
        None => {
            check_parent(conn, None, parent_id)?;
            let id = match input.id.as_deref().filter(|s| !s.is_empty()) {
                Some(id) => crate::util::check_id(id)?,
                None => new_id(),
            };
            let mut st = conn.prepare_cached(&format!(
                "INSERT INTO units ({COLS}) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,NULL,?15,?15)"
            ))?;
            st.execute(params![
                id,
                parent_id,
                name,
                input.kind.as_str(),
                code,
                profile.households,
                profile.residents,
                profile.under18,
                profile.age18to59,
                profile.age60plus,
                profile.students,
                profile.elderly_alone,
                profile.finance_staff,
                profile.notes,
                ts
            ])?;
            Ok((get(conn, &id)?, Saved::Added))
        }
    }
}

pub fn move_unit(conn: &Connection, id: &str, new_parent_id: Option<&str>) -> Result<Unit> {
    let input = UnitInput { parent_id: new_parent_id.map(str::to_string), ..UnitInput::from(&get(conn, id)?) };
    save(conn, &input)
}

/// Archiving hides a unit but keeps it and everything that refers to it.
pub fn archive(conn: &Connection, id: &str) -> Result<Unit> {
    let u = get(conn, id)?;
    if u.archived {
        return Ok(u);
    }
    if has_children(conn, id, true)? {
        return Err(Error::invalid(Code::UnitsHasActiveChildren, &[]));
    }
    let ts = now();
    conn.execute("UPDATE units SET archived_at = ?2, updated_at = ?2 WHERE id = ?1", params![id, ts])?;
    get(conn, id)
}

pub fn restore(conn: &Connection, id: &str) -> Result<Unit> {
    let u = get(conn, id)?;
    if !u.archived {
        return Ok(u);
    }
    if let Some(p) = &u.parent_id {
        if get(conn, p)?.archived {
            return Err(Error::invalid(Code::UnitsParentArchived, &[]));
        }
    }
    conn.execute("UPDATE units SET archived_at = NULL, updated_at = ?2 WHERE id = ?1", params![id, now()])?;
    get(conn, id)
}

/// The first unit found to be its own ancestor in `parents` (id → parent id), if any. Walked
/// in memory, each unit once: a cycle brought in from outside (a bundle) is found before the
/// recursive tree queries could meet it.
pub fn find_cycle(parents: &HashMap<String, Option<String>>) -> Option<String> {
    let mut done: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for start in parents.keys() {
        let mut path: Vec<&str> = Vec::new();
        let mut at = Some(start.as_str());
        while let Some(id) = at {
            if done.contains(id) {
                break;
            }
            if path.contains(&id) {
                return Some(id.to_string());
            }
            path.push(id);
            at = parents.get(id).and_then(|p| p.as_deref());
        }
        done.extend(path);
    }
    None
}

/// Path of names from the root, for showing where a unit sits ("东城区 / 城关派出所 / 幸福社区").
pub fn path_names(units_by_id: &HashMap<String, Unit>, id: &str) -> String {
    let mut names = Vec::new();
    let mut cur = units_by_id.get(id);
    let mut guard = 0;
    while let Some(u) = cur {
        names.push(u.name.clone());
        guard += 1;
        if guard > 64 {
            break;
        }
        cur = u.parent_id.as_ref().and_then(|p| units_by_id.get(p));
    }
    names.reverse();
    names.join(" / ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parents(pairs: &[(&str, Option<&str>)]) -> HashMap<String, Option<String>> {
        pairs.iter().map(|(id, p)| (id.to_string(), p.map(String::from))).collect()
    }

    #[test]
    fn a_unit_that_is_its_own_ancestor_is_found() {
        let tree = [("city", None), ("district", Some("city")), ("grid", Some("district"))];
        assert_eq!(find_cycle(&parents(&tree)), None);
        // A parent not in the map (a dangling reference) is no cycle: the foreign keys say it.
        assert_eq!(find_cycle(&parents(&[("grid", Some("elsewhere"))])), None);
        let looped =
            [("city", Some("grid")), ("district", Some("city")), ("grid", Some("district")), ("x", Some("grid"))];
        assert!(matches!(find_cycle(&parents(&looped)).as_deref(), Some("city" | "district" | "grid")));
        assert_eq!(find_cycle(&parents(&[("self", Some("self"))])).as_deref(), Some("self"));
    }
}
