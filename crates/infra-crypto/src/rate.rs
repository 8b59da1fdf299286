//! Raw argon2 throughput, without the pool or its queue: the ceiling that `cargo xtask bench`
//! compares the server's hashing rate against.

use crate::argon;
use crate::config::Argon2Params;
use crate::memory::Memory;
use std::thread;
use std::time::{Duration, Instant};

/// Hashes per second with `threads` threads (at least one) hashing at `params` for about
/// `duration`, each with its own reused buffer as the workers have. 0 when nothing could be
/// hashed (invalid parameters, no thread).
pub fn argon2_rate(params: Argon2Params, threads: usize, duration: Duration) -> f64 {
    let start = Instant::now();
    let total: u64 = thread::scope(|scope| {
        let running: Vec<_> = (0..threads.max(1))
            .filter_map(|_| {
                thread::Builder::new()
                    .spawn_scoped(scope, || hashes_until(&params, start + duration))
                    .ok()
            })
            .collect();
        running
            .into_iter()
            .map(|handle| handle.join().unwrap_or(0))
            .sum()
    });
    let elapsed = start.elapsed().as_secs_f64();
    if elapsed > 0.0 {
        total as f64 / elapsed
    } else {
        0.0
    }
}

fn hashes_until(params: &Argon2Params, deadline: Instant) -> u64 {
    let mut memory = Memory::new(argon::block_count(params));
    let mut count = 0;
    while Instant::now() < deadline {
        if argon::hash_with_salt(
            b"benchmark password",
            b"benchmark salt",
            params,
            &mut memory,
        )
        .is_err()
        {
            break;
        }
        count += 1;
    }
    count
}
