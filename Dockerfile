# syntax=docker/dockerfile:1
# dlint's own image: build the binary in the Rust image, ship it in a small Debian one.
# Build: docker build -t dlint .   Use: docker run --rm -v "$PWD:/work" dlint check .
# dlint global ignore=DL3057 -- a command-line tool, not a service: there is nothing to probe

FROM rust:1.90-bookworm AS build
WORKDIR /src
# Crates first, from the manifests alone: a source change does not download them again.
COPY Cargo.toml Cargo.lock ./
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/usr/local/cargo/git/db \
    cargo fetch --locked
COPY build.rs ./
COPY rules/ rules/
COPY src/ src/
# target/ is a cache mount, so the binary is copied out in the same step.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/usr/local/cargo/git/db \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --offline --bin dlint \
    && cp target/release/dlint /usr/local/bin/dlint

FROM debian:bookworm-slim
COPY --from=build /usr/local/bin/dlint /usr/local/bin/dlint
USER 65534:65534
WORKDIR /work
ENTRYPOINT ["dlint"]
CMD ["check", "."]
