FROM alpine:3.20 build
FROM
FROM alpine:3.20 AS b extra
