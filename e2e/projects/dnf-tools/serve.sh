#!/bin/sh
# Prints what the stand-in packages installed.
cat /usr/share/e2e-standin/*/version
