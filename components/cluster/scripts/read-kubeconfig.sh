#!/usr/bin/env bash
# Prints the admin kubeconfig on stdout, which Pulumi stores as a secret output and rewrites to the
# public address; nothing else may be printed on stdout.
set -euo pipefail

# Rendered inputs (renderScript() places shell-quoted assignments right below this line).

readonly KUBECONFIG_FILE=/etc/rancher/k3s/k3s.yaml

if [ ! -s "${KUBECONFIG_FILE}" ]; then
  echo "${KUBECONFIG_FILE} missing: is the k3s server running?" >&2
  exit 1
fi
cat "${KUBECONFIG_FILE}"
