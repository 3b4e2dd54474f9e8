//! What the adapters' loopback tests share: a real HTTP response read as SSE frames with
//! sse-codec, and the scenarios every adapter must pass whatever its framework.

mod client;
mod disconnect;
mod http2;
mod http2_stall;
mod hub;
mod keep_alive;
mod shutdown;
mod stalled;
mod tls;

pub use crate::client::{PATIENCE, ended_by, frames, next_event, next_frame};
pub use crate::disconnect::{
    DropWatch, WatchedStreams, disconnect_drops_the_stream, disconnect_drops_the_stream_with,
};
pub use crate::http2::{
    CONNECTION_SPECIFIC_HEADERS, IDLE_PATH, PACED_EVENTS, PACED_PATH, Paced, WATCHED_PATH,
    assert_http2_event_stream, http2_scenarios,
};
pub use crate::http2_stall::stalled_http2_stream_holds_neither_its_sibling_nor_the_shutdown;
pub use crate::hub::{
    ScenarioHub, reconnecting_client_gets_exactly_the_missed_events,
    unknown_last_event_id_gets_a_resync, wait_for_subscribers,
};
pub use crate::keep_alive::{
    BUSY_EVENTS, KEEP_ALIVE_INTERVAL, KEEP_ALIVE_TEXT, busy_events, busy_stream_gets_no_keep_alive,
    idle_keep_alive, idle_stream_gets_keep_alive_comments,
    idle_stream_gets_keep_alive_comments_with,
};
pub use crate::shutdown::open_streams_end_on_shutdown;
pub use crate::stalled::{
    TEST_SLACK, TEST_WRITE_TIMEOUT, shutdown_ends_with_stalled_readers, small_send_buffer_listener,
    stalled_reader, stalled_reader_is_cut_while_a_healthy_one_gets_everything,
};
pub use crate::tls::{ALPN_H2_AND_HTTP1, h2c_client, https_client, self_signed_server_config};
