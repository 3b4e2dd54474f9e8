//! The end-of-stream sentinel of OpenAI-style completion streams.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use sse_codec::Event;

use crate::item::Item;

/// The data of the event that ends an OpenAI-style completion stream: `data: [DONE]`.
pub const DONE: &str = "[DONE]";

/// Whether `event` is the `[DONE]` sentinel.
///
/// # Examples
///
/// ```
/// use sse_client::{Event, is_done};
///
/// assert!(is_done(&Event::new("[DONE]")));
/// assert!(!is_done(&Event::new(r#"{"choices":[]}"#)));
/// ```
pub fn is_done(event: &Event) -> bool {
    event.data() == DONE
}

/// Ends `items` at the `[DONE]` event, which is not yielded. The source, and with it the
/// connection, is dropped right then, so a server that keeps the body open costs nothing more.
pub fn until_done<S>(items: S) -> UntilDone<S>
where
    S: Stream<Item = Item>,
{
    UntilDone {
        items: Some(Box::pin(items)),
    }
}

/// The stream returned by [`until_done`].
#[must_use = "streams do nothing unless polled"]
pub struct UntilDone<S> {
    /// `None` once the sentinel was seen or the source ended.
    items: Option<Pin<Box<S>>>,
}

impl<S: Stream<Item = Item>> Stream for UntilDone<S> {
    type Item = Item;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Item>> {
        let Some(items) = self.items.as_mut() else {
            return Poll::Ready(None);
        };
        match items.as_mut().poll_next(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Item::Event(event))) if is_done(&event) => {
                self.items = None;
                Poll::Ready(None)
            }
            Poll::Ready(Some(item)) => Poll::Ready(Some(item)),
            Poll::Ready(None) => {
                self.items = None;
                Poll::Ready(None)
            }
        }
    }
}

impl<S> fmt::Debug for UntilDone<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UntilDone")
            .field("done", &self.items.is_none())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use futures_util::StreamExt;

    use super::*;

    #[tokio::test]
    async fn debug_shows_whether_the_sentinel_was_seen() {
        let items = futures_util::stream::iter([
            Item::Event(Event::new("token")),
            Item::Event(Event::new(DONE)),
        ]);
        let mut until = until_done(items);
        assert_eq!(format!("{until:?}"), "UntilDone { done: false }");
        assert!(matches!(until.next().await, Some(Item::Event(e)) if e.data() == "token"));
        assert!(until.next().await.is_none());
        assert_eq!(format!("{until:?}"), "UntilDone { done: true }");
    }
}
