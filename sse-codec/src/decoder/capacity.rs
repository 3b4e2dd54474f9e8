//! Growing a buffer without ever reserving past the limit that bounds its content.

/// The capacity to grow a buffer to so that it holds `needed` bytes: doubling, for amortised
/// constant-time appends, but never past `bound` (what a limit lets the content reach), so the
/// memory a buffer holds is bounded by its limit rather than by twice it.
pub(super) fn grown_capacity(capacity: usize, needed: usize, bound: usize) -> usize {
    needed.max(capacity.saturating_mul(2).min(bound))
}

/// Makes room in `buf` for `additional` more bytes, within `bound`.
pub(super) fn reserve_within(buf: &mut alloc::vec::Vec<u8>, additional: usize, bound: usize) {
    let needed = buf.len() + additional;
    if needed > buf.capacity() {
        buf.reserve_exact(grown_capacity(buf.capacity(), needed, bound) - buf.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_up_to_the_bound_and_never_past_what_is_needed() {
        assert_eq!(grown_capacity(0, 10, 100), 10);
        assert_eq!(grown_capacity(10, 11, 100), 20);
        assert_eq!(grown_capacity(60, 61, 100), 100);
        assert_eq!(grown_capacity(60, 61, usize::MAX), 120);
        assert_eq!(
            grown_capacity(usize::MAX / 2 + 1, usize::MAX, usize::MAX),
            usize::MAX
        );
        // A bound below what is needed never shrinks the request.
        assert_eq!(grown_capacity(8, 50, 20), 50);
    }

    #[test]
    fn reserved_capacity_stays_within_the_bound() {
        let mut buf = alloc::vec::Vec::new();
        for _ in 0..100 {
            reserve_within(&mut buf, 7, 500);
            buf.extend_from_slice(&[0; 7]);
            assert!(buf.capacity() <= buf.len().max(500), "{}", buf.capacity());
        }
        assert_eq!(buf.len(), 700);
    }

    #[test]
    fn room_that_is_already_there_is_not_reserved_again() {
        let mut buf = alloc::vec::Vec::with_capacity(10);
        buf.extend_from_slice(&[0; 5]);
        reserve_within(&mut buf, 5, 100);
        assert_eq!(buf.capacity(), 10, "exactly full is full enough");
        reserve_within(&mut buf, 6, 100);
        assert_eq!(buf.capacity(), 20);
    }
}
