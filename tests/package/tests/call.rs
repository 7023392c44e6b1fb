//! The generated client, built from the packaged crates, calls a server on loopback.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpListener;
use std::thread;

use cloudgen_package_check::petstore::Client;

/// Answers one request with pet 1 and returns what the request looked like: its request line
/// and its `User-Agent`.
fn serve_one(listener: TcpListener) -> thread::JoinHandle<(String, String)> {
    thread::spawn(move || {
        let (stream, _) = listener.accept().expect("a connection");
        let mut reader = BufReader::new(stream);
        let mut request_line = String::new();
        reader.read_line(&mut request_line).expect("a request line");
        let mut user_agent = String::new();
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).expect("a header line");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                match name.to_ascii_lowercase().as_str() {
                    "user-agent" => user_agent = value.trim().to_owned(),
                    "content-length" => length = value.trim().parse().unwrap_or(0),
                    _ => {}
                }
            }
        }
        let mut body = vec![0u8; length];
        reader.read_exact(&mut body).expect("the body");
        let json = br#"{"id": 1, "name": "Rex", "status": "available"}"#;
        let mut stream = reader.into_inner();
        write!(
            stream,
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            json.len()
        )
        .expect("the response head");
        stream.write_all(json).expect("the response body");
        (request_line.trim_end().to_owned(), user_agent)
    })
}

#[tokio::test]
async fn the_packaged_crates_generate_a_working_client() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let base_url = format!("http://{}", listener.local_addr().expect("an address"));
    let server = serve_one(listener);
    let client = Client::new(base_url).expect("a client for a loopback URL");
    let pet = client.get_pet(1).send().await.expect("pet 1");
    assert_eq!((pet.id, pet.name.as_str()), (1, "Rex"));
    let (request_line, user_agent) = server.join().expect("the server thread");
    assert_eq!(request_line, "GET /pets/1 HTTP/1.1");
    assert!(
        user_agent.starts_with("cloudgen-package-check/0.0.0 cloudgen/"),
        "{user_agent}"
    );
}
