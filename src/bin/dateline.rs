//! `dateline`: search a wire-story index from the command line.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, ValueEnum};
use dateline::archive::identities::Book;
use dateline::index::store::{IndexHandle, OpenError};
use dateline::ingest::{self, Options, StderrObserver};
use dateline::print::{self, human::Style, ColorChoice};
use dateline::search::{self, query::SYNTAX, Backend, Request, SearchError, Sort};
use dateline::solr::Solr;
use dateline::views::{self, Limit};

/// Search wire stories by words, phrases, people, places, topics and dates.
#[derive(Parser)]
#[command(version, about, after_help = format!("Query syntax:\n{SYNTAX}\n{EXIT_STATUS}"))]
struct Args {
    /// The query (its words are joined with spaces).
    #[arg(required_unless_present_any = ["show", "people", "orgs", "generate", "queries", "timeline", "network", "kwic", "csv", "from", "to"])]
    query: Vec<String>,
    /// The index folder; the default `index` is built from `corpus/` on first use.
    #[arg(long)]
    index: Option<PathBuf>,
    /// How many stories to show (10), edges (50) or concordance lines (all); `all` for no cap.
    #[arg(short = 'n', long, value_name = "N|all")]
    limit: Option<Limit>,
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
    /// Count the matching stories per period, as a bar chart (--json, --csv for scripts).
    #[arg(long, value_enum, value_name = "PERIOD", conflicts_with_all = ["network", "kwic", "show"])]
    timeline: Option<PeriodArg>,
    /// With --timeline: give each count as a share of all stories in its period too.
    #[arg(long, requires = "timeline")]
    normalize: bool,
    /// With --timeline: draw it to this SVG file, one line per query label.
    #[arg(long, value_name = "FILE.svg", requires = "timeline")]
    plot: Option<PathBuf>,
    /// Run the queries of FILE, one a line (`label<TAB>query`), with --count or --timeline.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["network", "kwic", "show"])]
    queries: Option<PathBuf>,
    /// Co-mention network of the matches: person, org, place, or a list (person,org).
    #[arg(long, value_name = "KINDS", conflicts_with_all = ["kwic", "show"])]
    network: Option<String>,
    /// With --network: the lightest edge kept (stories that mention both).
    #[arg(long, value_name = "N", default_value_t = 1, requires = "network")]
    min_weight: u64,
    /// With --network: write it as GEXF (for Gephi) on stdout.
    #[arg(long, requires = "network", conflicts_with_all = ["graphml", "json", "csv"])]
    gexf: bool,
    /// With --network: write it as GraphML on stdout.
    #[arg(long, requires = "network", conflicts_with_all = ["json", "csv"])]
    graphml: bool,
    /// Concordance: every occurrence of a word or phrase in the matching stories.
    #[arg(long, value_name = "TERM", conflicts_with = "show")]
    kwic: Option<String>,
    /// With --kwic: characters of context on each side.
    #[arg(long, value_name = "N", default_value_t = 40, requires = "kwic")]
    width: usize,
    /// CSV on stdout: every match as a row (see --fields), or the view's table.
    #[arg(long, conflicts_with_all = ["json", "show"])]
    csv: bool,
    /// With --csv: the columns of each story (id,path,date,headline,dateline,dateline_place,dateline_country,agency,people,person_ids,places,countries,orgs,topics,byline,source,format,kind,codes,lead,body).
    #[arg(long, value_name = "LIST", requires = "csv")]
    fields: Option<String>,
    /// Print the matching quotations, not the stories: speaker, date,
    /// dateline, the quotation and the story id (with --json, one object
    /// per quotation). -n and --offset count quotations.
    #[arg(long, conflicts_with_all = ["count", "show"])]
    quotes: bool,
    /// Print one whole story by its id.
    #[arg(long, value_name = "ID", conflicts_with_all = ["count", "facets"])]
    show: Option<String>,
    /// Exit with status 0, not 1, when no story matches (for scripts).
    #[arg(long)]
    allow_no_match: bool,
    /// Print shell completions or the man page to stdout and exit.
    #[arg(long, value_enum, value_name = "WHAT")]
    generate: Option<Generate>,
    /// List the people (identities) a name matches, with story counts; an
    /// id or a single match prints the identity's card.
    #[arg(long, value_name = "NAME", conflicts_with_all = ["count", "facets", "show"])]
    people: Option<String>,
    /// List the organisations (identities) a name matches, with story
    /// counts; an id (o-…) or a single match prints the identity's card.
    #[arg(long, value_name = "NAME", conflicts_with_all = ["count", "facets", "show", "people"])]
    orgs: Option<String>,
    /// Identity corrections (merge, split, rename, not-person, not-org;
    /// p-/o- ids say whose); default: corrections.txt in the index folder.
    #[arg(long, value_name = "FILE")]
    corrections: Option<PathBuf>,
    /// With --show: list the story's versions (write-thrus, updates,
    /// corrections, duplicates) and what changed between them.
    #[arg(long, requires = "show")]
    versions: bool,
    /// Show, count and export every version of a story, not each story once
    /// (also in the views).
    #[arg(long)]
    all_versions: bool,
    /// Search a SolrCloud collection instead of --index:
    /// http[s]://[user:pass@]host:port/solr[/COLLECTION] (default collection `dateline`).
    #[arg(long, value_name = "URL", conflicts_with = "index")]
    solr: Option<String>,
}

/// What `--generate` prints.
#[derive(Clone, Copy, ValueEnum)]
enum Generate {
    Bash,
    Zsh,
    Fish,
    /// The man page (roff), for `man -l` or a `man1` folder.
    Man,
}

const EXIT_STATUS: &str = "\
Exit status: 0 when a story matches, 1 when none does (or --show finds no
such id; --allow-no-match makes that 0), 2 for a bad query or any error.";

#[derive(Clone, Copy, ValueEnum)]
enum PeriodArg {
    Day,
    Week,
    Month,
    Year,
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

/// Exit status for a bad query and for every other error (as ripgrep's).
const ERROR: u8 = 2;
/// Exit status when nothing matches.
const NO_MATCH: u8 = 1;

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dateline: {e:#}");
            ExitCode::from(ERROR)
        }
    }
}

/// Prints completions for a shell, or the man page.
fn generate(what: Generate) -> anyhow::Result<ExitCode> {
    let mut cmd = Args::command();
    let mut out = std::io::stdout().lock();
    let shell = match what {
        Generate::Bash => clap_complete::Shell::Bash,
        Generate::Zsh => clap_complete::Shell::Zsh,
        Generate::Fish => clap_complete::Shell::Fish,
        Generate::Man => {
            clap_mangen::Man::new(cmd).render(&mut out)?;
            return Ok(ExitCode::SUCCESS);
        }
    };
    // Into a buffer first: clap_complete panics on a write error, and a
    // closed pipe (`| head`) is not one worth a panic.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "dateline", &mut script);
    out.write_all(&script)?;
    Ok(ExitCode::SUCCESS)
}

fn run(args: &Args) -> anyhow::Result<ExitCode> {
    if let Some(what) = args.generate {
        return generate(what);
    }
    if let Some(url) = &args.solr {
        return run_solr(args, url);
    }
    let mut handle = match open_index(args.index.as_deref()) {
        Ok(h) => h,
        Err(message) => {
            eprintln!("dateline: {message}");
            return Ok(ExitCode::from(ERROR));
        }
    };
    if let Some(c) = &args.corrections {
        handle.set_corrections(c.clone());
    }
    let stdout = std::io::stdout();
    let is_terminal = stdout.is_terminal();
    let mut out = BufWriter::new(stdout.lock());
    let style = style(args, is_terminal);

    if let Some(name) = &args.people {
        let identities = handle.identities()?;
        return look_up(
            args,
            identities.registry()?,
            &identities.problems,
            name,
            &mut out,
        );
    }
    if let Some(name) = &args.orgs {
        let identities = handle.identities()?;
        let book = identities.org_book(&handle.searcher()?);
        return look_up(args, &book, &identities.problems, name, &mut out);
    }

    if let (Some(id), true) = (&args.show, args.versions) {
        return show_versions(args, &Backend::Local(&handle), id, &mut out, style);
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
                Ok(ExitCode::from(NO_MATCH))
            }
        };
    }

    if let Some(code) = run_view(args, &Backend::Local(&handle), &mut out, style)? {
        out.flush()?;
        return Ok(code);
    }

    let request = request(args);
    if let Ok(i) = handle.identities() {
        for p in &i.problems {
            eprintln!("{p}");
        }
    }
    if args.quotes {
        return answer_quotes(args, &Backend::Local(&handle), &request, &mut out, style);
    }
    answer(args, &Backend::Local(&handle), &request, &mut out, style)
}

/// `--people NAME` and `--orgs NAME`: the identities a name matches in a
/// book of either kind, from either backend's registry.
fn look_up(
    args: &Args,
    book: &dyn Book,
    problems: &[String],
    name: &str,
    out: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    for p in problems {
        eprintln!("{p}");
    }
    let found = book.search(name);
    if found.is_empty() {
        eprintln!("dateline: no {} matches {name:?}", book.noun());
        return Ok(ExitCode::FAILURE);
    }
    if args.json {
        print::identities::json_lines(out, book, &found)?;
    } else if found.len() == 1 || book.by_id(name).is_some() {
        print::identities::card(out, book, found[0])?;
    } else {
        print::identities::list(out, book, &found)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `--solr`: searches, `--show` and the views against a SolrCloud
/// collection.
fn run_solr(args: &Args, url: &str) -> anyhow::Result<ExitCode> {
    let mut solr = match Solr::connect(url) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("dateline: {e}");
            return Ok(ExitCode::from(ERROR));
        }
    };
    solr.corrections = args.corrections.clone();
    let stdout = std::io::stdout();
    let is_terminal = stdout.is_terminal();
    let mut out = BufWriter::new(stdout.lock());
    let style = style(args, is_terminal);
    if let Some(name) = &args.people {
        let Some(identities) = solr.identities()? else {
            eprintln!("dateline: {}", dateline::solr::search::PEOPLE_NOTE);
            return Ok(ExitCode::from(ERROR));
        };
        let registry = identities.identities.registry()?;
        return look_up(
            args,
            registry,
            &identities.identities.problems,
            name,
            &mut out,
        );
    }
    if let Some(name) = &args.orgs {
        let Some(identities) = solr.identities()? else {
            eprintln!("dateline: {}", dateline::solr::search::PEOPLE_NOTE);
            return Ok(ExitCode::from(ERROR));
        };
        if identities.pairs_missing {
            eprintln!("dateline: {}", dateline::solr::search::ORGS_NOTE);
        }
        let book = identities.org_book(&solr)?;
        return look_up(args, &book, &identities.identities.problems, name, &mut out);
    }
    let backend = Backend::Solr(&solr);
    // A search says it with its results; the views and quotations here.
    let view = args.timeline.is_some()
        || args.network.is_some()
        || args.kwic.is_some()
        || args.csv
        || args.quotes;
    if view {
        let names_people = search::query::parse(&args.query.join(" "))
            .is_ok_and(|ast| dateline::solr::search::names_people(&ast));
        if names_people && solr.identities()?.is_none() {
            eprintln!("dateline: {}", dateline::solr::search::PEOPLE_NOTE);
        }
    }
    if let Some(code) = run_view(args, &backend, &mut out, style)? {
        out.flush()?;
        return Ok(code);
    }
    if let (Some(id), true) = (&args.show, args.versions) {
        return show_versions(args, &backend, id, &mut out, style);
    }
    if args.quotes {
        return answer_quotes(args, &backend, &request(args), &mut out, style);
    }
    if let Some(id) = &args.show {
        return match backend.show(id)? {
            Some(a) => {
                if args.json {
                    print::json::article(&mut out, &a)?;
                } else {
                    print::human::article(&mut out, &a, style)?;
                }
                out.flush()?;
                Ok(ExitCode::SUCCESS)
            }
            None => {
                eprintln!("dateline: no story with id {id:?}");
                Ok(ExitCode::from(NO_MATCH))
            }
        };
    }
    answer(args, &backend, &request(args), &mut out, style)
}

/// `--quotes`: the matching quotations and their facets.
fn answer_quotes(
    args: &Args,
    backend: &Backend,
    request: &Request,
    out: &mut impl Write,
    style: Style,
) -> anyhow::Result<ExitCode> {
    let results = match backend.quotes(request) {
        Ok(r) => r,
        Err(e) => return view_error(&request.query, e),
    };
    if args.json {
        print::json::quotes(&mut *out, &results)?;
        if !results.facets.is_empty() {
            print::json::quote_facets(&mut *out, &results)?;
        }
    } else {
        print::human::quotes(&mut *out, &results, args.offset, style)?;
        if !results.facets.is_empty() {
            writeln!(out)?;
            print::human::facet_table(&mut *out, &results.facets, style)?;
        }
    }
    out.flush()?;
    if results.hits.is_empty() && !args.allow_no_match {
        return Ok(ExitCode::from(NO_MATCH));
    }
    Ok(ExitCode::SUCCESS)
}

/// `--show ID --versions`: the story's versions and what changed.
fn show_versions(
    args: &Args,
    backend: &Backend,
    id: &str,
    out: &mut impl Write,
    style: Style,
) -> anyhow::Result<ExitCode> {
    let Some(hits) = backend.versions(id)? else {
        eprintln!("dateline: no story with id {id:?}");
        return Ok(ExitCode::from(NO_MATCH));
    };
    if args.json {
        print::json::versions(&mut *out, &hits)?;
    } else {
        print::human::versions(&mut *out, &hits, style)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Runs the search on a backend and prints its hits, count and facets.
fn answer(
    args: &Args,
    backend: &Backend,
    request: &Request,
    out: &mut impl Write,
    style: Style,
) -> anyhow::Result<ExitCode> {
    let query = &request.query;
    let results = match backend.search(request) {
        Ok(r) => r,
        Err(e) => return view_error(query, e),
    };

    if args.count {
        writeln!(out, "{}", results.total)?;
    } else if args.json {
        print::json::hits(&mut *out, &results)?;
    } else {
        print::human::hits(&mut *out, &results, args.offset, style)?;
    }
    if !results.facets.is_empty() {
        if args.json {
            print::json::facets(&mut *out, &results)?;
        } else {
            if !args.count {
                writeln!(out)?;
            }
            print::human::facets(&mut *out, &results, style)?;
        }
    }
    out.flush()?;
    for note in &results.notes {
        eprintln!("dateline: {note}");
    }
    if results.total == 0 && !args.allow_no_match {
        return Ok(ExitCode::from(NO_MATCH));
    }
    Ok(ExitCode::SUCCESS)
}

/// The search the arguments ask for.
fn request(args: &Args) -> Request {
    Request {
        query: args.query.join(" "),
        limit: args.limit.map_or(10, Limit::get),
        offset: args.offset,
        sort: sort(args),
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

fn sort(args: &Args) -> Sort {
    match args.sort {
        Some(SortArg::Relevance) => Sort::Relevance,
        Some(SortArg::Newest) => Sort::Newest,
        Some(SortArg::Oldest) => Sort::Oldest,
        // A speaker's quotations read best in the order they were said.
        None if args.quotes => Sort::Oldest,
        None => Sort::Relevance,
    }
}

/// How to colour output for `--color` on a terminal or not.
fn style(args: &Args, is_terminal: bool) -> Style {
    Style {
        color: match args.color {
            ColorArg::Auto => ColorChoice::Auto,
            ColorArg::Always => ColorChoice::Always,
            ColorArg::Never => ColorChoice::Never,
        }
        .enabled(is_terminal),
    }
}

/// Reports a failed search, view or quotation search: the user's mistakes
/// (a bad query, date or facet) as exit 2 with a message, others as errors.
fn view_error(query: &str, e: SearchError) -> anyhow::Result<ExitCode> {
    match e {
        SearchError::Query(e) => {
            eprintln!(
                "dateline: bad query at column {}: {}",
                e.column(query),
                e.message
            );
            eprintln!("  {}", e.caret(query).replace('\n', "\n  "));
            Ok(ExitCode::from(ERROR))
        }
        e @ (SearchError::BadDate(_) | SearchError::UnknownFacet(_) | SearchError::View(_)) => {
            eprintln!("dateline: {e}");
            Ok(ExitCode::from(ERROR))
        }
        e => Err(e.into()),
    }
}

/// Said where a view on SolrCloud gives people as the stories spell them.
const PEOPLE_AS_SPELLED: &str = "this collection keeps no identity statistics (indexed before they were kept), so people are the names as the stories spell them (no identity ids); run dateline-index --solr on it again to apply the identity registry";

fn usage(message: &str) -> anyhow::Result<Option<ExitCode>> {
    eprintln!("dateline: {message}");
    Ok(Some(ExitCode::from(ERROR)))
}

/// The research views (`--timeline`, `--queries`, `--network`, `--kwic`,
/// `--csv`); `None` when the arguments ask for a plain search.
fn run_view(
    args: &Args,
    backend: &Backend,
    out: &mut impl Write,
    style: Style,
) -> anyhow::Result<Option<ExitCode>> {
    use views::{export, kwic, multi, network, timeline::Period, Selection};

    let query = args.query.join(" ");
    let selection = Selection {
        query: query.clone(),
        from: args.from.clone(),
        to: args.to.clone(),
        all_versions: args.all_versions,
    };
    let period = args.timeline.map(|p| match p {
        PeriodArg::Day => Period::Day,
        PeriodArg::Week => Period::Week,
        PeriodArg::Month => Period::Month,
        PeriodArg::Year => Period::Year,
    });

    if let Some(file) = &args.queries {
        if !query.trim().is_empty() {
            return usage("--queries takes its queries from the file; give no query besides");
        }
        if period.is_none() && !args.count {
            return usage("--queries needs --count or --timeline");
        }
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => return usage(&format!("{}: {e}", file.display())),
        };
        let (queries, mut bad) = multi::parse(&text);
        let result = match period {
            Some(p) => multi::timelines(backend, &queries, &mut bad, &selection, p, args.normalize)
                .map(|t| print_timelines(args, out, &t)),
            None => multi::counts(backend, &queries, &mut bad, &selection).map(|c| {
                if args.csv {
                    print::csv::counts(&mut *out, &c).map_err(Into::into)
                } else if args.json {
                    print::view_json::counts(out, &c).map_err(Into::into)
                } else {
                    print::listing::counts(out, &c).map_err(Into::into)
                }
            }),
        };
        for b in &bad {
            eprintln!("{}:{}: {}", file.display(), b.line, b.reason);
        }
        match result {
            Ok(printed) => printed?,
            Err(e) => return view_error("", e).map(Some),
        }
        return Ok(Some(if bad.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(ERROR)
        }));
    }

    if let Some(p) = period {
        return match views::timeline::timeline(backend, &selection, p, args.normalize) {
            Ok(t) => {
                let label = if query.trim().is_empty() {
                    "all stories".to_string()
                } else {
                    query.clone()
                };
                print_timelines(args, out, &[(label, t)])?;
                Ok(Some(ExitCode::SUCCESS))
            }
            Err(e) => view_error(&query, e).map(Some),
        };
    }

    if let Some(kinds) = &args.network {
        let kinds = match network::parse_kinds(kinds) {
            Ok(k) => k,
            Err(m) => return usage(&m),
        };
        let opts = network::Options {
            kinds,
            top: args.limit.map_or(50, Limit::get),
            min_weight: args.min_weight,
            namer: network::raw_names(),
        };
        if network::people_unresolved(backend, &opts.kinds) {
            eprintln!("dateline: {PEOPLE_AS_SPELLED}");
        }
        let net = match network::network(backend, &selection, &opts) {
            Ok(n) => n,
            Err(e) => return view_error(&query, e).map(Some),
        };
        if args.gexf {
            print::gexf::gexf(&mut *out, &net)?;
        } else if args.graphml {
            print::gexf::graphml(&mut *out, &net)?;
        } else if args.csv {
            print::csv::edges(&mut *out, &net)?;
        } else if args.json {
            print::view_json::network(out, &net)?;
        } else {
            print::listing::network(out, &net, args.min_weight)?;
        }
        return Ok(Some(ExitCode::SUCCESS));
    }

    if let Some(term) = &args.kwic {
        let opts = kwic::Options {
            term: term.clone(),
            width: args.width,
            limit: args.limit.unwrap_or(Limit::All),
        };
        let lines = match kwic::kwic(backend, &selection, &opts) {
            Ok(l) => l,
            Err(e) => return view_error(&query, e).map(Some),
        };
        if args.csv {
            print::csv::kwic(&mut *out, &lines)?;
        } else if args.json {
            print::view_json::kwic(out, &lines)?;
        } else {
            print::listing::kwic(out, &lines, args.width, style)?;
        }
        return Ok(Some(ExitCode::SUCCESS));
    }

    if args.csv && args.count {
        let n = match views::count(backend, &selection) {
            Ok(n) => n,
            Err(e) => return view_error(&query, e).map(Some),
        };
        print::csv::counts(&mut *out, &[(query, n)])?;
        return Ok(Some(ExitCode::SUCCESS));
    }

    if args.csv {
        let fields =
            match export::parse_fields(args.fields.as_deref().unwrap_or(export::DEFAULT_FIELDS)) {
                Ok(f) => f,
                Err(m) => return usage(&m),
            };
        let opts = export::Options {
            fields,
            limit: args.limit.unwrap_or(Limit::All),
            offset: args.offset,
            sort: sort(args),
        };
        if export::people_unresolved(backend, &opts.fields) {
            eprintln!("dateline: {PEOPLE_AS_SPELLED}");
        }
        let mut csv = print::csv::Export::new(&mut *out, &opts.fields)?;
        return match export::export(backend, &selection, &opts, |cells| csv.row(cells)) {
            Ok(_) => {
                csv.finish()?;
                Ok(Some(ExitCode::SUCCESS))
            }
            Err(export::ExportError::Search(e)) => view_error(&query, e).map(Some),
            Err(export::ExportError::Write(e)) => Err(e.into()),
        };
    }
    Ok(None)
}

fn print_timelines(
    args: &Args,
    out: &mut impl Write,
    timelines: &[(String, views::timeline::Timeline)],
) -> anyhow::Result<()> {
    if let Some(path) = &args.plot {
        print::plot::svg(path, timelines).map_err(anyhow::Error::msg)?;
    }
    if args.csv {
        print::csv::timelines(&mut *out, timelines)?;
    } else if args.json {
        print::view_json::timelines(out, timelines)?;
    } else {
        print::bars::timelines(out, timelines)?;
    }
    Ok(())
}
