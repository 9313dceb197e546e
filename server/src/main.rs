use std::process::ExitCode;

use clap::Parser;

// `--features system-allocator` keeps the C library's malloc, so heap profilers that hook
// it (heaptrack) see every allocation; docs/operations.md, «Profiling memory».
#[cfg(not(feature = "system-allocator"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    #[cfg(not(feature = "system-allocator"))]
    zhmp::startup::tune_allocator();
    let cli = zhmp::cli::Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("zhmp: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(zhmp::cli::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("zhmp: {err:#}");
            ExitCode::FAILURE
        }
    }
}
