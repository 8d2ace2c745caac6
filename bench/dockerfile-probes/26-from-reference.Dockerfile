FROM alpine:3.20:bad
FROM Alpine:3
FROM alpine@sha256:xyz
