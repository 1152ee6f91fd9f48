//! Plain data for the documents. The caller fills these from the database; this
//! crate knows nothing about it. Field names are camelCase on the wire.

use serde::{Deserialize, Serialize};

/// Paper size of a flyer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum Paper {
    /// 210 × 297 mm.
    #[default]
    A4,
    /// 148 × 210 mm.
    A5,
}

/// Event flyer (宣传单): one page per flyer, A4 or A5.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Flyer {
    pub paper: Paper,
    /// e.g. "淄博市临淄区鑫达社区反诈板凳会"
    pub title: String,
    /// e.g. "反诈板凳会"
    pub kind_label: String,
    /// e.g. "2026年11月28日 周六 09:00–10:30"
    pub time_text: String,
    pub place: String,
    pub organiser: String,
    pub speakers: Vec<String>,
    /// 3–5 short tips, printed numbered under "防骗提示".
    pub tips: Vec<String>,
    /// (number, label), e.g. ("96110", "反诈预警劝阻专线"), ("110", "报警电话").
    pub hotlines: Vec<(String, String)>,
    /// Text encoded in the QR code (usually a URL); no QR when `None` or empty.
    pub qr_text: Option<String>,
    pub qr_caption: String,
    /// PNG/JPEG/WebP bytes, drawn top-left.
    pub logo: Option<Vec<u8>>,
    /// PNG/JPEG/WebP bytes, drawn under the time/place block.
    pub photo: Option<Vec<u8>>,
}

/// One grid worker (网格员) on a grid flyer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Worker {
    pub name: String,
    /// Already masked by the caller, e.g. "138****5678".
    pub phone_masked: String,
}

/// Grid contact card (网格反诈联系卡): one A4 page per grid.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct GridFlyer {
    pub grid_name: String,
    /// e.g. "淄博市 / 临淄区 / 辛店街道"
    pub unit_path: String,
    pub workers: Vec<Worker>,
    pub tips: Vec<String>,
    pub qr_text: Option<String>,
    pub qr_caption: String,
    pub organiser: String,
    pub logo: Option<Vec<u8>>,
}

/// Sign-in sheet (签到表), A4 portrait, as many pages as the rows need.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SignIn {
    pub title: String,
    pub kind_label: String,
    pub time_text: String,
    pub place: String,
    pub organiser: String,
    pub speakers: Vec<String>,
    /// Planned audience; at least 20 rows are printed (at most 5,000).
    pub rows: u32,
    pub with_phone_column: bool,
}

/// Notice letter to an enterprise (反电信网络诈骗告知书) with a receipt strip.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Letter {
    /// Enterprise name.
    pub recipient: String,
    /// Contact person of the enterprise (may be empty).
    pub contact: String,
    pub paragraphs: Vec<String>,
    /// Sending unit.
    pub sender: String,
    pub date_text: String,
}

/// Volunteer service certificate (志愿服务证明).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Certificate {
    pub person: String,
    pub unit: String,
    pub from_text: String,
    pub to_text: String,
    pub hours: f64,
    pub sessions: u32,
    /// Optional list of sessions, one line each.
    pub lines: Vec<String>,
    pub issuer: String,
    pub date_text: String,
}

/// Work report (工作报告) sent to superiors: monthly, quarterly or annual. A4
/// portrait in the style of an official document (公文): red title, justified
/// paragraphs, bordered tables, vector bar charts, a photo appendix, "— N —" page
/// numbers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Report {
    /// e.g. "淄博市反诈宣传工作报告"
    pub title: String,
    /// e.g. "（2026年第四季度）"
    pub subtitle: String,
    /// Issuing unit (发文单位), e.g. "淄博市公安局反诈中心".
    pub issuer: String,
    /// e.g. "2026年12月31日"
    pub date_text: String,
    /// Reporting period, e.g. "2026年10月1日至12月31日".
    pub period_text: String,
    pub sections: Vec<ReportSection>,
    /// Photos of held sessions, printed 2 × 3 per page after the sections.
    pub photos: Vec<ReportPhoto>,
    /// The audit chain's head when the report was made (a hash in hex): its first 16 digits
    /// are printed small in every page's footer, so the paper can later show the log was
    /// not cut back or rewritten (`outreach audit verify --anchor`). Empty: none printed.
    pub audit_anchor: String,
}

/// One section: heading, then paragraphs, tables and charts in that order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ReportSection {
    /// e.g. "一、总体情况"
    pub heading: String,
    /// Body text; each paragraph is justified with a two-character first-line indent.
    pub paragraphs: Vec<String>,
    pub tables: Vec<ReportTable>,
    pub charts: Vec<BarChart>,
}

/// A bordered table; long tables continue on further pages with the header repeated.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ReportTable {
    /// e.g. "表1  各区县宣传开展情况" (printed above the table).
    pub title: String,
    pub columns: Vec<String>,
    /// Cells already formatted; cells that read as numbers or percentages are
    /// right-aligned.
    pub rows: Vec<Vec<String>>,
    /// A bold 合计 row at the end.
    pub total: Option<Vec<String>>,
}

/// A vertical bar chart (1–3 series as grouped bars), drawn as vector graphics.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BarChart {
    /// e.g. "图1  各区县覆盖人次" (printed under the chart).
    pub title: String,
    /// Category labels along the x axis.
    pub labels: Vec<String>,
    pub series: Vec<ChartSeries>,
    /// Unit of the value axis, e.g. "人次" or "%" (values are then percentages).
    pub unit: String,
}

/// One series of a bar chart: one value per label.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ChartSeries {
    pub name: String,
    /// One per label; NaN where there is no value (nothing was due): no bar, labelled "—".
    pub values: Vec<f64>,
}

/// A photo (PNG/JPEG/WebP bytes) with its caption. Undecodable photos are replaced
/// by a note, the caption is still printed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ReportPhoto {
    pub image: Vec<u8>,
    pub caption: String,
}

/// The weekly case review as a brief (每周涉诈案情研判简报): ONE A4 portrait page to hand
/// round at the Monday meeting — red title, the key figures, the cases by fraud type, the
/// victims' groups, the places with the suggested action, the issuer at the foot. What does not
/// fit the page is counted ("另有N处见系统"), never continued on a second page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Brief {
    /// e.g. "淄博市每周涉诈案情研判简报"
    pub title: String,
    /// e.g. "（2026年第49周，2026年11月30日至12月6日）"
    pub subtitle: String,
    /// The key figures, printed side by side (four fit best).
    pub figures: Vec<BriefFigure>,
    /// Cases by fraud type against the four weeks before; cells already formatted. Rows beyond
    /// what fits are counted under the table.
    pub types: ReportTable,
    /// The victims by group (name, cases), most first.
    pub groups: Vec<(String, u32)>,
    /// The places hit, most cases first, each with its suggested action.
    pub places: Vec<BriefPlace>,
    /// Places the caller left out of `places` (added to the count of those that do not fit).
    pub more_places: u32,
    /// Printed when there are no places (no case this week).
    pub no_places: String,
    pub issuer: String,
    /// e.g. "2026年12月7日"
    pub date_text: String,
}

/// One key figure: "新发案件" / "5起" / "前四周周均5.0起，持平".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BriefFigure {
    pub label: String,
    pub value: String,
    pub note: String,
}

/// A place of the week: where, how many cases, the action suggested and why.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BriefPlace {
    /// e.g. "世纪花园第三网格"
    pub name: String,
    /// The units above it, e.g. "张店区 / 公园派出所 / 世纪花园社区" (printed small).
    pub path: String,
    pub cases: u32,
    /// e.g. "专题宣讲"
    pub action: String,
    pub reason: String,
}
