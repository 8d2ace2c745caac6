FROM alpine:3.20
RUN --mount=type=cache,target=/root/.cache --network=none --security=insecure true
RUN --mount-type=cache true
