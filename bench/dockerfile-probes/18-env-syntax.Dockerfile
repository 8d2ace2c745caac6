FROM alpine:3.20
ENV FOO
ENV a=1 b
LABEL =x
ENV A="x
