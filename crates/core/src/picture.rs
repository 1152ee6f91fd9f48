//! An uploaded picture checked before anything keeps it: size, format (PNG, JPEG, WebP),
//! pixel count within limits that a hostile file cannot blow past, and turned upright by its
//! EXIF orientation. Session photos (`photos`) and the organiser's logo (`settings`) both
//! pass here. A JPEG's metadata (EXIF with its GPS position, XMP, IPTC, comments) is taken out
//! before it is kept or printed: `strip_metadata`.

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

/// A JPEG without its metadata segments: APP1 (EXIF — a phone's GPS position, the camera, the
/// time — and XMP), APP3–APP13 and APP15 (IPTC and makers' blocks) and comments. What decoding
/// needs stays: APP0 (JFIF), an ICC profile (APP2 `ICC_PROFILE`), APP14 (Adobe: how the colours
/// are coded), the tables and the scan, byte for byte — the pixels are the same. An orientation
/// other than upright is kept as a minimal EXIF block holding that tag only, so the picture is
/// still shown the right way up. Anything that is not a JPEG (or not one this walker can follow
/// to its scan) comes back as it is.
pub fn strip_metadata(bytes: &[u8]) -> Vec<u8> {
    strip_jpeg(bytes).unwrap_or_else(|| bytes.to_vec())
}

fn strip_jpeg(b: &[u8]) -> Option<Vec<u8>> {
    if !b.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&b[..2]);
    let orientation = jpeg_orientation(b);
    let mut placed_orientation = orientation == 1;
    let mut i = 2;
    loop {
        // Fill bytes (0xFF repeated) may stand before a marker.
        while b.get(i) == Some(&0xFF) && b.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        if b.get(i) != Some(&0xFF) {
            return None;
        }
        let marker = *b.get(i + 1)?;
        if marker == 0xD9 {
            out.extend_from_slice(&b[i..i + 2]);
            return Some(out);
        }
        let len = u16::from_be_bytes([*b.get(i + 2)?, *b.get(i + 3)?]) as usize;
        if len < 2 || i + 2 + len > b.len() {
            return None;
        }
        let seg = &b[i..i + 2 + len];
        let body = &seg[4..];
        let keep = match marker {
            0xE0 | 0xEE => true,
            0xE2 => body.starts_with(b"ICC_PROFILE\0"),
            0xE1 | 0xE3..=0xED | 0xEF | 0xFE => false,
            _ => true,
        };
        // The orientation goes after JFIF (which must come first), before the first segment kept.
        if !placed_orientation && keep && marker != 0xE0 {
            out.extend_from_slice(&orientation_segment(orientation));
            placed_orientation = true;
        }
        if keep {
            out.extend_from_slice(seg);
        }
        i += 2 + len;
        if marker == 0xDA {
            // The scan and everything after it (further tables and scans of a progressive
            // JPEG, the end marker) as they are.
            out.extend_from_slice(&b[i..]);
            return Some(out);
        }
    }
}

/// The EXIF orientation of a JPEG (1, upright, when it has none).
fn jpeg_orientation(b: &[u8]) -> u16 {
    let reader = ImageReader::with_format(Cursor::new(b), ImageFormat::Jpeg);
    match reader.into_decoder().ok().and_then(|mut d| d.orientation().ok()) {
        Some(o) => o.to_exif() as u16,
        None => 1,
    }
}

/// An APP1 segment whose EXIF holds one tag, the orientation (big-endian TIFF, one IFD).
fn orientation_segment(orientation: u16) -> Vec<u8> {
    let mut body = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01".to_vec();
    body.extend_from_slice(&orientation.to_be_bytes());
    body.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    let mut seg = vec![0xFF, 0xE1];
    seg.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
    seg.extend_from_slice(&body);
    seg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let img =
            image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 7) as u8, (y * 5) as u8, ((x + y) * 3) as u8]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Jpeg).unwrap();
        out.into_inner()
    }

    /// An APP1 EXIF block with an orientation and a GPS position (IFD0 → GPS IFD: latitude
    /// 36°48′N, longitude 118°3′E, as rationals), big-endian, and a comment.
    fn with_gps(jpeg: &[u8], orientation: u16) -> Vec<u8> {
        let mut t = b"MM\0\x2a\0\0\0\x08".to_vec();
        // IFD0 at 8: two entries, Orientation and the GPS IFD pointer (at 38), no next IFD.
        t.extend_from_slice(&[0, 2]);
        t.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1]);
        t.extend_from_slice(&orientation.to_be_bytes());
        t.extend_from_slice(&[0, 0]);
        t.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38]);
        t.extend_from_slice(&[0, 0, 0, 0]);
        // GPS IFD at 38: four entries (ref N, latitude, ref E, longitude), values after it at 92.
        t.extend_from_slice(&[0, 4]);
        t.extend_from_slice(&[0, 1, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]);
        t.extend_from_slice(&[0, 2, 0, 5, 0, 0, 0, 3, 0, 0, 0, 92]);
        t.extend_from_slice(&[0, 3, 0, 2, 0, 0, 0, 2, b'E', 0, 0, 0]);
        t.extend_from_slice(&[0, 4, 0, 5, 0, 0, 0, 3, 0, 0, 0, 116]);
        t.extend_from_slice(&[0, 0, 0, 0]);
        assert_eq!(t.len(), 92);
        for (deg, min) in [(36u32, 48u32), (118, 3)] {
            for (n, d) in [(deg, 1u32), (min, 1), (0, 1)] {
                t.extend_from_slice(&n.to_be_bytes());
                t.extend_from_slice(&d.to_be_bytes());
            }
        }
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(&t);
        let mut out = jpeg[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(&app1);
        let comment = b"Shot at 36.80N 118.05E";
        out.extend_from_slice(&[0xFF, 0xFE]);
        out.extend_from_slice(&((comment.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(comment);
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    fn find(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    fn pixels(b: &[u8]) -> Vec<u8> {
        image::load_from_memory_with_format(b, ImageFormat::Jpeg).unwrap().to_rgb8().into_raw()
    }

    #[test]
    fn exif_and_gps_go_and_the_pixels_stay() {
        let plain = jpeg(48, 32);
        let tagged = with_gps(&plain, 1);
        assert!(find(&tagged, b"Exif") && find(&tagged, b"Shot at"), "the test needs the metadata in");
        assert_eq!(jpeg_orientation(&tagged), 1);
        let out = strip_metadata(&tagged);
        assert!(!find(&out, b"Exif"), "an Exif block is left");
        assert!(!find(&out, b"Shot at"), "the comment is left");
        assert_eq!(pixels(&out), pixels(&tagged), "the pixels changed");
        // Only the metadata went: the rest is the plain picture byte for byte.
        assert_eq!(out, plain);
        assert_eq!(strip_metadata(&out), out, "stripping twice changes nothing");
    }

    #[test]
    fn a_turned_photo_keeps_only_its_orientation() {
        let plain = jpeg(40, 20);
        let tagged = with_gps(&plain, 6);
        let out = strip_metadata(&tagged);
        // The plain picture with one block added after its JFIF header: the orientation alone.
        assert_eq!(&plain[2..4], &[0xFF, 0xE0]);
        let jfif = 4 + u16::from_be_bytes([plain[4], plain[5]]) as usize;
        let expected = [&plain[..jfif], &orientation_segment(6)[..], &plain[jfif..]].concat();
        assert_eq!(out, expected);
        assert_eq!(jpeg_orientation(&out), 6, "the orientation is lost");
        let upright = decode(&out, "p.jpg").unwrap().image;
        assert_eq!((upright.width(), upright.height()), (20, 40));
        assert_eq!(pixels(&out), pixels(&tagged));
    }

    #[test]
    fn what_is_not_a_jpeg_comes_back_as_it_is() {
        for b in [&b"\x89PNG\r\n\x1a\n...."[..], b"", b"\xFF\xD8\xFF\xE1\xFF\xFF short"] {
            assert_eq!(strip_metadata(b), b.to_vec());
        }
    }
}
