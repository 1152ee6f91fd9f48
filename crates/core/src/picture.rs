//! An uploaded picture checked before anything keeps it: size, format (PNG, JPEG, WebP),
//! pixel count within limits that a hostile file cannot blow past, and turned upright by its
//! EXIF orientation. Session photos (`photos`) and the organiser's logo (`settings`) both
//! pass here.

use crate::error::Code;
use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use crate::error::{Error, Result};

pub const MAX_BYTES: usize = 20 * 1024 * 1024;
pub const MAX_SIDE: u32 = 12_000;
pub const MAX_PIXELS: u64 = 60_000_000;

/// A checked, upright image: what a photo (and a flyer's logo) must be.
pub struct Decoded {
    pub image: DynamicImage,
    pub ext: &'static str,
}

/// Refuses a file over the size limit — callers check the file's length before reading it.
pub fn check_size(len: u64) -> Result<()> {
    if len > MAX_BYTES as u64 {
        let mb = format!("{:.1}", len as f64 / 1024.0 / 1024.0);
        return Err(Error::invalid(
            Code::PhotosTooLarge,
            &[("size", &mb), ("max", &(MAX_BYTES / 1024 / 1024).to_string())],
        ));
    }
    Ok(())
}

pub fn decode(bytes: &[u8], name: &str) -> Result<Decoded> {
    check_size(bytes.len() as u64)?;
    let not_image = || Error::invalid(Code::PhotosNotImage, &[("name", name)]);
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
        return Err(Error::invalid(Code::PhotosTooManyPixels, &[("max", &(MAX_PIXELS / 1_000_000).to_string())]));
    }
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| too_big_or(e, name))?;
    image.apply_orientation(orientation);
    Ok(Decoded { image, ext })
}

fn too_big_or(e: image::ImageError, name: &str) -> Error {
    match e {
        image::ImageError::Limits(_) => {
            Error::invalid(Code::PhotosTooManyPixels, &[("max", &(MAX_PIXELS / 1_000_000).to_string())])
        }
        _ => Error::invalid(Code::PhotosNotImage, &[("name", name)]),
    }
}
