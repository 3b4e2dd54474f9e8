//! The command line, documented once: these doc comments are `--help`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::{Method, Url};

use crate::duration::parse_duration;

const EXIT_STATUSES: &str = "\
Exit status (sse and sse record):
  0    --max-events was reached, or the server closed the stream for good
       (204 No Content, or the end of the stream with --no-reconnect)
  1    the client failed for good: an HTTP error status, a wrong content type,
       --timeout ran out (before --max-events, when given), a connection error
       with --no-reconnect
  2    bad arguments (the message says which)
  130  interrupted (Ctrl-C), after the summary

Output: one block per event; pretty JSON, colours and a status line on a
terminal (colours off with NO_COLOR, forced with CLICOLOR_FORCE=1, which also
turns the status line on); plain text otherwise; --json for scripts.";

const SERVE_EXIT_STATUSES: &str = "\
Exit status:
  0  stopped with Ctrl-C
  1  the address could not be listened on
  2  bad arguments, or a file that is not a recording (the message says which line)";

/// Watch a Server-Sent Events stream: every event as it arrives, reconnecting as a browser's
/// EventSource does until the stream is closed for good or a limit is reached.
#[derive(Debug, Parser)]
#[command(name = "sse", version, after_help = EXIT_STATUSES, args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Option<Command>,
    #[command(flatten)]
    pub(crate) watch: WatchArgs,
}

/// The subcommands next to watching.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Write what a stream sends, with its timing, to a file (JSON lines) that `sse serve` can
    /// replay.
    #[command(after_help = EXIT_STATUSES)]
    Record(RecordArgs),
    /// Serve a recording as an SSE endpoint on any path, with its timing, resuming from
    /// Last-Event-ID when the recording has ids.
    #[command(after_help = SERVE_EXIT_STATUSES)]
    Serve(ServeArgs),
}

/// `sse [OPTIONS] <URL>`.
#[derive(Debug, Args)]
pub(crate) struct WatchArgs {
    /// The stream's URL.
    #[arg(value_parser = parse_url, required = true)]
    pub(crate) url: Option<Url>,
    #[command(flatten)]
    pub(crate) connection: ConnectionArgs,
    #[command(flatten)]
    pub(crate) limits: LimitArgs,
    /// Show only events of this type (repeatable); `message` is the type of events without an
    /// `event:` field.
    #[arg(short = 'e', long = "event", value_name = "TYPE")]
    pub(crate) event_types: Vec<String>,
    /// Show comments (keep-alives) too.
    #[arg(long)]
    pub(crate) comments: bool,
    /// Write the response body's bytes as they arrive, nothing else.
    #[arg(long, conflicts_with_all = ["json", "no_pretty", "comments", "event_types"])]
    pub(crate) raw: bool,
    /// One JSON object per line, each with "kind" (open, event, retry, comment, error, closed)
    /// and "t" (seconds since start).
    #[arg(long)]
    pub(crate) json: bool,
    /// Show event data as it came, even when it parses as JSON.
    #[arg(long)]
    pub(crate) no_pretty: bool,
    /// No summary on standard error at the end.
    #[arg(short, long)]
    pub(crate) quiet: bool,
}

/// How to connect: shared by watching and recording.
#[derive(Clone, Debug, Args)]
pub(crate) struct ConnectionArgs {
    /// A request header, as 'Name: value' (repeatable).
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE", value_parser = parse_header)]
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    /// The request method (GET, or POST with --data).
    #[arg(short = 'X', long, value_parser = parse_method)]
    pub(crate) method: Option<Method>,
    /// The request body; the method is POST unless --method says otherwise. Sent again on
    /// every reconnect.
    #[arg(short = 'd', long, value_name = "BODY")]
    pub(crate) data: Option<String>,
    /// Resume: the first request carries this Last-Event-ID.
    #[arg(long, value_name = "ID")]
    pub(crate) last_event_id: Option<String>,
    /// One connection only: its end ends the command.
    #[arg(long)]
    pub(crate) no_reconnect: bool,
    /// Reconnect a connection that received nothing (not even a keep-alive) for this long.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub(crate) idle_timeout: Option<Duration>,
}

/// When to stop: shared by watching and recording.
#[derive(Clone, Copy, Debug, Args)]
pub(crate) struct LimitArgs {
    /// Exit after this many events (counted after --event filtering).
    #[arg(short = 'n', long, value_name = "N")]
    pub(crate) max_events: Option<u64>,
    /// Overall time limit, such as 500ms, 10s, 2m.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub(crate) timeout: Option<Duration>,
}

/// `sse record <URL> -o FILE`.
#[derive(Debug, Args)]
pub(crate) struct RecordArgs {
    /// The stream's URL.
    #[arg(value_parser = parse_url)]
    pub(crate) url: Url,
    /// The recording to write (replaced if it exists).
    #[arg(short, long, value_name = "FILE")]
    pub(crate) output: PathBuf,
    #[command(flatten)]
    pub(crate) connection: ConnectionArgs,
    #[command(flatten)]
    pub(crate) limits: LimitArgs,
    /// No summary on standard error at the end.
    #[arg(short, long)]
    pub(crate) quiet: bool,
}

/// `sse serve FILE`.
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// A recording made by `sse record`.
    pub(crate) file: PathBuf,
    /// The address to listen on; port 0 picks a free one (the address is printed).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub(crate) listen: SocketAddr,
    /// Play the recording this many times faster (0.5 is half as fast).
    #[arg(long, value_name = "X", default_value_t = 1.0, value_parser = parse_speed)]
    pub(crate) speed: f64,
    /// Start the recording over when it ends, instead of ending the response.
    #[arg(long = "loop")]
    pub(crate) repeat: bool,
}

fn parse_url(text: &str) -> Result<Url, String> {
    let url = Url::parse(text).map_err(|error| format!("`{text}` is not a URL: {error}"))?;
    match url.scheme() {
        "http" | "https" => Ok(url),
        scheme => Err(format!(
            "`{text}`: the scheme must be http or https, not {scheme}"
        )),
    }
}

fn parse_header(text: &str) -> Result<(HeaderName, HeaderValue), String> {
    let (name, value) = text
        .split_once(':')
        .ok_or_else(|| format!("`{text}` is not 'Name: value'"))?;
    let name = HeaderName::from_bytes(name.trim().as_bytes())
        .map_err(|_| format!("`{}` is not a header name", name.trim()))?;
    // Bytes, not only visible ASCII: servers do send and read obs-text such as UTF-8.
    let value = HeaderValue::from_bytes(value.trim().as_bytes())
        .map_err(|_| format!("the value of {name} is not a valid header value"))?;
    Ok((name, value))
}

fn parse_method(text: &str) -> Result<Method, String> {
    Method::from_bytes(text.as_bytes()).map_err(|_| format!("`{text}` is not an HTTP method"))
}

fn parse_speed(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(speed) if speed.is_finite() && speed > 0.0 => Ok(speed),
        _ => Err(format!("`{text}` is not a positive number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn headers_are_name_colon_value() {
        let (name, value) = parse_header("Authorization:  Bearer x ").unwrap();
        assert_eq!(
            (name.as_str(), value.to_str().unwrap()),
            ("authorization", "Bearer x")
        );
        assert!(
            parse_header("no colon")
                .unwrap_err()
                .contains("Name: value")
        );
        assert!(
            parse_header("bad name: x")
                .unwrap_err()
                .contains("header name")
        );
        assert!(parse_header("X-A: a\u{7f}").unwrap_err().contains("x-a"));
        assert_eq!(
            parse_header("X-Name: José").unwrap().1.as_bytes(),
            "José".as_bytes()
        );
    }

    #[test]
    fn urls_methods_and_speeds() {
        assert!(parse_url("ftp://x/").unwrap_err().contains("http or https"));
        assert!(parse_url("nope").unwrap_err().contains("not a URL"));
        assert_eq!(parse_method("REPORT").unwrap().as_str(), "REPORT");
        assert!(parse_method("BAD METHOD").is_err());
        assert_eq!(parse_speed("2.5"), Ok(2.5));
        for bad in ["0", "-1", "inf", "NaN", "fast"] {
            assert!(parse_speed(bad).is_err(), "{bad}");
        }
    }
}
