//! Every reader, on any bytes. The first byte picks the file name, so one
//! target reaches text, JSON, JSON Lines, SGML, NITF and gzip; the rest is
//! the file. Readers must never panic, whatever the content.
#![no_main]

use std::sync::OnceLock;

use dateline::read::{read_bytes, read_file, Limits};
use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &[
    "a.txt",
    "a.json",
    "a.jsonl",
    "a.sgm",
    "a.xml",
    "a.txt.gz",
    "a.json.gz",
    "a",
];

/// Small limits, so the caps are exercised too.
const LIMITS: Limits = Limits {
    max_file_bytes: 1 << 16,
    max_story_bytes: 1 << 12,
};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, data)) = data.split_first() else {
        return;
    };
    let name = NAMES[pick as usize % NAMES.len()];
    if name.ends_with(".gz") {
        // Decompression lives in the file path: go through a real file.
        static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
        let dir = DIR.get_or_init(|| tempfile::tempdir().unwrap());
        let path = dir.path().join(name);
        std::fs::write(&path, data).unwrap();
        let _ = read_file(&path, name, &LIMITS);
    } else {
        let _ = read_bytes(data, name, name, &LIMITS);
    }
});
