//! Who is working with the open database (the coordinator, or a captain profile with its
//! units and every unit below them) and what each may do: the one table of [`Action`]s and
//! their [`Rule`]s. The store carries one [`Access`]; `Store::authorize` (in `profiles`, with
//! the row guards) applies the table; the use-case layer (`outreach-app`) calls it for every
//! action, the core for the few functions that take the store themselves.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

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
    /// For a read limited to the captain's units: the units as a JSON array for
    /// `json_each(?)` in the query, or `None` for the coordinator (no limit).
    pub fn scope_json(&self) -> Option<String> {
        (!self.is_coordinator()).then(|| serde_json::to_string(&self.scope_unit_ids).unwrap_or_else(|_| "[]".into()))
    }

    /// The identity the audit log records: `coordinator`, or `profile:<id>` for a captain.
    pub fn actor(&self) -> String {
        match &self.profile_id {
            Some(id) if !self.is_coordinator() => format!("profile:{id}"),
            _ => "coordinator".into(),
        }
    }

    pub fn covers(&self, unit_id: &str) -> bool {
        self.is_coordinator() || self.scope_unit_ids.binary_search_by(|u| u.as_str().cmp(unit_id)).is_ok()
    }
}

/// Who may take an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum Rule {
    /// The coordinator only.
    Coordinator,
    /// A captain too, on rows of their own units: writes check the row's unit, reads return
    /// only rows of those units (filtered in the query).
    InGrids,
    /// Either role; nothing personal of another grid is involved.
    Anyone,
}

macro_rules! actions {
    ($($variant:ident = $code:literal, $rule:ident, $zh:literal;)*) => {
        /// Every user action that the access table rules on. The code (`units.edit`) is what
        /// errors carry and what the UI translates (`actions.<code>` in both languages).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
        #[ts(export, export_to = "../../../ui/src/bindings/")]
        pub enum Action {
            $(#[serde(rename = $code)] $variant,)*
        }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant,)*];

            pub fn code(self) -> &'static str {
                match self { $(Action::$variant => $code,)* }
            }

            pub fn rule(self) -> Rule {
                match self { $(Action::$variant => Rule::$rule,)* }
            }

            /// The action's name in the Chinese messages Rust writes (CLI, logs).
            pub fn label_zh(self) -> &'static str {
                match self { $(Action::$variant => $zh,)* }
            }

            pub fn from_code(code: &str) -> Option<Action> {
                match code { $($code => Some(Action::$variant),)* _ => None }
            }
        }
    };
}

// The one access table. Reading the tree, the plan and the topic library is open to both roles
// and not listed; everything that writes, or reads personal data, is.
actions! {
    // units
    UnitsEdit = "units.edit", Coordinator, "编辑单位";
    UnitsMove = "units.move", Coordinator, "移动单位";
    UnitsArchive = "units.archive", Coordinator, "归档单位";
    UnitsRestore = "units.restore", Coordinator, "恢复单位";
    TargetsEdit = "units.targets_edit", Coordinator, "设置目标";
    TargetsRemove = "units.targets_remove", Coordinator, "删除目标";
    // people
    PeopleEdit = "people.edit", Coordinator, "编辑人员";
    PeopleArchive = "people.archive", Coordinator, "归档人员";
    PeopleRestore = "people.restore", Coordinator, "恢复人员";
    TeamsEdit = "people.teams_edit", Coordinator, "编辑队伍";
    TeamsArchive = "people.teams_archive", Coordinator, "归档队伍";
    PeopleRevealPhone = "people.reveal_phone", InGrids, "查看人员完整电话";
    // venues
    VenuesEdit = "venues.edit", Coordinator, "编辑场所";
    VenuesArchive = "venues.archive", Coordinator, "归档场所";
    VenuesRestore = "venues.restore", Coordinator, "恢复场所";
    VenuesRevealPhone = "venues.reveal_phone", InGrids, "查看场所联系人完整电话";
    // sessions
    SessionsPlan = "sessions.plan", InGrids, "安排活动";
    TemplatesEdit = "sessions.templates_edit", Coordinator, "编辑活动模板";
    TopicsEdit = "sessions.topics_edit", Coordinator, "编辑宣讲主题";
    // records
    RecordsSave = "records.save", InGrids, "登记活动记录";
    RecordsView = "records.view", InGrids, "查看活动记录";
    RecordsReview = "records.review", Coordinator, "审核上报";
    PhotosEdit = "records.photos_edit", InGrids, "添加或删除照片";
    // visits
    VisitsSave = "visits.save", InGrids, "登记走访";
    VisitsView = "visits.view", InGrids, "查看走访记录";
    // followups
    CasesSave = "followups.save", InGrids, "登记预警对象";
    CasesVisit = "followups.visit", InGrids, "登记回访";
    CasesView = "followups.view", InGrids, "查看预警对象";
    CasesRevealPhone = "followups.reveal_phone", InGrids, "查看预警对象完整电话";
    FollowupSettings = "followups.settings", Coordinator, "回访设置";
    CasesPurge = "followups.purge", Coordinator, "清除到期个人信息";
    // bundles
    BundlesExportAll = "bundles.export_all", Coordinator, "导出全部数据";
    BundlesExportChanges = "bundles.export_changes", Anyone, "导出变更交接包";
    BundlesImport = "bundles.import", Coordinator, "导入交接包";
    BundlesResolve = "bundles.resolve", Coordinator, "处理交接冲突";
    SignersEdit = "bundles.signers_edit", Coordinator, "登记或撤销签名身份";
    // materials
    MaterialsEdit = "materials.edit", Coordinator, "编辑宣传物资";
    StockMove = "materials.stock_move", Coordinator, "登记物资出入库";
    StockVoid = "materials.stock_void", Coordinator, "作废物资出入库";
    // print
    PrintDocuments = "print.documents", InGrids, "打印文档";
    PrintSettings = "print.settings", Coordinator, "打印设置";
    LogoChange = "print.logo_change", Coordinator, "更换单位标志";
    LogoRemove = "print.logo_remove", Coordinator, "删除单位标志";
    // reports
    ReportsView = "reports.view", InGrids, "查看报表";
    // incidents
    IncidentsView = "incidents.view", Coordinator, "查看发案研判";
    IncidentsLabels = "incidents.labels", Coordinator, "维护诈骗类型对照";
    IncidentsPush = "incidents.push", InGrids, "记录定向预警推送";
    // transfer
    TableExport = "transfer.export", Coordinator, "导出表格";
    TableTemplate = "transfer.template", Coordinator, "导出表格模板";
    TableImport = "transfer.import", Coordinator, "导入表格";
    DemoLoad = "transfer.demo", Coordinator, "载入示例数据";
    // security
    BackupCreate = "security.backup", Coordinator, "立即备份";
    BackupRestore = "security.restore", Coordinator, "从备份恢复";
    PassphraseChange = "security.passphrase_change", Coordinator, "更换数据库口令";
    PassphraseRemember = "security.passphrase_remember", Anyone, "在系统钥匙串中保存口令";
    PassphraseForget = "security.passphrase_forget", Anyone, "删除系统钥匙串中的口令";
    OwnPassphrase = "security.own_passphrase", Anyone, "更换自己的口令";
    ProfilesManage = "security.profiles", Coordinator, "管理队长身份";
    AuditList = "security.audit_list", Coordinator, "查看审计日志";
    AuditVerify = "security.audit_verify", Coordinator, "核验审计日志";
    SettingsSave = "security.settings", Coordinator, "保存设置";
    Stress = "security.stress", Coordinator, "压力测试";
    Bench = "security.bench", Coordinator, "性能测量";
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes the action codes for the UI (as ts-rs writes the types), so a Vitest spec can
    /// check that both languages name every action.
    #[test]
    fn export_action_codes() {
        let mut out = String::from(
            "// Written by `cargo test -p outreach-core` (access::tests) from the access table. Do not edit.\nexport const ACTION_CODES = [\n",
        );
        for a in Action::ALL {
            out.push_str(&format!("  \"{}\",\n", a.code()));
        }
        out.push_str("] as const;\n");
        crate::write_ui_binding("actionCodes.ts", &out);
    }

    #[test]
    fn codes_are_unique_and_read_back() {
        let mut seen = std::collections::HashSet::new();
        for a in Action::ALL {
            assert!(seen.insert(a.code()), "{} twice", a.code());
            assert_eq!(Action::from_code(a.code()), Some(*a));
            assert!(!a.label_zh().is_empty());
        }
    }
}
