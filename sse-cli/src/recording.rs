//! The recording file: JSON lines, a header and then one line per entry.
//!
//! ```text
//! {"format":"sse-recording","version":1,"url":"http://127.0.0.1:3000/events","started_unix_ms":1764690000000}
//! {"kind":"open","status":200,"url":"http://127.0.0.1:3000/events","t":0.004}
//! {"kind":"retry","ms":2000,"t":0.005}
//! {"kind":"event","type":"price","data":"{\"symbol\":\"ACME\"}","id":"0","t":0.705}
//! {"kind":"comment","text":"","t":10.705}
//! {"kind":"error","message":"the server ended the event stream","retrying":true,"reconnect_in_ms":2000,"t":12.1}
//! {"kind":"closed","reason":"--max-events 20 reached","t":14.2}
//! ```
//!
//! The entry lines are exactly the `--json` lines (`t` in seconds since the recording started).
//! Each line is flushed as it is written, so a recording cut short is still readable up to its
//! last whole line.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::entry::TimedEntry;
use crate::sink::Sink;

/// The `format` of a header line.
pub(crate) const FORMAT: &str = "sse-recording";
/// The version this tool writes and reads.
pub(crate) const VERSION: u32 = 1;

/// The first line of a recording.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Header {
    /// Always [`FORMAT`].
    pub(crate) format: String,
    /// Always [`VERSION`].
    pub(crate) version: u32,
    /// The URL recorded.
    pub(crate) url: String,
    /// When the recording started, in milliseconds since the Unix epoch.
    pub(crate) started_unix_ms: u64,
}

/// A recording read back.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Recording {
    pub(crate) header: Header,
    pub(crate) entries: Vec<TimedEntry>,
}

impl Recording {
    /// Reads a recording; the error names the file and the line.
    pub(crate) fn read(path: &Path) -> Result<Self, String> {
        let file =
            File::open(path).map_err(|error| format!("cannot open {}: {error}", path.display()))?;
        Self::from_reader(BufReader::new(file))
            .map_err(|error| format!("{}: {error}", path.display()))
    }

    fn from_reader(reader: impl BufRead) -> Result<Self, String> {
        let mut lines = reader.lines().enumerate();
        let header_line = match lines.next() {
            Some((_, line)) => line.map_err(|error| format!("line 1: {error}"))?,
            None => return Err("empty file, not a recording".to_owned()),
        };
        let header: Header = serde_json::from_str(&header_line)
            .map_err(|error| format!("line 1 is not a recording header: {error}"))?;
        if header.format != FORMAT || header.version != VERSION {
            return Err(format!(
                "line 1: a recording of format {:?} version {}, this tool reads {FORMAT:?} version {VERSION}",
                header.format, header.version
            ));
        }
        let mut entries = Vec::new();
        for (index, line) in lines {
            let number = index + 1;
            let line = line.map_err(|error| format!("line {number}: {error}"))?;
            if line.trim().is_empty() {
                continue;
            }
            let entry =
                serde_json::from_str(&line).map_err(|error| format!("line {number}: {error}"))?;
            entries.push(entry);
        }
        Ok(Recording { header, entries })
    }
}

/// Writes a recording as entries happen.
#[derive(Debug)]
pub(crate) struct RecordingWriter<W: Write> {
    out: W,
}

impl RecordingWriter<BufWriter<File>> {
    /// Creates (or replaces) the file at `path` and writes the header for `url`.
    pub(crate) fn create(path: &Path, url: &str) -> Result<Self, String> {
        let file = File::create(path)
            .map_err(|error| format!("cannot create {}: {error}", path.display()))?;
        RecordingWriter::new(BufWriter::new(file), url)
            .map_err(|error| format!("cannot write {}: {error}", path.display()))
    }
}

impl<W: Write> RecordingWriter<W> {
    fn new(mut out: W, url: &str) -> io::Result<Self> {
        let started_unix_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| {
                u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
            });
        let header = Header {
            format: FORMAT.to_owned(),
            version: VERSION,
            url: url.to_owned(),
            started_unix_ms,
        };
        writeln!(
            out,
            "{}",
            serde_json::to_string(&header).unwrap_or_default()
        )?;
        out.flush()?;
        Ok(RecordingWriter { out })
    }
}

impl<W: Write> Sink for RecordingWriter<W> {
    fn entry(&mut self, entry: &TimedEntry) -> io::Result<()> {
        writeln!(self.out, "{}", entry.to_json_line())?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::entry::Entry;

    #[test]
    fn written_then_read_back() {
        let mut bytes = Vec::new();
        let mut writer = RecordingWriter::new(&mut bytes, "http://127.0.0.1/e").unwrap();
        let entry = TimedEntry::new(
            Entry::Event {
                event_type: "message".into(),
                data: "hi".into(),
                id: Some("1".into()),
            },
            Duration::from_millis(20),
        );
        writer.entry(&entry).unwrap();
        let recording = Recording::from_reader(&bytes[..]).unwrap();
        assert_eq!(recording.header.url, "http://127.0.0.1/e");
        assert_eq!(recording.entries, [entry]);
    }

    #[test]
    fn errors_name_the_line() {
        assert!(
            Recording::from_reader(&b""[..])
                .unwrap_err()
                .contains("empty")
        );
        assert!(
            Recording::from_reader(&b"{}\n"[..])
                .unwrap_err()
                .contains("line 1")
        );
        let other = br#"{"format":"other","version":1,"url":"u","started_unix_ms":0}"#;
        assert!(
            Recording::from_reader(&other[..])
                .unwrap_err()
                .contains("\"other\"")
        );
        let bad = b"{\"format\":\"sse-recording\",\"version\":1,\"url\":\"u\",\"started_unix_ms\":0}\n\n{\"kind\":\"nope\",\"t\":0}\n";
        assert!(
            Recording::from_reader(&bad[..])
                .unwrap_err()
                .starts_with("line 3")
        );
    }
}
