//! A response body that fails when no bytes arrive for a while.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use futures_util::stream::BoxStream;
use tokio::time::{Instant, Sleep};

/// Why the body stopped giving bytes.
#[derive(Debug)]
pub(crate) enum BodyError {
    Transport(reqwest::Error),
    Idle(Duration),
}

/// A body whose silence longer than `timeout` is an error, so that a connection that died
/// without a FIN or RST (a sleeping laptop, a dropped NAT mapping) is noticed. Any bytes count,
/// keep-alive comments included, and so do bytes of an event that is not complete yet.
pub(crate) struct IdleBody {
    inner: BoxStream<'static, reqwest::Result<Bytes>>,
    timer: Option<(Duration, Pin<Box<Sleep>>)>,
}

impl IdleBody {
    pub(crate) fn new(response: reqwest::Response, timeout: Option<Duration>) -> Self {
        IdleBody {
            inner: Box::pin(response.bytes_stream()),
            timer: timeout.map(|after| (after, Box::pin(tokio::time::sleep(after)))),
        }
    }
}

impl Stream for IdleBody {
    type Item = Result<Bytes, BodyError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        match this.inner.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                if let Some((after, sleep)) = &mut this.timer {
                    // A timeout too long for the clock never fires: the sleep made with it is
                    // already as far away as tokio goes.
                    if let Some(deadline) = Instant::now().checked_add(*after) {
                        sleep.as_mut().reset(deadline);
                    }
                }
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(Some(Err(error))) => Poll::Ready(Some(Err(BodyError::Transport(error)))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => match &mut this.timer {
                Some((after, sleep)) => match sleep.as_mut().poll(cx) {
                    Poll::Ready(()) => Poll::Ready(Some(Err(BodyError::Idle(*after)))),
                    Poll::Pending => Poll::Pending,
                },
                None => Poll::Pending,
            },
        }
    }
}
