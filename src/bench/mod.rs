//! The benchmark behind `dateline-bench`: Dateline's full pipeline measured
//! against raw tantivy over the same text, in the same run.
//!
//! The corpus is read once into [`RawStory`] records; `--scale N` replays
//! them N times under fresh ids ([`scaled`]) without holding N copies, so
//! memory figures measure the pipeline and not the benchmark's corpus.
//!
//! Every figure is one JSON object on its own line ([`Figure`]).

pub mod indexers;
pub mod queries;
pub mod views;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use crate::read::{self, walk, Limits, RawStory};

/// One line of output: `{"figure": name, ...fields}`.
pub struct Figure(Map<String, Value>);

impl Figure {
    /// A figure with its name.
    pub fn new(name: &str) -> Figure {
        let mut m = Map::new();
        m.insert("figure".into(), Value::from(name));
        Figure(m)
    }

    /// Adds a field; floats keep 5 significant digits so the lines stay
    /// readable (non-finite ones become null).
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Figure {
        let v = match value.into() {
            Value::Number(n) if n.is_f64() => {
                let f = n.as_f64().unwrap_or(0.0);
                format!("{f:.4e}")
                    .parse::<f64>()
                    .map_or(Value::Null, Value::from)
            }
            v => v,
        };
        self.0.insert(key.into(), v);
        self
    }

    /// The JSON line (without the newline).
    pub fn line(&self) -> String {
        Value::Object(self.0.clone()).to_string()
    }

    /// Parses a line a child phase printed back into a figure.
    pub fn parse(line: &str) -> Option<Figure> {
        match serde_json::from_str(line).ok()? {
            Value::Object(m) => Some(Figure(m)),
            _ => None,
        }
    }

    /// A numeric field, for ratios between figures.
    pub fn get(&self, key: &str) -> Option<f64> {
        self.0.get(key)?.as_f64()
    }
}

/// The corpus as read by the project's readers.
pub struct Corpus {
    pub stories: Vec<RawStory>,
    pub files: usize,
    /// Problems the readers reported (counted, not printed).
    pub problems: usize,
    pub read_time: Duration,
}

impl Corpus {
    /// Bytes of headline and body text: what both indexers analyse, and
    /// the basis of every MB/s figure.
    pub fn text_bytes(&self) -> u64 {
        self.stories.iter().map(text_bytes).sum()
    }
}

/// Headline plus body bytes of a story.
pub fn text_bytes(s: &RawStory) -> u64 {
    (s.headline.as_deref().map_or(0, str::len) + s.body.len()) as u64
}

/// Reads every file under `dir` into stories, the way `dateline-index`
/// would (same walker, readers and limits), on this thread.
pub fn load_corpus(dir: &Path) -> Corpus {
    let started = Instant::now();
    let (files, walk_problems) = walk::files(&[dir.to_path_buf()], false);
    let limits = Limits::default();
    let mut stories = Vec::new();
    let mut problems = walk_problems.len();
    for path in &files {
        let key = crate::ingest::display_path(path);
        let read = read::read_file(path, &key, &limits);
        problems += read.problems.len();
        stories.extend(read.stories);
    }
    Corpus {
        stories,
        files: files.len(),
        problems,
        read_time: started.elapsed(),
    }
}

/// The story of repetition `rep`: the first repetition is the story
/// itself; later ones get `#rep{k}` appended to their id and path, so that
/// each is a distinct document (ids are derived from paths when the source
/// gives none).
pub fn repeat(story: &RawStory, rep: usize) -> RawStory {
    let mut s = story.clone();
    if rep > 0 {
        s.id = s.id.map(|id| format!("{id}#rep{rep}"));
        s.path = format!("{}#rep{rep}", s.path);
    }
    s
}

/// The corpus `scale` times over, each repetition under fresh ids, made
/// lazily so that only one copy of the corpus is ever in memory.
pub fn scaled(stories: &[RawStory], scale: usize) -> impl Iterator<Item = RawStory> + '_ {
    (0..scale).flat_map(move |rep| stories.iter().map(move |s| repeat(s, rep)))
}

/// The `p`th percentile (0–100) of `samples` by the nearest-rank method:
/// the smallest sample with at least p% of the samples at or below it.
/// Sorts `samples`; 0 when there are none.
pub fn percentile(samples: &mut [f64], p: f64) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    samples.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * samples.len() as f64).ceil() as usize;
    samples[rank.clamp(1, samples.len()) - 1]
}

/// The process's peak resident memory so far (VmHWM), in bytes; 0 where
/// /proc is missing.
pub fn peak_rss_bytes() -> u64 {
    proc_status_kb("VmHWM:") * 1024
}

/// The process's resident memory now (VmRSS), in bytes.
pub fn rss_bytes() -> u64 {
    proc_status_kb("VmRSS:") * 1024
}

/// CPU time (user + system, all threads) this process has used, from
/// /proc/self/stat; on a shared machine CPU time is steadier than wall
/// time. Assumes the usual 100 clock ticks a second.
pub fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold
    // spaces: state is the first, utime the 12th and stime the 13th.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i)?.parse::<u64>().ok())
        .sum();
    Duration::from_millis(ticks * 10)
}

fn proc_status_kb(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Bytes on disk of every file under `dir`.
pub fn dir_bytes(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

/// A fresh folder for this run's indexes under the system temp folder.
pub fn fresh_temp_dir() -> std::io::Result<PathBuf> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let dir = std::env::temp_dir().join(format!("dateline-bench-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Counts tokens the way the tagger figure does, independent of any
/// tokenizer under test: each run of alphanumeric characters is a token,
/// and so is each other non-whitespace character (punctuation).
pub fn count_tokens(text: &str) -> usize {
    let mut n = 0;
    let mut in_word = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if !in_word {
                n += 1;
                in_word = true;
            }
        } else {
            in_word = false;
            if !c.is_whitespace() {
                n += 1;
            }
        }
    }
    n
}

/// The text the pipeline gives the tagger: headline and body joined by a
/// blank line.
pub fn tagger_text(s: &RawStory) -> String {
    match &s.headline {
        Some(h) => format!("{h}\n\n{}", s.body),
        None => s.body.clone(),
    }
}

/// What [`tag_corpus`] measured.
pub struct TaggerRun {
    pub tokens: usize,
    pub mentions: usize,
    /// A hash of every mention (story, kind, byte span), so two builds can
    /// be checked to tag alike; see [`mention_checksum`].
    pub checksum: u64,
    /// Wall time.
    pub elapsed: Duration,
    /// The process's CPU time over the same span; the tagger runs on this
    /// thread alone, so it is the tagger's, and it does not count the
    /// time other work on a shared machine took the core away.
    pub cpu: Duration,
}

/// Runs the shipped tagger over every story on this thread.
pub fn tag_corpus(stories: &[RawStory]) -> TaggerRun {
    let tagger = crate::enrich::ner::Tagger::shipped();
    let texts: Vec<String> = stories.iter().map(tagger_text).collect();
    let tokens = texts.iter().map(|t| count_tokens(t)).sum();
    let (started, cpu) = (Instant::now(), cpu_time());
    let (mut mentions, mut sum) = (0, MentionChecksum::default());
    for (i, t) in texts.iter().enumerate() {
        let found = tagger.mentions(t);
        mentions += found.len();
        sum.add(i, &found);
    }
    TaggerRun {
        tokens,
        mentions,
        checksum: sum.0,
        elapsed: started.elapsed(),
        cpu: cpu_time().saturating_sub(cpu),
    }
}

/// FNV-1a over every mention in order (story number, kind, start, end):
/// two runs agree on it when, barring a clash, they found the same
/// mentions. The text is not hashed: the span fixes it.
pub struct MentionChecksum(pub u64);

impl Default for MentionChecksum {
    fn default() -> Self {
        MentionChecksum(0xcbf2_9ce4_8422_2325)
    }
}

impl MentionChecksum {
    /// Adds the mentions found in story number `story`.
    pub fn add(&mut self, story: usize, found: &[crate::enrich::ner::Mention]) {
        for m in found {
            for x in [story, m.kind as usize, m.start, m.end] {
                for b in (x as u64).to_le_bytes() {
                    self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        let mut s: Vec<f64> = (1..=100).rev().map(f64::from).collect();
        assert_eq!(percentile(&mut s, 50.0), 50.0);
        assert_eq!(percentile(&mut s, 95.0), 95.0);
        assert_eq!(percentile(&mut s, 99.0), 99.0);
        assert_eq!(percentile(&mut s, 100.0), 100.0);
        assert_eq!(percentile(&mut s, 0.0), 1.0);
        let mut few = vec![3.0, 1.0, 2.0];
        assert_eq!(percentile(&mut few, 50.0), 2.0);
        assert_eq!(percentile(&mut few, 99.0), 3.0);
        assert_eq!(percentile(&mut [], 50.0), 0.0);
    }

    #[test]
    fn repetitions_get_fresh_ids_and_paths() {
        let with_id = RawStory {
            id: Some("17".into()),
            path: "r/reut2-000.sgm#3".into(),
            ..RawStory::default()
        };
        let without = RawStory {
            path: "c/a.txt".into(),
            ..RawStory::default()
        };
        let stories = vec![with_id.clone(), without.clone()];
        let all: Vec<RawStory> = scaled(&stories, 3).collect();
        assert_eq!(all.len(), 6);
        // The first repetition is the corpus itself.
        assert_eq!(all[0], with_id);
        assert_eq!(all[1], without);
        assert_eq!(all[2].id.as_deref(), Some("17#rep1"));
        assert_eq!(all[2].path, "r/reut2-000.sgm#3#rep1");
        assert_eq!(all[3].id, None);
        assert_eq!(all[5].path, "c/a.txt#rep2");
        // Every enriched id is distinct, derived ones included.
        let ids: std::collections::HashSet<String> = all
            .into_iter()
            .map(|s| crate::enrich::enrich(s).id)
            .collect();
        assert_eq!(ids.len(), 6);
    }

    #[test]
    fn tokens_are_words_and_punctuation() {
        assert_eq!(count_tokens("TOKYO, March 3 - U.S. oil's up."), 14);
        assert_eq!(count_tokens("  "), 0);
    }
}
