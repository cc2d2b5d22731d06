#!/usr/bin/env bash
# Makes, once, what a deployment of the demo stack must share across restarts, in git-ignored
# files; run again, it keeps what exists (delete a file to replace it):
#
#   .env                      PORTICO_SIGNING_SECRET (gateway <-> subgraphs) and PORTICO_JWT_SECRET
#                             (the secret tokens are signed with: `npx portico token` reads it from
#                             the environment), which docker compose reads from the project folder
#   deploy/secrets/portico.pem   a self-signed development certificate and its key, for HAProxy
#   deploy/secrets/portico.crt   the certificate alone, for clients to trust (curl --cacert)
#
# Usage: deploy/make-secrets.sh [ROOT] [HOSTNAME]   (defaults: the repository, localhost)
# A real deployment puts its own certificate (chain, then key) in deploy/secrets/portico.pem.
set -euo pipefail
root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
host="${2:-localhost}"
command -v openssl >/dev/null || { echo "make-secrets: needs the openssl command (apt-get install openssl)" >&2; exit 1; }
umask 077

env_file="$root/.env"
touch "$env_file"
for name in PORTICO_SIGNING_SECRET PORTICO_JWT_SECRET; do
  if ! grep -q "^$name=" "$env_file"; then
    echo "$name=$(openssl rand -hex 32)" >>"$env_file"
    echo "wrote $name to $env_file"
  fi
done

secrets="$root/deploy/secrets"
mkdir -p "$secrets"
if [ ! -s "$secrets/portico.pem" ]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 825 \
    -subj "/CN=$host" -addext "subjectAltName=DNS:$host,DNS:localhost,IP:127.0.0.1" \
    -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
  cat "$work/cert.pem" "$work/key.pem" >"$secrets/portico.pem"
  # The certificate is public; HAProxy reads the key as another user inside its container.
  cp "$work/cert.pem" "$secrets/portico.crt"
  chmod 644 "$secrets/portico.crt" "$secrets/portico.pem"
  echo "wrote a self-signed certificate for $host (and localhost, 127.0.0.1) to $secrets/portico.pem"
fi
