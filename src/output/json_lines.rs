//! `json-lines`: the objects of `json`, one compact object a line.

use super::json::records;
use super::{Sink, SortedFile};
use crate::diagnostic::RuleMeta;
use std::io::{self, Write};

pub(super) struct JsonLines<'r> {
    pub rules: &'r [RuleMeta],
}

impl Sink for JsonLines<'_> {
    fn file(&mut self, out: &mut dyn Write, file: &SortedFile) -> io::Result<()> {
        let path = file.path();
        for record in records(file, &path, self.rules) {
            serde_json::to_writer(&mut *out, &record)?;
            writeln!(out)?;
        }
        Ok(())
    }

    fn finish(&mut self, _out: &mut dyn Write, _files_failed: bool) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testdata::render;
    use super::super::{OutputFormat, OutputOptions};

    #[test]
    fn json_lines_output() {
        let got = render(OutputFormat::JsonLines, &OutputOptions::default());
        let want = r#"{"file":"build dir/Dockerfile","code":"DS100","rule":"label-value-quoted","severity":"style","level":"style","message":"label value 1 is not quoted","line":2,"column":21,"end_line":2,"end_column":30,"url":"https://github.com/dockerfile-dlint/dlint/blob/main/rules/DS100.md","fix":{"applicability":"safe","description":"quote the value","edits":[{"line":2,"column":29,"end_line":2,"end_column":30,"content":"\"1\""}]}}
{"file":"build dir/Dockerfile","code":"DC002","rule":"copy-before-install","severity":"warning","level":"warning","message":"COPY of the whole context before an install","line":3,"column":1,"end_line":3,"end_column":12,"url":"https://github.com/dockerfile-dlint/dlint/blob/main/rules/DC002.md","fix":null}
{"file":"build dir/Dockerfile","code":"DC001","rule":"pip-no-cache-dir","severity":"warning","level":"warning","message":"pip install without --no-cache-dir","line":4,"column":5,"end_line":4,"end_column":22,"url":"https://github.com/dockerfile-dlint/dlint/blob/main/rules/DC001.md","fix":{"applicability":"safe","description":"add --no-cache-dir","edits":[{"line":4,"column":16,"end_line":4,"end_column":16,"content":" --no-cache-dir"}]}}
{"file":"build dir/Dockerfile","code":"DL3009","rule":"apt-lists-not-deleted","severity":"info","level":"info","message":"apt lists are not deleted after installing","line":5,"column":5,"end_line":6,"end_column":28,"url":"https://github.com/dockerfile-dlint/dlint/blob/main/rules/DL3009.md","fix":{"applicability":"unsafe","description":"delete /var/lib/apt/lists","edits":[{"line":6,"column":28,"end_line":6,"end_column":28,"content":" \\\n    && rm -rf /var/lib/apt/lists/*"}]}}
{"file":"web/Dockerfile","code":"DC010","rule":"apk-no-cache","severity":"warning","level":"warning","message":"apk add without --no-cache","line":2,"column":5,"end_line":2,"end_column":12,"url":"https://github.com/dockerfile-dlint/dlint/blob/main/rules/DC010.md","fix":{"applicability":"safe","description":"add --no-cache","edits":[{"line":2,"column":12,"end_line":2,"end_column":12,"content":" --no-cache"}]}}
{"file":"web/Dockerfile","code":"DL3018","rule":"apk-pin-versions","severity":"error","level":"error","message":"pin versions in apk add: use \"curl=<version>\" (100%, really: <always>)","line":2,"column":13,"end_line":2,"end_column":17,"url":"https://github.com/dockerfile-dlint/dlint/blob/main/rules/DL3018.md","fix":null}
"#;
        assert_eq!(got, want, "\n{got}");
    }

    #[test]
    fn json_lines_match_json() {
        let lines = render(OutputFormat::JsonLines, &OutputOptions::default());
        let array: serde_json::Value =
            serde_json::from_str(&render(OutputFormat::Json, &OutputOptions::default())).unwrap();
        let parsed: Vec<serde_json::Value> = lines
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(serde_json::Value::Array(parsed), array);
    }
}
