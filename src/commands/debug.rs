//! `dlint debug parse`: our parse in the schema of BuildKit's, one JSON record per file.

use super::*;
use std::path::Path;

pub fn parse(files: &[PathBuf]) -> u8 {
    let mut code = EXIT_OK;
    let mut stdout = std::io::stdout().lock();
    for file in files {
        let input = if file.as_os_str() == "-" {
            Input::Stdin(file.clone())
        } else {
            Input::File(file.clone())
        };
        match read_input(&input) {
            Ok(source) => {
                let df = crate::syntax::parse(&source.text);
                let record = crate::syntax::buildkit_record(&display(file), &df);
                if let Err(e) = writeln!(stdout, "{record}") {
                    if output_failed(&e) {
                        return EXIT_FAILURE;
                    }
                    return code;
                }
            }
            Err(e) => {
                report_errors(&[e]);
                code = EXIT_FAILURE;
            }
        }
    }
    code
}

fn display(path: &Path) -> String {
    path.display().to_string()
}
