#!/usr/bin/env bash
# Creates or updates the Python virtual environment for the functional tests at .venv.
# Usage: scripts/python-env.sh        (then: .venv/bin/pytest tests/functional)
set -euo pipefail
cd "$(dirname "$0")/.."
req=tests/functional/requirements.txt
stamp=.venv/.requirements.sha256
if [[ ! -x .venv/bin/python ]]; then
  python3 -m venv .venv
fi
want=$(sha256sum "$req" | cut -d' ' -f1)
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "python-env: .venv up to date"
  exit 0
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-input -r "$req"
echo "$want" >"$stamp"
echo "python-env: installed $(.venv/bin/python -m pytest --version 2>&1 | head -n1), $(.venv/bin/python -c 'import requests; print("requests", requests.__version__)')"
