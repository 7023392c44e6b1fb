//! Secrets given to generated clients never show in `Debug`, `Display`, error
//! messages or tracing output, while they are still sent on the wire.

use std::io::Write;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const TOKEN: &str = "tok-SECRET-4f9a1c";
const PASSWORD: &str = "pw-SECRET-77b2";

/// Answers every request with `status` and a JSON body, and keeps the raw requests.
async fn serve(status: &'static str) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let url = format!("http://{}", listener.local_addr().expect("local addr"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = vec![0u8; 16 * 1024];
            let n = socket.read(&mut buf).await.unwrap_or(0);
            log.lock()
                .expect("log lock")
                .push(String::from_utf8_lossy(&buf[..n]).into_owned());
            let body = r#"{"error":{"error_code":"AUTHENTICATION_FAILED","error_message":"Authentication failed"}}"#;
            let reply = format!(
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(reply.as_bytes()).await;
        }
    });
    (url, seen)
}

/// A writer collecting everything a tracing subscriber prints.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("capture lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains(TOKEN), "{what} shows the token: {text}");
    assert!(
        !text.contains(PASSWORD),
        "{what} shows the password: {text}"
    );
}

#[tokio::test]
async fn bearer_token_is_sent_but_never_shown() {
    let (url, seen) = serve("401 Unauthorized").await;
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let client = cloudapi::upcloud::Client::from_runtime(
        cloudapi::upcloud::Client::builder()
            .base_url(url)
            .bearer_token(TOKEN)
            .build()
            .expect("client builds"),
    );
    assert_clean("client Debug", &format!("{client:?}"));
    let err = client
        .get_account()
        .send()
        .await
        .expect_err("the server answers 401");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_clean("error Display", &err.to_string());
    assert_clean("error Debug", &format!("{err:?}"));
    let mut source = std::error::Error::source(&err);
    while let Some(s) = source {
        assert_clean("error source", &s.to_string());
        source = s.source();
    }
    let traces = String::from_utf8_lossy(&captured.0.lock().expect("capture lock")).into_owned();
    assert!(
        !traces.is_empty(),
        "tracing printed nothing; the span was not recorded"
    );
    assert_clean("tracing output", &traces);

    let requests = seen.lock().expect("log lock").join("\n");
    assert!(
        requests.contains(&format!("authorization: Bearer {TOKEN}")),
        "the token was not sent: {requests}"
    );
}

#[tokio::test]
async fn basic_auth_password_is_sent_but_never_shown() {
    let (url, seen) = serve("401 Unauthorized").await;
    let client = cloudapi::upcloud::Client::from_runtime(
        cloudapi::upcloud::Client::builder()
            .base_url(url)
            .basic_auth("user", PASSWORD)
            .build()
            .expect("client builds"),
    );
    assert_clean("client Debug", &format!("{client:?}"));
    let err = client
        .get_account()
        .send()
        .await
        .expect_err("the server answers 401");
    assert_clean("error Display", &err.to_string());
    assert_clean("error Debug", &format!("{err:?}"));
    let requests = seen.lock().expect("log lock").join("\n");
    assert!(
        requests.contains("authorization: Basic "),
        "basic credentials were not sent: {requests}"
    );
}

#[test]
fn runtime_secret_redacts_in_debug_and_display() {
    let secret = cloudapi::runtime::Secret::new(TOKEN);
    assert_clean("Secret Debug", &format!("{secret:?}"));
    assert_clean("Secret Display", &format!("{secret}"));
    assert_eq!(secret.expose(), TOKEN);
}
