#!/usr/bin/env bash
# Oracle's platform images ship a host firewall that rejects everything but SSH: Ubuntu images carry
# iptables REJECT rules (persisted in /etc/iptables/rules.v4), Oracle Linux runs firewalld. The VCN
# security list is the perimeter for this cluster, so the host firewall is opened for k3s (API, kubelet,
# flannel VXLAN, ingress) and kept open across reboots. Idempotent: a second run changes nothing.
set -euo pipefail

# Rendered inputs (renderScript() places shell-quoted assignments right below this line).

readonly REJECT_RULE=(-j REJECT --reject-with icmp-host-prohibited)
readonly PERSISTED_RULES=/etc/iptables/rules.v4

disable_firewalld() {
  if systemctl is-enabled --quiet firewalld 2>/dev/null || systemctl is-active --quiet firewalld 2>/dev/null; then
    # k3s documents firewalld as incompatible with its own iptables management.
    systemctl disable --now firewalld
    echo "firewalld disabled"
  fi
}

remove_live_reject_rules() {
  local chain attempt
  for chain in INPUT FORWARD; do
    # Images may carry the rule more than once; the loop is bounded so a surprise cannot spin forever.
    for attempt in $(seq 1 10); do
      iptables -C "${chain}" "${REJECT_RULE[@]}" 2>/dev/null || break
      iptables -D "${chain}" "${REJECT_RULE[@]}"
      echo "removed REJECT rule from ${chain} (${attempt})"
    done
  done
}

remove_persisted_reject_rules() {
  if [ -f "${PERSISTED_RULES}" ] && grep -q -- "-j REJECT --reject-with icmp-host-prohibited" "${PERSISTED_RULES}"; then
    sed -i '/-j REJECT --reject-with icmp-host-prohibited/d' "${PERSISTED_RULES}"
    echo "removed REJECT rules from ${PERSISTED_RULES}"
  fi
}

disable_firewalld
if command -v iptables >/dev/null; then
  remove_live_reject_rules
fi
remove_persisted_reject_rules
echo "host firewall open"
