//! A blocking Solr client: one collection, requests spread over the
//! cluster's live nodes, retried with backoff where a retry can help.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use base64::Engine;
use serde_json::Value;
use thiserror::Error;

/// The collection Dateline uses when the URL names none.
pub const DEFAULT_COLLECTION: &str = "dateline";

/// Why a request failed.
#[derive(Debug, Error)]
pub enum SolrError {
    /// The URL given with `--solr` cannot be used.
    #[error("--solr: {0}")]
    Url(String),
    /// Solr refused the request (a 4xx, or a 5xx after every retry).
    #[error("Solr answered {status} to {what}: {message}")]
    Status {
        status: u16,
        what: String,
        message: String,
    },
    /// No node answered, after every retry.
    #[error("no Solr node answered {what} ({attempts} attempts): {message}")]
    Unreachable {
        what: String,
        attempts: usize,
        message: String,
    },
    /// An answer that is not the JSON Solr sends.
    #[error("unreadable answer from Solr to {what}: {message}")]
    Answer { what: String, message: String },
}

/// Where a `--solr URL[/COLLECTION]` points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Node base URL without credentials, ending in the Solr context
    /// (`http://host:8983/solr`).
    pub base: String,
    pub collection: String,
    /// `user:password` from the URL, for basic authentication.
    pub credentials: Option<String>,
}

impl Target {
    /// Parses `http[s]://[user:pass@]host[:port]/solr[/COLLECTION]`. The
    /// path up to and including its `solr` segment is the node's base; one
    /// segment after it names the collection. A path without a `solr`
    /// segment is taken whole as the base.
    pub fn parse(url: &str) -> Result<Target, SolrError> {
        let url = url.trim().trim_end_matches('/');
        let (scheme, rest) = url
            .split_once("://")
            .filter(|(s, _)| *s == "http" || *s == "https")
            .ok_or_else(|| SolrError::Url(format!("'{url}' is not an http(s) URL")))?;
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let (credentials, host) = match authority.rsplit_once('@') {
            Some((c, h)) => (Some(c.to_string()), h),
            None => (None, authority),
        };
        if host.is_empty() {
            return Err(SolrError::Url(format!("'{url}' names no host")));
        }
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let (base_path, collection) = match segments.iter().position(|s| *s == "solr") {
            Some(i) if i + 2 == segments.len() => (&segments[..=i], segments[i + 1]),
            Some(i) if i + 1 == segments.len() => (&segments[..=i], DEFAULT_COLLECTION),
            Some(_) => {
                return Err(SolrError::Url(format!(
                    "'{url}': expected at most one path segment (the collection) after /solr"
                )))
            }
            None => (&segments[..], DEFAULT_COLLECTION),
        };
        let mut base = format!("{scheme}://{host}");
        for s in base_path {
            base.push('/');
            base.push_str(s);
        }
        Ok(Target {
            base,
            collection: collection.to_string(),
            credentials,
        })
    }
}

/// How hard to try before a request fails for good.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    /// Attempts in all, the first included.
    pub attempts: usize,
    /// Wait before the second attempt; doubled each time after.
    pub first_wait: Duration,
    /// Longest wait between attempts.
    pub max_wait: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        // About a minute in all: long enough for a replica to take over
        // from a stopped leader.
        Retry {
            attempts: 10,
            first_wait: Duration::from_millis(250),
            max_wait: Duration::from_secs(10),
        }
    }
}

/// A connection to one collection of a SolrCloud.
pub struct Solr {
    pub collection: String,
    /// Base URLs of the nodes to try, the given one first.
    nodes: Mutex<Vec<String>>,
    /// The node the next request starts with.
    next: AtomicUsize,
    agent: ureq::Agent,
    /// Headers sent with every request (authentication).
    headers: Vec<(String, String)>,
    pub retry: Retry,
    /// Identity corrections for [`Solr::identities`] (`--corrections`).
    pub corrections: Option<PathBuf>,
    /// The collection's identity registry, loaded when first needed.
    identities: OnceLock<Result<Option<super::identities::SolrIdentities>, String>>,
}

/// Environment variable with one extra header for every request
/// (`Authorization: Bearer …`), for clusters whose credentials should not
/// be in a URL.
pub const HEADER_ENV: &str = "DATELINE_SOLR_HEADER";

impl Solr {
    /// A client for the target; the cluster's other live nodes are found
    /// with [`Solr::discover`].
    pub fn new(target: &Target) -> Result<Solr, SolrError> {
        let mut headers = Vec::new();
        if let Some(c) = &target.credentials {
            let c = percent_decode(c);
            let encoded = base64::engine::general_purpose::STANDARD.encode(c.as_bytes());
            headers.push(("Authorization".to_string(), format!("Basic {encoded}")));
        }
        if let Ok(h) = std::env::var(HEADER_ENV) {
            let (name, value) = h.split_once(':').ok_or_else(|| {
                SolrError::Url(format!("{HEADER_ENV} must be 'Name: value', not '{h}'"))
            })?;
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(Duration::from_secs(5))
            .timeout(Duration::from_secs(300))
            .build();
        Ok(Solr {
            collection: target.collection.clone(),
            nodes: Mutex::new(vec![target.base.clone()]),
            next: AtomicUsize::new(0),
            agent,
            headers,
            retry: Retry::default(),
            corrections: None,
            identities: OnceLock::new(),
        })
    }

    /// Connects and learns the cluster's live nodes, so that requests go
    /// on when the given node stops.
    pub fn connect(url: &str) -> Result<Solr, SolrError> {
        let target = Target::parse(url)?;
        let solr = Solr::new(&target)?;
        solr.discover(&target)?;
        Ok(solr)
    }

    /// The collection's identity registry, built from the statistics
    /// `dateline-index --solr` keeps in it (once per process); `None` for
    /// a collection without them.
    pub fn identities(&self) -> Result<Option<&super::identities::SolrIdentities>, SolrError> {
        self.identities
            .get_or_init(|| {
                super::identities::SolrIdentities::load(self, self.corrections.as_deref())
                    .map_err(|e| format!("{e:#}"))
            })
            .as_ref()
            .map(Option::as_ref)
            .map_err(|message| SolrError::Answer {
                what: "the identity statistics".into(),
                message: message.clone(),
            })
    }

    /// The node URL this client was given, which names the cluster.
    pub fn origin(&self) -> String {
        self.nodes.lock().expect("node list")[0].clone()
    }

    /// Adds the cluster's live nodes (from `CLUSTERSTATUS`) to those tried.
    pub fn discover(&self, target: &Target) -> Result<(), SolrError> {
        let status = self.get("admin/collections", &[("action", "CLUSTERSTATUS")])?;
        let scheme = target.base.split("://").next().unwrap_or("http");
        let mut nodes = self.nodes.lock().expect("node list");
        for n in status["cluster"]["live_nodes"]
            .as_array()
            .into_iter()
            .flatten()
        {
            // `127.0.0.1:8983_solr` → http://127.0.0.1:8983/solr
            if let Some((host, context)) = n.as_str().and_then(|n| n.split_once('_')) {
                let url = format!("{scheme}://{host}/{}", context.replace("%2F", "/"));
                if !nodes.contains(&url) {
                    nodes.push(url);
                }
            }
        }
        Ok(())
    }

    /// The nodes requests are spread over.
    pub fn nodes(&self) -> Vec<String> {
        self.nodes.lock().expect("node list").clone()
    }

    /// GET `path` (relative to a node's base) with query parameters.
    pub fn get(&self, path: &str, params: &[(&str, &str)]) -> Result<Value, SolrError> {
        self.request(path, params, None)
    }

    /// POST a body (`content_type`) to `path`.
    pub fn post(
        &self,
        path: &str,
        params: &[(&str, &str)],
        content_type: &str,
        body: &[u8],
    ) -> Result<Value, SolrError> {
        self.request(path, params, Some((content_type, body)))
    }

    /// POST form-encoded parameters (long queries do not fit in a URL).
    pub fn post_form(&self, path: &str, params: &[(&str, &str)]) -> Result<Value, SolrError> {
        let mut body = String::new();
        for (k, v) in params {
            if !body.is_empty() {
                body.push('&');
            }
            body.push_str(&form_encode(k));
            body.push('=');
            body.push_str(&form_encode(v));
        }
        self.request(
            path,
            &[],
            Some(("application/x-www-form-urlencoded", body.as_bytes())),
        )
    }

    fn request(
        &self,
        path: &str,
        params: &[(&str, &str)],
        body: Option<(&str, &[u8])>,
    ) -> Result<Value, SolrError> {
        let what = path.to_string();
        let nodes = self.nodes();
        let mut wait = self.retry.first_wait;
        let mut last = String::new();
        for attempt in 0..self.retry.attempts {
            if attempt > 0 {
                std::thread::sleep(wait);
                wait = (wait * 2).min(self.retry.max_wait);
            }
            // Each attempt on the next node: a stopped node costs one try.
            let i = self.next.fetch_add(1, Ordering::Relaxed) % nodes.len();
            let url = format!("{}/{}", nodes[i], path);
            let mut req = match body {
                Some(_) => self.agent.post(&url),
                None => self.agent.get(&url),
            };
            req = req.query("wt", "json");
            for (k, v) in params {
                req = req.query(k, v);
            }
            for (k, v) in &self.headers {
                req = req.set(k, v);
            }
            let answer = match body {
                Some((content_type, bytes)) => {
                    req.set("Content-Type", content_type).send_bytes(bytes)
                }
                None => req.call(),
            };
            match answer {
                Ok(resp) => {
                    let text = resp.into_string().map_err(|e| SolrError::Answer {
                        what: what.clone(),
                        message: e.to_string(),
                    })?;
                    return serde_json::from_str(&text).map_err(|e| SolrError::Answer {
                        what,
                        message: e.to_string(),
                    });
                }
                Err(ureq::Error::Status(status, resp)) => {
                    let message = error_message(resp);
                    // A 4xx will not get better by asking again; a 5xx
                    // (a leader being elected, a replica recovering) may.
                    if status < 500 {
                        return Err(SolrError::Status {
                            status,
                            what,
                            message,
                        });
                    }
                    last = format!("{status}: {message}");
                    if attempt + 1 == self.retry.attempts {
                        return Err(SolrError::Status {
                            status,
                            what,
                            message,
                        });
                    }
                }
                Err(ureq::Error::Transport(t)) => last = format!("{}: {t}", nodes[i]),
            }
        }
        Err(SolrError::Unreachable {
            what,
            attempts: self.retry.attempts,
            message: last,
        })
    }
}

/// Solr's own message from an error answer, else its status text.
fn error_message(resp: ureq::Response) -> String {
    let status_text = resp.status_text().to_string();
    let text = resp.into_string().unwrap_or_default();
    serde_json::from_str::<Value>(&text)
        .ok()
        .and_then(|v| v["error"]["msg"].as_str().map(str::to_string))
        .unwrap_or(if text.trim().is_empty() {
            status_text
        } else {
            text.chars().take(300).collect()
        })
}

fn form_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `%40` → `@` in credentials taken from a URL.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) =
                u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or(""), 16)
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_into_base_collection_and_credentials() {
        let t = Target::parse("http://127.0.0.1:8983/solr").unwrap();
        assert_eq!(t.base, "http://127.0.0.1:8983/solr");
        assert_eq!(t.collection, DEFAULT_COLLECTION);
        let t = Target::parse("https://me:p%40ss@solr.example:8983/solr/news/").unwrap();
        assert_eq!(t.base, "https://solr.example:8983/solr");
        assert_eq!(t.collection, "news");
        assert_eq!(t.credentials.as_deref(), Some("me:p%40ss"));
        assert_eq!(percent_decode("me:p%40ss"), "me:p@ss");
        assert!(Target::parse("solr.example:8983").is_err());
        assert!(Target::parse("http:///solr").is_err());
        assert!(Target::parse("http://h/solr/a/b").is_err());
    }

    #[test]
    fn form_values_are_escaped() {
        assert_eq!(form_encode("a b&c=\"d\""), "a%20b%26c%3D%22d%22");
    }
}
