# syntax=docker/dockerfile:1
# Build: a static binary (pure-Go SQLite, no cgo).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -mod=readonly -trimpath \
    -ldflags "-s -w -X github.com/switchboardhq/switchboard/internal/cli.version=${VERSION}" -o /out/assistant ./cmd/assistant
# The data directory, created here because the run image has no shell: it
# must exist in the image, owned by the user the assistant runs as, or a
# fresh volume mounted on it is root's and the assistant cannot write.
RUN mkdir -p /out/data

# Run: a minimal image with CA certificates and time zone data, as non-root
# (uid 65532, distroless's nonroot).
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/assistant /usr/local/bin/assistant
COPY --from=build --chown=65532:65532 /out/data /data
ENV ASSISTANT_ADDR=:8080 ASSISTANT_DATA_DIR=/data
VOLUME /data
EXPOSE 8080
USER 65532:65532
HEALTHCHECK --interval=10s --timeout=5s --retries=3 CMD ["/usr/local/bin/assistant", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/assistant"]
CMD ["serve"]
