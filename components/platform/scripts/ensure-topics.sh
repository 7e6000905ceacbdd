#!/bin/sh
# Creates every topic the system uses (and its dead-letter topic) once; an existing topic is fine.
# Connection settings come from rpk's environment: RPK_BROKERS, RPK_USER, RPK_PASS,
# RPK_SASL_MECHANISM, RPK_TLS_ENABLED. Topics are the arguments.
set -eu

ensure_topic() {
  topic="$1"
  if out=$(rpk topic create "$topic" --partitions "${PARTITIONS:-3}" 2>&1); then
    echo "created $topic"
  elif printf '%s' "$out" | grep -q "TOPIC_ALREADY_EXISTS"; then
    echo "exists  $topic"
  else
    printf '%s\n' "$out" >&2
    return 1
  fi
}

attempt=0
until rpk cluster info >/dev/null 2>&1; do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge 30 ]; then
    echo "broker not reachable after $attempt attempts" >&2
    exit 1
  fi
  sleep 5
done

for topic in "$@"; do
  ensure_topic "$topic"
done
