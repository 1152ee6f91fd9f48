//! Errors of the print crate, each with a stable machine-readable code.

/// Everything that can go wrong while rendering a document.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    /// The bytes are not a PNG, JPEG or WebP image, or cannot be decoded.
    #[error("图片无效：{0}")]
    ImageInvalid(String),
    /// The image is larger than the allowed file size or pixel count.
    #[error("图片过大：{0}")]
    ImageTooLarge(String),
    /// The progress callback asked to stop.
    #[error("已取消生成")]
    Cancelled,
    /// The embedded font could not be loaded.
    #[error("字体加载失败：{0}")]
    Font(String),
    /// Anything else (should not happen).
    #[error("生成PDF时出现内部错误：{0}")]
    Internal(String),
}

impl PrintError {
    /// Stable error code for the UI and logs.
    pub fn code(&self) -> &'static str {
        match self {
            PrintError::ImageInvalid(_) => "print.image_invalid",
            PrintError::ImageTooLarge(_) => "print.image_too_large",
            PrintError::Cancelled => "print.cancelled",
            PrintError::Font(_) => "print.font",
            PrintError::Internal(_) => "print.internal",
        }
    }
}
