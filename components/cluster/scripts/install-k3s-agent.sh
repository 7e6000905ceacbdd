#!/usr/bin/env bash
# Joins a node to the cluster as a k3s agent at the pinned version. The join token arrives inside the
# rendered script on stdin (a Pulumi secret), is handed to the installer through its environment and
# is never echoed. Re-running with the same version changes nothing; a new version upgrades.
set -euo pipefail

# Rendered inputs (renderScript() places shell-quoted assignments right below this line).
: "${K3S_VERSION:?}" "${SERVER_IP:?}" "${PRIVATE_IP:?}" "${K3S_TOKEN:?}" "${KUBE_RESERVED:?}" "${SYSTEM_RESERVED:?}"

readonly INSTALLER_URL=https://get.k3s.io

installed_version() {
  if command -v k3s >/dev/null; then
    k3s --version | awk 'NR == 1 { print $3 }'
  fi
}

# /ping on the server's supervisor port answers without credentials once the server is up.
wait_for_server() {
  local attempt
  for attempt in $(seq 1 60); do
    if curl --silent --insecure --fail --max-time 5 "https://${SERVER_IP}:6443/ping" >/dev/null; then
      return 0
    fi
    echo "waiting for the k3s server at ${SERVER_IP} (attempt ${attempt}/60)"
    sleep 5
  done
  echo "k3s server ${SERVER_IP}:6443 unreachable for 5 minutes (security list, host firewall?)" >&2
  return 1
}

install_agent() {
  local installer
  installer=$(mktemp)
  curl --fail --silent --show-error --location --retry 5 --retry-delay 5 --output "${installer}" "${INSTALLER_URL}"
  local flags=(
    agent
    --node-ip "${PRIVATE_IP}"
    --kubelet-arg "kube-reserved=${KUBE_RESERVED}"
    --kubelet-arg "system-reserved=${SYSTEM_RESERVED}"
  )
  INSTALL_K3S_VERSION="${K3S_VERSION}" K3S_URL="https://${SERVER_IP}:6443" K3S_TOKEN="${K3S_TOKEN}" \
    sh "${installer}" "${flags[@]}"
  rm -f "${installer}"
}

wait_for_server
# Never downgrade: Kubernetes does not support it. A rollback to an older commit (or an older
# oci.k3sVersion) keeps the newer k3s that runs; only the app goes back.
running=$(installed_version)
if [ -n "${running}" ] && [ "${running}" != "${K3S_VERSION}" ] \
  && [ "$(printf '%s\n' "${running}" "${K3S_VERSION}" | sort -V | tail -n 1)" = "${running}" ]; then
  echo "k3s ${running} runs, newer than the requested ${K3S_VERSION}: kept (k3s is never downgraded)" >&2
  K3S_VERSION=${running}
fi

if [ "${running}" = "${K3S_VERSION}" ] && systemctl is-active --quiet k3s-agent; then
  echo "k3s agent ${K3S_VERSION} already running"
else
  install_agent
fi
echo "k3s agent ${K3S_VERSION} joined ${SERVER_IP}"
