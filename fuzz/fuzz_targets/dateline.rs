//! The dateline parser, on leads and on markup fields.
#![no_main]

use dateline::enrich::dateline::{parse_field, parse_lead};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    if let Some(p) = parse_lead(&s) {
        // `end` is where the story proper starts: callers slice the lead there.
        assert!(
            p.end <= s.len() && s.is_char_boundary(p.end),
            "end {}",
            p.end
        );
        let _ = &s[p.end..];
    }
    let _ = parse_field(&s);
});
