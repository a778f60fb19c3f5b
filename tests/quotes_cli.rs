//! `said:`, `quote:` and `--quotes` end to end through the binaries.

use std::process::Command;

use serde_json::Value;

fn index() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).expect("corpus dir");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/syria-moscow.txt"),
        corpus.join("syria-moscow.txt"),
    )
    .expect("seed story");
    std::fs::write(
        corpus.join("other.txt"),
        "Headline: Talks in Geneva\nDate: 2013-01-20\n\nGENEVA (AP) — Envoy Lakhdar Brahimi met diplomats on Sunday.\n\n“Assad must listen to his people,” Brahimi said. Foreign Minister Sergey Lavrov stayed in Moscow.\n",
    )
    .expect("second story");
    let status = Command::new(env!("CARGO_BIN_EXE_dateline-index"))
        .arg("--index")
        .arg(dir.path().join("index"))
        .arg(&corpus)
        .arg("--quiet")
        .status()
        .expect("indexer runs");
    assert!(status.success());
    dir
}

fn dateline(dir: &tempfile::TempDir, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dateline"))
        .arg("--index")
        .arg(dir.path().join("index"))
        .args(args)
        .output()
        .expect("dateline runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn said_finds_stories_by_any_name_and_quote_scopes_to_one_quotation() {
    let dir = index();
    // Lavrov is quoted in the seed story only; the other story names him.
    assert_eq!(dateline(&dir, &["--count", "said:Lavrov"]).1.trim(), "1");
    // The seed calls him Lavrov only; the archive knows him as Sergey
    // Lavrov from the other story, and his quotations carry that identity.
    assert_eq!(
        dateline(&dir, &["--count", "said:\"Sergey Lavrov\""])
            .1
            .trim(),
        "1"
    );
    let (_, out) = dateline(
        &dir,
        &["--quotes", "--json", "said:\"Sergey Lavrov\" quote:Assad"],
    );
    let quotes: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert!(!quotes.is_empty(), "{out}");
    for q in &quotes {
        assert_eq!(q["speaker"], "Sergey Lavrov", "{q}");
        assert!(
            q["speaker_id"].as_str().is_some_and(|id| !id.is_empty()),
            "{q}"
        );
    }
    assert_eq!(dateline(&dir, &["--count", "said:Brahimi"]).1.trim(), "2");
    assert_eq!(
        dateline(&dir, &["--count", "said:\"Lakhdar Brahimi\""])
            .1
            .trim(),
        "2"
    );
    // Brahimi's quotation in the second story names Assad; none of his in
    // the seed story does, though Lavrov's there do.
    let (_, out) = dateline(&dir, &["--json", "said:Brahimi quote:Assad"]);
    let ids: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(ids.len(), 1, "{out}");
    assert_eq!(ids[0]["headline"], "Talks in Geneva");
    assert_eq!(
        dateline(&dir, &["--count", "said:Lavrov quote:Assad"])
            .1
            .trim(),
        "1"
    );
    assert_eq!(
        dateline(&dir, &["--count", "said:Mirsky quote:Damascus"])
            .1
            .trim(),
        "0"
    );
}

#[test]
fn quotes_mode_prints_quotations_in_date_order() {
    let dir = index();
    let (code, out) = dateline(&dir, &["--quotes", "--json", "said:Brahimi", "-n", "50"]);
    assert_eq!(code, 0);
    let quotes: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(quotes.len() >= 4, "{out}");
    for q in &quotes {
        assert_eq!(q["speaker"], "Lakhdar Brahimi", "{q}");
        assert!(q["text"].as_str().is_some_and(|t| !t.is_empty()));
    }
    // Dated story first, undated last (oldest first by default).
    assert_eq!(quotes[0]["date"], "2013-01-20");
    // Free words are searched inside the quotations, and highlighted.
    let (_, out) = dateline(&dir, &["--quotes", "--json", "said:Lavrov weapons"]);
    let quotes: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!quotes.is_empty());
    for q in &quotes {
        let text = q["text"].as_str().unwrap();
        assert!(text.to_lowercase().contains("weapon"), "{text}");
        let [s, e] =
            [&q["highlights"][0][0], &q["highlights"][0][1]].map(|v| v.as_u64().unwrap() as usize);
        assert!(text[s..e].to_lowercase().starts_with("weapon"));
    }
    let (_, human) = dateline(&dir, &["--quotes", "--color", "never", "said:Mirsky"]);
    assert!(human.contains("Georgy Mirsky"), "{human}");
    assert!(human.contains("id: syria-moscow-"), "{human}");
}

#[test]
fn speaker_facet_and_article_json_carry_quotations() {
    let dir = index();
    let (_, out) = dateline(&dir, &["--json", "--facets", "speaker", "said:Brahimi"]);
    let last: Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    let speakers = &last["facets"]["speaker"];
    assert_eq!(speakers[0]["value"], "Lakhdar Brahimi", "{last}");
    assert_eq!(speakers[0]["count"], 2, "{last}");
    let first: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert!(first["quotes"].as_array().is_some_and(|q| !q.is_empty()));
    // A quotation-level query that does not parse is an error, not zero.
    let (code, _) = dateline(&dir, &["--quotes", "said:"]);
    assert_eq!(code, 2);
}

#[test]
fn a_clause_reported_in_the_lead_leaves_out_the_dateline() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("lead.txt"),
        "Former mayor charged\n\nALBUQUERQUE, N.M. (AP) — A former mayor was charged on Wednesday with taking bribes, federal prosecutors said.\n",
    )
    .expect("story");
    let out = Command::new(env!("CARGO_BIN_EXE_dateline-index"))
        .arg("--dump")
        .arg(dir.path())
        .output()
        .expect("indexer runs");
    assert!(out.status.success());
    let story: Value = serde_json::from_slice(&out.stdout).expect("one JSON story");
    let q = &story["quotes"][0];
    let text = q["text"].as_str().expect("a reported clause");
    assert!(text.starts_with("A former mayor was charged"), "{text}");
    let body = story["body"].as_str().unwrap();
    let (start, end) = (q["start"].as_u64().unwrap(), q["end"].as_u64().unwrap());
    assert!(body[start as usize..end as usize].starts_with("A former mayor"));
}
