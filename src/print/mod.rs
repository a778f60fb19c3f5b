//! Printing hits, facets, stories and the research views: for people (a
//! terminal, with colour where it helps) and for scripts (JSON Lines, CSV,
//! GEXF/GraphML, SVG).

pub mod bars;
pub mod csv;
pub mod gexf;
pub mod human;
pub mod identities;
pub mod json;
pub mod listing;
pub mod plot;
pub mod view_json;

/// Whether to use colour, from `--color` and the environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Resolves `auto`: colour on a terminal, unless `NO_COLOR` is set.
    pub fn enabled(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}
