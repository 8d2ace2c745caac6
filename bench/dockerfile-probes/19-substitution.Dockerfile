FROM alpine:3.20
WORKDIR ${FOO
COPY ${A:1} /x/
ENV B=${C:-d}
