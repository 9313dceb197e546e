//! Any text as a question bank (properties: zhmp::fuzzing::quiz_bank).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| zhmp::fuzzing::quiz_bank(data));
