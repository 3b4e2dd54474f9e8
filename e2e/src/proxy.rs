//! A TCP relay in front of an example, to drop connections the way a network does.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Relays every connection made to [`addr`](Self::addr) to the upstream server, until told to
/// [`cut`](Self::cut) them. Listens on 127.0.0.1 only.
pub struct Proxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accepting: JoinHandle<()>,
}

struct Shared {
    upstream: SocketAddr,
    /// Bumped by every cut; each connection ends when it changes.
    cuts: watch::Sender<u64>,
    /// While `true`, new connections are accepted but not relayed yet.
    held: watch::Sender<bool>,
    requests: Mutex<Vec<RequestHead>>,
}

/// The head of one request the proxy relayed: request line and headers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestHead {
    /// The request line, e.g. `GET /events HTTP/1.1`.
    pub line: String,
    /// The header fields, names lower-cased, in order.
    pub headers: Vec<(String, String)>,
}

impl RequestHead {
    /// The value of the first header named `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(field, _)| field.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Whether this is a `method` request for `path`.
    pub fn is(&self, method: &str, path: &str) -> bool {
        let mut parts = self.line.split(' ');
        parts.next() == Some(method) && parts.next() == Some(path)
    }

    /// Parses a request head at the start of `bytes`, if they hold one (a chunk of a request
    /// body or of a pipelined stream does not).
    fn parse(bytes: &[u8]) -> Option<RequestHead> {
        let text = String::from_utf8_lossy(bytes);
        let head = text.split("\r\n\r\n").next()?;
        let mut lines = head.split("\r\n");
        let line = lines.next()?;
        let method = line.split(' ').next()?;
        if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
            return None;
        }
        let headers = lines
            .filter_map(|field| field.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
            .collect();
        Some(RequestHead {
            line: line.to_owned(),
            headers,
        })
    }
}

impl Proxy {
    /// Starts relaying to `upstream`.
    ///
    /// # Panics
    ///
    /// If it cannot listen on 127.0.0.1.
    pub async fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("the proxy listens on 127.0.0.1");
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let shared = Arc::new(Shared {
            upstream,
            cuts: watch::Sender::new(0),
            held: watch::Sender::new(false),
            requests: Mutex::new(Vec::new()),
        });
        let accepting = tokio::spawn({
            let shared = Arc::clone(&shared);
            async move {
                while let Ok((client, _)) = listener.accept().await {
                    let cut = shared.cuts.subscribe();
                    tokio::spawn(relay(client, Arc::clone(&shared), cut));
                }
            }
        });
        Proxy {
            addr,
            shared,
            accepting,
        }
    }

    /// The address the browser should use.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<addr><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Closes every connection open now, as a network failure would (new ones are relayed).
    pub fn cut(&self) {
        self.shared.cuts.send_modify(|cuts| *cuts += 1);
    }

    /// Accepts new connections but relays nothing until [`release`](Self::release): a
    /// reconnecting client then waits, as if the network were slow to come back.
    pub fn hold(&self) {
        self.shared.held.send_replace(true);
    }

    /// Relays the connections held back, and new ones.
    pub fn release(&self) {
        self.shared.held.send_replace(false);
    }

    /// The heads of the requests relayed so far, oldest first.
    pub fn requests(&self) -> Vec<RequestHead> {
        self.shared.lock_requests().clone()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.accepting.abort();
        self.cut();
    }
}

impl Shared {
    fn lock_requests(&self) -> std::sync::MutexGuard<'_, Vec<RequestHead>> {
        self.requests.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Relays one connection until either side closes it or the proxy cuts it.
async fn relay(mut client: TcpStream, shared: Arc<Shared>, mut cut: watch::Receiver<u64>) {
    let mut held = shared.held.subscribe();
    tokio::select! {
        _ = held.wait_for(|held| !*held) => {}
        _ = cut.changed() => return,
    }
    let Ok(mut upstream) = TcpStream::connect(shared.upstream).await else {
        return;
    };
    let (mut from_client, mut to_client) = client.split();
    let (mut from_upstream, mut to_upstream) = upstream.split();
    let requests = async {
        let mut buf = vec![0; 64 * 1024];
        loop {
            let n = from_client.read(&mut buf).await?;
            if n == 0 {
                return to_upstream.shutdown().await;
            }
            if let Some(head) = RequestHead::parse(&buf[..n]) {
                shared.lock_requests().push(head);
            }
            to_upstream.write_all(&buf[..n]).await?;
        }
    };
    let responses = tokio::io::copy(&mut from_upstream, &mut to_client);
    tokio::select! {
        _ = async { tokio::try_join!(requests, responses) } => {}
        _ = cut.changed() => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_heads_are_parsed_and_other_bytes_are_not() {
        let head =
            RequestHead::parse(b"GET /events HTTP/1.1\r\nHost: x\r\nLast-Event-ID: 7\r\n\r\n")
                .unwrap();
        assert!(head.is("GET", "/events"));
        assert_eq!(head.header("last-event-id"), Some("7"));
        assert_eq!(head.header("accept"), None);
        assert_eq!(RequestHead::parse(b"hello: world\r\n\r\n"), None);
    }
}
