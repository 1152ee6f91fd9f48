//! An image file as a session photo and as the organiser's logo (both end up in PDFs).
//! See `outreach_fuzz::image`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| outreach_fuzz::image(data));
