//! Logo/photo validation and embedding (PNG, JPEG, WebP).

use std::collections::BTreeMap;
use std::io::Cursor;

use image::{DynamicImage, GenericImageView, ImageFormat, ImageReader, Limits};
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
    /// Photo: JPEG, at most 1,400 px on the long side.
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
        _ => Err(PrintError::ImageInvalid(
            "不是 PNG、JPEG 或 WebP 格式的图片".into(),
        )),
    }
}

fn decode(bytes: &[u8]) -> Result<DynamicImage, PrintError> {
    let format = sniff(bytes)?;
    let corrupt = || PrintError::ImageInvalid("图片文件已损坏，无法读取".into());
    let (w, h) = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(|_| corrupt())?;
    if w == 0 || h == 0 {
        return Err(corrupt());
    }
    if w as u64 * h as u64 > MAX_IMAGE_PIXELS {
        return Err(PrintError::ImageTooLarge(format!(
            "{w}×{h} 像素，超过 {} 万像素上限",
            MAX_IMAGE_PIXELS / 10_000
        )));
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(w);
    limits.max_image_height = Some(h);
    limits.max_alloc = Some(MAX_IMAGE_PIXELS * 8 + (64 << 20));
    reader.limits(limits);
    reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => PrintError::ImageTooLarge("图片解码所需内存过大".into()),
        _ => corrupt(),
    })
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

/// Decode, downscale and turn into an image XObject.
pub(crate) fn prepare(bytes: &[u8], kind: ImageKind) -> Result<Prepared, PrintError> {
    let img = decode(bytes)?;
    let max_side = match kind {
        ImageKind::Logo => 600,
        ImageKind::Photo => 1400,
    };
    let (w0, h0) = img.dimensions();
    let img = if w0 > max_side || h0 > max_side {
        img.resize(max_side, max_side, image::imageops::FilterType::Triangle)
    } else {
        img
    };
    let (w, h) = img.dimensions();
    let rgba = img.to_rgba8();
    let opaque = rgba.pixels().all(|p| p.0[3] == 255);

    let mut dict = image_dict(w, h, "DeviceRGB");
    let (content, compress) = if kind == ImageKind::Photo {
        // Flatten onto white, JPEG-encode.
        let mut rgb = Vec::with_capacity((w * h * 3) as usize);
        for p in rgba.pixels() {
            let [r, g, b, a] = p.0;
            let a = a as u32;
            for c in [r, g, b] {
                rgb.push(((c as u32 * a + 255 * (255 - a)) / 255) as u8);
            }
        }
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
            .encode(&rgb, w, h, image::ExtendedColorType::Rgb8)
            .map_err(|e| PrintError::Internal(format!("图片编码失败：{e}")))?;
        dict.insert("Filter".into(), name("DCTDecode"));
        (out, false)
    } else {
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
                    stream: ExternalStream {
                        dict: image_dict(w, h, "DeviceGray"),
                        content: alpha,
                        compress: true,
                    },
                },
            );
        }
        (rgb, true)
    };
    Ok(Prepared {
        xobject: ExternalXObject {
            stream: ExternalStream {
                dict,
                content,
                compress,
            },
            width: Some(Px(w as usize)),
            height: Some(Px(h as usize)),
            dpi: None,
        },
        width: w,
        height: h,
    })
}
