//! The `postguard` command line: parse arguments, run a command, map the
//! outcome to the contract's exit codes (0 clean, 1 findings, 2 errors).

mod cli;

use clap::Parser;
use std::process::ExitCode;

// A scan allocates a few small strings per post on several threads; mimalloc
// handles that pattern markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(cli::Failure::BrokenPipe) => ExitCode::SUCCESS,
        Err(cli::Failure::Reported) => ExitCode::from(2),
        Err(cli::Failure::Message(message)) => {
            let mut err = anstream::stderr();
            let _ = std::io::Write::write_fmt(
                &mut err,
                format_args!(
                    "{}error:{} {message}\n",
                    cli::style::ERROR.render(),
                    cli::style::ERROR.render_reset()
                ),
            );
            ExitCode::from(2)
        }
    }
}
