//! An error from the user's stream ends the response after the last complete frame.

use futures_util::stream;
use sse_warp::Event;
use warp::Filter;

use crate::server::serve;

#[tokio::test]
async fn stream_error_ends_the_response_cleanly_after_the_last_complete_frame() {
    let route = warp::any().map(|| {
        let items: [Result<Event, std::io::Error>; 3] = [
            Ok(Event::new("one").with_id("1")),
            Err(std::io::Error::other("upstream gone")),
            Ok(Event::new("never sent")),
        ];
        sse_warp::reply(stream::iter(items))
    });
    let server = serve(route.boxed()).await;
    let response = reqwest::get(server.url("/")).await.unwrap();
    // The body ends normally (a complete chunked body, no transport error)...
    let body = response.bytes().await.expect("a cleanly ended body");
    // ...and holds exactly the frames before the error.
    assert_eq!(&body[..], b"id: 1\ndata: one\n\n");
}
