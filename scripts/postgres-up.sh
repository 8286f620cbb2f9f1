#!/usr/bin/env bash
# Starts a local PostgreSQL (Debian's package) on 127.0.0.1:5432 with a role and database for the
# tuner's storage tests: postgres://fmnist:fmnist@127.0.0.1:5432/fmnist. Idempotent; quiet.
set -euo pipefail
command -v pg_lsclusters >/dev/null 2>&1 || { echo "postgres-up: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 0; }
SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
cluster=$(pg_lsclusters --no-header | head -n 1)
if [ -z "$cluster" ]; then echo "postgres-up: no cluster (pg_createcluster)" >&2; exit 0; fi
version=$(echo "$cluster" | awk '{print $1}')
name=$(echo "$cluster" | awk '{print $2}')
status=$(echo "$cluster" | awk '{print $4}')
# The server refuses to run as root; pg_ctlcluster switches to the postgres user itself.
if [ "$status" != "online" ]; then $SUDO pg_ctlcluster "$version" "$name" start; fi
psql_as_postgres() { $SUDO su postgres -c "psql -v ON_ERROR_STOP=1 -qAt -c \"$1\""; }
if [ "$(psql_as_postgres "SELECT 1 FROM pg_roles WHERE rolname='fmnist'")" != "1" ]; then
  psql_as_postgres "CREATE ROLE fmnist LOGIN PASSWORD 'fmnist' CREATEDB"
fi
if [ "$(psql_as_postgres "SELECT 1 FROM pg_database WHERE datname='fmnist'")" != "1" ]; then
  psql_as_postgres "CREATE DATABASE fmnist OWNER fmnist"
fi
