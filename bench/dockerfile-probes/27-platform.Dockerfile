FROM --platform=linux/amd64 alpine:3.20
FROM --platfrom=linux/amd64 alpine:3.20
