//! Non-JSON bodies on the wire, against a loopback server: raw bytes up and down
//! (tests/fixtures/octet_stream.yaml) and streamed downloads.

use bytes::Bytes;
use cloudapi::runtime::Error;
use cloudgen_tests::loopback::{Reply, Server};
use cloudgen_tests::snapshots::octet_stream::{self, GetImageError};
use futures_util::StreamExt as _;
use serde_json::json;

/// Every byte value, twice: not UTF-8, with NULs and a lone 0xFF.
fn all_bytes() -> Vec<u8> {
    (0..=255u8).chain((0..=255u8).rev()).collect()
}

fn raw(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
    Reply {
        status,
        headers: vec![("content-type".to_owned(), content_type.to_owned())],
        body,
    }
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(f)
}

#[test]
fn an_upload_sends_the_exact_bytes_with_its_content_type() {
    block_on(async {
        let server = Server::scripted("", vec![Reply::json(201, &json!({"size": 512}))]).await;
        let client = octet_stream::Client::new(&server.base_url).expect("a client");
        let info = client
            .upload_file("a b", all_bytes())
            .send()
            .await
            .expect("uploads");
        assert_eq!(info.size, 512);
        let seen = server.only_request();
        assert_eq!(seen.method, "PUT");
        assert_eq!(seen.target, "/files/a%20b");
        assert_eq!(
            seen.header("content-type"),
            Some("application/octet-stream")
        );
        assert_eq!(seen.body, all_bytes(), "the body goes out byte for byte");
    });
}

#[test]
fn an_optional_binary_body_is_sent_only_when_set() {
    block_on(async {
        let server = Server::scripted("", vec![Reply::empty(204)]).await;
        let client = octet_stream::Client::new(&server.base_url).expect("a client");
        client.put_image("none").send().await.expect("stores");
        client
            .put_image("png")
            .body(Bytes::from_static(b"\x89PNG\r\n\x1a\n\0\xff"))
            .send()
            .await
            .expect("stores");
        let seen = server.seen();
        assert_eq!(seen.len(), 2);
        assert!(
            seen[0].body.is_empty(),
            "no body was set: {:?}",
            seen[0].body
        );
        assert_eq!(seen[0].header("content-type"), None);
        assert_eq!(seen[1].header("content-type"), Some("image/png"));
        assert_eq!(seen[1].body, b"\x89PNG\r\n\x1a\n\0\xff".to_vec());
    });
}

#[test]
fn a_download_comes_back_as_the_exact_bytes() {
    block_on(async {
        let server =
            Server::scripted("", vec![raw(200, "application/octet-stream", all_bytes())]).await;
        let client = octet_stream::Client::new(&server.base_url).expect("a client");
        let body: Bytes = client.download_file("f").send().await.expect("downloads");
        assert_eq!(
            body.as_ref(),
            all_bytes().as_slice(),
            "no lossy text decoding"
        );
    });
}

#[test]
fn a_streamed_download_passes_the_body_limit_and_keeps_every_byte() {
    block_on(async {
        // Larger than the client's body limit, which only `send` applies.
        let big: Vec<u8> = all_bytes().into_iter().cycle().take(300_000).collect();
        let server = Server::scripted("", vec![raw(200, "image/png", big.clone())]).await;
        let runtime = cloudapi::runtime::Client::builder(&server.base_url)
            .max_body_bytes(100_000)
            .build()
            .expect("a client");
        let client = octet_stream::Client::from_runtime(runtime);

        let whole = client.get_image("big").send().await;
        assert!(
            matches!(whole, Err(Error::BodyTooLarge { limit: 100_000, .. })),
            "send() keeps the limit: {whole:?}"
        );

        let response = client
            .get_image("big")
            .send_stream()
            .await
            .expect("streams");
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers().get("content-type").map(|v| v.as_bytes()),
            Some(&b"image/png"[..])
        );
        let mut stream = Box::pin(response.into_inner().into_stream());
        let mut got = Vec::new();
        while let Some(chunk) = stream.next().await {
            got.extend_from_slice(&chunk.expect("a chunk"));
        }
        assert_eq!(got.len(), big.len());
        assert_eq!(got, big);

        let collected = client
            .get_image("big")
            .send_stream()
            .await
            .expect("streams")
            .into_inner()
            .collect()
            .await
            .expect("reads to the end");
        assert_eq!(collected.as_ref(), big.as_slice());
    });
}

#[test]
fn a_streamed_download_decodes_a_documented_error() {
    block_on(async {
        let server =
            Server::scripted("", vec![Reply::json(404, &json!({"message": "gone"}))]).await;
        let client = octet_stream::Client::new(&server.base_url).expect("a client");
        let err = client
            .get_image("missing")
            .send_stream()
            .await
            .expect_err("a 404 is an error");
        let Error::Api(api) = err else {
            panic!("expected an API error, got {err:?}");
        };
        assert_eq!(api.status(), 404);
        match api.error() {
            Some(GetImageError::NotFound(problem)) => assert_eq!(problem.message, "gone"),
            other => panic!("expected the typed 404 body, got {other:?}"),
        }
    });
}

#[test]
fn an_operation_without_documented_responses_returns_the_body_as_bytes() {
    block_on(async {
        let server = Server::scripted("", vec![raw(200, "text/csv", b"a,b\n1,2\n".to_vec())]).await;
        let client = octet_stream::Client::new(&server.base_url).expect("a client");
        let body = client.latest_export().send().await.expect("any 2xx body");
        assert_eq!(body.as_ref(), b"a,b\n1,2\n");
        let streamed = client
            .latest_export()
            .send_stream()
            .await
            .expect("streams")
            .into_inner()
            .collect()
            .await
            .expect("reads");
        assert_eq!(streamed.as_ref(), b"a,b\n1,2\n");
    });
}
