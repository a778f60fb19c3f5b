//! `dateline-train`: builds the models and tables Dateline ships.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "Build the models and tables Dateline ships")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the place gazetteer from GeoNames extracts.
    Gazetteer {
        /// Folder with cities15000.json, countries.json and us_states.json.
        #[arg(long)]
        geonames: Option<PathBuf>,
        /// Where to write the compressed table.
        #[arg(long, default_value = "assets/gazetteer.tsv.gz")]
        out: PathBuf,
    },
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Gazetteer { geonames, out } => {
            let dir =
                geonames.unwrap_or_else(|| dateline::shared_data::root().join("data/geonames"));
            let s = dateline::enrich::gazetteer::build::build(&dir, &out)?;
            eprintln!(
                "{}: {} countries, {} regions, {} cities, {} alternate keys, {} bytes, loads in {:?}",
                out.display(),
                s.countries,
                s.regions,
                s.cities,
                s.alternate_keys,
                s.bytes,
                s.load_time
            );
            eprintln!("{}", dateline::enrich::gazetteer::build::ATTRIBUTION);
        }
    }
    Ok(())
}
