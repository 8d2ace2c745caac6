FROM alpine:3.20
COPY -- a /b/
COPY --link -- a /c/
