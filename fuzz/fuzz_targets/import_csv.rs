//! A CSV file as the user picks it for import (UTF-8 with or without BOM, GBK, tabs):
//! read, previewed and imported as each table. See `outreach_fuzz::sheet`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| outreach_fuzz::sheet(false, data));
