//! A real redis-server for each test, on a free port of 127.0.0.1, without persistence.

#![allow(dead_code, unreachable_pub)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use sse_codec::{Decoder, Event, Frame};
use sse_server::Subscription;

/// How long a test waits for anything that should happen.
pub const PATIENCE: Duration = Duration::from_secs(10);

const REDIS_SERVER: &str = "redis-server";

/// A redis-server child process, killed when dropped.
pub struct RedisServer {
    child: Option<Child>,
    pub port: u16,
    dir: PathBuf,
}

impl RedisServer {
    /// Starts one; `None` (printed) when redis-server is not installed, a panic under CI=true.
    pub fn start() -> Option<Self> {
        let found = Command::new(REDIS_SERVER)
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if !found {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "redis-server is not installed, and CI=true"
            );
            eprintln!("skipped: redis-server is not installed");
            return None;
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let dir =
            std::env::temp_dir().join(format!("sse-redis-test-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let mut server = RedisServer {
            child: None,
            port,
            dir,
        };
        server.launch();
        Some(server)
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    fn launch(&mut self) {
        let child = Command::new(REDIS_SERVER)
            .args(["--save", "", "--appendonly", "no", "--bind", "127.0.0.1"])
            .arg("--port")
            .arg(self.port.to_string())
            .arg("--dir")
            .arg(&self.dir)
            .stdout(Stdio::null())
            .spawn()
            .expect("start redis-server");
        self.child = Some(child);
        let started = Instant::now();
        while self.command("PING") != Some("+PONG".into()) {
            assert!(started.elapsed() < PATIENCE, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills the server at once (SIGKILL): nothing is saved.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same port (with the dump a `SAVE` left, if any).
    pub fn restart(&mut self) {
        self.kill();
        self.launch();
    }

    /// Sends one inline command; the first line of the answer.
    pub fn command(&self, command: &str) -> Option<String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
        stream.write_all(format!("{command}\r\n").as_bytes()).ok()?;
        let mut answer = [0; 512];
        let read = stream.read(&mut answer).ok()?;
        let text = String::from_utf8_lossy(&answer[..read]);
        text.lines().next().map(str::to_owned)
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Reads a subscription's frames as events.
pub struct Reader {
    pub subscription: Subscription,
    decoder: Decoder,
    buffer: bytes::BytesMut,
}

impl Reader {
    pub fn new(subscription: Subscription) -> Self {
        Reader {
            subscription,
            decoder: Decoder::new(),
            buffer: bytes::BytesMut::new(),
        }
    }

    /// The next event, within [`PATIENCE`].
    pub async fn next(&mut self) -> Event {
        tokio::time::timeout(PATIENCE, self.next_event())
            .await
            .expect("an event in time")
    }

    /// The next event if one comes within `wait`.
    pub async fn next_within(&mut self, wait: Duration) -> Option<Event> {
        tokio::time::timeout(wait, self.next_event()).await.ok()
    }

    async fn next_event(&mut self) -> Event {
        loop {
            while let Some(frame) = self
                .decoder
                .decode(&mut self.buffer)
                .expect("a valid frame")
            {
                if let Frame::Event(event) = frame {
                    return event;
                }
            }
            let bytes = self.subscription.next().await.expect("the stream goes on");
            self.buffer.extend_from_slice(&bytes);
        }
    }
}

/// Publishes until Redis takes it (it may be reconnecting), within [`PATIENCE`].
pub async fn publish_when_back(hub: &sse_redis::RedisHub, data: &str) -> String {
    let started = Instant::now();
    loop {
        match hub.publish(Event::new(data.to_owned())).await {
            Ok(id) => return id.to_string(),
            Err(error) => {
                assert!(started.elapsed() < PATIENCE, "Redis is not back: {error}");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}
