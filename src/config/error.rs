//! A configuration file that cannot be used: where in it, and what is wrong, shown with the
//! lines around it (through miette, like findings).

use miette::{LabeledSpan, NamedSource, SourceCode};
use std::fmt;
use std::path::Path;

#[derive(Debug)]
pub struct ConfigError {
    path: String,
    message: String,
    help: Option<String>,
    /// The file and the byte range at fault; None when the file could not be read.
    place: Option<Box<Place>>,
}

#[derive(Debug)]
struct Place {
    source: NamedSource<String>,
    span: std::ops::Range<usize>,
    line: usize,
    column: usize,
}

impl ConfigError {
    pub fn unreadable(path: &Path, why: &str) -> ConfigError {
        ConfigError {
            path: path.display().to_string(),
            message: format!("cannot read the configuration: {why}"),
            help: None,
            place: None,
        }
    }

    /// An error at `span` (bytes) of `text`, the contents of `path`.
    pub fn at(
        path: &Path,
        text: &str,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
    ) -> ConfigError {
        let start = span.start.min(text.len());
        let end = span.end.clamp(start, text.len());
        let before = &text[..start];
        let line = before.matches('\n').count() + 1;
        let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
            .chars()
            .count()
            + 1;
        let name = path.display().to_string();
        ConfigError {
            path: name.clone(),
            message: message.into(),
            help: None,
            place: Some(Box::new(Place {
                source: NamedSource::new(name, text.to_string()),
                span: start..end,
                line,
                column,
            })),
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The error drawn for a terminal or a log: the message, then the lines around the fault.
    pub fn render(&self, color: bool) -> String {
        let theme = if color {
            miette::GraphicalTheme::unicode()
        } else {
            miette::GraphicalTheme::unicode_nocolor()
        };
        let mut out = String::new();
        let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(100);
        if handler.render_report(&mut out, self).is_err() {
            return self.to_string();
        }
        out
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.place {
            Some(place) => {
                write!(
                    f,
                    "{}:{}:{}: {}",
                    self.path, place.line, place.column, self.message
                )
            }
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

impl miette::Diagnostic for ConfigError {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.place.as_ref().map(|p| &p.source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let place = self.place.as_ref()?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some("here".to_string()), place.span.clone()),
        )))
    }
}
