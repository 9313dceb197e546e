//! Any bytes as a card file (properties: zhmp::fuzzing::card).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| zhmp::fuzzing::card(data));
