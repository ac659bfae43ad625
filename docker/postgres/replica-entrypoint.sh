#!/bin/bash
# The hot standby of the `db` service (official postgres:16 image): on its first start it
# clones the primary with pg_basebackup (-R writes standby.signal and primary_conninfo),
# then it runs as a read-only server that replays the primary's WAL as it streams in.
set -euo pipefail
export PGPASSWORD=$REPLICATION_PASSWORD
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    mkdir -p "$PGDATA"
    chown postgres:postgres "$PGDATA"
    chmod 700 "$PGDATA"
    until pg_isready -h db -p 5432 -q; do sleep 1; done
    gosu postgres pg_basebackup -h db -p 5432 -U replicator -D "$PGDATA" \
        --wal-method=stream --write-recovery-conf --checkpoint=fast
fi
# max_connections must be at least the primary's on a standby
exec gosu postgres postgres -c hot_standby=on -c max_connections=200
