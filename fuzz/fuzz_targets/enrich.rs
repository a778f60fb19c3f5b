//! Reading and then enriching (dateline, people, places, organisations,
//! topics): what the indexer does with every story it reads.
#![no_main]

use dateline::read::{read_bytes, Limits};
use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &["a.txt", "a.jsonl", "a.sgm", "a.xml"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, data)) = data.split_first() else {
        return;
    };
    let name = NAMES[pick as usize % NAMES.len()];
    let limits = Limits {
        max_file_bytes: 1 << 16,
        max_story_bytes: 1 << 12,
    };
    for story in read_bytes(data, name, name, &limits).stories {
        let _ = dateline::enrich::enrich(story);
    }
});
