//! Recording: session records with their photos, and door-to-door visit logs.

use base64::Engine;
use outreach_app::{records, visits};
use outreach_core::photos::{self, Photo};
use outreach_core::records::{Correction, Record, RecordInput, RecordOutcome};
use outreach_core::visits::{Visit, VisitFilter, VisitInput};
use outreach_core::Error;
use tauri::{AppHandle, State};

use super::transfer::pick_open_file;
use super::with_store;
use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
pub async fn records_get(state: State<'_, AppState>, id: String) -> CmdResult<Option<Record>> {
    with_store(&state, move |s| records::find(s, &id)).await
}

#[tauri::command]
pub async fn records_save(state: State<'_, AppState>, input: RecordInput) -> CmdResult<RecordOutcome> {
    with_store(&state, move |s| records::save(s, &input)).await
}

#[tauri::command]
pub async fn records_review(state: State<'_, AppState>, id: String) -> CmdResult<Record> {
    with_store(&state, move |s| records::review(s, &id)).await
}

#[tauri::command]
pub async fn records_corrections(state: State<'_, AppState>, id: String) -> CmdResult<Vec<Correction>> {
    with_store(&state, move |s| records::corrections(s, &id)).await
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
    with_store(&state, move |s| records::add_photo_file(s, &record_id, &path, &caption).map(Some)).await
}

#[tauri::command]
pub async fn photos_remove(state: State<'_, AppState>, id: String) -> CmdResult<()> {
    with_store(&state, move |s| records::remove_photo(s, &id)).await
}

/// A screen-sized JPEG of the original, as a data URL (the originals may be 20 MB).
#[tauri::command]
pub async fn photos_preview(state: State<'_, AppState>, id: String) -> CmdResult<String> {
    with_store(&state, move |s| {
        let bytes = records::photo_original(s, &id)?;
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
    with_store(&state, move |s| visits::list(s, &filter)).await
}

#[tauri::command]
pub async fn visits_save(state: State<'_, AppState>, input: VisitInput) -> CmdResult<Visit> {
    with_store(&state, move |s| visits::save(s, &input)).await
}

#[tauri::command]
pub async fn visits_remove(state: State<'_, AppState>, id: String) -> CmdResult<()> {
    with_store(&state, move |s| visits::remove(s, &id)).await
}
