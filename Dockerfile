# syntax=docker/dockerfile:1
# Two stages: build a static binary with the Go toolchain, then ship only that
# binary on distroless/static (CA certificates, tzdata, a nonroot user, no shell).

FROM golang:1.26 AS build
WORKDIR /src
# Dependencies first so code edits reuse the module cache layer.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
# CGO off: the SQLite driver is pure Go, so the binary links statically.
# timetzdata embeds the zone database, so shoppers' time zones resolve even
# without /usr/share/zoneinfo.
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=linux go build -trimpath -tags timetzdata -ldflags="-s -w" -o /out/ordertrack .

FROM gcr.io/distroless/static-debian12:nonroot
# distroless/static already carries /etc/ssl/certs/ca-certificates.crt for
# the HTTPS calls to Shopify, carriers and messaging providers.
COPY --from=build /out/ordertrack /usr/local/bin/ordertrack
USER nonroot:nonroot
WORKDIR /home/nonroot
ENV PORT=8080
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/ordertrack"]
CMD ["serve"]
