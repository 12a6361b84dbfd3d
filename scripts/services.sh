#!/usr/bin/env bash
# Installs (Debian packages) and starts the local PostgreSQL and MariaDB servers that the
# integration tests use, and makes sure they accept the test accounts:
#   PostgreSQL: postgres@127.0.0.1:5432, trust auth, database test
#   MariaDB:    root@127.0.0.1:3306 with an empty password, database test
# Needs root. Every step is bounded in time.
set -euo pipefail

log() { echo "services: $*" >&2; }

missing=()
command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

wait_for() { # name, command...
  local name=$1; shift
  for _ in $(seq 1 60); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  log "$name did not become ready in 60 s"; return 1
}

# PostgreSQL
if ! pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1; then
  log "starting PostgreSQL"
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  wait_for PostgreSQL pg_isready -h 127.0.0.1 -p 5432
fi
if ! psql -h 127.0.0.1 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; then
  log "allowing trust auth for postgres on 127.0.0.1"
  hba=$(su postgres -c "psql -Atc 'show hba_file'")
  sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  su postgres -c "psql -c 'select pg_reload_conf()'" >/dev/null
  wait_for "PostgreSQL trust auth" psql -h 127.0.0.1 -U postgres -d postgres -Atc 'select 1'
fi
if [ "$(psql -h 127.0.0.1 -U postgres -d postgres -Atc "select count(*) from pg_database where datname = 'test'")" = 0 ]; then
  psql -h 127.0.0.1 -U postgres -d postgres -qc 'create database test'
fi

# MariaDB
if ! mysqladmin -h 127.0.0.1 -P 3306 -u root ping >/dev/null 2>&1; then
  if ! mysqladmin -u root ping >/dev/null 2>&1; then
    log "starting MariaDB"
    mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
    wait_for MariaDB mysqladmin -u root ping
  fi
fi
if ! mysql -h 127.0.0.1 -P 3306 -u root -e 'select 1' >/dev/null 2>&1; then
  log "allowing root with an empty password on 127.0.0.1"
  mysql -u root -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('');
    CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';
    GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION; FLUSH PRIVILEGES;"
  wait_for "MariaDB TCP login" mysql -h 127.0.0.1 -P 3306 -u root -e 'select 1'
fi
mysql -h 127.0.0.1 -P 3306 -u root -e 'CREATE DATABASE IF NOT EXISTS test'
log "PostgreSQL and MariaDB are ready"
