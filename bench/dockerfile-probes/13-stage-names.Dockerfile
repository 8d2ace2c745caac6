FROM alpine:3.20 AS 1build
FROM alpine:3.20 AS Build
FROM alpine:3.20 AS build
FROM alpine:3.20 AS build
