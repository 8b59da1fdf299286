//! A worker's argon2 memory, kept from one hash to the next.
//!
//! Allocating the memory for each hash and freeing it after goes through mmap for large costs
//! (glibc maps allocations above 32 MiB afresh every time) and halves throughput; reusing one
//! buffer per worker avoids that and the page faults of touching new memory.

use argon2::Block;
use roster_domain::Unexpected;
use roster_domain::ports::password::HashError;

/// Blocks kept up to the size of the current parameters. A verification that needs more (an
/// imported hash with a larger memory cost, bounded by the domain) gets a buffer of its own
/// for that call, so one such login does not pin that much memory per worker for good.
#[derive(Debug)]
pub(crate) struct Memory {
    kept: Vec<Block>,
    keep_up_to: usize,
}

impl Memory {
    /// Keeps at most `keep_up_to` blocks; nothing is allocated before the first hash.
    pub(crate) fn new(keep_up_to: usize) -> Self {
        Self {
            kept: Vec::new(),
            keep_up_to,
        }
    }

    /// Runs `work` over `count` blocks. Errors: `Unexpected` when the memory cannot be had.
    pub(crate) fn with_blocks<R>(
        &mut self,
        count: usize,
        work: impl FnOnce(&mut [Block]) -> R,
    ) -> Result<R, HashError> {
        if let Some(blocks) = self.kept.get_mut(..count) {
            return Ok(work(blocks));
        }
        let mut fresh = allocate(count)?;
        let result = work(&mut fresh);
        if count <= self.keep_up_to {
            self.kept = fresh;
        }
        Ok(result)
    }
}

/// Asks for the memory rather than aborting the process when it cannot be had.
fn allocate(count: usize) -> Result<Vec<Block>, HashError> {
    let mut blocks = Vec::new();
    blocks
        .try_reserve_exact(count)
        .map_err(|e| HashError::Unexpected(Unexpected::new(e)))?;
    blocks.resize(count, Block::new());
    Ok(blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c9_keeps_the_buffer_only_up_to_the_current_size() {
        let mut memory = Memory::new(16);
        assert_eq!(memory.with_blocks(8, |b| b.len()).unwrap(), 8);
        assert_eq!(memory.kept.len(), 8);
        assert_eq!(memory.with_blocks(16, |b| b.len()).unwrap(), 16);
        assert_eq!(memory.kept.len(), 16);
        assert_eq!(
            memory.with_blocks(4, |b| b.len()).unwrap(),
            4,
            "a slice of the kept one"
        );
        assert_eq!(memory.with_blocks(64, |b| b.len()).unwrap(), 64);
        assert_eq!(memory.kept.len(), 16, "a larger one-off buffer is not kept");
    }
}
