#!/usr/bin/env bash
# Authors the next migration: diff the schema as of HEAD against the working schema (see ../shared/PRISMA.md).
set -euo pipefail
name=${1:?usage: npm run db:migration -- <name>}
export DATABASE_URL=${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test}
tmp=$(mktemp --suffix=.prisma)
git show HEAD:prisma/schema.prisma > "$tmp"
dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_${name}"
mkdir -p "$dir"
npx prisma migrate diff --from-schema-datamodel "$tmp" --to-schema-datamodel prisma/schema.prisma --script > "$dir/migration.sql"
rm -f "$tmp"
echo "wrote $dir/migration.sql"
