//! Headless Chromium driven over WebDriver (`chromedriver`).

use std::future::Future;
use std::net::TcpListener;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use fantoccini::wd::WindowHandle;
use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};
use tokio::process::{Child, Command};
use tokio::sync::{Mutex, MutexGuard};

use crate::requirement::{find_program, skip_or_fail};

/// One browser at a time: the machine running the tests may have few cores, and every test
/// measures timing-sensitive things (reconnects, silence after a close).
static ONE_AT_A_TIME: Mutex<()> = Mutex::const_new(());

/// The longest any single WebDriver command may take.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);

/// Chromium's flags: headless, and nothing that reaches out to the network by itself (the
/// machines that run these tests may be offline, and only 127.0.0.1 is used). The HTTPS tests
/// serve a self-signed certificate made at run time, which only 127.0.0.1 ever sees, hence
/// `--ignore-certificate-errors`.
const CHROMIUM_ARGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--ignore-certificate-errors",
];

/// A headless Chromium session. Dropping it kills `chromedriver` and every browser process it
/// started, even when a test panics.
pub struct Browser {
    client: Option<Client>,
    _driver: Driver,
    _profile: tempfile::TempDir,
    _one_at_a_time: MutexGuard<'static, ()>,
}

/// The `chromedriver` process, in a process group of its own so that its browser goes with it.
struct Driver {
    child: Child,
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Some(pid) = self.child.id() {
            // The whole group: chromedriver, Chromium and Chromium's helper processes.
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{pid}")])
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.child.start_kill();
    }
}

impl Browser {
    /// Starts Chromium for `test`, or, when Chromium or chromedriver is not installed, returns
    /// `None` after [`skip_or_fail`] (so under `CI=true` this panics instead).
    ///
    /// The programs are found in `PATH` (`chromium`, `chromium-browser`, `google-chrome`;
    /// `chromedriver`) or named by the variables `CHROMIUM` and `CHROMEDRIVER`.
    ///
    /// # Panics
    ///
    /// If the programs are there but the session cannot be started.
    pub async fn launch(test: &str) -> Option<Browser> {
        let chromium = find_program(
            "CHROMIUM",
            &["chromium", "chromium-browser", "google-chrome"],
        );
        let chromedriver = find_program("CHROMEDRIVER", &["chromedriver"]);
        let (Some(chromium), Some(chromedriver)) = (chromium, chromedriver) else {
            skip_or_fail(
                test,
                "needs Chromium and chromedriver in PATH (Debian: apt-get install chromium chromium-driver)",
            );
            return None;
        };
        let one_at_a_time = ONE_AT_A_TIME.lock().await;
        Some(Browser::start(&chromium, &chromedriver, one_at_a_time).await)
    }

    async fn start(
        chromium: &Path,
        chromedriver: &Path,
        one_at_a_time: MutexGuard<'static, ()>,
    ) -> Browser {
        let port = free_port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .kill_on_drop(true)
            .spawn()
            .expect("chromedriver starts");
        let driver = Driver { child };
        wait_for_port(port).await;

        let profile = tempfile::tempdir().expect("a temporary browser profile");
        let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|&arg| arg.to_owned()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": chromium, "args": args },
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!("a JSON object literal")
        };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = bounded(
            "a new WebDriver session",
            ClientBuilder::new(connector)
                .capabilities(capabilities)
                .connect(&format!("http://127.0.0.1:{port}")),
        )
        .await
        .expect("chromedriver starts a Chromium session");
        Browser {
            client: Some(client),
            _driver: driver,
            _profile: profile,
            _one_at_a_time: one_at_a_time,
        }
    }

    fn client(&self) -> &Client {
        self.client
            .as_ref()
            .expect("the session is open until `close`")
    }

    /// Loads `url` in the current tab.
    ///
    /// # Panics
    ///
    /// If the page does not load within the command timeout.
    pub async fn goto(&self, url: &str) {
        bounded("loading a page", self.client().goto(url))
            .await
            .unwrap_or_else(|error| panic!("loading {url}: {error}"));
    }

    /// Runs `script` (a function body: `return` its result) in the page and returns the result.
    ///
    /// # Panics
    ///
    /// If the script throws or does not finish within the command timeout.
    pub async fn eval(&self, script: &str) -> Value {
        bounded(
            "running a script",
            self.client().execute(script, Vec::new()),
        )
        .await
        .unwrap_or_else(|error| panic!("running `{script}`: {error}"))
    }

    /// The page's `window.sseLog`: the record every example page keeps of what its
    /// `EventSource` did (entries with `kind` "open", "error", or an event type).
    pub async fn log(&self) -> Vec<Value> {
        match self.eval("return window.sseLog || [];").await {
            Value::Array(entries) => entries,
            other => panic!("window.sseLog is not an array: {other}"),
        }
    }

    /// Waits until the JavaScript expression `condition` is true in the page.
    ///
    /// # Panics
    ///
    /// After `timeout`, with `what` and the page's log in the message.
    pub async fn wait_until(&self, what: &str, condition: &str, timeout: Duration) {
        let script = format!("return Boolean({condition});");
        let deadline = Instant::now() + timeout;
        while self.eval(&script).await != Value::Bool(true) {
            if Instant::now() > deadline {
                let log = self.log().await;
                panic!(
                    "timed out after {timeout:?} waiting for {what} (`{condition}`); page log: {log:?}"
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Opens a new tab, without switching to it.
    ///
    /// # Panics
    ///
    /// If the browser refuses.
    pub async fn new_tab(&self) -> WindowHandle {
        bounded("opening a tab", self.client().new_window(true))
            .await
            .expect("a new tab")
            .handle
    }

    /// The current tab.
    ///
    /// # Panics
    ///
    /// If the browser refuses.
    pub async fn tab(&self) -> WindowHandle {
        bounded("naming the tab", self.client().window())
            .await
            .expect("the current tab")
    }

    /// Closes the current tab; switch to another before the next command.
    ///
    /// # Panics
    ///
    /// If the browser refuses.
    pub async fn close_tab(&self) {
        bounded("closing a tab", self.client().close_window())
            .await
            .expect("closing the tab");
    }

    /// Makes `tab` the one later commands act on.
    ///
    /// # Panics
    ///
    /// If the browser refuses.
    pub async fn switch_to(&self, tab: &WindowHandle) {
        bounded(
            "switching tabs",
            self.client().switch_to_window(tab.clone()),
        )
        .await
        .expect("switching tabs");
    }

    /// The WebDriver client, for what the helpers above do not cover (forms, clicks).
    pub fn webdriver(&self) -> &Client {
        self.client()
    }

    /// Ends the session, which closes the browser; the drop that follows kills whatever is left.
    pub async fn close(mut self) {
        if let Some(client) = self.client.take() {
            let _ = tokio::time::timeout(COMMAND_TIMEOUT, client.close()).await;
        }
    }
}

/// A port that was free a moment ago, for chromedriver to listen on.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port on 127.0.0.1")
        .port()
}

/// Waits until something accepts connections on `port` of 127.0.0.1.
async fn wait_for_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(
            Instant::now() < deadline,
            "chromedriver did not listen on port {port} within 20 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `command`, or a panic naming it if it takes longer than [`COMMAND_TIMEOUT`].
async fn bounded<T>(command: &str, future: impl Future<Output = T>) -> T {
    tokio::time::timeout(COMMAND_TIMEOUT, future)
        .await
        .unwrap_or_else(|_| panic!("{command} took longer than {COMMAND_TIMEOUT:?}"))
}
