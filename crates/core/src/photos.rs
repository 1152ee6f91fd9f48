//! Photos of held sessions. PNG, JPEG and WebP are decoded with the `image` crate, turned
//! upright by their EXIF orientation, and given a JPEG thumbnail kept in the database (so
//! it travels in bundles); the original is stored unchanged in the data folder under its
//! SHA-256, which makes storing the same photo twice harmless.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use base64::Engine;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use rusqlite::{params, Connection};
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::util::{check_text, new_id, now};

pub const MAX_BYTES: usize = 20 * 1024 * 1024;
pub const MAX_SIDE: u32 = 12_000;
pub const MAX_PIXELS: u64 = 60_000_000;
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

/// A checked, upright image: what a photo (and a flyer's logo) must be.
pub struct Decoded {
    pub image: DynamicImage,
    pub ext: &'static str,
}

/// Refuses a file over the size limit — callers check the file's length before reading it.
pub fn check_size(len: u64) -> Result<()> {
    if len > MAX_BYTES as u64 {
        let mb = format!("{:.1}", len as f64 / 1024.0 / 1024.0);
        return Err(Error::invalid("photos.too_large", &[("size", &mb), ("max", &(MAX_BYTES / 1024 / 1024).to_string())]));
    }
    Ok(())
}

pub fn decode(bytes: &[u8], name: &str) -> Result<Decoded> {
    check_size(bytes.len() as u64)?;
    let not_image = || Error::invalid("photos.not_image", &[("name", name)]);
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|_| not_image())?;
    let ext = match reader.format() {
        Some(ImageFormat::Png) => "png",
        Some(ImageFormat::Jpeg) => "jpg",
        Some(ImageFormat::WebP) => "webp",
        _ => return Err(not_image()),
    };
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_PIXELS * 4);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| too_big_or(e, name))?;
    let (w, h) = decoder.dimensions();
    if (w as u64) * (h as u64) > MAX_PIXELS {
        return Err(Error::invalid("photos.too_many_pixels", &[("max", &(MAX_PIXELS / 1_000_000).to_string())]));
    }
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| too_big_or(e, name))?;
    image.apply_orientation(orientation);
    Ok(Decoded { image, ext })
}

fn too_big_or(e: image::ImageError, name: &str) -> Error {
    match e {
        image::ImageError::Limits(_) => Error::invalid("photos.too_many_pixels", &[("max", &(MAX_PIXELS / 1_000_000).to_string())]),
        _ => Error::invalid("photos.not_image", &[("name", name)]),
    }
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
    crate::records::get(conn, record_id)?;
    let caption = check_text("caption", caption, 100)?;
    let d = decode(bytes, name)?;
    let thumb = thumbnail(&d.image)?;
    let sha = hex::encode(Sha256::digest(bytes));
    store_file(dir, &sha, d.ext, bytes)?;
    let id = new_id();
    let ts = now();
    conn.prepare_cached(
        "INSERT INTO photos(id, record_id, sha256, ext, width, height, bytes, thumb, caption, created_at, updated_at)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?10)",
    )?
    .execute(params![id, record_id, sha, d.ext, d.image.width(), d.image.height(), bytes.len() as u32, thumb, caption, ts])?;
    conn.prepare_cached("UPDATE records SET updated_at = ?2 WHERE id = ?1")?.execute(params![record_id, ts])?;
    Ok(list(conn, record_id)?.into_iter().find(|p| p.id == id).expect("just inserted"))
}

/// Writes an original into the folder, once; the name is its hash, so a second copy is a no-op.
pub fn store_file(dir: &Path, sha: &str, ext: &str, bytes: &[u8]) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
    let path = dir.join(file_name(sha, ext));
    if path.exists() {
        return Ok(());
    }
    // Written beside and renamed, so a crash never leaves half a photo under the real name.
    let tmp = dir.join(format!(".{}.part", file_name(sha, ext)));
    std::fs::write(&tmp, bytes).map_err(|e| Error::io(tmp.display().to_string(), e))?;
    std::fs::rename(&tmp, &path).map_err(|e| Error::io(path.display().to_string(), e))?;
    Ok(())
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
    let n = conn.prepare_cached("UPDATE photos SET removed_at = ?2, updated_at = ?2 WHERE id = ?1 AND removed_at IS NULL")?.execute(params![id, now()])?;
    if n == 0 {
        return Err(Error::not_found("照片", id));
    }
    Ok(())
}

pub fn original(conn: &Connection, dir: &Path, id: &str) -> Result<PathBuf> {
    let (sha, ext): (String, String) = conn
        .query_row("SELECT sha256, ext FROM photos WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(|_| Error::not_found("照片", id))?;
    Ok(dir.join(file_name(&sha, &ext)))
}
