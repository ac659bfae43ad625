#!/bin/bash
# Runs once, when the official postgres image initialises an empty data directory: the
# role the hot standby (db-replica) streams the WAL with, and the pg_hba.conf line that
# lets it connect for replication (the image's "host all all all" does not cover it).
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    --set=password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
