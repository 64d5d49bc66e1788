//! Work on many items in parallel, results handed over in the items' order as soon as every
//! earlier one is: a report can be written while the run goes on, and only a bounded window of
//! finished results waits for a slower one before it.

use std::collections::BTreeMap;
use std::sync::{Condvar, Mutex};

/// How many results may wait for an earlier one, per worker thread.
const WINDOW_PER_THREAD: usize = 16;

/// Threads for a run of `items` jobs: one per core (at most one per item). One item runs on
/// the calling thread: starting threads would cost more than the work.
pub fn threads_for(items: usize) -> usize {
    // Asking for the cores reads cgroup files: not worth it for one file.
    if items <= 1 {
        return 1;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.min(items).max(1)
}

/// Run `work` on every item on `threads` threads and call `emit` with each result, in item
/// order, on the calling thread. At most `threads * WINDOW_PER_THREAD` results are held at
/// any time (finished but not yet emitted, or being worked on).
///
/// The calling thread is one of the `threads`: it works on items too and emits between them,
/// so on two cores two threads run, not three, and a finished result does not have to wake a
/// thread that waits only to print it.
pub fn for_each_in_order<T, R, W, E>(items: &[T], threads: usize, work: W, mut emit: E)
where
    T: Sync,
    R: Send,
    W: Fn(&T) -> R + Sync,
    E: FnMut(R),
{
    if threads <= 1 || items.len() <= 1 {
        for item in items {
            emit(work(item));
        }
        return;
    }
    let window = threads * WINDOW_PER_THREAD;
    // The next item to take, and how many results have been emitted.
    let progress = Mutex::new((0usize, 0usize));
    let room = Condvar::new();
    let (sender, receiver) = crossbeam_channel::unbounded::<(usize, R)>();
    std::thread::scope(|scope| {
        for _ in 1..threads {
            let sender = sender.clone();
            let (progress, room, work) = (&progress, &room, &work);
            scope.spawn(move || {
                loop {
                    let index = {
                        let mut p = progress.lock().expect("progress lock");
                        while p.0 < items.len() && p.0 >= p.1 + window {
                            p = room.wait(p).expect("progress lock");
                        }
                        if p.0 >= items.len() {
                            return;
                        }
                        p.0 += 1;
                        p.0 - 1
                    };
                    if sender.send((index, work(&items[index]))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(sender);
        let mut waiting: BTreeMap<usize, R> = BTreeMap::new();
        let mut next = 0;
        while next < items.len() {
            while let Ok((index, result)) = receiver.try_recv() {
                waiting.insert(index, result);
            }
            let emitted_before = next;
            while let Some(result) = waiting.remove(&next) {
                emit(result);
                next += 1;
            }
            // Take an item unless all are taken or the window is full.
            let taken = {
                let mut p = progress.lock().expect("progress lock");
                p.1 = next;
                if p.0 < items.len() && p.0 < next + window {
                    p.0 += 1;
                    Some(p.0 - 1)
                } else {
                    None
                }
            };
            if next > emitted_before {
                room.notify_all();
            }
            match taken {
                Some(index) => {
                    waiting.insert(index, work(&items[index]));
                }
                None if next < items.len() && !waiting.contains_key(&next) => {
                    // The next result is a helper's: wait for it (or for any result).
                    match receiver.recv() {
                        Ok((index, result)) => {
                            waiting.insert(index, result);
                        }
                        Err(_) => break,
                    }
                }
                None => {}
            }
        }
        // Anything left (only when a helper stopped early) is emitted in order.
        for (_, result) in waiting {
            emit(result);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn results_come_in_item_order_whatever_order_they_finish_in() {
        let items: Vec<usize> = (0..2000).collect();
        for threads in [1, 2, 3, 8] {
            let mut seen = Vec::new();
            for_each_in_order(
                &items,
                threads,
                |&i| {
                    // Uneven work, so later items often finish first.
                    let spin = (i * 7919) % 5000;
                    (0..spin).fold(i, |a, b| a ^ std::hint::black_box(b))
                        ^ (0..spin).fold(0, |a, b| a ^ b)
                },
                |r| seen.push(r),
            );
            assert_eq!(seen, items, "{threads} threads");
        }
    }

    #[test]
    fn no_more_than_the_window_is_held() {
        let items: Vec<usize> = (0..3000).collect();
        let threads = 4;
        let started = AtomicUsize::new(0);
        let mut emitted = 0usize;
        let mut most_ahead = 0usize;
        for_each_in_order(
            &items,
            threads,
            |&i| {
                started.fetch_add(1, Ordering::SeqCst);
                // The first item is slow: everything else must wait for it within the window.
                if i == 0 {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                i
            },
            |r| {
                assert_eq!(r, emitted);
                emitted += 1;
                let ahead = started.load(Ordering::SeqCst) - emitted;
                most_ahead = most_ahead.max(ahead);
            },
        );
        assert_eq!(emitted, items.len());
        assert!(
            most_ahead <= threads * WINDOW_PER_THREAD,
            "{most_ahead} results ahead of the report"
        );
    }

    #[test]
    fn one_item_runs_on_the_calling_thread() {
        let caller = std::thread::current().id();
        let mut ran_on = None;
        for_each_in_order(
            &[1],
            threads_for(1),
            |_| std::thread::current().id(),
            |id| ran_on = Some(id),
        );
        assert_eq!(ran_on, Some(caller));
    }
}
