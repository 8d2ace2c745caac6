FROM alpine:3.20
CMD --verbose ["a"]
WORKDIR --x /app
