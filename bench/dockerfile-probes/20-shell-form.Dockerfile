FROM alpine:3.20
SHELL /bin/bash -c
