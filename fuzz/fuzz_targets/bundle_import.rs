//! A hand-over bundle file (or, starting with `{`, a bundle body sealed by the harness):
//! previewed and imported. See `outreach_fuzz::bundle`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| outreach_fuzz::bundle(data));
