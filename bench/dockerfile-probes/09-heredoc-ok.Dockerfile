FROM alpine:3.20
RUN <<-EOT bash
	echo hi
	EOT
COPY <<A <<B /dst/
a
A
b
B
