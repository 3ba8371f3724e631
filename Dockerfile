# syntax=docker/dockerfile:1
# Build: a static binary (pure-Go SQLite, no cgo).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -mod=readonly -trimpath \
    -ldflags "-s -w -X main.version=${VERSION}" -o /out/assistant ./cmd/assistant

# Run: a minimal image with CA certificates and time zone data, as non-root.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/assistant /usr/local/bin/assistant
ENV ASSISTANT_ADDR=:8080 ASSISTANT_DATA_DIR=/data
VOLUME /data
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/assistant"]
CMD ["serve"]
