//! FNV-1a, 64-bit: a fast hash for trusted keys (the policy's own phrases)
//! and for words hashed byte by byte as they are read (the verbatim index).

use std::hash::{BuildHasherDefault, Hasher};

#[derive(Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u8(b);
        }
    }
    fn write_u8(&mut self, b: u8) {
        self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
}

/// Maps keyed by trusted strings: SipHash, which resists crafted keys, cost
/// a one-draft `check` a tenth of its rule compile.
pub type FnvBuild = BuildHasherDefault<Fnv>;
