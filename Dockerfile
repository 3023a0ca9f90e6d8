# syntax=docker/dockerfile:1
# SPDX-License-Identifier: Apache-2.0
# Two stages: build a static binary with the Go toolchain, then ship only that
# binary on distroless/static (CA certificates, tzdata, a nonroot user, no shell).
#
# Reproducible: both base images are pinned by digest (the tag says which
# release it was), the build drops file paths (-trimpath) and VCS stamps
# (-buildvcs=false), so the same commit builds the same binary. To move to a
# newer base, look its digest up (crane digest golang:1.26, or docker buildx
# imagetools inspect) and replace it here. deploy_test.go lints this file.

FROM golang:1.26@sha256:595c7847cff97c9a9e76f015083c481d26078f961c9c8dca3923132f51fe12f1 AS build
WORKDIR /src
# Dependencies first so code edits reuse the module cache layer.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
# CGO off: the SQLite driver is pure Go, so the binary links statically.
# timetzdata embeds the zone database, so shoppers' time zones resolve even
# without /usr/share/zoneinfo.
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=linux go build -trimpath -buildvcs=false -tags timetzdata -ldflags="-s -w" -o /out/ordertrack .

FROM gcr.io/distroless/static-debian12:nonroot@sha256:afa5c872c891853ca7fcf1f12c3edb23f7eeef36189728842dd51042ff57f7ab
# distroless/static already carries /etc/ssl/certs/ca-certificates.crt for
# the HTTPS calls to Shopify, carriers and messaging providers.
COPY --from=build /out/ordertrack /usr/local/bin/ordertrack
USER nonroot:nonroot
WORKDIR /home/nonroot
ENV PORT=8080
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/ordertrack"]
CMD ["serve"]
