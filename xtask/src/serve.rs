//! A small static file server for the built book, rebuilding when a source changes.
//!
//! It listens on 127.0.0.1 only. Refresh the page after a rebuild; the terminal
//! says when.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, SystemTime};

pub fn serve(root: &Path, port: u16) -> Result<(), String> {
    crate::build::build(root)?.print();
    let out = root.join("target/book");
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    eprintln!("serving the book on http://127.0.0.1:{port}/ (Ctrl-C to stop)");
    let watched = root.to_path_buf();
    thread::spawn(move || rebuild_on_change(&watched));
    for stream in listener.incoming().flatten() {
        let out = out.clone();
        thread::spawn(move || {
            let _ = respond(stream, &out);
        });
    }
    Ok(())
}

/// Polls the sources once a second and rebuilds after a change.
fn rebuild_on_change(root: &Path) {
    let sources =
        [root.join("book"), root.join("listings"), root.join("book.toml")];
    let mut seen = newest(&sources);
    loop {
        thread::sleep(Duration::from_secs(1));
        let now = newest(&sources);
        if now > seen {
            seen = now;
            eprintln!("change seen: rebuilding");
            match crate::build::build(root) {
                Ok(report) => report.print(),
                Err(e) => eprintln!("rebuild failed: {e}"),
            }
        }
    }
}

fn newest(paths: &[PathBuf]) -> SystemTime {
    paths.iter().map(|p| newest_in(p)).max().unwrap_or(SystemTime::UNIX_EPOCH)
}

fn newest_in(path: &Path) -> SystemTime {
    let own = fs::metadata(path)
        .and_then(|m| m.modified())
        .unwrap_or(SystemTime::UNIX_EPOCH);
    let children = fs::read_dir(path)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| newest_in(&e.path()));
    children.fold(own, SystemTime::max)
}

fn respond(mut stream: TcpStream, out: &Path) -> std::io::Result<()> {
    let mut request = String::new();
    BufReader::new(&stream).read_line(&mut request)?;
    let raw = request.split_whitespace().nth(1).unwrap_or("/");
    let path = raw.split(['?', '#']).next().unwrap_or("/");
    // Refuse anything that climbs out of the book.
    if path.split('/').any(|part| part == "..") {
        return reply(&mut stream, "403 Forbidden", "text/plain", b"forbidden");
    }
    let mut file = out.join(path.trim_start_matches('/'));
    if file.is_dir() {
        file = file.join("index.html");
    }
    match fs::read(&file) {
        Ok(body) => reply(&mut stream, "200 OK", content_type(&file), &body),
        Err(_) => {
            let body = fs::read(out.join("404.html"))
                .unwrap_or_else(|_| b"not found".to_vec());
            reply(&mut stream, "404 Not Found", "text/html; charset=utf-8", &body)
        }
    }
}

fn reply(
    stream: &mut TcpStream,
    status: &str,
    kind: &str,
    body: &[u8],
) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(body)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css",
        "js" => "text/javascript",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}
