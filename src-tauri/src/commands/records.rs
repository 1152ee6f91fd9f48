//! Recording: session records with their photos, and door-to-door visit logs.

use base64::Engine;
use outreach_core::photos::{self, Photo};
use outreach_core::records::{self, Correction, Record, RecordInput, RecordOutcome};
use outreach_core::visits::{self, Visit, VisitFilter, VisitInput};
use outreach_core::Error;
use tauri::{AppHandle, State};

use super::transfer::pick_open_file;
use super::with_store;
use crate::error::CmdResult;
use crate::state::AppState;
use outreach_core::profiles;

#[tauri::command]
pub async fn records_get(state: State<'_, AppState>, id: String) -> CmdResult<Option<Record>> {
    with_store(&state, move |s| records::find(s.conn(), &id)).await
}

#[tauri::command]
pub async fn records_save(state: State<'_, AppState>, input: RecordInput) -> CmdResult<RecordOutcome> {
    with_store(&state, move |s| profiles::save_record(s, &input)).await
}

#[tauri::command]
pub async fn records_review(state: State<'_, AppState>, id: String) -> CmdResult<Record> {
    with_store(&state, move |s| profiles::review_record(s, &id)).await
}

#[tauri::command]
pub async fn records_corrections(state: State<'_, AppState>, id: String) -> CmdResult<Vec<Correction>> {
    with_store(&state, move |s| records::corrections(s.conn(), &id)).await
}

/// Asks for an image file and attaches it to the record. `None` when the dialog was closed.
#[tauri::command]
pub async fn photos_add(
    app: AppHandle,
    state: State<'_, AppState>,
    record_id: String,
    caption: String,
) -> CmdResult<Option<Photo>> {
    let Some(path) = pick_open_file(&app, "选择照片", ("图片 (jpg, png, webp)", &["jpg", "jpeg", "png", "webp"])).await
    else {
        return Ok(None);
    };
    let dir = photos::dir(&state.db_path);
    with_store(&state, move |s| {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
        photos::check_size(std::fs::metadata(&path).map_err(|e| Error::io(name.clone(), e))?.len())?;
        let bytes = std::fs::read(&path).map_err(|e| Error::io(name.clone(), e))?;
        profiles::add_photo(s, &dir, &record_id, &bytes, &name, &caption).map(Some)
    })
    .await
}

#[tauri::command]
pub async fn photos_remove(state: State<'_, AppState>, id: String) -> CmdResult<()> {
    with_store(&state, move |s| profiles::remove_photo(s, &id)).await
}

/// A screen-sized JPEG of the original, as a data URL (the originals may be 20 MB).
#[tauri::command]
pub async fn photos_preview(state: State<'_, AppState>, id: String) -> CmdResult<String> {
    let dir = photos::dir(&state.db_path);
    with_store(&state, move |s| {
        let bytes = photos::original(s.conn(), &dir, &id)?;
        let d = photos::decode(&bytes, &id)?;
        let img = d.image.thumbnail(1600, 1600).to_rgb8();
        let mut buf = Vec::new();
        img.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buf, 85))
            .map_err(|e| Error::Internal(e.to_string()))?;
        Ok(format!("data:image/jpeg;base64,{}", base64::engine::general_purpose::STANDARD.encode(&buf)))
    })
    .await
}

#[tauri::command]
pub async fn visits_list(state: State<'_, AppState>, filter: VisitFilter) -> CmdResult<Vec<Visit>> {
    with_store(&state, move |s| visits::list(s.conn(), &filter)).await
}

#[tauri::command]
pub async fn visits_save(state: State<'_, AppState>, input: VisitInput) -> CmdResult<Visit> {
    with_store(&state, move |s| profiles::save_visit(s, &input)).await
}

#[tauri::command]
pub async fn visits_remove(state: State<'_, AppState>, id: String) -> CmdResult<()> {
    with_store(&state, move |s| profiles::remove_visit(s, &id)).await
}
