//! How long the client waits before it reestablishes a connection, and when it gives up.

use std::time::Duration;

/// The timing of reconnects: exponential growth from the reconnection time, jitter, a cap, a
/// floor, a reset after a healthy connection, and optional limits on attempts and time.
///
/// The WHATWG algorithm waits the reconnection time (the server's `retry:`, otherwise the
/// client's default) and allows waiting more, "in particular, if the previous attempt failed".
/// This is that "more". Counting the reconnects since the last healthy connection as `n`
/// (0 for the first), the delay is
///
/// ```text
/// min(reconnection_time × multiplier^n, max(max_delay, reconnection_time))
///     × (1 + jitter_percent/100 × a random number in [0, 1))
/// ```
///
/// and at least `min_delay`, so that `retry: 0` cannot make the client spin. A connection that
/// stayed open for `reset_after` is healthy: the next reconnect counts from 0 again. With
/// [`max_attempts`](Self::max_attempts) or [`max_elapsed`](Self::max_elapsed), the client fails
/// the connection instead of reconnecting once that many reconnects in a row, or that much time
/// since the first of them, have gone by without a healthy connection.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use sse_client::Backoff;
///
/// let backoff = Backoff::exponential()
///     .max_delay(Duration::from_secs(60))
///     .reset_after(Duration::from_secs(30))
///     .max_attempts(10);
/// assert_eq!(backoff.limits_attempts(), Some(10));
///
/// // Exactly the reconnection time each time, as a browser does (the floor still applies).
/// let constant = Backoff::constant();
/// assert_eq!(constant.jitter(), 0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Backoff {
    multiplier: u32,
    jitter_percent: u32,
    min_delay: Duration,
    max_delay: Duration,
    reset_after: Duration,
    max_attempts: Option<u32>,
    max_elapsed: Option<Duration>,
}

impl Backoff {
    /// Default [`min_delay`](Self::min_delay): 500 ms.
    pub const DEFAULT_MIN_DELAY: Duration = Duration::from_millis(500);
    /// Default [`max_delay`](Self::max_delay): 30 s.
    pub const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(30);
    /// Default [`reset_after`](Self::reset_after): 60 s.
    pub const DEFAULT_RESET_AFTER: Duration = Duration::from_secs(60);

    /// Doubles the delay at each reconnect in a row, adds up to 50 % of jitter, caps at 30 s,
    /// floors at 500 ms, resets after a connection open for 60 s, and never gives up.
    pub const fn exponential() -> Self {
        Backoff {
            multiplier: 2,
            jitter_percent: 50,
            min_delay: Self::DEFAULT_MIN_DELAY,
            max_delay: Self::DEFAULT_MAX_DELAY,
            reset_after: Self::DEFAULT_RESET_AFTER,
            max_attempts: None,
            max_elapsed: None,
        }
    }

    /// Waits exactly the reconnection time each time (no growth, no jitter), as browsers do;
    /// the floor of 500 ms still applies.
    pub const fn constant() -> Self {
        Backoff {
            multiplier: 1,
            jitter_percent: 0,
            ..Self::exponential()
        }
    }

    /// Sets the factor by which the delay grows at each reconnect in a row (1: no growth).
    #[must_use]
    pub const fn multiplier(mut self, multiplier: u32) -> Self {
        self.multiplier = if multiplier == 0 { 1 } else { multiplier };
        self
    }

    /// Sets how much random delay is added, in percent of the delay (0: none).
    #[must_use]
    pub const fn jitter_percent(mut self, percent: u32) -> Self {
        self.jitter_percent = percent;
        self
    }

    /// Sets the shortest wait before any reconnect, whatever `retry:` says.
    #[must_use]
    pub const fn min_delay(mut self, delay: Duration) -> Self {
        self.min_delay = delay;
        self
    }

    /// Sets the cap on growth (before jitter). A reconnection time longer than the cap is still
    /// waited in full.
    #[must_use]
    pub const fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Sets how long a connection must stay open to count as healthy and reset the growth.
    #[must_use]
    pub const fn reset_after(mut self, healthy: Duration) -> Self {
        self.reset_after = healthy;
        self
    }

    /// Fails the connection rather than make more than `attempts` reconnects in a row without a
    /// healthy connection.
    #[must_use]
    pub const fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    /// Fails the connection rather than reconnect later than `elapsed` after the first of the
    /// current run of reconnects.
    #[must_use]
    pub const fn max_elapsed(mut self, elapsed: Duration) -> Self {
        self.max_elapsed = Some(elapsed);
        self
    }

    /// The jitter, in percent of the delay.
    pub const fn jitter(&self) -> u32 {
        self.jitter_percent
    }

    /// The floor under every delay.
    pub const fn floor(&self) -> Duration {
        self.min_delay
    }

    /// How long a connection must stay open to reset the growth.
    pub const fn healthy_after(&self) -> Duration {
        self.reset_after
    }

    /// The limit on reconnects in a row, if any.
    pub const fn limits_attempts(&self) -> Option<u32> {
        self.max_attempts
    }

    /// The limit on time spent reconnecting, if any.
    pub const fn limits_elapsed(&self) -> Option<Duration> {
        self.max_elapsed
    }

    /// The delay before reconnect number `reconnects_in_a_row` (0 for the first since a healthy
    /// connection), with `random` in `[0, 1)` picking the jitter.
    pub(crate) fn delay(
        &self,
        reconnection_time: Duration,
        reconnects_in_a_row: u32,
        random: f64,
    ) -> Duration {
        let growth = self.multiplier.saturating_pow(reconnects_in_a_row);
        let cap = self.max_delay.max(reconnection_time);
        let grown = reconnection_time.saturating_mul(growth).min(cap);
        let jitter = f64::from(self.jitter_percent) / 100.0 * random.clamp(0.0, 1.0);
        // `mul_f64` panics only on overflow or a negative factor; the factor is at least 1 and
        // the checked form keeps huge values from overflowing.
        let jittered = Duration::try_from_secs_f64(grown.as_secs_f64() * (1.0 + jitter))
            .unwrap_or(Duration::MAX);
        jittered.max(self.min_delay)
    }
}

impl Default for Backoff {
    /// [`Backoff::exponential`].
    fn default() -> Self {
        Self::exponential()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn the_first_reconnect_waits_the_reconnection_time_plus_jitter() {
        let backoff = Backoff::exponential();
        assert_eq!(backoff.delay(1000 * MS, 0, 0.0), 1000 * MS);
        assert_eq!(backoff.delay(1000 * MS, 0, 0.5), 1250 * MS);
        assert!(backoff.delay(1000 * MS, 0, 0.999) < 1500 * MS);
    }

    #[test]
    fn delays_double_up_to_the_cap() {
        let backoff = Backoff::exponential()
            .jitter_percent(0)
            .max_delay(5000 * MS);
        let delays: Vec<_> = (0..6).map(|n| backoff.delay(1000 * MS, n, 0.0)).collect();
        assert_eq!(
            delays,
            [1000, 2000, 4000, 5000, 5000, 5000].map(|ms| ms * MS)
        );
    }

    #[test]
    fn a_reconnection_time_above_the_cap_is_waited_in_full() {
        let backoff = Backoff::exponential()
            .jitter_percent(0)
            .max_delay(5000 * MS);
        assert_eq!(backoff.delay(9000 * MS, 3, 0.0), 9000 * MS);
    }

    #[test]
    fn the_floor_holds_against_retry_zero() {
        let backoff = Backoff::exponential().min_delay(200 * MS);
        assert_eq!(backoff.delay(Duration::ZERO, 0, 0.9), 200 * MS);
        assert_eq!(backoff.delay(Duration::ZERO, 30, 0.9), 200 * MS);
    }

    #[test]
    fn huge_values_saturate_instead_of_panicking() {
        let backoff = Backoff::exponential().max_delay(Duration::MAX);
        assert_eq!(backoff.delay(Duration::MAX, u32::MAX, 0.99), Duration::MAX);
    }

    #[test]
    fn constant_never_grows() {
        let backoff = Backoff::constant();
        assert_eq!(backoff.delay(3000 * MS, 7, 0.7), 3000 * MS);
    }

    #[test]
    fn the_multiplier_sets_the_growth_and_zero_means_none() {
        let grown = |multiplier| {
            Backoff::exponential()
                .jitter_percent(0)
                .max_delay(Duration::MAX)
                .multiplier(multiplier)
                .delay(1000 * MS, 2, 0.0)
        };
        assert_eq!(grown(3), 9000 * MS);
        assert_eq!(grown(1), 1000 * MS);
        assert_eq!(grown(0), 1000 * MS, "0 is taken as 1, not as a delay of 0");
    }

    #[test]
    fn the_jitter_reads_back_as_set() {
        assert_eq!(Backoff::exponential().jitter(), 50);
        assert_eq!(Backoff::constant().jitter(), 0);
        assert_eq!(Backoff::exponential().jitter_percent(7).jitter(), 7);
    }
}
