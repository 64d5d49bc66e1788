//! Output formats: how a run's diagnostics are shown to people, CI systems and editors.
//!
//! Every format reads the same input, a slice of [`FileReport`]s, and writes to a plain
//! [`std::io::Write`]. The shapes are described in `docs/INTERFACES.md`; a change to any of
//! them is a breaking change.
//!
//! Positions everywhere are 1-based lines and 1-based columns counted in characters, with an
//! exclusive end (the end column is the column just past the span), as
//! [`SourceFile::line_col`] computes them.

mod checkstyle;
mod concise;
mod full;
mod github;
mod gitlab;
mod json;
mod json_lines;
mod junit;
mod sarif;
mod statistics;

use crate::diagnostic::{Applicability, Diagnostic, FileReport, RuleMeta, Severity};
use crate::source::{LineCol, SourceFile, Span};
use std::fmt;
use std::io::{self, Write};
use std::str::FromStr;

pub use statistics::{write_statistics, write_statistics_for, write_statistics_json};

/// The `--output-format` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Full,
    Concise,
    Json,
    JsonLines,
    Github,
    Gitlab,
    Sarif,
    Checkstyle,
    Junit,
}

impl OutputFormat {
    /// Every format, in the order they are documented.
    pub const ALL: [OutputFormat; 9] = [
        OutputFormat::Full,
        OutputFormat::Concise,
        OutputFormat::Json,
        OutputFormat::JsonLines,
        OutputFormat::Github,
        OutputFormat::Gitlab,
        OutputFormat::Sarif,
        OutputFormat::Checkstyle,
        OutputFormat::Junit,
    ];

    /// The name used on the command line and in configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            OutputFormat::Full => "full",
            OutputFormat::Concise => "concise",
            OutputFormat::Json => "json",
            OutputFormat::JsonLines => "json-lines",
            OutputFormat::Github => "github",
            OutputFormat::Gitlab => "gitlab",
            OutputFormat::Sarif => "sarif",
            OutputFormat::Checkstyle => "checkstyle",
            OutputFormat::Junit => "junit",
        }
    }

    /// Whether the format is meant for people (and so may use colour and a summary line).
    pub fn is_human(self) -> bool {
        matches!(self, OutputFormat::Full | OutputFormat::Concise)
    }
}

/// Lets clap list the formats in `--help` and reject unknown ones, from the one list above.
impl clap::ValueEnum for OutputFormat {
    fn value_variants<'a>() -> &'a [Self] {
        &Self::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.as_str()))
    }
}

impl fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing an unknown output format name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownOutputFormat(pub String);

impl fmt::Display for UnknownOutputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = OutputFormat::ALL.iter().map(|f| f.as_str()).collect();
        write!(
            f,
            "unknown output format `{}` (expected one of: {})",
            self.0,
            names.join(", ")
        )
    }
}

impl std::error::Error for UnknownOutputFormat {}

impl FromStr for OutputFormat {
    type Err = UnknownOutputFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OutputFormat::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| UnknownOutputFormat(s.to_string()))
    }
}

/// What the human formats (`full`, `concise`) should show; machine formats ignore these.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OutputOptions {
    /// ANSI colours (off for `--no-color`, `NO_COLOR`, or when stdout is not a terminal).
    pub color: bool,
    /// Say how many findings are fixable and with which command.
    pub show_fixes_hint: bool,
    /// `--unsafe-fixes` is in force: unsafe fixes count as applicable.
    pub unsafe_fixes_enabled: bool,
    /// `full` shows source snippets; when false it prints one line per finding plus help.
    pub show_source: bool,
    /// Some inputs could not be read: a clean summary must not claim everything passed.
    pub files_failed: bool,
}

/// Write every report in `format`. `rules` describes the rules (SARIF's driver rules, the
/// documentation URLs of JSON); a diagnostic whose rule is missing from it is still reported.
///
/// Reports are written in path order and diagnostics in (line, column, code) order whatever
/// order they come in.
pub fn write_report(
    format: OutputFormat,
    out: &mut dyn Write,
    reports: &[FileReport],
    rules: &[RuleMeta],
    opts: &OutputOptions,
) -> io::Result<()> {
    let mut stream = ReportStream::new(format, out, rules, opts);
    for report in in_path_order(reports) {
        stream.file(report)?;
    }
    stream.finish(opts.files_failed)
}

/// Reports stably sorted by path.
pub(crate) fn in_path_order<'r, 'a>(reports: &'r [FileReport<'a>]) -> Vec<&'r FileReport<'a>> {
    let mut sorted: Vec<&FileReport> = reports.iter().collect();
    sorted.sort_by(|a, b| a.source.path.cmp(&b.source.path));
    sorted
}

/// A report written one file at a time, so that a run need not keep every file's text and
/// findings until the end: the caller hands files over in path order and may drop each one
/// after [`ReportStream::file`]. Formats whose beginning depends on the whole run (SARIF's
/// rule list, JUnit's totals) and the summaries keep only what that needs, never a file's text.
pub struct ReportStream<'o> {
    out: &'o mut dyn Write,
    sink: Box<dyn Sink + 'o>,
}

/// One format's writer: called for each file in path order, then once at the end.
pub(crate) trait Sink {
    fn file(&mut self, out: &mut dyn Write, file: &SortedFile) -> io::Result<()>;
    /// `files_failed`: some inputs could not be read, so a clean summary must not claim
    /// that everything passed.
    fn finish(&mut self, out: &mut dyn Write, files_failed: bool) -> io::Result<()>;
}

impl<'o> ReportStream<'o> {
    /// The findings themselves, in `format`.
    pub fn new(
        format: OutputFormat,
        out: &'o mut dyn Write,
        rules: &'o [RuleMeta],
        opts: &OutputOptions,
    ) -> Self {
        let opts = *opts;
        let sink: Box<dyn Sink + 'o> = match format {
            OutputFormat::Full => Box::new(full::Full::new(opts)),
            OutputFormat::Concise => Box::new(concise::Concise::new(opts)),
            OutputFormat::Json => Box::new(json::Json::new(rules)),
            OutputFormat::JsonLines => Box::new(json_lines::JsonLines { rules }),
            OutputFormat::Github => Box::new(github::Github),
            OutputFormat::Gitlab => Box::new(gitlab::Gitlab::default()),
            OutputFormat::Sarif => Box::new(sarif::Sarif::new(rules)),
            OutputFormat::Checkstyle => Box::new(checkstyle::Checkstyle::default()),
            OutputFormat::Junit => Box::new(junit::Junit::default()),
        };
        ReportStream { out, sink }
    }

    /// Counts per rule instead of the findings (`--statistics`): JSON for the JSON formats,
    /// the table for every other.
    pub fn statistics(format: OutputFormat, out: &'o mut dyn Write, rules: &'o [RuleMeta]) -> Self {
        let json = matches!(format, OutputFormat::Json | OutputFormat::JsonLines);
        ReportStream {
            out,
            sink: Box::new(statistics::Statistics::new(rules, json)),
        }
    }

    /// Write one file's findings; files must come in path order.
    pub fn file(&mut self, report: &FileReport) -> io::Result<()> {
        self.sink.file(self.out, &sorted_file(report))
    }

    /// Write what ends the report (closing brackets, summaries, totals). `files_failed`:
    /// some inputs could not be read, so a clean summary does not claim everything passed.
    pub fn finish(mut self, files_failed: bool) -> io::Result<()> {
        self.sink.finish(self.out, files_failed)
    }
}

// ---------------------------------------------------------------------------------------------
// Shared pieces.

/// One file with its diagnostics in output order.
pub(crate) struct SortedFile<'a> {
    pub source: &'a SourceFile,
    pub diagnostics: Vec<&'a Diagnostic>,
}

impl SortedFile<'_> {
    pub fn path(&self) -> String {
        self.source.display_path()
    }
}

/// A report with its diagnostics sorted by position, then code.
pub(crate) fn sorted_file<'a>(report: &'a FileReport) -> SortedFile<'a> {
    let mut diagnostics: Vec<&Diagnostic> = report.diagnostics.iter().collect();
    // Offsets order like (line, column) do; the rest only makes ties deterministic.
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.code, a.span.end, &a.message).cmp(&(
            b.span.start,
            b.code,
            b.span.end,
            &b.message,
        ))
    });
    SortedFile {
        source: report.source,
        diagnostics,
    }
}

/// A pretty-printed JSON array written one element at a time: byte for byte what
/// `serde_json::to_writer_pretty` writes for the whole array, then a newline.
#[derive(Default)]
pub(crate) struct PrettyArray {
    started: bool,
    /// One item's text, reused: serde_json writes an item in many small pieces, and they
    /// are gathered here and written out at once.
    item: Vec<u8>,
}

impl PrettyArray {
    pub fn push<T: serde::Serialize>(&mut self, out: &mut dyn Write, item: &T) -> io::Result<()> {
        self.item.clear();
        self.item
            .extend_from_slice(if self.started { b",\n  " } else { b"[\n  " });
        self.started = true;
        serde_json::to_writer_pretty(
            Indented {
                out: &mut self.item,
            },
            item,
        )?;
        out.write_all(&self.item)
    }

    /// Close the array and end the line.
    pub fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(if self.started { b"\n]\n" } else { b"[]\n" })
    }
}

/// Writes through to `out`, indenting every line after the first one level (two spaces).
/// JSON strings escape their newlines, so every line break serde_json writes is the layout's.
struct Indented<'a> {
    out: &'a mut Vec<u8>,
}

impl Write for Indented<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, mut buf: &[u8]) -> io::Result<()> {
        while let Some(at) = buf.iter().position(|&b| b == b'\n') {
            self.out.extend_from_slice(&buf[..=at]);
            self.out.extend_from_slice(b"  ");
            buf = &buf[at + 1..];
        }
        self.out.extend_from_slice(buf);
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Start and exclusive end of a span, 1-based, columns in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Range {
    pub start: LineCol,
    pub end: LineCol,
}

impl Range {
    pub fn of(source: &SourceFile, span: Span) -> Range {
        let end = span.end.max(span.start);
        Range {
            start: source.line_col(span.start),
            end: source.line_col(end),
        }
    }

    /// The last line the span touches, for formats whose end line is inclusive: a non-empty
    /// span that stops right after a newline ends on the line before.
    pub fn last_line(&self) -> usize {
        if self.end.line > self.start.line && self.end.column == 1 {
            self.end.line - 1
        } else {
            self.end.line
        }
    }
}

/// Whether `dlint fix` would apply this diagnostic's fix with the current settings.
pub(crate) fn fix_applies(diag: &Diagnostic, unsafe_fixes_enabled: bool) -> bool {
    match &diag.fix {
        Some(fix) => fix.applicability == Applicability::Safe || unsafe_fixes_enabled,
        None => false,
    }
}

/// The ruff-style `[*] ` marker for a fix that applies, or nothing.
pub(crate) fn fix_marker(diag: &Diagnostic, unsafe_fixes_enabled: bool) -> &'static str {
    if fix_applies(diag, unsafe_fixes_enabled) {
        "[*] "
    } else {
        ""
    }
}

/// Counts for the closing summary of the human formats.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Totals {
    pub total: usize,
    pub errors: usize,
    pub warnings: usize,
    pub info: usize,
    pub style: usize,
    /// Fixes `dlint fix` applies with the current settings.
    pub fixable: usize,
    /// Unsafe fixes that would apply with `--unsafe-fixes` (0 when it is on).
    pub hidden_unsafe: usize,
    /// Of `fixable`, how many are unsafe (so the hint names `--unsafe-fixes`).
    pub fixable_unsafe: usize,
}

impl Totals {
    /// Count one finding.
    pub fn add(&mut self, diag: &Diagnostic, unsafe_fixes_enabled: bool) {
        self.total += 1;
        match diag.severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.info += 1,
            Severity::Style => self.style += 1,
        }
        if let Some(fix) = &diag.fix {
            match (fix.applicability, unsafe_fixes_enabled) {
                (Applicability::Safe, _) => self.fixable += 1,
                (Applicability::Unsafe, true) => {
                    self.fixable += 1;
                    self.fixable_unsafe += 1;
                }
                (Applicability::Unsafe, false) => self.hidden_unsafe += 1,
            }
        }
    }
}

/// What the closing summary counts: the files seen and their findings.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Tally {
    pub files: usize,
    pub totals: Totals,
}

impl Tally {
    pub fn add(&mut self, file: &SortedFile, unsafe_fixes_enabled: bool) {
        self.files += 1;
        for diag in &file.diagnostics {
            self.totals.add(diag, unsafe_fixes_enabled);
        }
    }
}

/// `Found N problems (…).` and the fix hint, or `All checks passed!`; with no file at all,
/// `No Dockerfiles found.` (nothing was checked, so nothing passed).
pub(crate) fn write_summary(
    out: &mut dyn Write,
    tally: &Tally,
    opts: &OutputOptions,
) -> io::Result<()> {
    if tally.files == 0 && !opts.files_failed {
        return writeln!(out, "No Dockerfiles found.");
    }
    let t = tally.totals;
    if t.total == 0 && opts.files_failed {
        return writeln!(out, "No problems found in the files that could be read.");
    }
    if t.total == 0 {
        return writeln!(out, "{}", paint(opts.color, BOLD, "All checks passed!"));
    }
    let line = format!(
        "Found {} ({} {}, {} {}, {} info, {} style).",
        plural(t.total, "problem", "problems"),
        t.errors,
        if t.errors == 1 { "error" } else { "errors" },
        t.warnings,
        if t.warnings == 1 {
            "warning"
        } else {
            "warnings"
        },
        t.info,
        t.style,
    );
    writeln!(out, "{}", paint(opts.color, BOLD, &line))?;
    if !opts.show_fixes_hint {
        return Ok(());
    }
    let command = if t.fixable_unsafe > 0 {
        "`dlint fix --unsafe-fixes`"
    } else {
        "`dlint fix`"
    };
    match (t.fixable, t.hidden_unsafe) {
        (0, 0) => Ok(()),
        (0, hidden) => writeln!(
            out,
            "No fixes available ({hidden} hidden {} can be enabled with `--unsafe-fixes`).",
            if hidden == 1 { "fix" } else { "fixes" }
        ),
        (fixable, 0) => writeln!(
            out,
            "{} {fixable} fixable with {command}.",
            paint(opts.color, CYAN, "[*]")
        ),
        (fixable, hidden) => writeln!(
            out,
            "{} {fixable} fixable with {command} ({hidden} more with `--unsafe-fixes`).",
            paint(opts.color, CYAN, "[*]")
        ),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub(crate) const BOLD: &str = "1";
pub(crate) const CYAN: &str = "36";

/// Wrap `text` in an ANSI SGR sequence when colour is on.
pub(crate) fn paint(color: bool, sgr: &str, text: &str) -> String {
    if color {
        format!("\x1b[{sgr}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// The ANSI colour of a severity in the human formats.
pub(crate) fn severity_sgr(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Info => "1;34",
        Severity::Style => "1;36",
    }
}

/// Escape text for an XML attribute value or element content. Characters XML 1.0 cannot hold
/// (most C0 controls) become U+FFFD; tab, newline and carriage return are kept as references
/// so attribute normalisation does not turn them into spaces.
pub(crate) fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The rule `code` in the table, if it is there.
pub(crate) fn find_rule<'r>(rules: &'r [RuleMeta], code: &str) -> Option<&'r RuleMeta> {
    rules.iter().find(|r| r.code == code)
}

/// The fixed reports every format's expected-output test renders.
#[cfg(test)]
pub(crate) mod testdata {
    use crate::diagnostic::{Diagnostic, Edit, FileReport, Fix, RuleMeta, Severity};
    use crate::source::{SourceFile, Span};

    pub const BUILD: &str = concat!(
        "FROM python:3.12\n",
        "LABEL note=\"café ☕\" version=1\n",
        "COPY . /app\n",
        "RUN pip install flask\n",
        "RUN apt-get update && \\\n",
        "    apt-get install -y curl\n",
    );

    pub const WEB: &str = "FROM alpine:3.20\nRUN apk add curl\n";

    pub const RULES: &[RuleMeta] = &[
        rule(
            "DC001",
            "pip-no-cache-dir",
            "pip install keeps its download cache in the layer.",
            Severity::Warning,
            true,
        ),
        rule(
            "DC002",
            "copy-before-install",
            "A broad COPY before an install busts the install's cache.",
            Severity::Warning,
            false,
        ),
        rule(
            "DC010",
            "apk-no-cache",
            "apk add without --no-cache leaves the index in the layer.",
            Severity::Warning,
            true,
        ),
        rule(
            "DC099",
            "never-fires",
            "Not used by the fixture.",
            Severity::Error,
            false,
        ),
        rule(
            "DL3009",
            "apt-lists-not-deleted",
            "apt lists are left in the layer.",
            Severity::Info,
            true,
        ),
        rule(
            "DL3018",
            "apk-pin-versions",
            "apk packages without pinned versions.",
            Severity::Error,
            false,
        ),
        rule(
            "DS100",
            "label-value-quoted",
            "LABEL values should be quoted.",
            Severity::Style,
            true,
        ),
    ];

    const fn rule(
        code: &'static str,
        name: &'static str,
        summary: &'static str,
        default_severity: Severity,
        fixable: bool,
    ) -> RuleMeta {
        RuleMeta {
            code,
            name,
            summary,
            default_severity,
            fixable,
            default_enabled: true,
            aliases: &[],
        }
    }

    pub fn span_of(text: &str, needle: &str) -> Span {
        let start = text.find(needle).expect("needle in fixture");
        Span::new(start, start + needle.len())
    }

    pub fn sources() -> Vec<SourceFile> {
        vec![
            // Given out of path order on purpose.
            SourceFile::new("web/Dockerfile", WEB.to_string()),
            SourceFile::new("build dir/Dockerfile", BUILD.to_string()),
            SourceFile::new("clean/Dockerfile", "FROM scratch\n".to_string()),
        ]
    }

    pub fn reports(sources: &[SourceFile]) -> Vec<FileReport<'_>> {
        let web = &sources[0];
        let build = &sources[1];
        let clean = &sources[2];

        let apk = span_of(WEB, "apk add");
        let web_diags = vec![
            Diagnostic::new(
                "DL3018",
                "apk-pin-versions",
                Severity::Error,
                span_of(WEB, "curl"),
                "pin versions in apk add: use \"curl=<version>\" (100%, really: <always>)",
            ),
            Diagnostic::new(
                "DC010",
                "apk-no-cache",
                Severity::Warning,
                apk,
                "apk add without --no-cache",
            )
            .with_fix(Some(Fix::safe(
                "add --no-cache",
                vec![Edit::insert(apk.end, " --no-cache")],
            ))),
        ];

        let version = span_of(BUILD, "version=1");
        let pip = span_of(BUILD, "pip install flask");
        let apt_start = BUILD.find("apt-get update").unwrap();
        let apt_end = span_of(BUILD, "curl").end;
        let build_diags = vec![
            Diagnostic::new(
                "DC001",
                "pip-no-cache-dir",
                Severity::Warning,
                pip,
                "pip install without --no-cache-dir",
            )
            .with_help("pip keeps downloaded wheels in the image; --no-cache-dir drops them")
            .with_fix(Some(Fix::safe(
                "add --no-cache-dir",
                vec![Edit::insert(pip.start + 11, " --no-cache-dir")],
            ))),
            Diagnostic::new(
                "DL3009",
                "apt-lists-not-deleted",
                Severity::Info,
                Span::new(apt_start, apt_end),
                "apt lists are not deleted after installing",
            )
            .with_fix(Some(Fix::unsafe_(
                "delete /var/lib/apt/lists",
                vec![Edit::insert(
                    apt_end,
                    " \\\n    && rm -rf /var/lib/apt/lists/*",
                )],
            ))),
            Diagnostic::new(
                "DC002",
                "copy-before-install",
                Severity::Warning,
                span_of(BUILD, "COPY . /app"),
                "COPY of the whole context before an install",
            )
            .with_related(pip, "this install re-runs on every change")
            .with_help("copy only requirements.txt before the install, the rest after it"),
            Diagnostic::new(
                "DS100",
                "label-value-quoted",
                Severity::Style,
                version,
                "label value 1 is not quoted",
            )
            .with_fix(Some(Fix::safe(
                "quote the value",
                vec![Edit::replace(
                    Span::new(version.end - 1, version.end),
                    "\"1\"",
                )],
            ))),
        ];

        vec![
            FileReport {
                source: web,
                diagnostics: web_diags,
            },
            FileReport {
                source: build,
                diagnostics: build_diags,
            },
            FileReport {
                source: clean,
                diagnostics: vec![],
            },
        ]
    }

    /// Render the fixture in `format`.
    pub fn render(format: super::OutputFormat, opts: &super::OutputOptions) -> String {
        let sources = sources();
        let reports = reports(&sources);
        let mut out = Vec::new();
        super::write_report(format, &mut out, &reports, RULES, opts).unwrap();
        String::from_utf8(out).unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for f in OutputFormat::ALL {
            assert_eq!(f.as_str().parse::<OutputFormat>(), Ok(f));
        }
        assert_eq!(
            "json-lines".parse::<OutputFormat>(),
            Ok(OutputFormat::JsonLines)
        );
        let err = "yaml".parse::<OutputFormat>().unwrap_err();
        assert!(err.to_string().contains("unknown output format `yaml`"));
    }

    #[test]
    fn xml_escape_everything_that_needs_it() {
        assert_eq!(
            xml_escape("a<b>&\"c'\n\t\u{1}"),
            "a&lt;b&gt;&amp;&quot;c&apos;&#10;&#9;\u{FFFD}"
        );
    }

    fn render_one(format: OutputFormat, report: FileReport, opts: &OutputOptions) -> String {
        let mut out = Vec::new();
        write_report(format, &mut out, &[report], &[], opts).unwrap();
        String::from_utf8(out).unwrap()
    }

    const CONCISE: OutputOptions = OutputOptions {
        color: false,
        show_fixes_hint: true,
        unsafe_fixes_enabled: false,
        show_source: false,
        files_failed: false,
    };

    #[test]
    fn no_findings_pass() {
        let src = SourceFile::new("Dockerfile", "FROM scratch\n".to_string());
        for format in [OutputFormat::Full, OutputFormat::Concise] {
            let report = FileReport {
                source: &src,
                diagnostics: vec![],
            };
            assert_eq!(render_one(format, report, &CONCISE), "All checks passed!\n");
        }
        let mut out = Vec::new();
        // No file at all: nothing passed.
        write_report(OutputFormat::Concise, &mut out, &[], &[], &CONCISE).unwrap();
        assert_eq!(out, b"No Dockerfiles found.\n");
    }

    #[test]
    fn summary_with_only_unsafe_fixes_and_with_them_enabled() {
        use crate::diagnostic::{Edit, Fix};
        let src = SourceFile::new("Dockerfile", "FROM a\n".to_string());
        let diag = Diagnostic::new("DL1", "r", Severity::Error, Span::new(0, 4), "m")
            .with_fix(Some(Fix::unsafe_("d", vec![Edit::delete(Span::new(0, 4))])));
        let report = || FileReport {
            source: &src,
            diagnostics: vec![diag.clone()],
        };
        assert_eq!(
            render_one(OutputFormat::Concise, report(), &CONCISE),
            "Dockerfile:1:1: DL1 m\n\
             Found 1 problem (1 error, 0 warnings, 0 info, 0 style).\n\
             No fixes available (1 hidden fix can be enabled with `--unsafe-fixes`).\n"
        );
        let enabled = OutputOptions {
            unsafe_fixes_enabled: true,
            ..CONCISE
        };
        assert_eq!(
            render_one(OutputFormat::Concise, report(), &enabled),
            "Dockerfile:1:1: DL1 [*] m\n\
             Found 1 problem (1 error, 0 warnings, 0 info, 0 style).\n\
             [*] 1 fixable with `dlint fix --unsafe-fixes`.\n"
        );
        let no_hint = OutputOptions {
            show_fixes_hint: false,
            ..CONCISE
        };
        assert_eq!(
            render_one(OutputFormat::Concise, report(), &no_hint),
            "Dockerfile:1:1: DL1 m\nFound 1 problem (1 error, 0 warnings, 0 info, 0 style).\n"
        );
    }

    #[test]
    fn colour_only_when_asked() {
        let src = SourceFile::new("Dockerfile", "FROM a\n".to_string());
        let report = || FileReport {
            source: &src,
            diagnostics: vec![Diagnostic::new(
                "DL1",
                "r",
                Severity::Warning,
                Span::new(0, 4),
                "m",
            )],
        };
        for format in [OutputFormat::Full, OutputFormat::Concise] {
            let plain = render_one(format, report(), &CONCISE);
            assert!(!plain.contains('\x1b'), "{format}: {plain:?}");
            let coloured = OutputOptions {
                color: true,
                show_source: true,
                files_failed: false,
                ..CONCISE
            };
            let coloured = render_one(format, report(), &coloured);
            assert!(coloured.contains("\x1b["), "{format}: {coloured:?}");
        }
    }

    /// Spans past the end, inside a multi-byte character, reversed, or in an empty file must
    /// not panic any format.
    #[test]
    fn odd_spans_do_not_panic() {
        for text in ["", "FROM é\r\nRUN x", "FROM a\n"] {
            let src = SourceFile::new("Dockerfile", text.to_string());
            let spans = [
                Span::empty(0),
                Span::empty(text.len()),
                Span::new(0, text.len() + 10),
                Span::new(6, 7),
                Span::new(7, 3),
                Span::new(text.len() + 5, text.len() + 9),
            ];
            for format in OutputFormat::ALL {
                for show_source in [true, false] {
                    let diagnostics = spans
                        .iter()
                        .map(|&span| {
                            Diagnostic::new("DL1", "r", Severity::Info, span, "m")
                                .with_related(span, "here")
                                .with_fix(Some(crate::diagnostic::Fix::safe(
                                    "d",
                                    vec![crate::diagnostic::Edit::replace(span, "x")],
                                )))
                        })
                        .collect();
                    let opts = OutputOptions {
                        show_source,
                        ..CONCISE
                    };
                    let report = FileReport {
                        source: &src,
                        diagnostics,
                    };
                    let got = render_one(format, report, &opts);
                    assert!(!got.is_empty() || format == OutputFormat::JsonLines);
                }
            }
        }
    }

    #[test]
    fn last_line_of_a_span_ending_after_a_newline() {
        let src = SourceFile::new("Dockerfile", "FROM a\nRUN b\n".to_string());
        let r = Range::of(&src, Span::new(0, 7));
        assert_eq!(r.end, LineCol { line: 2, column: 1 });
        assert_eq!(r.last_line(), 1);
        let r = Range::of(&src, Span::empty(7));
        assert_eq!(r.last_line(), 2);
    }
}
