//! Provider semantics of the client runtime: rate-limit headers, pagination, fetched tokens,
//! waiting for a state, object-name rules and envelopes with per-object results. Network tests
//! run against a tiny routing HTTP/1.1 server on loopback. Each test reads as one behaviour.

use std::convert::Infallible;
use std::io::Write as _;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, UNIX_EPOCH};

use cloudapi::runtime::{
    decode_envelope, decode_envelope_error, decode_envelope_response, decode_json, decode_page,
    decode_single_response, normalize_rfc1035_name, paginate, paginate_at_most,
    validate_rfc1035_name, wait_until, Auth, BatchStatus, BoxFuture, CachedToken, Client,
    ClientBuilder, DecodeError, Decoded, EnvelopeSpec, Error, ItemResult, NameError, Page,
    RateLimit, Request, RetryPolicy, Secret, TokenSource, WaitError, WaitPolicy,
};
use futures_util::StreamExt as _;
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

// ---------------------------------------------------------------------------------------------
// A routing server: each request is answered by a handler that sees it.

#[derive(Clone, Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn json(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Reply {
            status,
            headers: vec![("content-type".to_owned(), "application/json".to_owned())],
            body: body.into(),
        }
    }
}

/// A request as the server saw it.
#[derive(Clone, Debug)]
struct Seen {
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Seen {
    fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn query(&self, name: &str) -> Option<&str> {
        let (_, query) = self.target.split_once('?')?;
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }
}

type Handler = Arc<dyn Fn(&Seen) -> Reply + Send + Sync>;

struct Server {
    base_url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    /// Answers every request with `handler`, one request per connection.
    async fn start(handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let base_url = format!("http://{}", listener.local_addr().expect("local addr"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        let handler: Handler = Arc::new(handler);
        tokio::spawn(async move {
            // Bounded so that a broken test cannot make the server loop for ever.
            for _ in 0..64 {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let log = Arc::clone(&log);
                let handler = Arc::clone(&handler);
                tokio::spawn(async move { handle(stream, handler, log).await });
            }
        });
        Server { base_url, seen }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("log lock").clone()
    }

    fn requests_to(&self, path: &str) -> Vec<Seen> {
        self.seen()
            .into_iter()
            .filter(|s| s.path() == path)
            .collect()
    }
}

async fn handle(mut stream: TcpStream, handler: Handler, log: Arc<Mutex<Vec<Seen>>>) {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        if let Some(pos) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let target = lines
        .next()
        .unwrap_or_default()
        .split(' ')
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    while data.len() < head_end + length {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    }
    let seen = Seen {
        target,
        headers,
        body: data[head_end..].to_vec(),
    };
    let reply = handler(&seen);
    log.lock().expect("log lock").push(seen);

    let mut out = Vec::new();
    write!(out, "HTTP/1.1 {} X\r\nconnection: close\r\n", reply.status).expect("write to Vec");
    for (name, value) in &reply.headers {
        write!(out, "{name}: {value}\r\n").expect("write to Vec");
    }
    write!(out, "content-length: {}\r\n\r\n", reply.body.len()).expect("write to Vec");
    out.extend_from_slice(&reply.body);
    let _ = stream.write_all(&out).await;
    let _ = stream.shutdown().await;
}

fn client_for(server: &Server) -> ClientBuilder {
    Client::builder(server.base_url.clone())
        .retry(RetryPolicy::none())
        .timeout(Duration::from_secs(5))
}

// ---------------------------------------------------------------------------------------------
// Rate limits

#[test]
fn rate_limit_reads_limit_remaining_and_reset() {
    let mut headers = HeaderMap::new();
    headers.insert("x-rate-limit-limit", HeaderValue::from_static("1000"));
    headers.insert("x-rate-limit-remaining", HeaderValue::from_static(" 0 "));
    headers.insert("x-rate-limit-reset", HeaderValue::from_static("1700000000"));

    let limit = RateLimit::from_headers(
        &headers,
        "X-Rate-Limit-Limit",
        "X-Rate-Limit-Remaining",
        "X-Rate-Limit-Reset",
    );

    assert_eq!(limit.limit, Some(1000));
    assert_eq!(limit.remaining, Some(0));
    assert_eq!(
        limit.reset,
        Some(UNIX_EPOCH + Duration::from_secs(1_700_000_000))
    );
    assert!(limit.is_exhausted());
    let now = UNIX_EPOCH + Duration::from_secs(1_699_999_990);
    assert_eq!(limit.reset_after(now), Some(Duration::from_secs(10)));
}

#[test]
fn rate_limit_missing_or_invalid_headers_are_none() {
    let mut headers = HeaderMap::new();
    headers.insert("x-rate-limit-limit", HeaderValue::from_static("lots"));
    headers.insert("x-rate-limit-reset", HeaderValue::from_static("-5"));

    let limit = RateLimit::from_headers(
        &headers,
        "x-rate-limit-limit",
        "not a header name",
        "x-rate-limit-reset",
    );

    assert_eq!(limit, RateLimit::default());
    assert!(!limit.is_exhausted());
}

// ---------------------------------------------------------------------------------------------
// Pagination

#[derive(Debug, Deserialize, serde::Serialize, PartialEq, Clone)]
struct Invoice {
    number: u32,
}

/// TransIP's shape: items under `invoices`, links under `_links.pages`.
fn invoice_page(numbers: &[u32], next: Option<u32>) -> String {
    let items: Vec<String> = numbers
        .iter()
        .map(|n| format!(r#"{{"number":{n}}}"#))
        .collect();
    let mut links =
        vec![r#"{"rel":"first","link":"https://api.example/invoices?page=1"}"#.to_owned()];
    if let Some(next) = next {
        links.push(format!(
            r#"{{"rel":"next","link":"https://api.example/invoices?page={next}"}}"#
        ));
    }
    links.push(r#"{"rel":"last","link":"https://api.example/invoices?page=3"}"#.to_owned());
    format!(
        r#"{{"invoices":[{}],"_links":{{"pages":[{}]}}}}"#,
        items.join(","),
        links.join(",")
    )
}

fn decode_invoices(
    status: StatusCode,
    _headers: &HeaderMap,
    body: &[u8],
) -> Result<Decoded<Page<Invoice>, ()>, DecodeError> {
    match status.as_u16() {
        200 => decode_page(body, "/invoices", "/_links/pages").map(Decoded::Ok),
        _ => Ok(Decoded::Unexpected),
    }
}

/// Serves three pages of invoices: 1-2, 3-4, 5 (the last, without a next link).
fn three_pages(seen: &Seen) -> Reply {
    match seen.query("page") {
        Some("1") => Reply::json(200, invoice_page(&[1, 2], Some(2))),
        Some("2") => Reply::json(200, invoice_page(&[3, 4], Some(3))),
        Some("3") => Reply::json(200, invoice_page(&[5], None)),
        _ => Reply::json(404, "{}"),
    }
}

async fn collect_invoices(client: Client, max_pages: Option<u32>) -> Vec<Result<u32, String>> {
    let fetch = move |page: u32| {
        let client = client.clone();
        async move {
            let request =
                Request::new(Method::GET, "/invoices", "/invoices".to_owned()).query("page", page);
            client.execute(request, decode_invoices).await
        }
    };
    let stream = match max_pages {
        None => paginate(fetch),
        Some(max) => paginate_at_most(max, fetch),
    };
    stream
        .map(|item| {
            item.map(|invoice| invoice.number)
                .map_err(|e| e.to_string())
        })
        .collect()
        .await
}

#[test]
fn decode_page_reads_items_and_a_next_link() {
    let page: Page<Invoice> = decode_page(
        invoice_page(&[1, 2], Some(2)).as_bytes(),
        "/invoices",
        "/_links/pages",
    )
    .expect("decodes");

    assert_eq!(
        page.items,
        vec![Invoice { number: 1 }, Invoice { number: 2 }]
    );
    assert!(page.has_next);
}

#[test]
fn decode_page_without_a_next_link_has_no_next() {
    let last: Page<Invoice> = decode_page(
        invoice_page(&[5], None).as_bytes(),
        "/invoices",
        "/_links/pages",
    )
    .expect("decodes");
    assert!(!last.has_next);

    let unpaginated: Page<Invoice> = decode_page(
        br#"{"invoices":[{"number":1}]}"#,
        "/invoices",
        "/_links/pages",
    )
    .expect("decodes");
    assert_eq!(unpaginated.items.len(), 1);
    assert!(!unpaginated.has_next);
}

#[test]
fn decode_page_reports_missing_items_and_bad_items_with_their_path() {
    let missing =
        decode_page::<Invoice>(br#"{"_links":{"pages":[]}}"#, "/invoices", "/_links/pages")
            .expect_err("no items");
    assert_eq!(missing.path(), "invoices");

    let bad = decode_page::<Invoice>(
        br#"{"invoices":[{"number":1},{"number":"two"}]}"#,
        "/invoices",
        "/_links/pages",
    )
    .expect_err("bad item");
    assert_eq!(bad.path(), "invoices[1].number");
}

#[tokio::test]
async fn paginate_streams_three_pages_in_order_and_stops_at_the_last() {
    let server = Server::start(three_pages).await;
    let client = client_for(&server).build().expect("client builds");

    let numbers = collect_invoices(client, None).await;

    assert_eq!(numbers, vec![Ok(1), Ok(2), Ok(3), Ok(4), Ok(5)]);
    let pages: Vec<String> = server
        .seen()
        .iter()
        .filter_map(|s| s.query("page").map(str::to_owned))
        .collect();
    assert_eq!(pages, vec!["1", "2", "3"]);
}

#[tokio::test]
async fn paginate_yields_an_error_mid_way_and_ends() {
    let server = Server::start(|seen| match seen.query("page") {
        Some("2") => Reply::json(500, r#"{"error":"boom"}"#),
        _ => three_pages(seen),
    })
    .await;
    let client = client_for(&server).build().expect("client builds");

    let items = collect_invoices(client, None).await;

    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(items[..2], [Ok(1), Ok(2)]);
    let error = items[2].as_ref().expect_err("page 2 fails");
    assert!(error.contains("500"), "{error}");
    assert_eq!(server.seen().len(), 2, "no page after the failed one");
}

#[tokio::test]
async fn paginate_stops_at_an_empty_page_even_with_a_next_link() {
    let server = Server::start(|seen| match seen.query("page") {
        Some("1") => Reply::json(200, invoice_page(&[1], Some(2))),
        _ => Reply::json(200, invoice_page(&[], Some(3))),
    })
    .await;
    let client = client_for(&server).build().expect("client builds");

    let numbers = collect_invoices(client, None).await;

    assert_eq!(numbers, vec![Ok(1)]);
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn paginate_at_most_stops_at_the_page_limit() {
    // A broken server that always claims a next page.
    let server = Server::start(|seen| {
        let page: u32 = seen.query("page").and_then(|p| p.parse().ok()).unwrap_or(0);
        Reply::json(200, invoice_page(&[page], Some(page + 1)))
    })
    .await;
    let client = client_for(&server).build().expect("client builds");

    let numbers = collect_invoices(client, Some(3)).await;

    assert_eq!(numbers, vec![Ok(1), Ok(2), Ok(3)]);
    assert_eq!(server.seen().len(), 3);
}

// ---------------------------------------------------------------------------------------------
// Fetched tokens

const TOKEN_REQUEST_BODY: &[u8] = b"{\"login\":\"test-user\",  \"nonce\":\"98475920834\"}";

#[derive(Deserialize, serde::Serialize)]
struct TokenBody {
    token: String,
    expires_in: u64,
}

fn decode_token(
    status: StatusCode,
    _headers: &HeaderMap,
    body: &[u8],
) -> Result<Decoded<TokenBody, Infallible>, DecodeError> {
    match status.as_u16() {
        200 => decode_json(body).map(Decoded::Ok),
        _ => Ok(Decoded::Unexpected),
    }
}

/// Fetches tokens from the test server's `/auth`, as a signed token exchange would.
struct ServerToken;

impl TokenSource for ServerToken {
    fn fetch<'a>(
        &'a self,
        http: &'a Client,
    ) -> BoxFuture<'a, Result<(Secret, Duration), Error<Infallible>>> {
        Box::pin(async move {
            let request = Request::new(Method::POST, "/auth", "/auth".to_owned())
                .bytes(TOKEN_REQUEST_BODY.to_vec(), "application/json")
                .header("Signature", "c2lnbmVk")
                .no_auth();
            let body = http.execute(request, decode_token).await?.into_inner();
            Ok((
                Secret::new(body.token),
                Duration::from_secs(body.expires_in),
            ))
        })
    }
}

/// Hands out `tok-1`, `tok-2`, ... after a short delay, valid for `valid_for`, counting fetches.
struct CountingToken {
    fetches: Arc<AtomicU32>,
    valid_for: Duration,
}

impl TokenSource for CountingToken {
    fn fetch<'a>(
        &'a self,
        _http: &'a Client,
    ) -> BoxFuture<'a, Result<(Secret, Duration), Error<Infallible>>> {
        Box::pin(async move {
            tokio::time::sleep(Duration::from_millis(30)).await;
            let n = self.fetches.fetch_add(1, Ordering::SeqCst) + 1;
            Ok((Secret::new(format!("tok-{n}")), self.valid_for))
        })
    }
}

/// Serves `/auth` with `tok-1`, `tok-2`, ... and `/thing` with `thing(authorization)`.
async fn token_server(thing: fn(Option<&str>) -> Reply) -> Server {
    let issued = AtomicU32::new(0);
    Server::start(move |seen| match seen.path() {
        "/auth" => {
            let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
            Reply::json(200, format!(r#"{{"token":"tok-{n}","expires_in":1800}}"#))
        }
        _ => thing(seen.header("authorization")),
    })
    .await
}

fn decode_thing(
    status: StatusCode,
    _headers: &HeaderMap,
    body: &[u8],
) -> Result<Decoded<serde_json::Value, ()>, DecodeError> {
    match status.as_u16() {
        200 => decode_json(body).map(Decoded::Ok),
        _ => Ok(Decoded::Unexpected),
    }
}

fn get_thing() -> Request {
    Request::new(Method::GET, "/thing", "/thing".to_owned())
}

fn offline_client() -> Client {
    Client::builder("http://127.0.0.1:9")
        .build()
        .expect("client builds")
}

#[tokio::test]
async fn cached_token_fetches_once_for_concurrent_callers() {
    let fetches = Arc::new(AtomicU32::new(0));
    let cache = Arc::new(CachedToken::new(CountingToken {
        fetches: Arc::clone(&fetches),
        valid_for: Duration::from_secs(3600),
    }));
    let client = offline_client();

    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let cache = Arc::clone(&cache);
            let client = client.clone();
            tokio::spawn(async move { cache.get(&client).await.map(|t| t.expose().to_owned()) })
        })
        .collect();
    let mut tokens = Vec::new();
    for task in tasks {
        tokens.push(task.await.expect("task runs").expect("token"));
    }

    assert_eq!(fetches.load(Ordering::SeqCst), 1);
    assert!(tokens.iter().all(|t| t == "tok-1"), "{tokens:?}");
}

#[tokio::test]
async fn cached_token_is_renewed_when_near_expiry() {
    let fetches = Arc::new(AtomicU32::new(0));
    let cache = CachedToken::new(CountingToken {
        fetches: Arc::clone(&fetches),
        valid_for: Duration::from_millis(300),
    })
    .renew_before(Duration::from_millis(100));
    let client = offline_client();

    let first = cache.get(&client).await.expect("token");
    let cached = cache.get(&client).await.expect("token");
    assert_eq!(fetches.load(Ordering::SeqCst), 1, "still fresh: reused");
    // 250 ms in, less than the 100 ms margin is left of the 300 ms lifetime.
    tokio::time::sleep(Duration::from_millis(250)).await;
    let renewed = cache.get(&client).await.expect("token");

    assert_eq!(first.expose(), "tok-1");
    assert_eq!(cached.expose(), "tok-1");
    assert_eq!(renewed.expose(), "tok-2");
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn cached_token_invalidate_makes_the_next_get_fetch() {
    let fetches = Arc::new(AtomicU32::new(0));
    let cache = CachedToken::new(CountingToken {
        fetches: Arc::clone(&fetches),
        valid_for: Duration::from_secs(3600),
    });
    let client = offline_client();

    cache.get(&client).await.expect("token");
    cache.invalidate();
    let token = cache.get(&client).await.expect("token");

    assert_eq!(token.expose(), "tok-2");
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn token_is_sent_as_bearer_and_the_token_request_carries_no_auth() {
    let server = token_server(|_| Reply::json(200, "{}")).await;
    let client = client_for(&server)
        .token_source(ServerToken)
        .build()
        .expect("client builds");

    client.execute(get_thing(), decode_thing).await.expect("ok");
    client.execute(get_thing(), decode_thing).await.expect("ok");

    let auth = server.requests_to("/auth");
    assert_eq!(auth.len(), 1, "the token is cached");
    assert_eq!(auth[0].header("authorization"), None);
    let things = server.requests_to("/thing");
    assert_eq!(things.len(), 2);
    for thing in &things {
        assert_eq!(thing.header("authorization"), Some("Bearer tok-1"));
    }
}

#[tokio::test]
async fn token_request_body_bytes_are_sent_exactly() {
    let server = token_server(|_| Reply::json(200, "{}")).await;
    let client = client_for(&server)
        .token_source(ServerToken)
        .build()
        .expect("client builds");

    client.execute(get_thing(), decode_thing).await.expect("ok");

    let auth = server.requests_to("/auth");
    assert_eq!(auth[0].body, TOKEN_REQUEST_BODY);
    assert_eq!(auth[0].header("signature"), Some("c2lnbmVk"));
    assert_eq!(auth[0].header("content-type"), Some("application/json"));
}

#[tokio::test]
async fn a_401_invalidates_the_token_and_retries_once_with_a_new_one() {
    // The first token was revoked server-side.
    let server = token_server(|auth| match auth {
        Some("Bearer tok-1") => Reply::json(401, r#"{"error":"token revoked"}"#),
        _ => Reply::json(200, r#"{"ok":true}"#),
    })
    .await;
    let client = client_for(&server)
        .token_source(ServerToken)
        .build()
        .expect("client builds");

    let response = client.execute(get_thing(), decode_thing).await.expect("ok");

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.attempts(), 2);
    assert_eq!(server.requests_to("/auth").len(), 2);
    let sent: Vec<Option<String>> = server
        .requests_to("/thing")
        .iter()
        .map(|s| s.header("authorization").map(str::to_owned))
        .collect();
    assert_eq!(
        sent,
        vec![
            Some("Bearer tok-1".to_owned()),
            Some("Bearer tok-2".to_owned())
        ]
    );
}

#[tokio::test]
async fn a_second_401_is_returned_without_another_token_fetch() {
    let server = token_server(|_| Reply::json(401, r#"{"error":"no access"}"#)).await;
    let client = client_for(&server)
        .token_source(ServerToken)
        .build()
        .expect("client builds");

    let error = client
        .execute(get_thing(), decode_thing)
        .await
        .expect_err("401");

    assert_eq!(error.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(error.attempts(), 2);
    assert_eq!(server.requests_to("/auth").len(), 2);
    assert_eq!(server.requests_to("/thing").len(), 2);
}

#[tokio::test]
async fn a_refused_token_request_is_an_auth_error_and_nothing_else_is_sent() {
    let server = Server::start(|seen| match seen.path() {
        "/auth" => Reply::json(403, r#"{"error":"signature invalid"}"#),
        _ => Reply::json(200, "{}"),
    })
    .await;
    let client = client_for(&server)
        .token_source(ServerToken)
        .build()
        .expect("client builds");

    let error = client
        .execute(get_thing(), decode_thing)
        .await
        .expect_err("no token");

    assert!(
        matches!(error, Error::Auth { attempts: 0, .. }),
        "{error:?}"
    );
    let text = error.to_string();
    assert!(text.contains("403"), "{text}");
    assert!(text.contains("signature invalid"), "{text}");
    assert!(server.requests_to("/thing").is_empty());
}

#[tokio::test]
async fn the_token_never_appears_in_debug_output_or_errors() {
    // A token response of the wrong shape: serde's message and the body excerpt would both
    // quote the token.
    let server = Server::start(|seen| match seen.path() {
        "/auth" => Reply::json(
            200,
            r#"{"token":"SECRET-tok-9","expires_in":"SECRET-tok-9"}"#,
        ),
        _ => Reply::json(200, "{}"),
    })
    .await;
    let client = client_for(&server)
        .token_source(ServerToken)
        .build()
        .expect("client builds");
    let error = client
        .execute(get_thing(), decode_thing)
        .await
        .expect_err("bad token response");
    assert!(matches!(error, Error::Auth { .. }), "{error:?}");
    assert!(error.to_string().contains("expires_in"), "{error}");

    let fetched = CachedToken::new(CountingToken {
        fetches: Arc::new(AtomicU32::new(0)),
        valid_for: Duration::from_secs(3600),
    });
    fetched.get(&offline_client()).await.expect("token");
    let auth = Auth::Token(Arc::new(fetched));
    let with_token = Client::builder("http://127.0.0.1:9")
        .auth(auth.clone())
        .build()
        .expect("client builds");

    for text in [
        error.to_string(),
        format!("{error:?}"),
        format!("{auth:?}"),
        format!("{with_token:?}"),
    ] {
        assert!(!text.contains("SECRET"), "{text}");
        assert!(!text.contains("tok-1"), "{text}");
    }
}

// ---------------------------------------------------------------------------------------------
// Waiting for a state

fn fast_wait() -> WaitPolicy {
    WaitPolicy::new()
        .interval(Duration::from_millis(1))
        .max_interval(Duration::from_millis(4))
        .deadline(Duration::from_secs(5))
}

#[tokio::test]
async fn wait_until_returns_the_value_once_the_state_is_reached() {
    let polls = AtomicU32::new(0);

    let state = wait_until(
        &fast_wait(),
        || async { Ok::<_, Error<()>>(polls.fetch_add(1, Ordering::SeqCst) + 1) },
        |n| *n >= 4,
    )
    .await
    .expect("reached");

    assert_eq!(state, 4);
    assert_eq!(polls.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn wait_until_gives_up_at_the_deadline_with_the_last_value() {
    let started = Instant::now();

    let error = wait_until(
        &fast_wait().deadline(Duration::from_millis(50)),
        || async { Ok::<_, Error<()>>("starting") },
        |state| *state == "started",
    )
    .await
    .expect_err("never reached");

    let WaitError::Deadline {
        elapsed,
        polls,
        last,
    } = &error
    else {
        panic!("expected a deadline error, got {error:?}");
    };
    assert!(*polls >= 2, "{polls}");
    assert!(*elapsed < Duration::from_secs(1), "{elapsed:?}");
    assert_eq!(last.as_deref(), Some("\"starting\""));
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(error.to_string().contains("starting"), "{error}");
}

#[tokio::test]
async fn wait_until_abandons_a_poll_still_running_at_the_deadline() {
    let error = wait_until(
        &fast_wait().deadline(Duration::from_millis(30)),
        || async {
            tokio::time::sleep(Duration::from_secs(10)).await;
            Ok::<_, Error<()>>(0)
        },
        |_| true,
    )
    .await
    .expect_err("too slow");

    assert!(
        matches!(
            error,
            WaitError::Deadline {
                polls: 0,
                last: None,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn wait_until_returns_a_failed_poll_at_once() {
    let polls = AtomicU32::new(0);

    let error = wait_until(
        &fast_wait(),
        || async {
            polls.fetch_add(1, Ordering::SeqCst);
            Err::<u32, _>(Error::<()>::Request {
                message: "bad".to_owned(),
                call: "`poll` (GET /things)".into(),
            })
        },
        |_| true,
    )
    .await
    .expect_err("poll fails");

    assert!(
        matches!(error, WaitError::Request(Error::Request { .. })),
        "{error:?}"
    );
    assert_eq!(polls.load(Ordering::SeqCst), 1);
}

// ---------------------------------------------------------------------------------------------
// Object names

#[test]
fn valid_names_pass() {
    let label63 = format!("a{}", "b".repeat(62));
    let name121 = format!("{label63}.{}", "c".repeat(57));
    assert_eq!(name121.len(), 121);
    for name in [
        "a",
        "my-instance",
        "nginx-1a747",
        "My-Instance",
        "a.b-c.d9",
        "web1.internal",
        label63.as_str(),
        name121.as_str(),
    ] {
        assert_eq!(validate_rfc1035_name(name), Ok(()), "{name}");
    }
}

#[test]
fn an_empty_name_is_rejected() {
    assert_eq!(validate_rfc1035_name(""), Err(NameError::Empty));
}

#[test]
fn a_name_over_121_characters_is_rejected() {
    let name = format!("{}.{}", "a".repeat(60), "b".repeat(61));
    assert_eq!(name.len(), 122);
    assert_eq!(
        validate_rfc1035_name(&name),
        Err(NameError::TooLong { len: 122, max: 121 })
    );
}

#[test]
fn a_label_over_63_characters_is_rejected() {
    let name = format!("ok.{}", "a".repeat(64));
    assert_eq!(
        validate_rfc1035_name(&name),
        Err(NameError::LabelTooLong {
            index: 3,
            len: 64,
            max: 63
        })
    );
}

#[test]
fn characters_other_than_letters_digits_hyphens_and_dots_are_rejected() {
    assert_eq!(
        validate_rfc1035_name("my_instance"),
        Err(NameError::InvalidChar { ch: '_', index: 2 })
    );
    assert_eq!(
        validate_rfc1035_name("café"),
        Err(NameError::InvalidChar { ch: 'é', index: 3 })
    );
    assert_eq!(
        validate_rfc1035_name("a b"),
        Err(NameError::InvalidChar { ch: ' ', index: 1 })
    );
}

#[test]
fn every_label_must_start_with_a_letter() {
    assert_eq!(
        validate_rfc1035_name("1abc"),
        Err(NameError::InvalidStart('1'))
    );
    assert_eq!(
        validate_rfc1035_name("-abc"),
        Err(NameError::InvalidStart('-'))
    );
    assert_eq!(
        validate_rfc1035_name("abc.9x"),
        Err(NameError::InvalidStart('9'))
    );
    assert_eq!(
        validate_rfc1035_name(".abc"),
        Err(NameError::InvalidStart('.'))
    );
}

#[test]
fn every_label_must_end_with_a_letter_or_digit() {
    assert_eq!(
        validate_rfc1035_name("abc-"),
        Err(NameError::InvalidEnd('-'))
    );
    assert_eq!(
        validate_rfc1035_name("ab-.cd"),
        Err(NameError::InvalidEnd('-'))
    );
}

#[test]
fn consecutive_hyphens_are_rejected() {
    assert_eq!(
        validate_rfc1035_name("my--instance"),
        Err(NameError::ConsecutiveHyphens { index: 3 })
    );
}

#[test]
fn consecutive_dots_are_rejected() {
    assert_eq!(
        validate_rfc1035_name("a..b"),
        Err(NameError::ConsecutiveDots { index: 2 })
    );
}

#[test]
fn a_fully_qualified_name_with_a_trailing_dot_is_rejected() {
    assert_eq!(
        validate_rfc1035_name("my-instance."),
        Err(NameError::TrailingDot)
    );
}

#[test]
fn normalizing_a_name_lowercases_it() {
    assert_eq!(
        normalize_rfc1035_name("My-Instance.Web1"),
        Ok("my-instance.web1".to_owned())
    );
    assert_eq!(
        normalize_rfc1035_name("1x"),
        Err(NameError::InvalidStart('1'))
    );
}

#[test]
fn name_errors_say_which_rule_failed() {
    let cases = [
        ("", "empty"),
        ("a_b", "not allowed"),
        ("1a", "start with a letter"),
        ("a-", "end with a letter or digit"),
        ("a--b", "two hyphens"),
        ("a..b", "two dots"),
        ("a.", "must not end with a dot"),
    ];
    for (name, words) in cases {
        let error = validate_rfc1035_name(name).expect_err(name);
        assert!(error.to_string().contains(words), "{name}: {error}");
    }
    let long = validate_rfc1035_name(&"a".repeat(122)).expect_err("too long");
    assert!(long.to_string().contains("at most 121"), "{long}");
    let label = validate_rfc1035_name(&"a".repeat(64)).expect_err("label too long");
    assert!(label.to_string().contains("at most 63"), "{label}");
}

// ---------------------------------------------------------------------------------------------
// Envelopes with per-object results (Unikraft Cloud)

const INSTANCES: EnvelopeSpec = EnvelopeSpec {
    status: "/status",
    message: "/message",
    items: "/data/instances",
    errors: "/errors",
    object: "instance",
    codes: &[(8, "object not found")],
};

#[derive(Debug, Deserialize, serde::Serialize, PartialEq, Clone)]
struct Instance {
    uuid: String,
    name: Option<String>,
}

const PARTIAL: &str = r#"{
  "status": "partial_success",
  "message": "Failed to perform all operations",
  "data": {"instances": [
    {"status": "error", "uuid": "3b5b4c36-2c9b-46e4-80c6-7e5b561938c3",
     "message": "No instance with UUID '3b5b4c36-2c9b-46e4-80c6-7e5b561938c3'", "error": 8},
    {"status": "success", "uuid": "d7354fc2-8ada-4376-b06f-6385cdc460c5", "name": "nginx-1a747"}
  ]}
}"#;

const UNAUTHORIZED: &str = r#"{"status": "error", "errors": [{"status": 401}]}"#;

#[test]
fn envelope_success_decodes_every_item() {
    let body = r#"{"status": "success", "data": {"instances": [
        {"status": "success", "uuid": "u-1", "name": "a"},
        {"status": "success", "uuid": "u-2"}]}}"#;

    let batch = decode_envelope::<Instance>(body.as_bytes(), &INSTANCES).expect("decodes");

    assert_eq!(batch.status, BatchStatus::Success);
    assert!(!batch.is_partial());
    assert_eq!(batch.message, None);
    let uuids: Vec<&str> = batch.oks().map(|i| i.uuid.as_str()).collect();
    assert_eq!(uuids, ["u-1", "u-2"]);
    assert_eq!(batch.failed().count(), 0);
}

#[test]
fn envelope_partial_success_tells_failed_and_succeeded_items_apart() {
    let batch = decode_envelope::<Instance>(PARTIAL.as_bytes(), &INSTANCES).expect("decodes");

    assert_eq!(batch.status, BatchStatus::PartialSuccess);
    assert!(batch.is_partial());
    assert_eq!(
        batch.message.as_deref(),
        Some("Failed to perform all operations")
    );
    match &batch.items[..] {
        [ItemResult::Err(failed), ItemResult::Ok(instance)] => {
            assert_eq!(failed.code, Some(8));
            assert_eq!(failed.status.as_deref(), Some("error"));
            assert_eq!(
                failed.field("uuid"),
                Some("3b5b4c36-2c9b-46e4-80c6-7e5b561938c3")
            );
            assert!(failed.message.is_some());
            assert_eq!(instance.name.as_deref(), Some("nginx-1a747"));
        }
        other => panic!("expected [Err, Ok], got {other:?}"),
    }
    let results = batch.into_results();
    assert!(results[0].is_err());
    assert!(results[1].is_ok());
}

#[test]
fn an_item_error_names_its_object_and_what_its_code_means() {
    let body = r#"{"status": "partial_success", "data": {"instances": [
        {"status": "error", "uuid": "u-1", "name": "my-app", "error": 8, "message": "No instance"},
        {"status": "error", "name": "other", "error": 99},
        {"status": "error", "uuid": "u-3"}]}}"#;

    let batch = decode_envelope::<Instance>(body.as_bytes(), &INSTANCES).expect("decodes");
    let lines: Vec<String> = batch.failed().map(ToString::to_string).collect();

    assert_eq!(
        lines,
        [
            "instance `my-app` (uuid u-1) failed with error 8 (object not found): No instance",
            "instance `other` failed with error 99",
            "instance u-3 failed with status error",
        ]
    );
    assert_eq!(
        batch.failed().next().and_then(|e| e.meaning),
        Some("object not found")
    );
}

#[test]
fn the_envelopes_own_errors_are_request_errors_not_failed_objects() {
    let body = r#"{"status": "partial_success", "errors": [{"status": 400, "message": "odd"}],
        "data": {"instances": [{"status": "success", "uuid": "u-1"}]}}"#;

    let batch = decode_envelope::<Instance>(body.as_bytes(), &INSTANCES).expect("decodes");

    assert_eq!(batch.failed().count(), 0);
    assert_eq!(batch.request_errors.len(), 1);
    assert_eq!(
        batch.request_errors[0].to_string(),
        "request failed with status 400: odd"
    );
}

#[test]
fn a_single_object_envelope_gives_the_object_or_its_failure() {
    let ok = r#"{"status": "success", "data": {"instances": [{"uuid": "u-1", "name": "a"}]}}"#;
    match decode_single_response::<Instance>(StatusCode::OK, ok.as_bytes(), &INSTANCES) {
        Ok(Decoded::Ok(instance)) => assert_eq!(instance.uuid, "u-1"),
        other => panic!("expected the instance, got {other:?}"),
    }

    let failed = r#"{"status": "success", "data": {"instances": [
        {"status": "error", "uuid": "u-1", "error": 8, "message": "No instance"}]}}"#;
    match decode_single_response::<Instance>(StatusCode::OK, failed.as_bytes(), &INSTANCES) {
        Ok(Decoded::Err(error)) => {
            assert_eq!(error.errors.len(), 1);
            assert_eq!(error.errors[0].code, Some(8));
            assert_eq!(
                error.to_string(),
                "the request failed: instance u-1 failed with error 8 (object not found): No instance"
            );
        }
        other => panic!("expected the failure, got {other:?}"),
    }

    let none = r#"{"status": "success", "data": {"instances": []}}"#;
    let error = decode_single_response::<Instance>(StatusCode::OK, none.as_bytes(), &INSTANCES)
        .expect_err("no object is a decode error");
    assert!(error.to_string().contains("found 0"), "{error}");
}

#[tokio::test]
async fn a_failed_single_object_displays_the_object_in_the_error_line() {
    fn decode_one(
        status: StatusCode,
        _headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Decoded<Instance, cloudapi::runtime::BatchError>, DecodeError> {
        decode_single_response(status, body, &INSTANCES)
    }
    let server = Server::start(|_| {
        Reply::json(
            200,
            r#"{"status": "success", "data": {"instances": [
                {"status": "error", "uuid": "u-1", "name": "my-app", "error": 8,
                 "message": "No instance"}]}}"#,
        )
    })
    .await;
    let request = Request::new(
        Method::GET,
        "/instances/u-1",
        "/instances/{uuid}".to_owned(),
    );
    let error = client_for(&server)
        .bearer_token("good")
        .build()
        .expect("client builds")
        .execute(request, decode_one)
        .await
        .expect_err("the object failed");
    let line = error.to_string();
    assert!(
        line.contains(
            "instance `my-app` (uuid u-1) failed with error 8 (object not found): No instance"
        ),
        "{line}"
    );
    assert!(!line.contains("ItemError"), "no Debug output: {line}");
}

#[test]
fn envelope_items_with_a_nonzero_error_code_fail_even_without_an_error_status() {
    let body = r#"{"data": {"instances": [
        {"uuid": "u-1", "error": 3, "message": "quota"},
        {"uuid": "u-2", "error": 0}]}}"#;

    let batch = decode_envelope::<Instance>(body.as_bytes(), &INSTANCES).expect("decodes");

    assert_eq!(batch.items[0].err().and_then(|e| e.code), Some(3));
    assert_eq!(batch.items[1].ok().map(|i| i.uuid.as_str()), Some("u-2"));
    assert_eq!(batch.status, BatchStatus::PartialSuccess, "inferred");
}

#[test]
fn envelope_error_body_gives_the_message_and_errors() {
    let error = decode_envelope_error(UNAUTHORIZED.as_bytes(), &INSTANCES).expect("decodes");

    assert_eq!(error.message, None);
    assert_eq!(error.errors.len(), 1);
    assert_eq!(error.errors[0].status.as_deref(), Some("401"));

    let with_items = decode_envelope_error(PARTIAL.as_bytes(), &INSTANCES).expect("decodes");
    assert_eq!(
        with_items.message.as_deref(),
        Some("Failed to perform all operations")
    );
    assert_eq!(with_items.errors.len(), 1, "only the failed item");
    assert_eq!(with_items.errors[0].code, Some(8));
}

#[test]
fn a_success_status_with_an_error_envelope_is_an_error() {
    let body =
        r#"{"status": "error", "message": "Invalid parameter", "errors": [{"status": 400}]}"#;

    let decoded = decode_envelope_response::<Instance>(StatusCode::OK, body.as_bytes(), &INSTANCES)
        .expect("decodes");

    match decoded {
        Decoded::Err(error) => {
            assert_eq!(error.message.as_deref(), Some("Invalid parameter"));
            assert_eq!(error.errors[0].status.as_deref(), Some("400"));
        }
        other => panic!("expected an error, got {other:?}"),
    }
}

#[test]
fn an_envelope_item_that_does_not_decode_names_its_path() {
    let body = r#"{"status": "success", "data": {"instances": [
        {"status": "success", "uuid": "u-1"},
        {"status": "success", "uuid": 7}]}}"#;

    let error = decode_envelope::<Instance>(body.as_bytes(), &INSTANCES).expect_err("bad item");

    assert_eq!(error.path(), "data.instances[1].uuid");
}

#[tokio::test]
async fn an_enveloped_operation_returns_the_batch_or_a_typed_error() {
    fn decode_instances(
        status: StatusCode,
        _headers: &HeaderMap,
        body: &[u8],
    ) -> Result<
        Decoded<cloudapi::runtime::Batch<Instance>, cloudapi::runtime::BatchError>,
        DecodeError,
    > {
        decode_envelope_response(status, body, &INSTANCES)
    }
    let server = Server::start(|seen| match seen.header("authorization") {
        Some("Bearer good") => Reply::json(200, PARTIAL),
        _ => Reply::json(401, UNAUTHORIZED),
    })
    .await;
    let request = || Request::new(Method::GET, "/instances", "/instances".to_owned());

    let good = client_for(&server)
        .bearer_token("good")
        .build()
        .expect("client builds");
    let batch = good
        .execute(request(), decode_instances)
        .await
        .expect("200")
        .into_inner();
    assert!(batch.is_partial());

    let bad = client_for(&server)
        .bearer_token("bad")
        .build()
        .expect("client builds");
    let error = bad
        .execute(request(), decode_instances)
        .await
        .expect_err("401");
    let api = error.api().expect("an API error");
    assert_eq!(api.status(), StatusCode::UNAUTHORIZED);
    let batch_error = api.error().expect("typed error body");
    assert_eq!(batch_error.errors[0].status.as_deref(), Some("401"));
}
