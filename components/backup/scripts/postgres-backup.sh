#!/bin/sh
# The PostgreSQL backup CronJob's two steps, rendered by backup-script.ts (values in @…@ are filled in
# there and checked: no value from the cluster is ever pasted into this text).
#   dump    (postgres image, same version as the server): pg_dump of the whole database in the custom
#           format (compressed; pg_restore can read single tables from it), checked with pg_restore --list
#   upload  (rclone image): daily/<date>.dump, on @WEEKLY_DAY@ also weekly/<iso-week>.dump, then keep the
#           newest @KEEP_DAILY@ daily and @KEEP_WEEKLY@ weekly copies. Credentials: rclone's environment
#           (RCLONE_CONFIG_OCI_*), from a Kubernetes Secret.
# Busybox sh in both images: POSIX sh, no pipefail, so no pipeline hides a failing command here.
set -eu

BACKUP_DIR=/backup
BUCKET='@BUCKET@'
KEEP_DAILY=@KEEP_DAILY@
KEEP_WEEKLY=@KEEP_WEEKLY@
WEEKLY_DAY=@WEEKLY_DAY@

log() {
  printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"
}

dump() {
  stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
  file="$BACKUP_DIR/todo-$stamp.dump"
  log "dumping $PGDATABASE from $PGHOST"
  pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$file.partial"
  pg_restore --list "$file.partial" >/dev/null
  mv "$file.partial" "$file"
  log "dump ok: $(wc -c <"$file") bytes"
}

# Deletes all but the newest $2 objects under $1/ (names sort by date).
prune() {
  prefix="$1"
  keep="$2"
  rclone lsf --files-only "oci:$BUCKET/$prefix/" >"$BACKUP_DIR/$prefix.list"
  sort -r "$BACKUP_DIR/$prefix.list" >"$BACKUP_DIR/$prefix.sorted"
  awk -v keep="$keep" 'NR > keep' "$BACKUP_DIR/$prefix.sorted" >"$BACKUP_DIR/$prefix.old"
  while IFS= read -r old; do
    log "retention: deleting $prefix/$old"
    rclone deletefile "oci:$BUCKET/$prefix/$old"
  done <"$BACKUP_DIR/$prefix.old"
}

upload() {
  found=0
  for f in "$BACKUP_DIR"/todo-*.dump; do
    [ -e "$f" ] || continue
    found=1
    name=$(basename "$f")
    log "uploading daily/$name"
    rclone copyto --s3-no-check-bucket "$f" "oci:$BUCKET/daily/$name"
    if [ "$(date -u +%u)" = "$WEEKLY_DAY" ]; then
      week=$(date -u +%G-W%V)
      log "uploading weekly/todo-$week.dump"
      rclone copyto --s3-no-check-bucket "oci:$BUCKET/daily/$name" "oci:$BUCKET/weekly/todo-$week.dump"
    fi
  done
  if [ "$found" -eq 0 ]; then
    log "no dump to upload" >&2
    exit 1
  fi
  prune daily "$KEEP_DAILY"
  prune weekly "$KEEP_WEEKLY"
  log "backup uploaded to $BUCKET"
}

case "${1:-}" in
  dump) dump ;;
  upload) upload ;;
  *)
    echo "usage: $0 dump|upload" >&2
    exit 2
    ;;
esac
