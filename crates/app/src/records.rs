//! Session records and their photos. A captain records, reads and adds photos only for
//! sessions of their units; reviewing a record (审核上报) is the coordinator's, so no one
//! reviews what they recorded themselves.

use std::path::Path;

use outreach_core::photos::{self, Photo};
use outreach_core::records::{self, Correction, Record, RecordInput, RecordOutcome};
use outreach_core::{Action, Result, Store};

use crate::Subject;

pub fn save(store: &mut Store, input: &RecordInput) -> Result<RecordOutcome> {
    save_with_photos(store, input, &[])
}

/// A record and its photos in one transaction: the photo files (chosen by the user) are read
/// and checked first, so a bad photo refuses the whole record and nothing is written.
pub fn save_with_photos(store: &mut Store, input: &RecordInput, files: &[std::path::PathBuf]) -> Result<RecordOutcome> {
    store.authorize(Action::RecordsSave)?;
    store.guard_session(&input.session_id)?;
    let mut checked = Vec::new();
    for p in files {
        let (name, bytes) = crate::read_chosen_image(p)?;
        photos::decode(&bytes, &name)?;
        checked.push((name, bytes));
    }
    if !checked.is_empty() {
        store.authorize(Action::PhotosEdit)?;
    }
    let dir = photos_dir(store)?;
    let (op, actor) = (store.operator(), store.actor());
    crate::write_audited(
        store,
        Action::RecordsSave,
        |tx| {
            let out = records::save(tx, input, &op, &actor)?;
            for (name, bytes) in &checked {
                photos::add(tx, &dir, &out.record.id, bytes, name, "")?;
            }
            Ok(out)
        },
        |out| Some(out.record.subject()),
    )
}

pub fn review(store: &mut Store, id: &str) -> Result<Record> {
    store.authorize(Action::RecordsReview)?;
    let op = store.operator();
    crate::act_guarded(store, Action::RecordsReview, |tx| records::review(tx, id, &op))
}

/// A session's record (sign-in names, photos), if there is one; another grid's is refused.
pub fn find(store: &Store, session_id: &str) -> Result<Option<Record>> {
    store.authorize(Action::RecordsView)?;
    store.guard_session(session_id)?;
    records::find(store.conn(), session_id)
}

pub fn get(store: &Store, session_id: &str) -> Result<Record> {
    store.authorize(Action::RecordsView)?;
    store.guard_session(session_id)?;
    records::get(store.conn(), session_id)
}

pub fn corrections(store: &Store, session_id: &str) -> Result<Vec<Correction>> {
    store.authorize(Action::RecordsView)?;
    store.guard_session(session_id)?;
    records::corrections(store.conn(), session_id)
}

/// Reads the image file the user chose (its size checked before it is read) and adds it.
pub fn add_photo_file(store: &mut Store, record_id: &str, file: &Path, caption: &str) -> Result<Photo> {
    let (name, bytes) = crate::read_chosen_image(file)?;
    add_photo(store, record_id, &bytes, &name, caption)
}

pub fn add_photo(store: &mut Store, record_id: &str, bytes: &[u8], name: &str, caption: &str) -> Result<Photo> {
    store.authorize(Action::PhotosEdit)?;
    store.guard_session(record_id)?;
    let dir = photos_dir(store)?;
    crate::act_guarded(store, Action::PhotosEdit, |tx| photos::add(tx, &dir, record_id, bytes, name, caption))
}

pub fn remove_photo(store: &mut Store, id: &str) -> Result<()> {
    store.authorize(Action::PhotosEdit)?;
    store.guard_photo(id)?;
    crate::act_on(store, Action::PhotosEdit, format!("photos/{id}"), |tx| photos::remove(tx, id))
}

/// A photo's original, unsealed: residents' faces, so only within the captain's units.
pub fn photo_original(store: &Store, id: &str) -> Result<Vec<u8>> {
    store.authorize(Action::RecordsView)?;
    store.guard_photo(id)?;
    photos::original(store.conn(), &photos_dir(store)?, id)
}

fn photos_dir(store: &Store) -> Result<std::path::PathBuf> {
    // An in-memory store (tests) keeps its photos in a folder of the working directory.
    Ok(store.path().map(photos::dir).unwrap_or_else(|| std::path::PathBuf::from("photos")))
}
