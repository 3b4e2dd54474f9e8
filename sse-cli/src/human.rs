//! Output for people: one block per event, and, on a terminal, colours and a status line.

use std::fmt::Write as _;
use std::io;

use anstyle::{AnsiColor, Style};

use crate::ending::humane_duration;
use crate::entry::{Entry, TimedEntry};
use crate::pretty_json::pretty_json;
use crate::sink::Sink;

const TIME: Style = Style::new().dimmed();
const EVENT_TYPE: Style = AnsiColor::Cyan.on_default().bold();
const ID: Style = AnsiColor::Yellow.on_default();
const OPEN: Style = AnsiColor::Green.on_default().bold();
const ERROR: Style = AnsiColor::Red.on_default().bold();
const QUIET: Style = Style::new().dimmed();

/// Erases the line the cursor is on and goes back to its start.
const CLEAR_LINE: &str = "\r\x1b[2K";

/// How the output looks, decided once from where it goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Look {
    /// Colours (off for NO_COLOR and non-terminals, as `anstream` decides).
    pub(crate) colour: bool,
    /// A status line that is rewritten in place (terminals only).
    pub(crate) status_line: bool,
    /// Data that is a JSON object or array is indented.
    pub(crate) pretty: bool,
}

impl Look {
    /// The look for standard output: colours as `anstream` decides (NO_COLOR, CLICOLOR,
    /// CLICOLOR_FORCE, TERM, whether it is a terminal); the status line on a terminal, or when
    /// CLICOLOR_FORCE asks for terminal output anyway.
    pub(crate) fn for_stdout(pretty: bool) -> Self {
        use std::io::IsTerminal;
        let colour = anstream::AutoStream::choice(&io::stdout()) != anstream::ColorChoice::Never;
        let forced = std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0");
        Look {
            colour,
            status_line: io::stdout().is_terminal() || forced,
            pretty,
        }
    }
}

/// Where the connection stands, for the status line.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Status {
    Connecting,
    Open,
    Reconnecting { in_ms: u64 },
    Closed,
}

/// The renderer for people.
#[derive(Debug)]
pub(crate) struct Human<W> {
    out: W,
    look: Look,
    url: String,
    status: Status,
    events: u64,
    /// The status line is on screen and must be erased before anything else is written.
    status_shown: bool,
}

impl<W: io::Write> Human<W> {
    /// A renderer for the stream at `url`; shows "connecting" at once on a status line.
    pub(crate) fn new(out: W, look: Look, url: String) -> io::Result<Self> {
        let mut human = Human {
            out,
            look,
            url,
            status: Status::Connecting,
            events: 0,
            status_shown: false,
        };
        human.write_status()?;
        Ok(human)
    }

    fn paint(&self, style: Style, text: &str) -> String {
        if self.look.colour {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    }

    /// The text an entry shows as, ending in a line end.
    fn block(&self, timed: &TimedEntry) -> String {
        let time = self.paint(TIME, &format!("+{:.3}s", timed.t));
        let mut text = String::new();
        // Writing to a String cannot fail.
        let _ = match &timed.entry {
            Entry::Open { status, url } => {
                writeln!(
                    text,
                    "{time} {} {url}",
                    self.paint(OPEN, &format!("open {status}"))
                )
            }
            Entry::Event {
                event_type,
                data,
                id,
            } => {
                let id = match id {
                    Some(id) => self.paint(ID, &format!("id {id}")),
                    None => self.paint(QUIET, "no id"),
                };
                let pretty = self.look.pretty.then(|| pretty_json(data)).flatten();
                let data = pretty.as_deref().unwrap_or(data);
                writeln!(
                    text,
                    "{time} {} {id}\n{data}\n",
                    self.paint(EVENT_TYPE, event_type)
                )
            }
            Entry::Retry { ms } => {
                writeln!(
                    text,
                    "{time} {}",
                    self.paint(QUIET, &format!("retry {ms} ms"))
                )
            }
            Entry::Comment { text: comment } => {
                writeln!(text, "{time} {}", self.paint(QUIET, &format!(":{comment}")))
            }
            Entry::Error {
                message,
                reconnect_in_ms,
                ..
            } => {
                let then = match reconnect_in_ms {
                    Some(ms) => format!("; reconnecting in {}", humane_ms(*ms)),
                    None => String::new(),
                };
                writeln!(
                    text,
                    "{time} {} {message}{then}",
                    self.paint(ERROR, "error")
                )
            }
            Entry::Closed { reason } => writeln!(text, "{time} closed: {reason}"),
        };
        text
    }

    fn status_text(&self) -> String {
        let events = match self.events {
            1 => "1 event".to_owned(),
            n => format!("{n} events"),
        };
        match &self.status {
            Status::Connecting => format!("{} connecting to {}…", self.paint(QUIET, "●"), self.url),
            Status::Open => format!("{} open · {} · {events}", self.paint(OPEN, "●"), self.url),
            Status::Reconnecting { in_ms } => format!(
                "{} reconnecting in {} · {} · {events}",
                self.paint(ERROR, "●"),
                humane_ms(*in_ms),
                self.url
            ),
            Status::Closed => String::new(),
        }
    }

    fn clear_status(&mut self) -> io::Result<()> {
        if self.status_shown {
            self.out.write_all(CLEAR_LINE.as_bytes())?;
            self.status_shown = false;
        }
        Ok(())
    }

    fn write_status(&mut self) -> io::Result<()> {
        if self.look.status_line && self.status != Status::Closed {
            let text = self.status_text();
            self.out.write_all(text.as_bytes())?;
            self.status_shown = true;
        }
        self.out.flush()
    }
}

fn humane_ms(ms: u64) -> String {
    humane_duration(std::time::Duration::from_millis(ms))
}

impl<W: io::Write> Sink for Human<W> {
    fn entry(&mut self, timed: &TimedEntry) -> io::Result<()> {
        match &timed.entry {
            Entry::Open { .. } => self.status = Status::Open,
            Entry::Event { .. } => self.events += 1,
            Entry::Error {
                reconnect_in_ms: Some(in_ms),
                ..
            } => {
                self.status = Status::Reconnecting { in_ms: *in_ms };
            }
            Entry::Closed { .. } => self.status = Status::Closed,
            _ => {}
        }
        let block = self.block(timed);
        self.clear_status()?;
        self.out.write_all(block.as_bytes())?;
        self.write_status()
    }

    fn finish(&mut self) -> io::Result<()> {
        self.clear_status()?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn render(look: Look) -> String {
        let entries = [
            Entry::Open {
                status: 200,
                url: "http://127.0.0.1/events".into(),
            },
            Entry::Retry { ms: 2000 },
            Entry::Event {
                event_type: "price".into(),
                data: r#"{"symbol":"ACME","price":101.5}"#.into(),
                id: Some("41".into()),
            },
            Entry::Comment {
                text: "keep-alive".into(),
            },
            Entry::Error {
                message: "the server ended the event stream".into(),
                retrying: true,
                reconnect_in_ms: Some(2000),
            },
            Entry::Event {
                event_type: "message".into(),
                data: "plain".into(),
                id: None,
            },
            Entry::Closed {
                reason: "--max-events 2 reached".into(),
            },
        ];
        let mut out = Vec::new();
        let mut human = Human::new(&mut out, look, "http://127.0.0.1/events".into()).unwrap();
        for (i, entry) in entries.into_iter().enumerate() {
            human
                .entry(&TimedEntry::new(
                    entry,
                    Duration::from_millis(i as u64 * 250),
                ))
                .unwrap();
        }
        human.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn plain_text_off_a_terminal() {
        insta::assert_snapshot!(render(Look {
            colour: false,
            status_line: false,
            pretty: true
        }));
    }

    #[test]
    fn colours_and_a_status_line_on_a_terminal() {
        // Escape codes shown as text, so that the snapshot can be read.
        let text = render(Look {
            colour: true,
            status_line: true,
            pretty: true,
        });
        insta::assert_snapshot!(text.replace('\x1b', "␛").replace('\r', "␍"));
    }

    #[test]
    fn no_pretty_keeps_data_as_it_came() {
        let text = render(Look {
            colour: false,
            status_line: false,
            pretty: false,
        });
        assert!(text.contains(r#"{"symbol":"ACME","price":101.5}"#));
    }
}
