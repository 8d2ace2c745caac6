FROM alpine:3.20
HEALTHCHECK --interval=5 CMD true
HEALTHCHECK --retries=-1 CMD true
HEALTHCHECK --timeout=500us CMD true
HEALTHCHECK CMD
