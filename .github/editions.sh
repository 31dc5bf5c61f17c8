#!/usr/bin/env bash
# The editions that every deployment puts beside the latest site. Each is a
# tagged release YEAR.N (.github/workflows/release.yml) whose release
# carries the edition's site, site-YEAR.N.tar.gz: the archives are the
# editions' permanent record, so no branch has to keep every site.
#
#   bash .github/editions.sh list               # the tags, newest first
#   bash .github/editions.sh add SITE TAG...    # each unpacked in SITE/TAG/
#
# gh reads the repository from GH_REPO and its token from GH_TOKEN (reading
# releases needs no more than contents: read).
set -euo pipefail

case "${1:-}" in
  list)
    gh release list --limit 1000 --json tagName --jq '.[].tagName' \
      | { grep -E '^[0-9]{4}\.[0-9]+$' || true; } \
      | sort -t. -k1,1nr -k2,2nr | paste -sd' ' -
    ;;
  add)
    site=$2
    shift 2
    for tag in "$@"; do
      mkdir -p "$site/$tag"
      gh release download "$tag" --pattern "site-$tag.tar.gz" --output - \
        | tar -xz -C "$site/$tag"
    done
    ;;
  *)
    sed -n '2,10p' "$0" >&2
    exit 2
    ;;
esac
