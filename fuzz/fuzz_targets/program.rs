//! Any text as an onboarding programme (properties: zhmp::fuzzing::program).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| zhmp::fuzzing::program(data));
