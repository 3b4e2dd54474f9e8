//! What the adapters' loopback tests share: a real HTTP response read as SSE frames with
//! sse-codec, and the scenarios every adapter must pass whatever its framework.

mod client;
mod hub;
mod shutdown;

pub use crate::client::{PATIENCE, ended_by, frames, next_event, next_frame};
pub use crate::hub::{
    reconnecting_client_gets_exactly_the_missed_events, unknown_last_event_id_gets_a_resync,
    wait_for_subscribers,
};
pub use crate::shutdown::open_streams_end_on_shutdown;
