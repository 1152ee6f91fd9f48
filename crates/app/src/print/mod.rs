//! Printing: one request names the document; the use case checks that the captain may print
//! it (a session, unit, venue or person of their units: sign-in sheets carry names), renders
//! it with `outreach-print`, and — when saved — writes it and audits it by file name.

use outreach_core::audit::Note;
use std::path::Path;

use outreach_core::{people, photos, picture, units, venues, Action, Result, Store};
use outreach_print::Paper;

use crate::Host;

pub mod documents;
use serde::Deserialize;

/// What to print: the Print view's choices, and the CLI's `print` subcommands.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum PrintRequest {
    #[serde(rename_all = "camelCase")]
    Flyer { session_id: String, paper: Paper, photo_id: Option<String> },
    #[serde(rename_all = "camelCase")]
    GridFlyers { unit_id: String },
    #[serde(rename_all = "camelCase")]
    Signin { session_id: String, phone_column: bool },
    /// No venue ids: every enterprise (the coordinator's).
    #[serde(rename_all = "camelCase")]
    Letters { venue_ids: Vec<String> },
    #[serde(rename_all = "camelCase")]
    Certificate { person_id: String, from: String, to: String },
}

pub struct Rendered {
    pub bytes: Vec<u8>,
    pub title: String,
    /// The file name a save dialog suggests.
    pub file_name: String,
    pub pages: usize,
}

/// Whether whoever is working may print this document.
pub fn check(store: &Store, req: &PrintRequest) -> Result<()> {
    store.authorize(Action::PrintDocuments)?;
    let conn = store.conn();
    match req {
        PrintRequest::Flyer { session_id, photo_id, .. } => {
            store.guard_session(session_id)?;
            if let Some(p) = photo_id {
                store.guard_photo(p)?;
            }
            Ok(())
        }
        PrintRequest::Signin { session_id, .. } => store.guard_session(session_id),
        PrintRequest::GridFlyers { unit_id } => store.require_unit(unit_id),
        PrintRequest::Letters { venue_ids } if venue_ids.is_empty() => store.require_unit_opt(None),
        PrintRequest::Letters { venue_ids } => {
            venue_ids.iter().try_for_each(|v| store.require_unit_opt(venues::get(conn, v)?.unit_id.as_deref()))
        }
        PrintRequest::Certificate { person_id, .. } => {
            store.require_unit_opt(people::get(conn, person_id)?.unit_id.as_deref())
        }
    }
}

/// Renders the document. `photo`: a flyer's picture from a file the user chose (the CLI),
/// instead of a stored photo; the host is told of each page of a batch (`progress`) and
/// stops it by returning false.
pub fn render(store: &Store, req: &PrintRequest, photo: Option<Vec<u8>>, host: &mut dyn Host) -> Result<Rendered> {
    check(store, req)?;
    let conn = store.conn();
    let dir = store.data_dir();
    let today = host.today();
    let progress = &mut |done, total| host.progress(done, total);
    let pe = documents::to_error;
    let stamp = today.format("%Y%m%d");
    let (bytes, title, file_name) = match req {
        PrintRequest::Flyer { session_id, paper, photo_id } => {
            let photo = match (photo, photo_id, store.path()) {
                (Some(b), _, _) => {
                    outreach_print::check_image(&b).map_err(pe)?;
                    Some(b)
                }
                (None, Some(id), Some(db)) => Some(photos::original(conn, &photos::dir(db), id)?),
                _ => None,
            };
            // A JPEG is embedded as it is: its EXIF (a phone's GPS position) would go with it.
            let photo = photo.map(|b| picture::strip_metadata(&b));
            let f = documents::session_flyer(conn, dir.as_deref(), session_id, *paper, photo)?;
            let name = format!("宣传单-{}.pdf", f.title);
            (outreach_print::flyer(&f).map_err(pe)?, f.title, name)
        }
        PrintRequest::GridFlyers { unit_id } => {
            let items = documents::unit_grid_flyers(conn, dir.as_deref(), unit_id)?;
            let unit = units::get(conn, unit_id)?.name;
            let title = format!("{unit} 网格宣传单（{} 个网格）", items.len());
            (
                outreach_print::grid_flyers(&items, progress).map_err(pe)?,
                title,
                format!("网格宣传单-{unit}-{stamp}.pdf"),
            )
        }
        PrintRequest::Signin { session_id, phone_column } => {
            let s = documents::session_signin(conn, session_id, *phone_column)?;
            let name = format!("{}.pdf", s.title);
            (outreach_print::signin(&s).map_err(pe)?, s.title, name)
        }
        PrintRequest::Letters { venue_ids } => {
            let items = documents::enterprise_letters(conn, venue_ids, today)?;
            let title = format!("反电信网络诈骗告知书（{} 家企业）", items.len());
            (outreach_print::letters(&items, progress).map_err(pe)?, title, format!("告知书-{stamp}.pdf"))
        }
        PrintRequest::Certificate { person_id, from, to } => {
            let c = documents::service_certificate(conn, person_id, from, to, today)?;
            let title = format!("志愿服务证明-{}", c.person);
            (outreach_print::certificate(&c).map_err(pe)?, title.clone(), format!("{title}.pdf"))
        }
    };
    let pages = outreach_print::page_count(&bytes);
    Ok(Rendered { bytes, title, file_name, pages })
}

/// Renders the document and writes it to `path` (chosen by the user), whole or not at all;
/// audited with the file name, the title and the page count.
pub fn save(
    store: &mut Store,
    req: &PrintRequest,
    photo: Option<Vec<u8>>,
    host: &mut dyn Host,
    path: &Path,
) -> Result<Rendered> {
    let r = render(store, req, photo, host)?;
    let file_name = crate::file_name_of(path);
    crate::save_audited(
        store,
        path,
        |_, tmp| write_file(tmp, &r.bytes),
        |()| ("print".into(), file_name, Note::new("print.saved").with("title", &r.title).with("pages", r.pages)),
    )?;
    Ok(r)
}

pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| outreach_core::Error::io(path.display().to_string(), e))
}
