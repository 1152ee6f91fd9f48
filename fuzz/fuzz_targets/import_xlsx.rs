//! A workbook (.xlsx and the other formats calamine reads) as the user picks it for
//! import: read, previewed and imported as each table. See `outreach_fuzz::sheet`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| outreach_fuzz::sheet(true, data));
