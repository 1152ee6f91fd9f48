//! Plain data for the documents. The caller fills these from the database; this
//! crate knows nothing about it. Field names are camelCase on the wire.

use serde::{Deserialize, Serialize};

/// Paper size of a flyer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
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
