//! Logo/photo validation and embedding (PNG, JPEG, WebP).

use std::collections::BTreeMap;
use std::io::Cursor;

use image::metadata::Orientation;
use image::{DynamicImage, GenericImageView, ImageDecoder, ImageFormat, ImageReader, Limits};
use printpdf::xobject::{DictItem, ExternalStream, ExternalXObject};
use printpdf::Px;

use crate::error::PrintError;

/// Largest accepted image file.
pub const MAX_IMAGE_BYTES: usize = 20 * 1024 * 1024;
/// Largest accepted image, in pixels (width × height).
pub const MAX_IMAGE_PIXELS: u64 = 40_000_000;

/// How an image is used; decides the resolution it is embedded at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum ImageKind {
    /// Small, may be transparent: kept lossless, at most 600 px on the long side.
    Logo,
    /// Photo: JPEG, about 1,400 px on the long side (1,050–2,100), turned upright;
    /// a plain JPEG up to 2,100 px is embedded unchanged.
    Photo,
}

fn sniff(bytes: &[u8]) -> Result<ImageFormat, PrintError> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(PrintError::ImageTooLarge(format!(
            "文件 {:.1} MB，超过 {} MB 上限",
            bytes.len() as f64 / 1_048_576.0,
            MAX_IMAGE_BYTES / 1_048_576
        )));
    }
    match image::guess_format(bytes) {
        Ok(f @ (ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP)) => Ok(f),
        _ => Err(PrintError::ImageInvalid("不是 PNG、JPEG 或 WebP 格式的图片".into())),
    }
}

/// The decoded image, turned upright, and whether it already was.
fn decode(bytes: &[u8]) -> Result<(DynamicImage, bool), PrintError> {
    let format = sniff(bytes)?;
    let corrupt = || PrintError::ImageInvalid("图片文件已损坏，无法读取".into());
    let (w, h) = ImageReader::with_format(Cursor::new(bytes), format).into_dimensions().map_err(|_| corrupt())?;
    if w == 0 || h == 0 {
        return Err(corrupt());
    }
    if w as u64 * h as u64 > MAX_IMAGE_PIXELS {
        return Err(PrintError::ImageTooLarge(format!("{w}×{h} 像素，超过 {} 万像素上限", MAX_IMAGE_PIXELS / 10_000)));
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(w);
    limits.max_image_height = Some(h);
    let max_alloc = MAX_IMAGE_PIXELS * 8 + (64 << 20);
    limits.max_alloc = Some(max_alloc);
    reader.limits(limits);
    let map = |e: image::ImageError| match e {
        image::ImageError::Limits(_) => PrintError::ImageTooLarge("图片解码所需内存过大".into()),
        _ => corrupt(),
    };
    let mut decoder = reader.into_decoder().map_err(map)?;
    if decoder.total_bytes() > max_alloc {
        return Err(PrintError::ImageTooLarge("图片解码所需内存过大".into()));
    }
    // Phone photos are often stored sideways with an EXIF orientation: print them
    // upright, as the app shows them.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(map)?;
    img.apply_orientation(orientation);
    Ok((img, orientation == Orientation::NoTransforms))
}

/// Check that `bytes` is a usable logo/photo: PNG, JPEG or WebP, decodable, at most
/// 20 MB and 40 megapixels. Errors: `print.image_invalid`, `print.image_too_large`.
pub fn check_image(bytes: &[u8]) -> Result<(), PrintError> {
    decode(bytes).map(|_| ())
}

pub(crate) struct Prepared {
    pub xobject: ExternalXObject,
    pub width: u32,
    pub height: u32,
}

fn name(s: &str) -> DictItem {
    DictItem::Name(s.as_bytes().to_vec())
}

fn image_dict(w: u32, h: u32, colorspace: &str) -> BTreeMap<String, DictItem> {
    let mut d = BTreeMap::new();
    d.insert("Type".into(), name("XObject"));
    d.insert("Subtype".into(), name("Image"));
    d.insert("Width".into(), DictItem::Int(w as i64));
    d.insert("Height".into(), DictItem::Int(h as i64));
    d.insert("ColorSpace".into(), name(colorspace));
    d.insert("BitsPerComponent".into(), DictItem::Int(8));
    d
}

/// Components of a baseline/progressive 8-bit JPEG that a PDF reader can show as
/// it is (1 = grey, 3 = YCbCr/RGB); `None` for anything else (CMYK, 12-bit,
/// lossless, arithmetic coding, malformed).
fn jpeg_components(b: &[u8]) -> Option<u8> {
    if b.len() < 4 || b[0] != 0xFF || b[1] != 0xD8 {
        return None;
    }
    let mut i = 2;
    while i + 4 <= b.len() {
        if b[i] != 0xFF {
            return None;
        }
        let m = b[i + 1];
        if m == 0xFF {
            i += 1;
            continue;
        }
        if m == 0x01 || (0xD0..=0xD7).contains(&m) {
            i += 2;
            continue;
        }
        let len = u16::from_be_bytes([b[i + 2], b[i + 3]]) as usize;
        if len < 2 {
            return None;
        }
        match m {
            0xC0..=0xC2 => {
                let seg = b.get(i + 4..i + 2 + len)?;
                let (precision, nf) = (*seg.first()?, *seg.get(5)?);
                return (precision == 8 && (nf == 1 || nf == 3)).then_some(nf);
            }
            0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF | 0xDA | 0xD9 => return None,
            _ => i += 2 + len,
        }
    }
    None
}

/// An image XObject holding JPEG data as it is (DCTDecode).
fn jpeg_xobject(jpeg: Vec<u8>, w: u32, h: u32, colorspace: &str) -> Prepared {
    let mut dict = image_dict(w, h, colorspace);
    dict.insert("Filter".into(), name("DCTDecode"));
    Prepared {
        xobject: ExternalXObject {
            stream: ExternalStream { dict, content: jpeg, compress: false },
            width: Some(Px(w as usize)),
            height: Some(Px(h as usize)),
            dpi: None,
        },
        width: w,
        height: h,
    }
}

/// Average every `k` × `k` block of pixels into one (area sampling; fast).
fn box_shrink(src: &image::RgbImage, k: u32) -> image::RgbImage {
    let (w, h) = src.dimensions();
    let (ow, oh) = ((w / k).max(1), (h / k).max(1));
    let (k, ow_u, w_u) = (k as usize, ow as usize, w as usize);
    let raw = src.as_raw();
    let mut out = Vec::with_capacity(ow_u * oh as usize * 3);
    let mut sums = vec![0u32; ow_u * 3];
    let div = (k * k) as u32;
    for oy in 0..oh as usize {
        sums.iter_mut().for_each(|s| *s = 0);
        for y in oy * k..((oy + 1) * k).min(h as usize) {
            let row = &raw[y * w_u * 3..(y + 1) * w_u * 3];
            for (ox, block) in row.chunks_exact(3 * k).take(ow_u).enumerate() {
                let s = &mut sums[ox * 3..ox * 3 + 3];
                for px in block.chunks_exact(3) {
                    s[0] += px[0] as u32;
                    s[1] += px[1] as u32;
                    s[2] += px[2] as u32;
                }
            }
        }
        out.extend(sums.iter().map(|s| ((s + div / 2) / div) as u8));
    }
    image::RgbImage::from_raw(ow, oh, out).expect("size matches")
}

/// Downscale to about `max_side` on the long side by averaging whole blocks of
/// pixels (fast even on a 12-megapixel phone photo): the result is 0.75–1.5 ×
/// `max_side`; an image up to 1.5 × `max_side` is kept as it is.
fn shrink(rgb: image::RgbImage, max_side: u32) -> image::RgbImage {
    let (w, h) = rgb.dimensions();
    let side = w.max(h);
    if side * 2 <= max_side * 3 {
        return rgb;
    }
    let k = (side as f64 / max_side as f64).round().max(2.0) as u32;
    box_shrink(&rgb, k)
}

/// Decode, downscale and turn into an image XObject.
pub(crate) fn prepare(bytes: &[u8], kind: ImageKind) -> Result<Prepared, PrintError> {
    let (img, upright) = decode(bytes)?;
    let max_side = match kind {
        ImageKind::Logo => 600,
        ImageKind::Photo => 1400,
    };
    let (w0, h0) = img.dimensions();
    // A decodable 8-bit grey/colour JPEG that needs no downscaling is embedded as
    // it is: no re-encoding (faster, and no second generation loss).
    if kind == ImageKind::Photo && upright && w0.max(h0) * 2 <= max_side * 3 {
        if let Some(nf) = jpeg_components(bytes) {
            let space = if nf == 1 { "DeviceGray" } else { "DeviceRGB" };
            return Ok(jpeg_xobject(bytes.to_vec(), w0, h0, space));
        }
    }
    if kind == ImageKind::Photo {
        // Flatten onto white, shrink, JPEG-encode (quality 85).
        let rgb = if img.color().has_alpha() {
            let rgba = img.to_rgba8();
            let (w, h) = rgba.dimensions();
            let mut rgb = Vec::with_capacity((w * h * 3) as usize);
            for p in rgba.pixels() {
                let [r, g, b, a] = p.0;
                let a = a as u32;
                for c in [r, g, b] {
                    rgb.push(((c as u32 * a + 255 * (255 - a)) / 255) as u8);
                }
            }
            image::RgbImage::from_raw(w, h, rgb).ok_or_else(|| PrintError::Internal("图片尺寸异常".into()))?
        } else {
            img.into_rgb8()
        };
        let rgb = shrink(rgb, max_side);
        let (w, h) = rgb.dimensions();
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
            .encode(rgb.as_raw(), w, h, image::ExtendedColorType::Rgb8)
            .map_err(|e| PrintError::Internal(format!("图片编码失败：{e}")))?;
        return Ok(jpeg_xobject(out, w, h, "DeviceRGB"));
    }
    let img = if w0 > max_side || h0 > max_side {
        img.resize(max_side, max_side, image::imageops::FilterType::Triangle)
    } else {
        img
    };
    let (w, h) = img.dimensions();
    let rgba = img.to_rgba8();
    let opaque = rgba.pixels().all(|p| p.0[3] == 255);

    // Logo: lossless, transparency kept.
    let mut dict = image_dict(w, h, "DeviceRGB");
    let mut rgb = Vec::with_capacity((w * h * 3) as usize);
    let mut alpha = Vec::with_capacity(if opaque { 0 } else { (w * h) as usize });
    for p in rgba.pixels() {
        rgb.extend_from_slice(&p.0[..3]);
        if !opaque {
            alpha.push(p.0[3]);
        }
    }
    if !opaque {
        dict.insert(
            "SMask".into(),
            DictItem::Stream {
                stream: ExternalStream { dict: image_dict(w, h, "DeviceGray"), content: alpha, compress: true },
            },
        );
    }
    Ok(Prepared {
        xobject: ExternalXObject {
            stream: ExternalStream { dict, content: rgb, compress: true },
            width: Some(Px(w as usize)),
            height: Some(Px(h as usize)),
            dpi: None,
        },
        width: w,
        height: h,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(color: image::ExtendedColorType, w: u32, h: u32) -> Vec<u8> {
        let n = match color {
            image::ExtendedColorType::L8 => 1,
            _ => 3,
        };
        let px = vec![120u8; (w * h) as usize * n];
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80).encode(&px, w, h, color).unwrap();
        out
    }

    #[test]
    fn jpeg_passthrough_only_for_plain_8_bit_grey_or_colour() {
        let rgb = encode(image::ExtendedColorType::Rgb8, 40, 30);
        let grey = encode(image::ExtendedColorType::L8, 40, 30);
        assert_eq!(jpeg_components(&rgb), Some(3));
        assert_eq!(jpeg_components(&grey), Some(1));
        // Locate the SOF0 segment and fake CMYK / 12-bit / lossless variants.
        let sof = rgb.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        let mut cmyk = rgb.clone();
        cmyk[sof + 9] = 4;
        assert_eq!(jpeg_components(&cmyk), None);
        let mut deep = rgb.clone();
        deep[sof + 4] = 12;
        assert_eq!(jpeg_components(&deep), None);
        let mut lossless = rgb.clone();
        lossless[sof + 1] = 0xC3;
        assert_eq!(jpeg_components(&lossless), None);
        assert_eq!(jpeg_components(&rgb[..sof]), None);
        assert_eq!(jpeg_components(b"\x89PNG"), None);
        // Embedded as is when small enough, re-encoded when downscaled.
        let p = prepare(&rgb, ImageKind::Photo).unwrap();
        assert_eq!(p.xobject.stream.content, rgb);
        let big = encode(image::ExtendedColorType::Rgb8, 2000, 100);
        assert_eq!(prepare(&big, ImageKind::Photo).unwrap().xobject.stream.content, big);
        let big = encode(image::ExtendedColorType::Rgb8, 4000, 90);
        let p = prepare(&big, ImageKind::Photo).unwrap();
        assert_eq!((p.width, p.height), (1333, 30));
        assert_ne!(p.xobject.stream.content, big);
    }

    #[test]
    fn exif_orientation_is_applied() {
        let jpeg = encode(image::ExtendedColorType::Rgb8, 40, 20);
        // APP1 Exif with Orientation = 6 (rotate 90° clockwise), big-endian TIFF.
        let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
        tiff.extend_from_slice(&[0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0]);
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(&tiff);
        let len = (app1.len() + 2) as u16;
        let mut rotated = jpeg[..2].to_vec();
        rotated.extend_from_slice(&[0xFF, 0xE1]);
        rotated.extend_from_slice(&len.to_be_bytes());
        rotated.extend_from_slice(&app1);
        rotated.extend_from_slice(&jpeg[2..]);
        let p = prepare(&rotated, ImageKind::Photo).unwrap();
        assert_eq!((p.width, p.height), (20, 40), "turned upright");
        assert_ne!(p.xobject.stream.content, rotated, "re-encoded, not passed through");
    }
}

#[cfg(test)]
mod shrink_tests {
    use super::*;

    #[test]
    fn block_average() {
        let img = image::RgbImage::from_fn(6, 4, |x, y| {
            if (x + y) % 2 == 0 {
                image::Rgb([0, 100, 255])
            } else {
                image::Rgb([255, 100, 0])
            }
        });
        let s = box_shrink(&img, 2);
        assert_eq!(s.dimensions(), (3, 2));
        assert!(s.pixels().all(|p| p.0 == [128, 100, 128]), "{:?}", s);
        assert_eq!(shrink(img.clone(), 4).dimensions(), (6, 4));
        assert_eq!(shrink(img, 2).dimensions(), (2, 1));
    }
}
