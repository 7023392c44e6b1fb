//! Client overhead: requests and decoding through `cloudapi` versus the same work written by
//! hand with reqwest and serde_json, against a loopback HTTP/1.1 server.
//!
//! ```sh
//! nice cargo bench -p cloudgen-tests --bench client
//! ```
//!
//! Options after `--`: `--rounds N` (default 15), `--requests N` (requests per round,
//! default 400), and case names to run only those. `--side cloudapi|by_hand` sends only that
//! side's `GET /account`, `--requests` times, with no timing: for counting instructions under
//! callgrind (`tests/bench/request_instructions.sh`), where timings mean nothing. Every case runs in interleaved rounds (A, B, A, B, ...) so that drift on a
//! shared machine hits both sides alike; a round's figure is its mean per operation, the table
//! shows the median and p90 of the rounds, and `overhead` is the median of the per-round ratios.
//!
//! Cases:
//! - `request/*`: one `GET /account` (small JSON body in UpCloud's `{"account": ...}`
//!   envelope): `cloudapi::upcloud::Client::get_account().send()` versus `reqwest::Client::get`
//!   + `serde_json::from_slice` into the same generated `types::Account`.
//! - `decode/*`: a JSON array of 10,000 UpCloud servers into `Vec<types::Server>`:
//!   `cloudapi::runtime::decode_json` versus `serde_json::from_slice`.
//! - `decode_envelope/*`: the same list in its wire envelope `{"servers":{"server":[...]}}`:
//!   `cloudapi::runtime::decode_json_pointer` (what `list_servers` uses) versus
//!   `serde_json::from_slice` into a hand-written envelope struct.
//! - `list_10k/*`: `list_servers().send()` with the 10,000 servers over loopback versus
//!   reqwest + serde_json.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use cloudapi::upcloud::types::{Account, Server};
use serde::Deserialize;

const ITEMS: usize = 10_000;

#[derive(Deserialize, serde::Serialize)]
struct AccountEnvelope {
    account: Account,
}

#[derive(Deserialize, serde::Serialize)]
struct ServersEnvelope {
    servers: ServersInner,
}

#[derive(Deserialize, serde::Serialize)]
struct ServersInner {
    server: Vec<Server>,
}

fn account_body() -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "account": {
            "username": "bench",
            "credits": 10000.5,
            "resource_limits": {
                "cores": 100, "memory": 307200, "networks": 100, "network_peerings": 100,
                "detached_floating_ips": 10, "public_ipv4": 100, "public_ipv6": 100,
                "storage_hdd": 10240, "storage_ssd": 10240, "storage_maxiops": 10240
            }
        }
    }))
    .expect("serializes")
}

fn server_items() -> Vec<serde_json::Value> {
    let states = ["started", "stopped", "maintenance", "error"];
    (0..ITEMS)
        .map(|i| {
            serde_json::json!({
                "uuid": format!("00{:06x}-fd3e-4e0a-b7c6-{:012x}", i, i * 7919),
                "title": format!("web server {i}"),
                "hostname": format!("web{i}.example.com"),
                "state": states[i % states.len()],
                "zone": "fi-hel1",
                "core_number": (1 + i % 16).to_string(),
                "memory_amount": (1024 * (1 + i % 32)).to_string(),
                "plan": "2xCPU-4GB",
                "plan_ipv4_bytes": (i * 1000).to_string(),
                "plan_ipv6_bytes": "0",
                "license": 0.0,
                "labels": {"label": [{"key": "env", "value": "prod"}, {"key": "team", "value": format!("t{}", i % 10)}]},
                "tags": {"tag": ["web", "prod"]}
            })
        })
        .collect()
}

/// A minimal keep-alive HTTP/1.1 server answering every request for a path with fixed bytes.
///
/// It runs as tasks on the benchmark's own single-threaded runtime, so a round trip is a
/// handful of non-blocking syscalls on one thread. A server on other threads made each
/// round trip wait for a sleeping thread to wake, which on this virtual machine took
/// 15 to 100 µs at random and drowned the client's own cost.
fn serve(rt: &tokio::runtime::Runtime, routes: Vec<(&'static str, Vec<u8>)>) -> SocketAddr {
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("binds a loopback port");
    let addr = listener.local_addr().expect("has an address");
    let responses: Vec<(String, Vec<u8>)> = routes
        .into_iter()
        .map(|(path, body)| {
            let mut response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                body.len()
            )
            .into_bytes();
            response.extend_from_slice(&body);
            (format!(" {path} "), response)
        })
        .collect();
    let responses = std::sync::Arc::new(responses);
    rt.spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let responses = responses.clone();
            tokio::spawn(async move { connection(stream, &responses).await });
        }
    });
    addr
}

async fn connection(mut stream: tokio::net::TcpStream, responses: &[(String, Vec<u8>)]) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let _ = stream.set_nodelay(true);
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        // Requests are bodiless GETs: a request ends at the blank line.
        let end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..end]).into_owned();
        buf.drain(..end);
        let request_line = head.lines().next().unwrap_or_default();
        let response = responses
            .iter()
            .find(|(path, _)| request_line.contains(path.as_str()))
            .map(|(_, r)| r.as_slice())
            .unwrap_or(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n");
        if stream.write_all(response).await.is_err() {
            return;
        }
    }
}

#[derive(Clone, Copy)]
struct Stats {
    median: Duration,
    p90: Duration,
    n: usize,
}

fn stats(mut samples: Vec<Duration>) -> Stats {
    samples.sort();
    let n = samples.len();
    let p90 = ((n * 9).div_ceil(10)).clamp(1, n) - 1;
    Stats {
        median: samples[n / 2],
        p90: samples[p90],
        n,
    }
}

fn fmt_duration(d: Duration) -> String {
    let ns = d.as_nanos();
    if ns >= 10_000_000 {
        format!("{:.2} ms", d.as_secs_f64() * 1e3)
    } else {
        format!("{:.1} us", d.as_secs_f64() * 1e6)
    }
}

/// Runs `a` and `b` in interleaved rounds of `per_round` operations each.
fn compare(
    name: &str,
    target: f64,
    rounds: usize,
    per_round: usize,
    mut a: impl FnMut(),
    mut b: impl FnMut(),
) -> bool {
    // Warm-up: connections, allocator, caches.
    for _ in 0..per_round.div_ceil(4) {
        a();
        b();
    }
    let mut sa = Vec::with_capacity(rounds);
    let mut sb = Vec::with_capacity(rounds);
    for round in 0..rounds {
        // Alternate which side goes first.
        let run = |f: &mut dyn FnMut(), out: &mut Vec<Duration>| {
            let start = Instant::now();
            for _ in 0..per_round {
                f();
            }
            out.push(start.elapsed() / per_round as u32);
        };
        if round % 2 == 0 {
            run(&mut a, &mut sa);
            run(&mut b, &mut sb);
        } else {
            run(&mut b, &mut sb);
            run(&mut a, &mut sa);
        }
    }
    // Each round's A and B ran back to back, so the median of the per-round ratios cancels
    // most of the drift of a shared machine.
    let mut ratios: Vec<f64> = sa
        .iter()
        .zip(&sb)
        .map(|(a, b)| a.as_secs_f64() / b.as_secs_f64())
        .collect();
    ratios.sort_by(f64::total_cmp);
    let ratio = ratios[ratios.len() / 2];
    let (sa, sb) = (stats(sa), stats(sb));
    let ok = ratio <= 1.0 + target;
    for (side, s) in [("cloudapi", sa), ("by_hand", sb)] {
        println!(
            "{:<34} {:>12} {:>12} {:>4}",
            format!("{name}/{side}"),
            fmt_duration(s.median),
            fmt_duration(s.p90),
            s.n
        );
    }
    println!(
        "{:<34} {:>+11.1}% {:>12}  {} (target <= +{:.0}%)",
        format!("{name}/overhead"),
        (ratio - 1.0) * 100.0,
        "",
        if ok { "ok" } else { "MISSED" },
        target * 100.0
    );
    ok
}

fn main() {
    let mut rounds = 15usize;
    let mut requests = 400usize;
    let mut only: Vec<String> = Vec::new();
    let mut side: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--side" => side = args.next(),
            "--rounds" => rounds = args.next().and_then(|n| n.parse().ok()).unwrap_or(rounds),
            "--requests" => requests = args.next().and_then(|n| n.parse().ok()).unwrap_or(requests),
            // Passed by `cargo bench`.
            "--bench" => {}
            name => only.push(name.to_string()),
        }
    }
    let run = |name: &str| only.is_empty() || only.iter().any(|o| name.contains(o.as_str()));

    // Counting the instructions of one request needs no list of 10,000 servers.
    let (plain, envelope) = if side.is_some() {
        (Vec::new(), Vec::new())
    } else {
        let items = server_items();
        let plain = serde_json::to_vec(&items).expect("serializes");
        let envelope = serde_json::to_vec(&serde_json::json!({"servers": {"server": items}}))
            .expect("serializes");
        (plain, envelope)
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let addr = serve(
        &rt,
        vec![
            ("/1.3/account", account_body()),
            ("/1.3/server", envelope.clone()),
        ],
    );
    let base = format!("http://{addr}/1.3");

    let client = cloudapi::upcloud::Client::unauthenticated(base.clone()).expect("a client");
    // The same request bytes as the generated client sends (it adds a User-Agent). The
    // runtime's reqwest has no TLS crypto provider of its own: start from the runtime's
    // builder, which gives it one (TLS plays no part over plain HTTP).
    let http = cloudapi::runtime::reqwest_client_builder()
        .expect("a TLS configuration")
        .user_agent("cloudapi/0.1.0")
        .build()
        .expect("a reqwest client");
    let account_url = format!("{base}/account");
    let servers_url = format!("{base}/server");

    let by_api = || {
        let account = rt
            .block_on(client.get_account().send())
            .expect("get_account");
        std::hint::black_box(account);
    };
    let by_hand = || {
        let account = rt
            .block_on(async {
                let response = http.get(&account_url).send().await?.error_for_status()?;
                let body = response.bytes().await?;
                Ok::<_, reqwest::Error>(
                    serde_json::from_slice::<AccountEnvelope>(&body)
                        .expect("decodes")
                        .account,
                )
            })
            .expect("by hand");
        std::hint::black_box(account);
    };
    if let Some(side) = side {
        let send: &dyn Fn() = match side.as_str() {
            "cloudapi" => &by_api,
            "by_hand" => &by_hand,
            other => panic!("--side takes cloudapi or by_hand, not {other:?}"),
        };
        for _ in 0..requests {
            send();
        }
        println!("{side}: {requests} requests");
        return;
    }

    println!("{:<34} {:>12} {:>12} {:>4}", "name", "median", "p90", "n");
    let mut all_ok = true;

    all_ok &= !run("request/get_account")
        || compare(
            "request/get_account",
            0.05,
            rounds,
            requests,
            by_api,
            by_hand,
        );

    let decode_rounds = rounds.max(9);
    all_ok &= !run("decode/10k_servers")
        || compare(
            "decode/10k_servers",
            0.10,
            decode_rounds,
            3,
            || {
                let v: Vec<Server> = cloudapi::runtime::decode_json(&plain).expect("decodes");
                assert_eq!(v.len(), ITEMS);
                std::hint::black_box(v);
            },
            || {
                let v: Vec<Server> = serde_json::from_slice(&plain).expect("decodes");
                assert_eq!(v.len(), ITEMS);
                std::hint::black_box(v);
            },
        );

    all_ok &= !run("decode_envelope/10k_servers")
        || compare(
            "decode_envelope/10k_servers",
            0.10,
            decode_rounds,
            3,
            || {
                let v: Vec<Server> =
                    cloudapi::runtime::decode_json_pointer(&envelope, "/servers/server")
                        .expect("decodes");
                assert_eq!(v.len(), ITEMS);
                std::hint::black_box(v);
            },
            || {
                let v: ServersEnvelope = serde_json::from_slice(&envelope).expect("decodes");
                assert_eq!(v.servers.server.len(), ITEMS);
                std::hint::black_box(v);
            },
        );

    all_ok &= !run("list_10k/list_servers")
        || compare(
            "list_10k/list_servers",
            0.10,
            decode_rounds,
            3,
            || {
                let v = rt
                    .block_on(client.list_servers().send())
                    .expect("list_servers");
                assert_eq!(v.len(), ITEMS);
                std::hint::black_box(v);
            },
            || {
                let v = rt
                    .block_on(async {
                        let response = http.get(&servers_url).send().await?.error_for_status()?;
                        let body = response.bytes().await?;
                        Ok::<_, reqwest::Error>(
                            serde_json::from_slice::<ServersEnvelope>(&body)
                                .expect("decodes")
                                .servers
                                .server,
                        )
                    })
                    .expect("by hand");
                assert_eq!(v.len(), ITEMS);
                std::hint::black_box(v);
            },
        );

    if !all_ok {
        println!("(a target was missed)");
    }
}
