#!/usr/bin/env bash
# Starts Zhengwu locally: migrate, demo data, static files, then the web server and the worker.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
mkdir -p var
if [ ! -s var/secret_key ]; then
  $PY -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key
  chmod 600 var/secret_key
fi
export SECRET_KEY="${SECRET_KEY:-$(cat var/secret_key)}"
export DEBUG="${DEBUG:-0}"
PORT="${PORT:-8000}"

$PY manage.py migrate --noinput -v 0
$PY manage.py seed_demo
# collectstatic only when a static source changed since the last run
if [ ! -f var/static/staticfiles.json ] || [ -n "$(find src -path '*/static/*' -newer var/static/staticfiles.json -print -quit)" ]; then
  $PY manage.py collectstatic --noinput -v 0
fi

$PY manage.py worker &
WORKER=$!
trap 'kill $WORKER 2>/dev/null; wait $WORKER 2>/dev/null' EXIT INT TERM

cat <<TXT

  政务服务平台 Zhengwu is running:  http://127.0.0.1:${PORT}/
  Staff workbench:                   http://127.0.0.1:${PORT}/workbench/
  API docs:                          http://127.0.0.1:${PORT}/api/docs/
  Demo accounts (password for all:   Demo-2026):
TXT
$PY manage.py demo_accounts
echo "  Stop with Ctrl-C."
echo
.venv/bin/gunicorn zhengwu.wsgi:application --pythonpath src --bind "127.0.0.1:${PORT}" \
  --workers "${WEB_WORKERS:-3}" --access-logfile - --log-level warning
