//! The place gazetteer: countries, first-level regions and cities of 15,000
//! people or more, derived from GeoNames (CC BY 4.0).
//!
//! STUB: issue 4 replaces this with the real table. The signatures are the
//! interface the pipeline calls.

/// What kind of place a gazetteer entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    Country,
    Region,
    City,
}

/// One resolved place.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Canonical name, e.g. `Moscow`.
    pub name: String,
    pub kind: PlaceKind,
    /// Canonical country name, e.g. `Russia` (the place itself for a country).
    pub country: String,
    /// First-level region, e.g. `Texas`, where known.
    pub region: Option<String>,
    pub population: u64,
}

/// The shipped gazetteer.
pub struct Gazetteer {}

impl Gazetteer {
    /// The table shipped with this build, loaded once per process.
    pub fn shipped() -> &'static Gazetteer {
        static G: Gazetteer = Gazetteer {};
        &G
    }

    /// Resolve a place name (any case, alternate names allowed), preferring
    /// places in `context_countries` and then the most populous.
    pub fn resolve(&self, _name: &str, _context_countries: &[&str]) -> Option<Place> {
        None
    }

    /// Resolve a dateline place such as `MOSCOW` or `BEIRUT` with its
    /// optional qualifier (`Lebanon`, `Ill.`, `Texas`).
    pub fn resolve_dateline(&self, _place: &str, _qualifier: Option<&str>) -> Option<Place> {
        None
    }
}
