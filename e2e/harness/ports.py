"""Fixed local ports of the counting indexes; the base images are configured to use them."""

PIP_PORT = 3141
APT_PORT = 3142
NPM_PORT = 4873
GOPROXY_PORT = 3143
RPM_PORT = 3144
