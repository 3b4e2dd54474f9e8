//! The subscribers of a channel waiting for its next event: the hub's delivery.
//!
//! Each subscription owns a slot for its lifetime. Waiting stores (or keeps) the task's waker
//! in that slot; a publish moves every stored waker out and wakes them. Nothing is allocated
//! per wait or per publish once the vectors have grown to the number of subscribers.

use std::task::Waker;

#[derive(Debug, Default)]
pub(crate) struct Waiters {
    slots: Vec<Option<Waker>>,
    /// Slots not owned by a subscription, for reuse.
    free: Vec<usize>,
    /// Slots that got a waker since the last wake-up (a slot may appear twice after reuse;
    /// its waker is taken once).
    waiting: Vec<usize>,
}

impl Waiters {
    /// A slot for a new subscription.
    pub(crate) fn add(&mut self) -> usize {
        match self.free.pop() {
            Some(slot) => slot,
            None => {
                self.slots.push(None);
                self.slots.len() - 1
            }
        }
    }

    /// Gives back a subscription's slot, dropping its waker.
    pub(crate) fn remove(&mut self, slot: usize) {
        if let Some(waker) = self.slots.get_mut(slot) {
            *waker = None;
            self.free.push(slot);
        }
    }

    /// Stores the waker of the task waiting on `slot`, unless the one stored wakes it already.
    pub(crate) fn wait(&mut self, slot: usize, waker: &Waker) {
        let Some(stored) = self.slots.get_mut(slot) else {
            return;
        };
        match stored {
            Some(current) if current.will_wake(waker) => {}
            Some(current) => current.clone_from(waker),
            None => {
                *stored = Some(waker.clone());
                self.waiting.push(slot);
                self.compact_if_stale();
            }
        }
    }

    /// Moves every stored waker into `woken`, to be woken once the channel's lock is released.
    pub(crate) fn take_all(&mut self, woken: &mut Vec<Waker>) {
        for slot in self.waiting.drain(..) {
            if let Some(waker) = self.slots.get_mut(slot).and_then(Option::take) {
                woken.push(waker);
            }
        }
    }

    /// Subscriptions that wait and go away before any publish leave their slot numbers in
    /// `waiting`; rebuilt from the slots when it has grown well past them, so it stays bounded
    /// by the number of subscriptions.
    fn compact_if_stale(&mut self) {
        if self.waiting.len() > 2 * self.slots.len() + 64 {
            self.waiting.clear();
            let slots = &self.slots;
            self.waiting
                .extend((0..slots.len()).filter(|&slot| slots[slot].is_some()));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::Wake;

    use super::*;

    struct Counting(AtomicUsize);

    impl Wake for Counting {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn counting() -> (Arc<Counting>, Waker) {
        let count = Arc::new(Counting(AtomicUsize::new(0)));
        (Arc::clone(&count), Waker::from(count))
    }

    #[test]
    fn each_waiting_task_is_woken_once_per_wake_up() {
        let mut waiters = Waiters::default();
        let (count, waker) = counting();
        let slots = [waiters.add(), waiters.add()];
        for slot in slots {
            waiters.wait(slot, &waker);
            waiters.wait(slot, &waker);
        }
        let mut woken = Vec::new();
        waiters.take_all(&mut woken);
        assert_eq!(woken.len(), 2);
        woken.drain(..).for_each(Waker::wake);
        assert_eq!(count.0.load(Ordering::SeqCst), 2);
        waiters.take_all(&mut woken);
        assert!(woken.is_empty(), "nobody waits any more");
    }

    #[test]
    fn churn_without_wake_ups_stays_bounded() {
        let mut waiters = Waiters::default();
        let (_count, waker) = counting();
        for _ in 0..100_000 {
            let slot = waiters.add();
            waiters.wait(slot, &waker);
            waiters.remove(slot);
        }
        assert_eq!(waiters.slots.len(), 1);
        assert!(waiters.waiting.len() <= 66, "{}", waiters.waiting.len());
    }

    #[test]
    fn waiting_never_outgrows_twice_the_slots_and_64() {
        let mut waiters = Waiters::default();
        let (_count, waker) = counting();
        let kept: Vec<usize> = (0..10).map(|_| waiters.add()).collect();
        for _ in 0..1000 {
            let slot = waiters.add();
            waiters.wait(slot, &waker);
            waiters.remove(slot);
            let bound = 2 * waiters.slots.len() + 64;
            assert!(
                waiters.waiting.len() <= bound,
                "{} > {bound}",
                waiters.waiting.len()
            );
        }
        drop(kept);
    }

    #[test]
    fn a_subscription_polled_from_another_task_wakes_that_task() {
        let mut waiters = Waiters::default();
        let (first, first_waker) = counting();
        let (second, second_waker) = counting();
        let slot = waiters.add();
        waiters.wait(slot, &first_waker);
        waiters.wait(slot, &second_waker);
        let mut woken = Vec::new();
        waiters.take_all(&mut woken);
        woken.drain(..).for_each(Waker::wake);
        assert_eq!(
            first.0.load(Ordering::SeqCst),
            0,
            "the old task is not woken"
        );
        assert_eq!(
            second.0.load(Ordering::SeqCst),
            1,
            "the task that waits now is"
        );
    }
}
