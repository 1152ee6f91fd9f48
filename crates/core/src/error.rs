//! One error type for the whole product. Each variant has a stable `code` that the UI
//! and CLI translate; `params` carry the values the translation interpolates. Raw SQL
//! or IO text never reaches a user: it is kept only in `detail` for logs.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub type Result<T> = std::result::Result<T, Error>;

macro_rules! error_codes {
    ($($variant:ident = $code:literal,)+) => {
        /// Every code an error or issue can carry: the UI and the CLI say each in their own
        /// words (`message_zh` here; `errors.<code>` in the UI's languages). Exported to
        /// TypeScript as the `ErrorCode` union, so the UI's comparisons are checked too.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
        #[ts(export, export_to = "../../../ui/src/bindings/", rename = "ErrorCode")]
        pub enum Code {
            $(#[serde(rename = $code)] $variant,)+
        }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)+];
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)+ }
            }
            pub fn parse(s: &str) -> Option<Code> {
                Self::ALL.iter().copied().find(|c| c.as_str() == s)
            }
        }
    };
}

error_codes! {
    AuditBroken = "audit.broken",
    AuditAnchorMissing = "audit.anchor_missing",
    BackupInvalid = "backup.invalid",
    BackupNotFound = "backup.not_found",
    BundleConflictResolved = "bundle.conflict_resolved",
    BundleConflictStale = "bundle.conflict_stale",
    BundleConstraint = "bundle.constraint",
    BundleEncryptionRequired = "bundle.encryption_required",
    BundleExpired = "bundle.expired",
    BundleForeign = "bundle.foreign",
    BundleMissingReference = "bundle.missing_reference",
    BundleOutOfScope = "bundle.out_of_scope",
    BundlePassphraseRequired = "bundle.passphrase_required",
    BundlePassphraseWrong = "bundle.passphrase_wrong",
    BundleSchema = "bundle.schema",
    BundleRowInvalid = "bundle.row_invalid",
    BundleRowsMore = "bundle.rows_more",
    BundleSchemaVersion = "bundle.schema_version",
    BundleSignerRevoked = "bundle.signer_revoked",
    BundleSignerUnknown = "bundle.signer_unknown",
    BundleTampered = "bundle.tampered",
    BundleTruncated = "bundle.truncated",
    BundleUnsigned = "bundle.unsigned",
    CoveragePeriod = "coverage.period",
    DbBusy = "db.busy",
    DbFailed = "db.failed",
    DbLocked = "db.locked",
    DbKeyFileInvalid = "db.key_file_invalid",
    DbNewer = "db.newer",
    DbPassphraseRequired = "db.passphrase_required",
    DbPassphraseWrong = "db.passphrase_wrong",
    DbStateChanged = "db.state_changed",
    DbUnlockThrottled = "db.unlock_throttled",
    DemoNotEmpty = "demo.not_empty",
    DiskFull = "disk.full",
    DiskReadonly = "disk.readonly",
    Duplicate = "duplicate",
    FollowupsBeforeWarning = "followups.before_warning",
    FollowupsPurged = "followups.purged",
    FollowupsSchedule = "followups.schedule",
    ImportAmbiguousPerson = "import.ambiguous_person",
    ImportAmbiguousUnit = "import.ambiguous_unit",
    ImportDuplicateId = "import.duplicate_id",
    ImportEmpty = "import.empty",
    ImportExpired = "import.expired",
    ImportHasProblems = "import.has_problems",
    ImportHeader = "import.header",
    ImportNoRows = "import.no_rows",
    ImportTooManyRows = "import.too_many_rows",
    ImportUnknownId = "import.unknown_id",
    ImportUnknownPerson = "import.unknown_person",
    ImportUnknownTeam = "import.unknown_team",
    ImportUnknownTopic = "import.unknown_topic",
    FileNotSaved = "file.not_saved",
    FileOpenFailed = "file.open_failed",
    ImportUnknownUnit = "import.unknown_unit",
    ImportUnreadable = "import.unreadable",
    IncidentsMoney = "incidents.money",
    IncidentsNoPlace = "incidents.no_place",
    IncidentsUnknownType = "incidents.unknown_type",
    IncidentsWeek = "incidents.week",
    Internal = "internal",
    IoFailed = "io.failed",
    KeychainFailed = "keychain.failed",
    KeychainNone = "keychain.none",
    KeychainPlain = "keychain.plain",
    KeychainStale = "keychain.stale",
    KeychainUnavailable = "keychain.unavailable",
    MaterialsLow = "materials.low",
    MaterialsNegative = "materials.negative",
    MaterialsSameUnit = "materials.same_unit",
    NotFound = "not_found",
    NotImplemented = "not_implemented",
    PassphraseMismatch = "passphrase.mismatch",
    PassphraseNeededNew = "passphrase.needed_new",
    PassphraseOneClass = "passphrase.one_class",
    PassphraseRepetitive = "passphrase.repetitive",
    PassphraseTooShort = "passphrase.too_short",
    PhotosDamaged = "photos.damaged",
    PhotosNotImage = "photos.not_image",
    PhotosTooLarge = "photos.too_large",
    PhotosTooManyPixels = "photos.too_many_pixels",
    PrintCancelled = "print.cancelled",
    PrintFont = "print.font",
    PrintImageInvalid = "print.image_invalid",
    PrintImageTooLarge = "print.image_too_large",
    PrintInternal = "print.internal",
    PrintNoEnterprises = "print.no_enterprises",
    PrintNoGrids = "print.no_grids",
    PrintNotEnterprise = "print.not_enterprise",
    ProfileLabelRequired = "profile.label_required",
    ProfileLabelTaken = "profile.label_taken",
    ProfileNeedsReset = "profile.needs_reset",
    ProfileNotFound = "profile.not_found",
    ProfilePassphraseSameAsDb = "profile.passphrase_same_as_db",
    ProfileSlotsInvalid = "profile.slots_invalid",
    ProfileUnitsRequired = "profile.units_required",
    RecordsHours = "records.hours",
    RecordsNotYet = "records.not_yet",
    RecordsReasonRequired = "records.reason_required",
    RecordsSessionCancelled = "records.session_cancelled",
    RecordsSplitOverTotal = "records.split_over_total",
    ReportFormat = "report.format",
    RoleCoordinatorOnly = "role.coordinator_only",
    RoleOutsideGrids = "role.outside_grids",
    SeriesCount = "series.count",
    SeriesRule = "series.rule",
    SignerDuplicate = "signer.duplicate",
    SignerKeyInvalid = "signer.key_invalid",
    SignerNotFound = "signer.not_found",
    SignerOwn = "signer.own",
    SignerUnitsRequired = "signer.units_required",
    SessionsBadTransition = "sessions.bad_transition",
    SessionsNotMovable = "sessions.not_movable",
    SessionsNotStarted = "sessions.not_started",
    SessionsHasRecord = "sessions.has_record",
    SessionsEndBeforeStart = "sessions.end_before_start",
    SessionsInactivePerson = "sessions.inactive_person",
    SessionsLocked = "sessions.locked",
    SessionsNoContact = "sessions.no_contact",
    SessionsNoPlace = "sessions.no_place",
    SessionsPersonBusy = "sessions.person_busy",
    SessionsSpeakerTopic = "sessions.speaker_topic",
    SessionsTooLong = "sessions.too_long",
    SessionsVenueBusy = "sessions.venue_busy",
    UnitsCycle = "units.cycle",
    UnitsGridChildren = "units.grid_children",
    UnitsHasActiveChildren = "units.has_active_children",
    UnitsParentArchived = "units.parent_archived",
    ValidationAgeSplit = "validation.age_split",
    ValidationChoice = "validation.choice",
    ValidationDate = "validation.date",
    ValidationDatetime = "validation.datetime",
    ValidationFuture = "validation.future",
    ValidationKeyGroups = "validation.key_groups",
    ValidationNegative = "validation.negative",
    ValidationNumber = "validation.number",
    ValidationPhone = "validation.phone",
    ValidationPhoneMasked = "validation.phone_masked",
    ValidationPositive = "validation.positive",
    ValidationRequired = "validation.required",
    ValidationTooLarge = "validation.too_large",
    ValidationTooLong = "validation.too_long",
    VisitsEmpty = "visits.empty",
    VisitsNotGrid = "visits.not_grid",
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Code> for &str {
    fn eq(&self, other: &Code) -> bool {
        *self == other.as_str()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Issue {
    pub code: Code,
    pub params: BTreeMap<String, String>,
    /// Simplified-Chinese text of the issue, for the CLI and logs; the UI translates `code`.
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Input refused; one or more issues, each with a code.
    #[error("{}", issues_text(.0))]
    Invalid(Vec<Issue>),
    #[error("{0}")]
    Db(#[from] rusqlite::Error),
    #[error("{context}: {source}")]
    Io { context: String, source: std::io::Error },
    #[error("{0}")]
    Internal(String),
}

fn issues_text(issues: &[Issue]) -> String {
    issues.iter().map(|i| i.message.as_str()).collect::<Vec<_>>().join("\n")
}

impl Error {
    pub fn invalid(code: Code, params: &[(&str, &str)]) -> Self {
        Error::Invalid(vec![issue(code, params)])
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io { context: context.into(), source }
    }

    /// `entity` is a code (`unit`, `person`, `record`, …): each language names it.
    pub fn not_found(entity: &str, id: &str) -> Self {
        Self::invalid(Code::NotFound, &[("entity", entity), ("id", id)])
    }

    /// The issues a user sees. Store and IO failures become one generic issue whose
    /// message does not leak SQL; a full or read-only disk is told apart, whichever layer
    /// (SQLite or the file system) met it.
    pub fn issues(&self) -> Vec<Issue> {
        match self {
            Error::Invalid(v) => v.clone(),
            Error::Db(e) => match disk_db(e) {
                Some(code) => vec![issue(code, &[])],
                None if matches!(
                    e.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
                ) =>
                {
                    vec![issue(Code::DbBusy, &[])]
                }
                None => vec![issue(Code::DbFailed, &[])],
            },
            Error::Io { context, source } => match disk_io(source) {
                Some(code) => vec![issue(code, &[])],
                None => vec![issue(Code::IoFailed, &[("path", context)])],
            },
            Error::Internal(_) => vec![issue(Code::Internal, &[])],
        }
    }

    /// Gives an SQLite error that hides its cause (SQLITE_IOERR, SQLITE_CANTOPEN) the
    /// system error behind it, read from the connection that met it: a write that found the
    /// disk full or read-only then reports that instead of a generic failure.
    pub(crate) fn with_errno(self, conn: &rusqlite::Connection) -> Error {
        let Error::Db(e) = &self else { return self };
        if !matches!(
            e.sqlite_error_code(),
            Some(rusqlite::ErrorCode::SystemIoFailure | rusqlite::ErrorCode::CannotOpen)
        ) {
            return self;
        }
        // SAFETY: the handle is only read by SQLite's own accessor, on the thread that owns `conn`.
        let errno = unsafe { rusqlite::ffi::sqlite3_system_errno(conn.handle()) };
        let source = std::io::Error::from_raw_os_error(errno);
        if errno != 0 && disk_io(&source).is_some() {
            return Error::Io { context: conn.path().unwrap_or_default().to_string(), source };
        }
        self
    }

    /// `with_errno` for a database that could not even be opened: its folder is asked.
    pub(crate) fn with_errno_of(self, path: &std::path::Path) -> Error {
        let Error::Db(e) = &self else { return self };
        if e.sqlite_error_code() != Some(rusqlite::ErrorCode::CannotOpen) {
            return self;
        }
        let probe = std::fs::OpenOptions::new().append(true).open(path);
        match probe {
            Err(source) if disk_io(&source).is_some() => Error::Io { context: path.display().to_string(), source },
            _ => self,
        }
    }

    pub fn code(&self) -> Code {
        self.issues().first().map(|i| i.code).unwrap_or(Code::Internal)
    }
}

/// Collects the refusals of several checks, so a form or a spreadsheet row reports all its
/// problems at once instead of the first.
#[derive(Debug, Default)]
pub struct Issues(pub Vec<Issue>);

impl Issues {
    /// `Some(value)` when the check passed; a refusal is collected and gives `None`; store
    /// and IO failures are not refusals and pass straight through.
    pub fn take<T>(&mut self, r: Result<T>) -> Result<Option<T>> {
        match r {
            Ok(v) => Ok(Some(v)),
            Err(Error::Invalid(v)) => {
                self.0.extend(v);
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    pub fn push(&mut self, i: Issue) {
        self.0.push(i);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Ok when nothing was refused, else every collected issue.
    pub fn finish(self) -> Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(self.0))
        }
    }
}

/// `disk.full` or `disk.readonly` when SQLite itself says so.
fn disk_db(e: &rusqlite::Error) -> Option<Code> {
    match e.sqlite_error_code()? {
        rusqlite::ErrorCode::DiskFull => Some(Code::DiskFull),
        rusqlite::ErrorCode::ReadOnly => Some(Code::DiskReadonly),
        _ => None,
    }
}

/// `disk.full` or `disk.readonly` for a file-system error that means it. Root is not asked
/// about permissions, so a permission refusal on a data file is a read-only place too.
fn disk_io(e: &std::io::Error) -> Option<Code> {
    use std::io::ErrorKind::*;
    match e.kind() {
        StorageFull | QuotaExceeded => Some(Code::DiskFull),
        ReadOnlyFilesystem | PermissionDenied => Some(Code::DiskReadonly),
        _ => None,
    }
}

pub fn issue(code: Code, params: &[(&str, &str)]) -> Issue {
    let params: BTreeMap<String, String> = params.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let message = message_zh(code.as_str(), &params);
    Issue { code, params, message }
}

/// The Chinese name of an entity code (errors carry codes; see `Error::not_found`).
fn entity_zh(code: &str) -> &str {
    match code {
        "unit" => "单位",
        "parent" => "上级单位",
        "person" => "人员",
        "team" => "队伍",
        "venue" => "场所",
        "topic" => "宣讲主题",
        "template" => "模板",
        "session" => "活动",
        "record" => "活动记录",
        "photo" => "照片",
        "material" => "物资",
        "stockMove" => "出入库记录",
        "visit" => "走访记录",
        "case" => "预警对象",
        "caseVisit" => "回访",
        "conflict" => "冲突",
        "series" => "重复活动",
        "correction" => "更正记录",
        "target" => "工作目标",
        "row" => "记录",
        other => other,
    }
}

fn field_zh(f: &str) -> &str {
    if let Some(a) = crate::kinds::Audience::parse(f) {
        return a.label();
    }
    match f {
        "name" => "名称",
        "kind" => "类型",
        "parent" => "上级单位",
        "unit" => "所属单位",
        "phone" => "电话",
        "contactPhone" => "联系电话",
        "roles" => "身份",
        "households" => "户数",
        "residents" => "常住人口",
        "under18" => "18岁以下",
        "age18to59" => "18-59岁",
        "age60plus" => "60岁以上",
        "students" => "学生",
        "elderlyAlone" => "独居老人",
        "financeStaff" => "企业财务人员",
        "joinedOn" => "加入日期",
        "letterSignedOn" => "告知书签订日期",
        "staffCount" => "职工人数",
        "active" => "在岗",
        "id" => "编号",
        "captain" => "队长",
        "vicePrincipal" => "法治副校长",
        "operatorName" => "操作员姓名",
        "title" => "标题",
        "start" => "开始时间",
        "end" => "结束时间",
        "channel" => "推送渠道",
        "cancelReason" => "取消原因",
        "material" => "物资名称",
        "person" => "人员",
        "reason" => "原因",
        "actualStart" => "实际开始时间",
        "actualEnd" => "实际结束时间",
        "headcount" => "到场人数",
        "notes" => "备注",
        "signinNames" => "签到名单",
        "caption" => "照片说明",
        "audience" => "人群",
        "category" => "物资类别",
        "unitLabel" => "计量单位",
        "lowStock" => "预警库存",
        "fromUnit" => "调出单位",
        "quantity" => "数量",
        "movedOn" => "日期",
        "source" => "来源",
        "building" => "楼栋",
        "visitedOn" => "走访日期",
        "visited" => "已走访户数",
        "notHome" => "不在家户数",
        "refused" => "拒访户数",
        "warnings" => "发放预警提示数",
        "residentName" => "姓名或化名",
        "warnedOn" => "预警日期",
        "doneOn" => "回访日期",
        "purgeDays" => "结案后清除天数",
        "qrText" => "二维码内容",
        "qrCaption" => "二维码说明",
        "label" => "身份名称",
        "passphrase" => "口令",
        "caseNo" => "案件编号",
        "filedOn" => "立案日期",
        "fraudType" => "诈骗类型",
        "typeLabel" => "诈骗类型名称",
        "loss" => "损失金额",
        "stopped" => "止付金额",
        "ageGroup" => "受害人年龄段",
        "occupation" => "受害人职业",
        "groups" => "群数",
        "messages" => "推送条数",
        "status" => "状态",
        "audiences" => "人群",
        "sha256" => "照片文件",
        "ext" => "照片格式",
        "risk" => "风险等级",
        "method" => "方式",
        "outcome" => "结果",
        "result" => "回访结果",
        "dueOn" => "应回访日期",
        "hours" => "宣讲时长",
        "role" => "分工",
        "file" => "照片文件",
        "stamp" => "时间戳",
        "rule" => "重复规则",
        "periodFrom" => "开始日期",
        "periodTo" => "结束日期",
        "target" => "目标值",
        "durationMinutes" => "时长",
        "metric" => "指标",
        "topics" => "宣讲主题",
        "sessionId" => "活动",
        "venue" => "场所",
        other => other,
    }
}

/// What is wrong with a bundle's row (`bundle.row_invalid`'s `reason`).
fn bundle_reason_zh(reason: &str) -> &str {
    match reason {
        "required" => "为空",
        "too_long" => "过长",
        "format" => "格式不正确",
        "choice" => "不在可选范围内",
        "range" => "超出允许范围",
        "order" => "结束早于开始或时长超过上限",
        "cycle" => "使单位成为自己的上级（上下级循环）",
        "locked" => "已审核上报，只能通过更正修改",
        "file_name" => "不是有效的照片文件名",
        "mismatch" => "与条目编号不符",
        other => other,
    }
}

/// Chinese text for each code. The UI has its own (zh-CN and en) tables keyed by the same codes.
fn message_zh(code: &str, p: &BTreeMap<String, String>) -> String {
    let g = |k: &str| p.get(k).map(String::as_str).unwrap_or("");
    let f = || field_zh(g("field")).to_string();
    match code {
        "validation.required" => format!("{}不能为空", f()),
        "validation.phone" => format!("「{}」不是有效的手机号或座机号", g("value")),
        "validation.phone_masked" => format!(
            "「{}」是遮挡过的号码（来自电话已遮挡的导出文件），不能用它改写或新建号码：请填完整号码，或使用含完整手机号的导出文件",
            g("value")
        ),
        "validation.number" => format!("{}「{}」不是有效的非负整数", f(), g("value")),
        "validation.date" => format!("{}「{}」不是有效日期（应为 YYYY-MM-DD）", f(), g("value")),
        "validation.choice" => format!("{}「{}」不在可选范围内", f(), g("value")),
        "validation.too_long" => format!("{}过长（最多 {} 个字）", f(), g("max")),
        "validation.age_split" => format!("各年龄段人数之和 {} 超过常住人口 {}", g("sum"), g("residents")),
        "validation.key_groups" => format!("{}超过常住人口", f()),
        "not_found" => format!("找不到{}「{}」", entity_zh(g("entity")), g("id")),
        "units.cycle" => "不能把单位移到它自己或它的下级之下".into(),
        "units.grid_children" => "网格是最小单元，不能再设下级".into(),
        "units.parent_archived" => "上级单位已归档".into(),
        "units.has_active_children" => "该单位下还有未归档的下级单位，请先归档或移走它们".into(),
        // An audience is named by its code in `value` (field `audience`).
        "duplicate" => format!("{}「{}」重复", f(), field_zh(g("value"))),
        "import.empty" => "文件是空的".into(),
        "import.no_rows" => "文件只有表头，没有数据行".into(),
        "import.ambiguous_unit" => format!("单位名称「{}」对应多个单位，请填写单位编号", g("value")),
        "import.ambiguous_person" => format!("人员姓名「{}」对应多人，请填写编号", g("value")),
        "import.header" => format!("表头缺少列：{}", g("missing")),
        "import.unreadable" => format!("无法读取文件：{}", g("reason")),
        "import.too_many_rows" => format!("行数超过上限 {}", g("max")),
        "import.has_problems" => format!("有 {} 行数据有误，未导入任何数据", g("count")),
        "import.expired" => "导入预览已失效，请重新选择文件".into(),
        "import.unknown_unit" => format!("找不到单位「{}」", g("value")),
        "import.unknown_topic" => format!("找不到宣讲主题「{}」", g("value")),
        "incidents.unknown_type" => {
            format!("不认识的诈骗类型「{}」：请在“类型对照”中指定它对应的宣讲专题后重新导入", g("value"))
        }
        "incidents.money" => format!("金额「{}」不是有效的非负数", g("value")),
        "incidents.no_place" => "请填写发案的网格、社区或派出所（至少一项）".into(),
        "incidents.week" => format!("「{}」不是有效的周次，应写作 2026-W49", g("value")),
        "import.unknown_team" => format!("找不到队伍「{}」", g("value")),
        "import.unknown_person" => format!("找不到人员「{}」", g("value")),
        "import.duplicate_id" => format!("编号「{}」与第 {} 行重复", g("value"), g("firstRow")),
        "import.unknown_id" => format!("编号「{}」在数据库中不存在", g("value")),
        "demo.not_empty" => "数据库已有数据，演示数据只能载入空数据库".into(),
        "backup.not_found" => format!("找不到备份「{}」", g("fileName")),
        "file.not_saved" => "只能打开本窗口刚保存的文件；该文件可能已被移动或删除".into(),
        "file.open_failed" => "系统没有可以打开它的程序，请到所在文件夹中打开".into(),
        "backup.invalid" => format!("「{}」不是有效的备份文件", g("fileName")),
        "db.busy" => "数据库正忙，请稍后再试".into(),
        "disk.full" => "磁盘空间已满，未保存任何更改；请清理磁盘或把数据文件夹移到有空间的磁盘后重试".into(),
        "disk.readonly" => "磁盘或数据文件只读，未保存任何更改；请检查磁盘是否写保护或文件夹权限后重试".into(),
        "db.failed" => "数据库操作失败，未保存任何更改".into(),
        "db.newer" => "数据库来自更新版本的程序，请升级后再打开".into(),
        "db.passphrase_required" => "数据库已加密，请输入口令".into(),
        "db.passphrase_wrong" => "口令不正确，数据库未被改动".into(),
        "db.key_file_invalid" => {
            "密钥文件已损坏或不是本程序写的，无法解开数据库密钥；请从备份恢复密钥文件（.key）".into()
        }
        "db.unlock_throttled" => format!("口令错误次数过多，请 {} 秒后再试", g("seconds")),
        "db.locked" => "数据库尚未解锁".into(),
        "keychain.unavailable" => "本机没有可用的系统钥匙串（如 GNOME 密钥环），请输入口令解锁".into(),
        "keychain.failed" => "系统钥匙串操作失败，口令未保存；请输入口令解锁".into(),
        "photos.damaged" => format!("照片文件「{}」已损坏或不属于本数据库，无法打开", g("name")),
        "keychain.none" => "本机系统钥匙串中没有保存本数据库的口令，请输入口令解锁".into(),
        "keychain.plain" => "数据库未加密，没有口令可保存".into(),
        "keychain.stale" => "钥匙串中保存的口令已失效（口令可能已更换），已将其删除；请输入口令解锁".into(),
        "role.coordinator_only" => format!(
            "“{}”仅限协调员身份，当前为队长身份",
            crate::access::Action::from_code(g("action")).map_or(g("action"), |a| a.label_zh())
        ),
        "role.outside_grids" => "不在您负责的网格内：队长身份只能登记、查看自己网格的数据".into(),
        "profile.not_found" => "找不到该队长身份，或它已被删除".into(),
        "profile.needs_reset" => {
            "该队长身份来自旧版本（其钥匙槽存有协调员的口令，已作废）：请协调员在“设置 → 队长身份”中为其重新设置口令"
                .into()
        }
        "profile.label_taken" => format!("队长身份名称「{}」已被使用", g("label")),
        "profile.label_required" => "请填写队长身份名称".into(),
        "profile.units_required" => "请至少选择一个负责的网格或社区".into(),
        "profile.passphrase_same_as_db" => "队长口令不能与数据库口令相同".into(),
        "profile.slots_invalid" => "队长身份密钥文件已损坏，无法读取".into(),
        "db.state_changed" => "数据库状态已变化，请重新打开程序".into(),
        "passphrase.needed_new" => "请在环境变量 OUTREACH_NEW_PASSPHRASE 中给出新口令，或在终端中运行以便输入".into(),
        "audit.broken" => format!("审计日志在第 {} 条处断裂：记录被修改或删除", g("seq")),
        "audit.anchor_missing" => {
            format!("审计日志中找不到锚点 {}：锚点之后（或包括锚点）的记录已被删除或改写", g("anchor"))
        }
        "not_implemented" => format!("「{}」尚未实现", g("what")),
        "validation.datetime" => format!("{}「{}」不是有效时间（应为 YYYY-MM-DD HH:MM）", f(), g("value")),
        "sessions.end_before_start" => "结束时间必须晚于开始时间".into(),
        "sessions.too_long" => format!("一场活动不能超过 {} 小时", g("hours")),
        "sessions.no_place" => "请选择场所或所属单位/网格".into(),
        "sessions.locked" => "活动已上报并锁定，更正请另行登记".into(),
        "sessions.bad_transition" => {
            let label = |c: &str| crate::kinds::SessionStatus::parse(c).map_or(c.to_string(), |s| s.label().into());
            format!("活动状态不能从「{}」改为「{}」", label(g("from")), label(g("to")))
        }
        "sessions.not_movable" => {
            let label = |c: &str| crate::kinds::SessionStatus::parse(c).map_or(c.to_string(), |s| s.label().into());
            format!("「{}」的活动不能改期", label(g("from")))
        }
        "sessions.not_started" => "活动尚未开始，不能标为已开展".into(),
        "sessions.has_record" => "活动已登记开展情况，不能撤回；如有错误请更正记录".into(),
        "sessions.person_busy" => format!("{} 在 {}–{} 已安排「{}」", g("name"), g("start"), g("end"), g("title")),
        "sessions.venue_busy" => format!("{} 在 {}–{} 已安排「{}」", g("venue"), g("start"), g("end"), g("title")),
        "sessions.speaker_topic" => format!("{} 的可讲主题中没有「{}」", g("name"), g("topic")),
        "sessions.inactive_person" => format!("{} 已停用（不在岗）", g("name")),
        "sessions.no_contact" => format!("{} 没有登记联系人或联系电话", g("venue")),
        "series.count" => format!("重复次数应在 1 到 {} 之间", g("max")),
        "series.rule" => "重复规则无效".into(),
        "validation.negative" => format!("{}不能为负数（{}）", f(), g("value")),
        "validation.positive" => format!("{}必须大于 0（{}）", f(), g("value")),
        "validation.too_large" => format!("{}超过上限 {}", f(), g("max")),
        "validation.future" => format!("{}「{}」晚于今天", f(), g("value")),
        "records.split_over_total" => format!("各人群人数之和 {} 超过到场总人数 {}", g("sum"), g("total")),
        "records.session_cancelled" => "活动已取消，不能登记开展情况".into(),
        "records.not_yet" => "活动尚未开始，不能登记开展情况".into(),
        "records.reason_required" => "活动已上报，更正须填写更正原因".into(),
        "records.hours" => format!("服务时长「{}」应在 0 到 24 小时之间", g("value")),
        "photos.too_large" => format!("照片过大（{} MB），上限 {} MB", g("size"), g("max")),
        "photos.too_many_pixels" => format!("照片像素过多（上限 {} 百万像素）", g("max")),
        "photos.not_image" => format!("「{}」不是 PNG、JPEG 或 WebP 图片", g("name")),
        "materials.same_unit" => "调出和调入不能是同一单位".into(),
        "materials.negative" => {
            format!("{}的「{}」库存已为负数（{}），请登记入库或调拨", g("unit"), g("material"), g("balance"))
        }
        "materials.low" => format!("{}的「{}」库存仅剩 {}，低于预警值", g("unit"), g("material"), g("balance")),
        "visits.not_grid" => format!("「{}」不是网格，走访和预警须落到网格", g("name")),
        "visits.empty" => "请至少填写一项户数".into(),
        "followups.schedule" => format!("回访计划「{}」无效，应如 7d,1m,3m（天/周/月，由近到远）", g("value")),
        "followups.purged" => "该预警对象的个人信息已按期清除，不能再修改".into(),
        "followups.before_warning" => "回访日期不能早于预警日期".into(),
        "bundle.foreign" => "这不是反诈宣防工作台的交接包".into(),
        "bundle.truncated" => "交接包不完整（文件被截断），未导入任何数据".into(),
        "bundle.tampered" => "交接包校验失败（文件被修改或损坏），未导入任何数据".into(),
        "bundle.schema" => "交接包的数据结构与本程序不符，未导入任何数据".into(),
        "bundle.schema_version" => {
            format!("交接包来自数据版本 {} 的程序，本程序为版本 {}，请先升级到相同版本", g("theirs"), g("ours"))
        }
        "bundle.missing_reference" => format!("交接包引用了本机没有的{}，请先导入完整的交接包", entity_zh(g("entity"))),
        "bundle.constraint" => format!("{}「{}」与本机已有记录重名，未导入任何数据", entity_zh(g("entity")), g("name")),
        "bundle.row_invalid" => format!(
            "交接包中的{}「{}」{}{}，未导入任何数据",
            entity_zh(g("entity")),
            g("id"),
            f(),
            bundle_reason_zh(g("reason"))
        ),
        "bundle.out_of_scope" => format!(
            "队长的交接包不能修改{}「{}」（不在其负责的网格内，或不是队长可改的数据），未导入任何数据",
            entity_zh(g("entity")),
            g("label")
        ),
        "bundle.rows_more" => format!("另有 {} 条有同样的问题（共 {} 条）", g("more"), g("count")),
        "bundle.conflict_resolved" => "该冲突已处理".into(),
        "bundle.conflict_stale" => "本机记录在发现冲突后又被修改，请重新导入交接包后再处理".into(),
        "bundle.expired" => "导入预览已失效，请重新选择文件".into(),
        "bundle.passphrase_required" => "交接包已加密，请输入导出时设置的口令".into(),
        "bundle.passphrase_wrong" => "口令不正确（或文件已损坏），未导入任何数据".into(),
        "bundle.encryption_required" => "含个人信息的交接包必须设置口令加密".into(),
        "bundle.unsigned" => "交接包没有签名（来自旧版本的程序），未导入任何数据；请对方升级后重新导出".into(),
        "bundle.signer_unknown" => format!(
            "此数据包的签名身份 {} 未登记，未导入任何数据；请与对方电话核对指纹后在设置中登记",
            g("fingerprint")
        ),
        "bundle.signer_revoked" => {
            format!("此数据包的签名身份「{}」（{}）已被撤销，未导入任何数据", g("label"), g("fingerprint"))
        }
        "signer.key_invalid" => "签名公钥无效：应为一行以 ed25519: 开头的文字，请从对方的设置页完整复制".into(),
        "signer.duplicate" => format!("签名身份 {} 已登记为「{}」", g("fingerprint"), g("label")),
        "signer.own" => format!("{} 是本数据库自己的签名身份，无需登记", g("fingerprint")),
        "signer.not_found" => format!("找不到指纹为 {} 的签名身份", g("fingerprint")),
        "signer.units_required" => "队长的签名身份须至少选择一个负责的网格或社区".into(),
        "passphrase.too_short" => format!("口令至少需要 {} 个字符（现在 {} 个）", g("min"), g("len")),
        "passphrase.one_class" => "口令不能只用一类字符，请混合字母、数字、符号或汉字中的至少两类".into(),
        "passphrase.repetitive" => format!("口令中不同的字符太少（至少 {} 个不同字符）", g("min")),
        "passphrase.mismatch" => "两次输入的口令不一致".into(),
        "print.image_invalid" | "print.image_too_large" | "print.font" => g("detail").to_string(),
        "print.cancelled" => "已取消生成".into(),
        "print.internal" => "生成 PDF 时出错，未保存文件".into(),
        "print.no_grids" => format!("「{}」下没有网格", g("unit")),
        "print.not_enterprise" => format!("「{}」不是企业，告知书只发给企业", g("name")),
        "print.no_enterprises" => "没有可发送告知书的企业".into(),
        "coverage.period" => format!("统计时段无效：结束日期 {} 早于开始日期 {}", g("to"), g("from")),
        "report.format" => format!("不支持的报表格式「{}」，请用 .pdf、.xlsx 或 .json", g("value")),
        "io.failed" => format!("读写文件失败：{}", g("path")),
        "internal" => "内部错误".into(),
        _ => "内部错误".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The codes of the Chinese message table, read from this file's `message_zh`.
    fn table_codes() -> BTreeSet<String> {
        let src = include_str!("error.rs");
        let body = &src[src.find("fn message_zh").unwrap()..];
        let body = &body[..body.find("\n}\n").unwrap()];
        let mut out = BTreeSet::new();
        for line in body.lines() {
            let t = line.trim_start();
            if !t.starts_with('"') || !t.contains("=>") {
                continue;
            }
            let arms = &t[..t.find("=>").unwrap()];
            for part in arms.split('|') {
                out.insert(part.trim().trim_matches('"').to_string());
            }
        }
        out
    }

    /// Every `Code` has its Chinese sentence, and the table names no code that is not one.
    /// The UI's two languages are checked against the same list (ErrorCodes.spec.ts), which
    /// this test writes.
    #[test]
    fn every_code_has_a_message_and_reaches_the_ui() {
        let table = table_codes();
        let codes: BTreeSet<String> = Code::ALL.iter().map(|c| c.as_str().to_string()).collect();
        let missing: Vec<_> = codes.difference(&table).collect();
        assert!(missing.is_empty(), "codes with no Chinese message (they would read 内部错误): {missing:?}");
        let stray: Vec<_> = table.difference(&codes).collect();
        assert!(stray.is_empty(), "messages for codes that are not in `Code`: {stray:?}");
        for c in Code::ALL {
            assert_eq!(Code::parse(c.as_str()), Some(*c));
            assert_eq!(serde_json::to_string(c).unwrap(), format!("\"{}\"", c.as_str()));
        }
        let mut ts = String::from(
            "// Written by `cargo test -p outreach-core` (error::tests) from `Code`. Do not edit.\nexport const ERROR_CODES = [\n",
        );
        for c in &codes {
            ts.push_str(&format!("  \"{c}\",\n"));
        }
        ts.push_str("] as const;\n");
        crate::write_ui_binding("errorCodes.ts", &ts);
    }
}
