//! Searching. STUB until the query layer lands: the types the printer uses.

use crate::article::Article;

/// The best passages of a hit's body.
#[derive(Debug, Clone, Default)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<(usize, usize)>,
}

/// One matching story.
#[derive(Debug, Clone)]
pub struct Hit {
    pub article: Article,
    pub score: f32,
    pub snippet: Snippet,
}

/// All that a search returns.
#[derive(Debug, Clone, Default)]
pub struct Results {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Vec<(String, Vec<(String, u64)>)>,
    pub elapsed: std::time::Duration,
}
