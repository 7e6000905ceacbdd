#!/usr/bin/env bash
# Runs on the server after every agent was installed: the Kubernetes provider is only handed out once
# every node of the layout has registered and is Ready.
set -euo pipefail

# Rendered inputs (renderScript() places shell-quoted assignments right below this line).
: "${EXPECTED_NODES:?}"

ready_nodes() {
  k3s kubectl get nodes --no-headers 2>/dev/null | awk '$2 == "Ready" { n++ } END { print n + 0 }'
}

attempt=0
until [ "$(ready_nodes)" -ge "${EXPECTED_NODES}" ]; do
  attempt=$((attempt + 1))
  if [ "${attempt}" -gt 60 ]; then
    echo "only $(ready_nodes) of ${EXPECTED_NODES} nodes Ready after 5 minutes" >&2
    k3s kubectl get nodes >&2 || true
    exit 1
  fi
  echo "$(ready_nodes)/${EXPECTED_NODES} nodes Ready (attempt ${attempt}/60)"
  sleep 5
done
echo "${EXPECTED_NODES} nodes Ready"
