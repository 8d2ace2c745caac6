FROM alpine:3.20
FOOBAR x
