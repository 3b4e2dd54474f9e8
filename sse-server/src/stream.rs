//! The stream every adapter sends as its response body.

use std::convert::Infallible;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use sse_codec::Frame;

use crate::frame::TryIntoFrame;
use crate::keep_alive::{KeepAlive, KeepAliveTimer};
use crate::shutdown::{Shutdown, ShutdownWatch};

/// How many empty frames in a row one poll skips before yielding to the runtime.
const EMPTY_FRAMES_PER_POLL: usize = 32;

/// The most frames [`FrameStream::coalesce`] puts in one chunk, so that one poll's work stays
/// bounded however small the frames.
const MAX_FRAMES_PER_CHUNK: usize = 512;

/// A user's stream of events turned into the encoded frames of a `text/event-stream` body.
///
/// In order, it yields:
/// 1. the `retry` frame, if one was set with [`retry`](Self::retry);
/// 2. one frame per item of the source, as soon as the source yields it;
/// 3. between those, a keep-alive comment whenever the stream was idle for the
///    [`KeepAlive`] interval (by default 15 seconds; every frame restarts the interval);
///
/// and it ends when the source ends, when the source yields an `Err` (logged with
/// `tracing::warn!`; the frames before it were complete, so the client sees a clean end), or
/// when the [`Shutdown`] handle it was given is triggered (after that handle's last frame, if
/// any). Once ended, the source is dropped at once.
///
/// Items are `Result<Bytes, Infallible>` because that is what every framework's streaming body
/// takes; the stream itself never fails. It is `Unpin` whatever the source.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use futures_util::{StreamExt, stream};
/// use sse_codec::Event;
/// use sse_server::FrameStream;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let events = stream::iter([Event::new("1"), Event::new("2")]);
/// let body: Vec<_> = FrameStream::new(events)
///     .retry(Duration::from_secs(3))
///     .map(Result::unwrap)
///     .collect()
///     .await;
/// assert_eq!(body, ["retry: 3000\n", "data: 1\n\n", "data: 2\n\n"]);
/// # }
/// ```
pub struct FrameStream<S> {
    /// `None` once the stream has ended: the source is released as soon as it is not needed.
    source: Option<Pin<Box<S>>>,
    retry: Option<Bytes>,
    keep_alive: Option<KeepAliveTimer>,
    shutdown: Option<ShutdownWatch>,
    /// The most bytes frames ready at once are gathered into; 0 sends every frame on its own.
    chunk_len: usize,
}

impl<S> FrameStream<S> {
    /// Frames for `source`, with the default [`KeepAlive`], no `retry` and no shutdown handle.
    pub fn new(source: S) -> Self {
        FrameStream {
            source: Some(Box::pin(source)),
            retry: None,
            keep_alive: KeepAlive::default().timer(),
            shutdown: None,
            chunk_len: 0,
        }
    }

    /// Sends the frames the source has ready at once in one chunk of up to about `chunk_len`
    /// bytes (and 512 frames), instead of one chunk per frame: a server writes, and a client
    /// reads, a burst of small events at a time. A frame is never held back waiting for
    /// another: a chunk ends as soon as the source is not ready. A single ready frame is passed
    /// on untouched (pre-encoded `Bytes` stay shared); gathered frames are encoded into the
    /// chunk in place. `0`, the default, turns it off.
    ///
    /// # Examples
    ///
    /// ```
    /// use futures_util::{StreamExt, stream};
    /// use sse_codec::Event;
    /// use sse_server::FrameStream;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let events = stream::iter([Event::new("1"), Event::new("2")]);
    /// let body: Vec<_> = FrameStream::new(events).coalesce(16 << 10).map(Result::unwrap).collect().await;
    /// assert_eq!(body, ["data: 1\n\ndata: 2\n\n"]);
    /// # }
    /// ```
    #[must_use]
    pub fn coalesce(mut self, chunk_len: usize) -> Self {
        self.chunk_len = chunk_len;
        self
    }

    /// Sets the keep-alive ([`KeepAlive::disabled`] turns it off).
    #[must_use]
    pub fn keep_alive(mut self, keep_alive: KeepAlive) -> Self {
        self.keep_alive = keep_alive.timer();
        self
    }

    /// Starts the stream with a `retry` frame: how long the client waits before reconnecting
    /// when the connection is lost (in whole milliseconds).
    #[must_use]
    pub fn retry(mut self, reconnection_time: Duration) -> Self {
        self.retry = Some(Frame::retry(reconnection_time).to_bytes());
        self
    }

    /// Ends the stream when `shutdown` is triggered.
    #[must_use]
    pub fn shutdown(mut self, shutdown: &Shutdown) -> Self {
        self.shutdown = Some(shutdown.watch());
        self
    }

    fn end(&mut self) {
        self.source = None;
        self.retry = None;
        self.keep_alive = None;
        self.shutdown = None;
    }

    /// `first` followed by the frames the source has ready now, within the chunk's bounds. A
    /// source that ends, or fails, ends the stream once the frames before it are sent.
    fn gather_ready(&mut self, first: Bytes, cx: &mut Context<'_>) -> Bytes
    where
        S: Stream,
        S::Item: TryIntoFrame,
    {
        let Some(source) = &mut self.source else {
            return first;
        };
        let mut chunk: Option<BytesMut> = None;
        for _ in 1..MAX_FRAMES_PER_CHUNK {
            let len = chunk.as_ref().map_or(first.len(), BytesMut::len);
            if len >= self.chunk_len {
                break;
            }
            let item = match source.as_mut().poll_next(cx) {
                Poll::Ready(Some(item)) => item,
                Poll::Ready(None) => {
                    self.end();
                    break;
                }
                Poll::Pending => break,
            };
            let chunk = chunk.get_or_insert_with(|| {
                let mut chunk = BytesMut::with_capacity(self.chunk_len.max(first.len()));
                chunk.extend_from_slice(&first);
                chunk
            });
            if let Err(error) = item.try_encode_into(chunk) {
                tracing::warn!(%error, "event stream ended by an error from its source");
                self.end();
                break;
            }
        }
        chunk.map_or(first, BytesMut::freeze)
    }

    fn sent(&mut self, frame: Bytes) -> Poll<Option<Result<Bytes, Infallible>>> {
        if let Some(timer) = &mut self.keep_alive {
            timer.reset();
        }
        Poll::Ready(Some(Ok(frame)))
    }
}

impl<S> Stream for FrameStream<S>
where
    S: Stream,
    S::Item: TryIntoFrame,
{
    type Item = Result<Bytes, Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        // Checked before the source so that a source that is always ready cannot delay shutdown.
        if let Some(watch) = &mut this.shutdown
            && let Poll::Ready(last_frame) = watch.poll_triggered(cx)
        {
            this.end();
            return Poll::Ready(last_frame.map(Ok));
        }
        if let Some(retry) = this.retry.take() {
            return this.sent(retry);
        }
        let Some(source) = &mut this.source else {
            return Poll::Ready(None);
        };
        for _ in 0..EMPTY_FRAMES_PER_POLL {
            match source.as_mut().poll_next(cx) {
                Poll::Ready(Some(item)) => match item.try_into_frame() {
                    // An empty chunk carries no frame, and some bodies would take it as the end.
                    Ok(frame) if frame.is_empty() => {}
                    Ok(frame) if this.chunk_len > frame.len() => {
                        let chunk = this.gather_ready(frame, cx);
                        return this.sent(chunk);
                    }
                    Ok(frame) => return this.sent(frame),
                    Err(error) => {
                        tracing::warn!(%error, "event stream ended by an error from its source");
                        this.end();
                        return Poll::Ready(None);
                    }
                },
                Poll::Ready(None) => {
                    this.end();
                    return Poll::Ready(None);
                }
                Poll::Pending => {
                    return match &mut this.keep_alive {
                        Some(timer) => timer.poll_due(cx).map(|frame| Some(Ok(frame))),
                        None => Poll::Pending,
                    };
                }
            }
        }
        // The source keeps yielding empty frames: give the task back to the runtime (other
        // tasks, and this stream's shutdown and keep-alive, get their turn), and come back.
        cx.waker().wake_by_ref();
        match &mut this.keep_alive {
            Some(timer) => timer.poll_due(cx).map(|frame| Some(Ok(frame))),
            None => Poll::Pending,
        }
    }
}

impl<S> fmt::Debug for FrameStream<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FrameStream")
            .field("ended", &self.source.is_none())
            .field("retry", &self.retry)
            .field("keep_alive", &self.keep_alive)
            .field("shutdown", &self.shutdown)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    use futures_util::{StreamExt, stream};
    use sse_codec::Event;
    use tokio::time::{Instant, sleep};

    use super::*;
    use crate::keep_alive::DEFAULT_KEEP_ALIVE_INTERVAL;

    const PING: &[u8] = b":\n";

    async fn next_frame(frames: &mut FrameStream<impl Stream<Item = Event>>) -> Option<Bytes> {
        frames.next().await.map(Result::unwrap)
    }

    /// Sets its flag when dropped, to observe when the source is released.
    struct DropFlag(Arc<AtomicBool>);

    impl Drop for DropFlag {
        fn drop(&mut self) {
            self.0.store(true, Ordering::SeqCst);
        }
    }

    fn guarded<S: Stream>(source: S) -> (impl Stream<Item = S::Item>, Arc<AtomicBool>) {
        let dropped = Arc::new(AtomicBool::new(false));
        let flag = DropFlag(Arc::clone(&dropped));
        let source = source.map(move |item| {
            let _ = &flag;
            item
        });
        (source, dropped)
    }

    /// Events at the given offsets from the start, in seconds.
    fn events_at(offsets: &'static [u64]) -> impl Stream<Item = Event> {
        let start = Instant::now();
        stream::iter(offsets).then(move |&offset| async move {
            tokio::time::sleep_until(start + Duration::from_secs(offset)).await;
            Event::new(offset.to_string())
        })
    }

    #[tokio::test(start_paused = true)]
    async fn idle_stream_sends_a_keep_alive_each_interval() {
        let start = Instant::now();
        let mut frames = FrameStream::new(stream::pending::<Event>())
            .keep_alive(KeepAlive::new().interval(Duration::from_secs(10)));
        for n in 1..=3 {
            assert_eq!(next_frame(&mut frames).await.as_deref(), Some(PING));
            assert_eq!(start.elapsed(), Duration::from_secs(10 * n));
        }
    }

    #[tokio::test(start_paused = true)]
    async fn default_keep_alive_waits_15_seconds() {
        let start = Instant::now();
        let mut frames = FrameStream::new(stream::pending::<Event>());
        assert_eq!(next_frame(&mut frames).await.as_deref(), Some(PING));
        assert_eq!(start.elapsed(), DEFAULT_KEEP_ALIVE_INTERVAL);
    }

    #[tokio::test(start_paused = true)]
    async fn busy_stream_carries_no_keep_alive() {
        let frames: Vec<_> = FrameStream::new(events_at(&[5, 10, 15, 20, 25, 30]))
            .keep_alive(KeepAlive::new().interval(Duration::from_secs(6)))
            .map(Result::unwrap)
            .collect()
            .await;
        assert_eq!(frames.len(), 6);
        assert!(
            frames.iter().all(|frame| frame.starts_with(b"data: ")),
            "{frames:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn every_frame_restarts_the_idle_interval() {
        let start = Instant::now();
        let mut frames = FrameStream::new(events_at(&[8]).chain(stream::pending())).keep_alive(
            KeepAlive::new()
                .interval(Duration::from_secs(10))
                .text("idle"),
        );
        assert_eq!(
            next_frame(&mut frames).await.as_deref(),
            Some(&b"data: 8\n\n"[..])
        );
        assert_eq!(
            next_frame(&mut frames).await.as_deref(),
            Some(&b":idle\n"[..])
        );
        assert_eq!(start.elapsed(), Duration::from_secs(18));
    }

    #[tokio::test(start_paused = true)]
    async fn disabled_keep_alive_stays_silent() {
        let mut frames =
            FrameStream::new(stream::pending::<Event>()).keep_alive(KeepAlive::disabled());
        let waited = tokio::time::timeout(Duration::from_secs(3600), frames.next()).await;
        assert!(waited.is_err(), "nothing is sent: {waited:?}");
    }

    #[tokio::test]
    async fn retry_comes_first_then_events_then_the_end() {
        let frames: Vec<_> = FrameStream::new(stream::iter([Event::new("a")]))
            .retry(Duration::from_millis(2500))
            .map(Result::unwrap)
            .collect()
            .await;
        assert_eq!(frames, ["retry: 2500\n", "data: a\n\n"]);
    }

    #[tokio::test]
    async fn an_error_ends_the_stream_after_the_last_complete_frame() {
        let items: [Result<Event, &str>; 3] = [
            Ok(Event::new("1")),
            Err("lost the database"),
            Ok(Event::new("2")),
        ];
        let (source, dropped) = guarded(stream::iter(items));
        let mut frames = FrameStream::new(source);
        assert_eq!(frames.next().await.unwrap().unwrap(), "data: 1\n\n");
        assert!(frames.next().await.is_none());
        assert!(
            dropped.load(Ordering::SeqCst),
            "the source is released at the end"
        );
        assert!(frames.next().await.is_none(), "and stays ended");
    }

    #[tokio::test]
    async fn pre_encoded_frames_pass_through_and_empty_ones_are_skipped() {
        let shared = Event::new("once").to_bytes();
        let source = stream::iter([Bytes::new(), shared.clone(), Bytes::new()]);
        let frames: Vec<_> = FrameStream::new(source).map(Result::unwrap).collect().await;
        assert_eq!(frames, [shared]);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_source_of_endless_empty_frames_does_not_hold_the_thread() {
        let shutdown = Shutdown::new();
        let empties = stream::repeat_with(Bytes::new);
        let mut frames = FrameStream::new(empties).shutdown(&shutdown);
        let trigger = shutdown.clone();
        // On a single thread, this task only runs if the stream yields.
        tokio::spawn(async move { trigger.trigger() });
        let ended = tokio::time::timeout(Duration::from_secs(5), frames.next()).await;
        assert_eq!(ended.map(|end| end.is_none()), Ok(true));
    }

    #[tokio::test]
    async fn shutdown_sends_the_last_frame_and_releases_the_source() {
        let shutdown = Shutdown::new();
        let (source, dropped) = guarded(stream::pending::<Event>());
        let mut frames = FrameStream::new(source).shutdown(&shutdown);
        let reader = tokio::spawn(async move {
            let mut seen = Vec::new();
            while let Some(frame) = frames.next().await {
                seen.push(frame.unwrap());
            }
            seen
        });
        tokio::task::yield_now().await;
        assert!(!dropped.load(Ordering::SeqCst));
        shutdown.trigger_with(Event::new("bye").with_event_type("shutdown"));
        assert_eq!(reader.await.unwrap(), ["event: shutdown\ndata: bye\n\n"]);
        assert!(dropped.load(Ordering::SeqCst));
    }

    #[tokio::test]
    async fn shutdown_ends_a_source_that_is_always_ready() {
        let shutdown = Shutdown::new();
        let mut frames = FrameStream::new(stream::repeat(Event::new("spam"))).shutdown(&shutdown);
        assert!(frames.next().await.is_some());
        shutdown.trigger();
        assert!(frames.next().await.is_none());
    }

    #[tokio::test]
    async fn a_stream_created_after_shutdown_ends_at_once() {
        let shutdown = Shutdown::new();
        shutdown.trigger();
        let frames: Vec<_> = FrameStream::new(stream::repeat(Event::new("x")))
            .retry(Duration::from_secs(1))
            .shutdown(&shutdown)
            .collect()
            .await;
        assert!(frames.is_empty());
    }

    #[tokio::test(start_paused = true)]
    async fn keep_alive_does_not_outlive_shutdown() {
        let shutdown = Shutdown::new();
        let mut frames = FrameStream::new(stream::pending::<Event>())
            .keep_alive(KeepAlive::new().interval(Duration::from_secs(1)))
            .shutdown(&shutdown);
        assert!(frames.next().await.is_some());
        let trigger = shutdown.clone();
        tokio::spawn(async move {
            sleep(Duration::from_millis(1500)).await;
            trigger.trigger();
        });
        assert!(frames.next().await.is_some(), "keep-alive at 2 s");
        assert!(frames.next().await.is_none(), "ended at 2.5 s");
    }

    #[tokio::test]
    async fn coalescing_gathers_ready_frames_within_the_chunk_and_ends_at_an_error() {
        let items: Vec<Result<Event, &str>> = vec![
            Ok(Event::new("1")),
            Ok(Event::new("2")),
            Ok(Event::new("3")),
            Err("gone"),
            Ok(Event::new("never")),
        ];
        let frames: Vec<_> = FrameStream::new(stream::iter(items))
            .coalesce(20)
            .map(Result::unwrap)
            .collect()
            .await;
        assert_eq!(frames, ["data: 1\n\ndata: 2\n\ndata: 3\n\n"]);

        // A chunk stops growing once it reaches its length.
        let events = stream::iter((0..5).map(|n| Event::new(n.to_string())));
        let frames: Vec<_> = FrameStream::new(events)
            .coalesce(18)
            .map(Result::unwrap)
            .collect()
            .await;
        assert_eq!(
            frames,
            [
                "data: 0\n\ndata: 1\n\n",
                "data: 2\n\ndata: 3\n\n",
                "data: 4\n\n"
            ]
        );
    }

    #[tokio::test]
    async fn coalescing_never_waits_and_passes_a_lone_frame_untouched() {
        let shared = Event::new("alone").to_bytes();
        let source = stream::iter([shared.clone()]).chain(stream::pending());
        let mut frames = FrameStream::new(source)
            .keep_alive(KeepAlive::disabled())
            .coalesce(16 << 10);
        let frame = frames.next().await.unwrap().unwrap();
        assert_eq!(frame.as_ptr(), shared.as_ptr());
    }
}
