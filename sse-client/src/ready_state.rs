//! The `readyState` of the WHATWG `EventSource`.

/// Where the connection stands, as the `EventSource` interface's `readyState` says it.
///
/// The client starts [`Connecting`](Self::Connecting), is [`Open`](Self::Open) once a response
/// has been announced, goes back to `Connecting` while it waits to reestablish the connection,
/// and is [`Closed`](Self::Closed) for good after the connection failed, the stream was closed
/// or (in one-shot mode) the body ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReadyState {
    /// `CONNECTING`: a request is on its way, or the client waits to reestablish the connection.
    Connecting,
    /// `OPEN`: the response was announced and events are being read.
    Open,
    /// `CLOSED`: the client will not connect again; the stream has ended or is about to.
    Closed,
}
