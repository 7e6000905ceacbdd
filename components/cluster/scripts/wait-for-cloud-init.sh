#!/usr/bin/env bash
# Runs first on every node: nothing else may touch packages or the firewall while cloud-init
# (which writes the SSH key, resizes the boot volume and may run package upgrades) is still busy.
set -euo pipefail

# Rendered inputs (renderScript() places shell-quoted assignments right below this line).

wait_for_cloud_init() {
  local rc=0
  cloud-init status --wait >/dev/null || rc=$?
  # Exit 2 means "done, with recoverable errors" (cloud-init >= 23.4): the node is usable.
  if [ "${rc}" -ne 0 ] && [ "${rc}" -ne 2 ]; then
    echo "cloud-init finished with exit code ${rc}" >&2
    cloud-init status --long >&2 || true
    return 1
  fi
}

# Ubuntu images start unattended-upgrades at boot; the k3s installer must not race it for dpkg.
wait_for_package_manager() {
  local attempt
  for attempt in $(seq 1 60); do
    if ! pgrep -x apt-get >/dev/null && ! pgrep -x dpkg >/dev/null && ! pgrep -x dnf >/dev/null; then
      return 0
    fi
    echo "package manager busy (attempt ${attempt}/60)"
    sleep 5
  done
  echo "package manager still busy after 5 minutes" >&2
  return 1
}

wait_for_cloud_init
wait_for_package_manager
echo "cloud-init done"
