#!/usr/bin/env bash
# The one command that installs what the tests need and runs every test: unit, AppTest page tests and
# real-browser end-to-end tests. Works on a fresh Debian machine with Python 3.11, with no stdin and
# CI=true. Usage: bash scripts/test.sh [extra pytest arguments]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export DEBIAN_FRONTEND=noninteractive
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PIP_ROOT_USER_ACTION=ignore
# Streamlit: never ask for an email, never open a browser, send no usage statistics.
export STREAMLIT_BROWSER_GATHER_USAGE_STATS=false STREAMLIT_SERVER_HEADLESS=true STREAMLIT_SERVER_SHOW_EMAIL_PROMPT=false

PYTHON="${PYTHON:-$(command -v python3 || command -v python)}"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}

# Debian's own Python refuses system-wide pip installs (PEP 668): use a virtual environment there.
if "$PYTHON" -c 'import os, sys, sysconfig
marker = os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")
sys.exit(0 if sys.prefix == sys.base_prefix and os.path.exists(marker) else 1)'; then
  if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv 2>/dev/null || {
      as_root apt-get update -q && as_root apt-get install -y -q python3-venv </dev/null
      "$PYTHON" -m venv .venv
    }
  fi
  PYTHON=.venv/bin/python
fi

# torch==2.13.0+cpu (requirements-app.txt) is on PyTorch's page of CPU wheels, not on PyPI. A machine
# that has the wheel on disk (pip's find-links, as CI's machines have) installs it from there, with no
# look at that page: a page this machine cannot reach costs pip about 8 s of retries per package. Any
# other machine is pointed at the page, as the host's requirements.txt does.
TORCH_PAGE=https://download.pytorch.org/whl/cpu/torch/
torch_pin="$(grep -oE '^torch==[^ ;]+[+]cpu' requirements-app.txt)"
torch_source=()
if [ "$(uname -s)" != Darwin ] && ! "$PYTHON" -m pip install -q --dry-run --no-index --no-deps "$torch_pin" >/dev/null 2>&1 </dev/null; then
  torch_source=(--find-links "$TORCH_PAGE")
fi
echo "== pip install -r requirements-dev.txt ($("$PYTHON" --version); $torch_pin from ${torch_source[1]:-a local wheel or the installed one})"
"$PYTHON" -m pip install -q "${torch_source[@]}" -r requirements-dev.txt </dev/null

# The browser tests drive Debian's Chromium (Playwright's own browser download needs the network).
if [ ! -x /usr/bin/chromium ]; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "== apt-get install chromium"
    as_root apt-get update -q </dev/null
    as_root apt-get install -y -q --no-install-recommends chromium fonts-liberation </dev/null
  else
    echo "== no apt-get and no /usr/bin/chromium: the browser tests will be skipped" >&2
  fi
fi

# The replica tests run Debian's nginx on loopback in front of stand-in replicas.
if [ ! -x /usr/sbin/nginx ] && command -v apt-get >/dev/null 2>&1; then
  echo "== apt-get install nginx"
  { as_root apt-get update -q && as_root apt-get install -y -q --no-install-recommends nginx; } </dev/null \
    || echo "== nginx could not be installed: the replica tests will be skipped" >&2
fi

echo "== pytest"
status=0
# No per-test time limit (a slow shared machine must not fail a test); a hung test dumps its stack
# after 15 minutes so that a CI log shows where it stopped.
"$PYTHON" -m pytest -q -o faulthandler_timeout=900 "$@" </dev/null || status=$?
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure" >&2
  exit 1
fi
exit "$status"
