//! EXPOSE port specifications as BuildKit reads them: `[ip:][hostPort:]port[-end][/proto]`.

/// The parts of one EXPOSE word.
#[derive(Debug, PartialEq, Eq)]
pub struct PortSpec<'a> {
    pub ip: &'a str,
    pub host_port: &'a str,
    pub port: &'a str,
    /// As written (empty when none was given).
    pub proto: &'a str,
}

/// Split a word into its parts, without judging them.
pub fn split(word: &str) -> PortSpec<'_> {
    let colons: Vec<usize> = word.match_indices(':').map(|(i, _)| i).collect();
    let (ip, host_port, rest) = match colons.len() {
        0 => ("", "", word),
        1 => ("", &word[..colons[0]], &word[colons[0] + 1..]),
        n => (
            &word[..colons[n - 2]],
            &word[colons[n - 2] + 1..colons[n - 1]],
            &word[colons[n - 1] + 1..],
        ),
    };
    let (port, proto) = rest.split_once('/').unwrap_or((rest, ""));
    PortSpec {
        ip,
        host_port,
        port,
        proto,
    }
}

/// Parse a word as BuildKit does; the error says why it refuses it.
pub fn parse(word: &str) -> Result<PortSpec<'_>, String> {
    let spec = split(word);
    if spec.port.is_empty() {
        return Err("no port is given".to_string());
    }
    if !matches!(
        spec.proto.to_ascii_lowercase().as_str(),
        "" | "tcp" | "udp" | "sctp"
    ) {
        return Err(format!(
            "`{}` is not a protocol (tcp, udp or sctp)",
            spec.proto
        ));
    }
    if !spec.ip.is_empty() {
        let bare = spec
            .ip
            .strip_prefix('[')
            .and_then(|i| i.strip_suffix(']'))
            .unwrap_or(spec.ip);
        if bare.parse::<std::net::IpAddr>().is_err() {
            return Err(format!("`{}` is not an IP address", spec.ip));
        }
    }
    let (start, end) =
        range(spec.port).map_err(|e| format!("invalid port `{}`: {e}", spec.port))?;
    if !spec.host_port.is_empty() {
        let (hs, he) = range(spec.host_port)
            .map_err(|e| format!("invalid host port `{}`: {e}", spec.host_port))?;
        if end - start != he - hs && end != start {
            return Err("the container and host port ranges differ in size".to_string());
        }
    }
    Ok(spec)
}

fn range(text: &str) -> Result<(u32, u32), String> {
    if text.is_empty() {
        return Err("it is empty".to_string());
    }
    let (start, end) = text.split_once('-').unwrap_or((text, text));
    let start = number(start)?;
    let end = if end.is_empty() { start } else { number(end)? };
    if end < start {
        return Err("the range ends before it starts".to_string());
    }
    Ok((start, end))
}

fn number(text: &str) -> Result<u32, String> {
    let n: i64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if !(0..=65535).contains(&n) {
        return Err(format!("{n} is outside 0-65535"));
    }
    Ok(n as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_validates() {
        assert_eq!(split("127.0.0.1:80:8080/TCP").ip, "127.0.0.1");
        assert_eq!(split("80:8080").host_port, "80");
        assert_eq!(split("[::1]:80:80").ip, "[::1]");
        assert!(parse("8000-8010/udp").is_ok());
        assert!(parse("[::1]:80:80").is_ok());
        assert!(parse("80/http").is_err());
        assert!(parse("65536").is_err());
        assert!(parse("http").is_err());
        assert!(parse("/tcp").is_err());
        assert!(parse("9000-8000").is_err());
    }
}
