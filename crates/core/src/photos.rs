//! Photos of held sessions. PNG, JPEG and WebP are decoded with the `image` crate, turned
//! upright by their EXIF orientation, and given a JPEG thumbnail kept in the database (so
//! it travels in bundles); the original is stored in the data folder under its SHA-256,
//! which makes storing the same photo twice harmless.
//!
//! A photo of a bench talk shows residents' faces, so an original is sealed on disk
//! (ChaCha20-Poly1305) with a random key that lives only in the database — encrypted with
//! it, carried by its backups, never by bundles. A lost laptop's photos folder is noise
//! without the passphrase. Files from before (plain) are sealed when the database opens.

use crate::error::Code;
use std::path::{Path, PathBuf};

use base64::Engine;
use image::DynamicImage;
use rusqlite::{params, Connection};
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::{Error, Result};
pub use crate::picture::{check_size, decode, Decoded, MAX_BYTES, MAX_PIXELS, MAX_SIDE};
use crate::util::{check_text, new_id, now};

pub const THUMB_SIDE: u32 = 360;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Photo {
    pub id: String,
    pub record_id: String,
    pub sha256: String,
    pub ext: String,
    pub width: u32,
    pub height: u32,
    pub bytes: u32,
    /// A data URL the UI shows directly.
    pub thumb: String,
    pub caption: String,
    pub created_at: String,
}

/// The folder of originals beside the database.
pub fn dir(db_path: &Path) -> PathBuf {
    db_path.parent().map(Path::to_path_buf).unwrap_or_default().join("photos")
}

pub fn file_name(sha: &str, ext: &str) -> String {
    format!("{sha}.{ext}")
}

/// The formats an original may have (what `picture::decode` names; the photos table checks the same).
pub const EXTS: &[&str] = &["png", "jpg", "webp"];

/// A photo's SHA-256 as stored: 64 lowercase hex digits. Anything else (a path, `..`) is
/// refused before it could be joined onto the photos folder.
pub fn is_sha(sha: &str) -> bool {
    sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Whether `name` is an original's file name, `<sha256>.<ext>`.
pub fn is_file_name(name: &str) -> bool {
    name.split_once('.').is_some_and(|(sha, ext)| is_sha(sha) && EXTS.contains(&ext))
}

/// A name that is not `<sha256>.<ext>` is never joined onto the folder: a row or a bundle
/// naming a path is refused as a file that does not belong here.
fn bad_name(name: &str) -> Error {
    Error::invalid(Code::PhotosDamaged, &[("name", name)])
}

fn thumbnail(img: &DynamicImage) -> Result<String> {
    let t = img.thumbnail(THUMB_SIDE, THUMB_SIDE).to_rgb8();
    let mut buf = Vec::new();
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buf, 78);
    t.write_with_encoder(enc).map_err(|e| Error::Internal(format!("thumbnail: {e}")))?;
    Ok(format!("data:image/jpeg;base64,{}", base64::engine::general_purpose::STANDARD.encode(&buf)))
}

/// Checks, stores and registers a photo for a record.
pub fn add(conn: &Connection, dir: &Path, record_id: &str, bytes: &[u8], name: &str, caption: &str) -> Result<Photo> {
    // The record must exist (photos stand below records, so the row is looked at directly).
    let exists: bool =
        conn.query_row("SELECT EXISTS (SELECT 1 FROM records WHERE id = ?1)", [record_id], |r| r.get(0))?;
    if !exists {
        return Err(Error::not_found("record", record_id));
    }
    let caption = check_text("caption", caption, crate::rules::PHOTO_CAPTION)?;
    let d = decode(bytes, name)?;
    let thumb = thumbnail(&d.image)?;
    // The original is kept without its metadata (a phone's GPS position, the camera, XMP) but
    // with its orientation: named by the hash of what is kept, so a bundle's check of name
    // against content holds wherever the photo goes.
    let stripped = crate::picture::strip_metadata(bytes);
    let bytes = stripped.as_slice();
    let sha = hex::encode(Sha256::digest(bytes));
    store_file(conn, dir, &sha, d.ext, bytes)?;
    let id = new_id();
    let ts = now();
    conn.prepare_cached(
        "INSERT INTO photos(id, record_id, sha256, ext, width, height, bytes, thumb, caption, created_at, updated_at)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?10)",
    )?
    .execute(params![
        id,
        record_id,
        sha,
        d.ext,
        d.image.width(),
        d.image.height(),
        bytes.len() as u32,
        thumb,
        caption,
        ts
    ])?;
    conn.prepare_cached("UPDATE records SET updated_at = ?2 WHERE id = ?1")?.execute(params![record_id, ts])?;
    Ok(list(conn, record_id)?.into_iter().find(|p| p.id == id).expect("just inserted"))
}

/// The settings row holding the key that seals the originals (hex, 32 bytes).
const FILE_KEY: &str = "photo_file_key";
/// What a sealed original starts with, then a 12-byte nonce and the ciphertext.
const SEALED: &[u8; 8] = b"ODPHOTO1";

/// Makes the sealing key if the database has none yet (a fresh or older database). From
/// SQLite's randomness, which is seeded from the operating system.
pub(crate) fn ensure_file_key(conn: &Connection) -> Result<()> {
    conn.execute("INSERT INTO settings(key, value) SELECT ?1, lower(hex(randomblob(32))) WHERE NOT EXISTS (SELECT 1 FROM settings WHERE key = ?1)", [FILE_KEY])?;
    Ok(())
}

fn cipher(conn: &Connection) -> Result<chacha20poly1305::ChaCha20Poly1305> {
    use chacha20poly1305::KeyInit;
    let hex_key = crate::settings::get_key(conn, FILE_KEY)?.ok_or_else(|| Error::Internal("no photo key".into()))?;
    let key = hex::decode(hex_key).map_err(|_| Error::Internal("photo key".into()))?;
    chacha20poly1305::ChaCha20Poly1305::new_from_slice(&key).map_err(|_| Error::Internal("photo key".into()))
}

fn seal(conn: &Connection, bytes: &[u8]) -> Result<Vec<u8>> {
    use chacha20poly1305::aead::{Aead, AeadCore, OsRng};
    let c = cipher(conn)?;
    let nonce = chacha20poly1305::ChaCha20Poly1305::generate_nonce(&mut OsRng);
    let body = c.encrypt(&nonce, bytes).map_err(|_| Error::Internal("photo sealing".into()))?;
    let mut out = Vec::with_capacity(SEALED.len() + nonce.len() + body.len());
    out.extend_from_slice(SEALED);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&body);
    Ok(out)
}

/// The original's bytes from what is on disk: opened when sealed (a file from before sealing
/// is taken as it is).
fn unseal(conn: &Connection, name: &str, disk: Vec<u8>) -> Result<Vec<u8>> {
    use chacha20poly1305::aead::Aead;
    let Some(rest) = disk.strip_prefix(SEALED.as_slice()) else { return Ok(disk) };
    let damaged = || Error::invalid(Code::PhotosDamaged, &[("name", name)]);
    if rest.len() < 12 {
        return Err(damaged());
    }
    let (nonce, body) = rest.split_at(12);
    cipher(conn)?.decrypt(chacha20poly1305::Nonce::from_slice(nonce), body).map_err(|_| damaged())
}

/// Writes an original into the folder, sealed, once; the name is its hash, so a second copy
/// is a no-op — unless the file there does not open with this database's key (left behind
/// by a write that was rolled back with a key of its own), which is then replaced.
pub fn store_file(conn: &Connection, dir: &Path, sha: &str, ext: &str, bytes: &[u8]) -> Result<()> {
    if !is_sha(sha) || !EXTS.contains(&ext) {
        return Err(bad_name(&file_name(sha, ext)));
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
    let name = file_name(sha, ext);
    let path = dir.join(&name);
    if let Ok(disk) = std::fs::read(&path) {
        if disk.starts_with(SEALED) && unseal(conn, &name, disk).is_ok() {
            return Ok(());
        }
    }
    // Written beside and renamed, so a crash never leaves half a photo under the real name.
    crate::util::write_atomic(&path, &seal(conn, bytes)?)
}

/// An original's bytes by file name (sha256.ext), if the file is there.
pub fn read_file(conn: &Connection, dir: &Path, name: &str) -> Result<Option<Vec<u8>>> {
    if !is_file_name(name) {
        return Err(bad_name(name));
    }
    match std::fs::read(dir.join(name)) {
        Ok(disk) => unseal(conn, name, disk).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(dir.join(name).display().to_string(), e)),
    }
}

/// Seals the originals an older version left plain in the folder (each replaced atomically).
/// Returns how many were sealed.
pub fn seal_plain_files(conn: &Connection, dir: &Path) -> Result<usize> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(0) };
    let mut n = 0;
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.ends_with(".part") || !e.file_type().map(|t| t.is_file()).unwrap_or(false) {
            continue;
        }
        let mut head = [0u8; 8];
        let plain = std::fs::File::open(e.path())
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
            .map(|_| &head != SEALED)
            .unwrap_or(true);
        if !plain {
            continue;
        }
        let bytes = std::fs::read(e.path()).map_err(|err| Error::io(e.path().display().to_string(), err))?;
        crate::util::write_atomic(&e.path(), &seal(conn, &bytes)?)?;
        n += 1;
    }
    Ok(n)
}

pub fn list(conn: &Connection, record_id: &str) -> Result<Vec<Photo>> {
    let mut st = conn.prepare_cached(
        "SELECT id, record_id, sha256, ext, width, height, bytes, thumb, caption, created_at FROM photos
         WHERE record_id = ?1 AND removed_at IS NULL ORDER BY created_at, id",
    )?;
    let rows = st
        .query_map([record_id], |r| {
            Ok(Photo {
                id: r.get(0)?,
                record_id: r.get(1)?,
                sha256: r.get(2)?,
                ext: r.get(3)?,
                width: r.get(4)?,
                height: r.get(5)?,
                bytes: r.get(6)?,
                thumb: r.get(7)?,
                caption: r.get(8)?,
                created_at: r.get(9)?,
            })
        })?
        .collect::<std::result::Result<_, _>>()?;
    Ok(rows)
}

/// Removing hides the photo (a flag, so bundles carry the removal); the file stays until
/// no photo row points at it.
pub fn remove(conn: &Connection, id: &str) -> Result<()> {
    let n = conn
        .prepare_cached("UPDATE photos SET removed_at = ?2, updated_at = ?2 WHERE id = ?1 AND removed_at IS NULL")?
        .execute(params![id, now()])?;
    if n == 0 {
        return Err(Error::not_found("photo", id));
    }
    Ok(())
}

/// A photo's original, as it was added.
pub fn original(conn: &Connection, dir: &Path, id: &str) -> Result<Vec<u8>> {
    let (sha, ext): (String, String) = conn
        .query_row("SELECT sha256, ext FROM photos WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(|_| Error::not_found("photo", id))?;
    let name = file_name(&sha, &ext);
    read_file(conn, dir, &name)?.ok_or_else(|| {
        Error::io(dir.join(&name).display().to_string(), std::io::Error::from(std::io::ErrorKind::NotFound))
    })
}
