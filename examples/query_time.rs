//! Times one query in process, as `dateline-bench` does: the top 10 with
//! three passages each, `RUNS` times after a warm-up.
//!
//! ```sh
//! cargo run --release --example query_time -- INDEX 'negotiat*' [RUNS]
//! ```

use std::time::Instant;

use dateline::index::store::IndexHandle;
use dateline::search::{self, Request};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [index, query, rest @ ..] = args.as_slice() else {
        anyhow::bail!("usage: query_time INDEX QUERY [RUNS]");
    };
    let runs: usize = rest.first().map_or(Ok(50), |r| r.parse())?;
    let handle = IndexHandle::open(std::path::Path::new(index))?;
    let req = Request {
        query: query.clone(),
        limit: 10,
        passages: 3,
        ..Request::default()
    };
    let total = search::search(&handle, &req)?.total;
    let mut ms: Vec<f64> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            let r = search::search(&handle, &req).expect("search");
            std::hint::black_box(&r.hits);
            started.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    let at = |p: f64| ms[((ms.len() - 1) as f64 * p).round() as usize];
    println!(
        "{query}: {total} stories; min {:.2} ms, p50 {:.2} ms, p90 {:.2} ms, max {:.2} ms",
        ms[0],
        at(0.5),
        at(0.9),
        ms[ms.len() - 1]
    );
    Ok(())
}
