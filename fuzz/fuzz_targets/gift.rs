//! Any text as a Moodle GIFT file (properties: zhmp::fuzzing::gift).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| zhmp::fuzzing::gift(data));
