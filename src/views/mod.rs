//! What researchers count and export, built on the query language: every
//! view takes the stories a [`Selection`] matches.
//!
//! - [`timeline`]: matching stories per day, week, month or year, from the
//!   `date` fast field.
//! - [`multi`]: several labelled queries from a file, one table.
//! - [`network`]: who is mentioned alongside whom, from the `f_person`,
//!   `f_org` and `f_place` fast fields.
//! - [`kwic`]: every occurrence of a word or phrase in context (reads the
//!   stored text, the only view that needs it).
//! - [`export`]: every match as a row of chosen fields, streamed.
//!
//! Views compute and return plain data; [`print`](crate::print) renders it.
//! Counting views never load stored articles.
//!
//! Every view runs on either [`Backend`]: only which stories match, and
//! their fields, differ by backend (tantivy collectors locally,
//! [`crate::solr::views`] on SolrCloud); counting, naming and the data
//! returned are shared.

pub mod export;
pub mod kwic;
pub mod multi;
pub mod network;
pub mod timeline;

use tantivy::collector::Collector;
use tantivy::query::{AllQuery, Query};
use tantivy::Searcher;

use crate::index::store::IndexHandle;
use crate::search::{self, clusters::Collapsed, query::Compiled, Backend, SearchError};

/// The stories a view is about: a query, optionally within a period.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// In the query language; blank with no period means every story.
    pub query: String,
    /// `--from`: earliest date (`2012`, `2012-12`, `2012-12-29`).
    pub from: Option<String>,
    /// `--to`: latest date, through its last day.
    pub to: Option<String>,
    /// `--all-versions`: count every version of a story, not each story
    /// once.
    pub all_versions: bool,
}

impl Selection {
    /// A selection of a query alone.
    pub fn query(query: impl Into<String>) -> Selection {
        Selection {
            query: query.into(),
            ..Selection::default()
        }
    }

    /// Runs `collector` over `query`'s matches: each story once (the first
    /// of its versions met), or every version with
    /// [`all_versions`](Selection::all_versions).
    pub fn collect<C: Collector>(
        &self,
        handle: &IndexHandle,
        searcher: &Searcher,
        query: &dyn Query,
        collector: C,
    ) -> tantivy::Result<C::Fruit> {
        collect(handle, searcher, query, collector, self.all_versions)
    }

    /// Compiles the selection. Unlike a search, a view over a blank query
    /// counts the whole archive (`dateline --timeline month`).
    pub fn compile(&self, handle: &IndexHandle) -> Result<Compiled, SearchError> {
        if self.query.trim().is_empty() && self.from.is_none() && self.to.is_none() {
            return Ok(Compiled {
                query: Box::new(AllQuery),
                needles: Vec::new(),
                notes: Vec::new(),
            });
        }
        let searcher = handle.searcher()?;
        search::compile_selection(
            handle,
            &searcher,
            &self.query,
            self.from.as_deref(),
            self.to.as_deref(),
        )
    }
}

/// How many stories a selection matches (each once, unless
/// `--all-versions`).
pub fn count(backend: &Backend, selection: &Selection) -> Result<u64, SearchError> {
    match backend {
        Backend::Local(handle) => {
            let compiled = selection.compile(handle)?;
            let searcher = handle.searcher()?;
            Ok(selection.collect(
                handle,
                &searcher,
                &compiled.query,
                tantivy::collector::Count,
            )? as u64)
        }
        Backend::Solr(solr) => crate::solr::views::count(solr, selection),
    }
}

/// [`Selection::collect`] for a query of the view's own (the archive's
/// stories, for `--normalize`).
pub fn collect<C: Collector>(
    handle: &IndexHandle,
    searcher: &Searcher,
    query: &dyn Query,
    collector: C,
    all_versions: bool,
) -> tantivy::Result<C::Fruit> {
    if all_versions {
        searcher.search(query, &collector)
    } else {
        searcher.search(query, &Collapsed::new(collector, &handle.fields))
    }
}

/// How many rows a view returns: a number, or every one (`-n all`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// At most this many.
    Top(usize),
    /// No cap.
    All,
}

impl Limit {
    /// The cap as a number (`usize::MAX` for [`Limit::All`]).
    pub fn get(self) -> usize {
        match self {
            Limit::Top(n) => n,
            Limit::All => usize::MAX,
        }
    }
}

impl std::str::FromStr for Limit {
    type Err = String;

    fn from_str(s: &str) -> Result<Limit, String> {
        if s.eq_ignore_ascii_case("all") {
            return Ok(Limit::All);
        }
        s.parse()
            .map(Limit::Top)
            .map_err(|_| format!("'{s}' is not a number or `all`"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_parse_numbers_and_all() {
        assert_eq!("12".parse::<Limit>(), Ok(Limit::Top(12)));
        assert_eq!("ALL".parse::<Limit>(), Ok(Limit::All));
        assert!("-1".parse::<Limit>().is_err());
        assert!("ten".parse::<Limit>().is_err());
        assert_eq!(Limit::All.get(), usize::MAX);
    }
}
