#!/usr/bin/env bash
# Prints the server's join token on stdout, which Pulumi stores as a secret output; nothing else may
# be printed on stdout.
set -euo pipefail

# Rendered inputs (renderScript() places shell-quoted assignments right below this line).

readonly TOKEN_FILE=/var/lib/rancher/k3s/server/node-token

wait_for_token() {
  local attempt
  for attempt in $(seq 1 30); do
    [ -s "${TOKEN_FILE}" ] && return 0
    echo "waiting for ${TOKEN_FILE} (attempt ${attempt}/30)" >&2
    sleep 2
  done
  echo "${TOKEN_FILE} missing: is the k3s server running?" >&2
  return 1
}

wait_for_token
tr -d '\n' <"${TOKEN_FILE}"
