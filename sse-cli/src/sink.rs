//! Where entries go: the terminal renderer, JSON lines, or a recording.

use std::io;

use crate::entry::TimedEntry;

/// A writer of entries. A failed write ends the run (a closed pipe quietly).
pub(crate) trait Sink {
    /// Writes one entry as soon as it happened.
    fn entry(&mut self, entry: &TimedEntry) -> io::Result<()>;

    /// Called once after the last entry.
    fn finish(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// `--json`: one JSON object per line, flushed line by line so that a script sees each entry
/// as it happens.
#[derive(Debug)]
pub(crate) struct JsonLines<W> {
    out: W,
}

impl<W: io::Write> JsonLines<W> {
    pub(crate) fn new(out: W) -> Self {
        JsonLines { out }
    }
}

impl<W: io::Write> Sink for JsonLines<W> {
    fn entry(&mut self, entry: &TimedEntry) -> io::Result<()> {
        writeln!(self.out, "{}", entry.to_json_line())?;
        self.out.flush()
    }
}
