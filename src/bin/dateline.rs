//! `dateline`: search a wire-story index from the command line.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use dateline::index::store::{IndexHandle, OpenError};
use dateline::ingest::{self, Options, StderrObserver};
use dateline::print::{self, human::Style, ColorChoice};
use dateline::search::{self, query::SYNTAX, Request, SearchError, Sort};

/// Search wire stories by words, phrases, people, places, topics and dates.
#[derive(Parser)]
#[command(version, about, after_help = format!("Query syntax:\n{SYNTAX}"))]
struct Args {
    /// The query (its words are joined with spaces).
    #[arg(required_unless_present = "show")]
    query: Vec<String>,
    /// The index folder; the default `index` is built from `corpus/` on first use.
    #[arg(long)]
    index: Option<PathBuf>,
    /// How many stories to show.
    #[arg(short = 'n', long, default_value_t = 10)]
    limit: usize,
    /// Skip this many stories first (for paging).
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// One JSON object per hit (JSON Lines), for scripts.
    #[arg(long)]
    json: bool,
    /// Print only the number of matching stories.
    #[arg(long)]
    count: bool,
    /// Count the top values of these fields over all matches: person, place, org, topic, dateline, year, month, speaker.
    #[arg(long, value_delimiter = ',')]
    facets: Vec<String>,
    /// Order of the hits (default: relevance; with --quotes, oldest first).
    #[arg(long, value_enum)]
    sort: Option<SortArg>,
    /// Only stories on or after this date (2012, 2012-12, 2012-12-29).
    #[arg(long)]
    from: Option<String>,
    /// Only stories on or before this date (through its last day).
    #[arg(long)]
    to: Option<String>,
    /// Snippet passages per hit.
    #[arg(long, default_value_t = 3)]
    passages: usize,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
    /// Print the matching quotations, not the stories: speaker, date,
    /// dateline, the quotation and the story id (with --json, one object
    /// per quotation). -n and --offset count quotations.
    #[arg(long, conflicts_with_all = ["count", "show"])]
    quotes: bool,
    /// Print one whole story by its id.
    #[arg(long, value_name = "ID", conflicts_with_all = ["count", "facets"])]
    show: Option<String>,
    /// With --show: list the story's versions (write-thrus, updates,
    /// corrections, duplicates) and what changed between them.
    #[arg(long, requires = "show")]
    versions: bool,
    /// Show and count every version of a story, not one hit per story.
    #[arg(long)]
    all_versions: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum SortArg {
    Relevance,
    Newest,
    Oldest,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

/// Exit status for a query that cannot be understood.
const BAD_QUERY: u8 = 2;

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dateline: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let handle = match open_index(args.index.as_deref()) {
        Ok(h) => h,
        Err(message) => {
            eprintln!("dateline: {message}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let stdout = std::io::stdout();
    let is_terminal = stdout.is_terminal();
    let mut out = BufWriter::new(stdout.lock());
    let style = Style {
        color: match args.color {
            ColorArg::Auto => ColorChoice::Auto,
            ColorArg::Always => ColorChoice::Always,
            ColorArg::Never => ColorChoice::Never,
        }
        .enabled(is_terminal),
    };

    if let (Some(id), true) = (&args.show, args.versions) {
        let Some(hits) = search::versions(&handle, id)? else {
            eprintln!("dateline: no story with id {id:?}");
            return Ok(ExitCode::FAILURE);
        };
        if args.json {
            print::json::versions(&mut out, &hits)?;
        } else {
            print::human::versions(&mut out, &hits, style)?;
        }
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(id) = &args.show {
        return match search::show(&handle, id)? {
            Some(a) if args.json => {
                print::json::article(&mut out, &a)?;
                out.flush()?;
                Ok(ExitCode::SUCCESS)
            }
            Some(a) => {
                print::human::article(&mut out, &a, style)?;
                out.flush()?;
                Ok(ExitCode::SUCCESS)
            }
            None => {
                eprintln!("dateline: no story with id {id:?}");
                Ok(ExitCode::FAILURE)
            }
        };
    }

    let query = args.query.join(" ");
    let request = Request {
        query: query.clone(),
        limit: args.limit,
        offset: args.offset,
        sort: match args.sort {
            Some(SortArg::Relevance) => Sort::Relevance,
            Some(SortArg::Newest) => Sort::Newest,
            Some(SortArg::Oldest) => Sort::Oldest,
            None if args.quotes => Sort::Oldest,
            None => Sort::Relevance,
        },
        from: args.from.clone(),
        to: args.to.clone(),
        facets: args
            .facets
            .iter()
            .map(|f| f.trim().to_lowercase())
            .filter(|f| !f.is_empty())
            .collect(),
        passages: args.passages,
        count_only: args.count,
        all_versions: args.all_versions,
    };
    if args.quotes {
        let results = match search::quotes::quotes(&handle, &request) {
            Ok(r) => r,
            Err(e) => return bad_request(e, &query),
        };
        if args.json {
            print::json::quotes(&mut out, &results)?;
            if !results.facets.is_empty() {
                print::json::quote_facets(&mut out, &results)?;
            }
        } else {
            print::human::quotes(&mut out, &results, args.offset, style)?;
            if !results.facets.is_empty() {
                writeln!(out)?;
                print::human::facet_table(&mut out, &results.facets, style)?;
            }
        }
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let results = match search::search(&handle, &request) {
        Ok(r) => r,
        Err(SearchError::Query(e)) => {
            eprintln!(
                "dateline: bad query: {} (column {})",
                e.message,
                e.column(&query)
            );
            if std::io::stderr().is_terminal() {
                eprintln!("  {}", e.caret(&query).replace('\n', "\n  "));
            }
            return Ok(ExitCode::from(BAD_QUERY));
        }
        Err(e @ (SearchError::BadDate(_) | SearchError::UnknownFacet(_))) => {
            eprintln!("dateline: {e}");
            return Ok(ExitCode::from(BAD_QUERY));
        }
        Err(e) => return Err(e.into()),
    };

    if args.count {
        writeln!(out, "{}", results.total)?;
    } else if args.json {
        print::json::hits(&mut out, &results)?;
    } else {
        print::human::hits(&mut out, &results, args.offset, style)?;
    }
    if !results.facets.is_empty() {
        if args.json {
            print::json::facets(&mut out, &results)?;
        } else {
            if !args.count {
                writeln!(out)?;
            }
            print::human::facets(&mut out, &results, style)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Reports a failed quotation search: status 2 for a bad query or
/// request, an error otherwise.
fn bad_request(e: SearchError, query: &str) -> anyhow::Result<ExitCode> {
    match e {
        SearchError::Query(e) => {
            eprintln!(
                "dateline: bad query: {} (column {})",
                e.message,
                e.column(query)
            );
            if std::io::stderr().is_terminal() {
                eprintln!("  {}", e.caret(query).replace('\n', "\n  "));
            }
            Ok(ExitCode::from(BAD_QUERY))
        }
        e @ (SearchError::BadDate(_) | SearchError::UnknownFacet(_)) => {
            eprintln!("dateline: {e}");
            Ok(ExitCode::from(BAD_QUERY))
        }
        e => Err(e.into()),
    }
}

/// Opens the index; the default one is built from `corpus/` when missing.
fn open_index(explicit: Option<&Path>) -> Result<IndexHandle, String> {
    let dir = explicit.unwrap_or(Path::new("index"));
    match IndexHandle::open(dir) {
        Ok(h) => Ok(h),
        Err(OpenError::Missing(_)) if explicit.is_none() && Path::new("corpus").is_dir() => {
            eprintln!("dateline: no index yet; building index/ from corpus/ (once) …");
            let opts = Options {
                index_dir: dir.to_path_buf(),
                ..Options::default()
            };
            let summary = ingest::index(&[PathBuf::from("corpus")], &opts, &StderrObserver)
                .map_err(|e| format!("building the index failed: {e:#}"))?;
            eprintln!(
                "dateline: indexed {} stories from {} files in {:.1} s",
                summary.stories,
                summary.files,
                summary.elapsed.as_secs_f64()
            );
            IndexHandle::open(dir).map_err(|e| e.to_string())
        }
        Err(e) => Err(e.to_string()),
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
