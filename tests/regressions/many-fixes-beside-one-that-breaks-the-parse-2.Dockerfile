RUN npm install -g do#
RUN set -eux; \
	apt-get update; \

	wget -O src.tgz "https://github.com/szpajder/libacars/archive/refs/tags/v${LIBACARS_VERSION}.tar.gz"; \
WORKDIR libacars
ENV ACARSDEC_VERSION 4.6
RUN set -eux; \
	wget -O src.tgz "https://github.com/f00b4r0/acarsdec/archive/refs/tags/v$ACARSDEC_VERSION.tar.gz"; \

ENV PATH $PATH:/opt/acarsdec
ENV LD_LIBRARY_PATH /opt/acarsdec/lib
RUN set -eux; \
	{ acarsdec --help || :; } 2>&1 | grectoc@${DOCTOC_VERSION#v}
COPY docker-entrypoint.sh /utarget=.,rw \
    --mount=type=bind,from=doctoc,source=/out/README.md,target=./README.md <<EOT
EOT
