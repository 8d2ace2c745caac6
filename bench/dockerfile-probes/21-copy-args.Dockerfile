FROM alpine:3.20
COPY onlysource
COPY a b /dir
