//! `dlint completions SHELL`: the shell completion script, from the clap definition.

use super::{EXIT_FAILURE, EXIT_OK, output_failed};
use std::io::Write;

pub fn run(shell: clap_complete::Shell, mut command: clap::Command) -> u8 {
    // Rendered first: clap_complete panics on a write error (`dlint completions bash | head`).
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "dlint", &mut script);
    let mut out = std::io::stdout().lock();
    match out.write_all(&script).and_then(|_| out.flush()) {
        Err(e) if output_failed(&e) => EXIT_FAILURE,
        _ => EXIT_OK,
    }
}
