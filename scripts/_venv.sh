# Sourced by scripts/demo and scripts/test: make ./.venv with txkg installed in it.
# A venv keeps txkg and its pinned tools apart from whatever the machine already has.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
extras="${1:-}"
stamp=".venv/.txkg-installed${extras:+-$extras}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "installing txkg${extras:+ with [$extras]} into .venv (log: .venv/install.log)" >&2
  if ! { .venv/bin/python -m pip install --upgrade pip &&
         .venv/bin/python -m pip install -e ".${extras:+[$extras]}"; } >.venv/install.log 2>&1; then
    tail -n 30 .venv/install.log >&2
    echo "installing txkg failed; the whole log is .venv/install.log" >&2
    exit 1
  fi
  touch "$stamp"
fi
export PATH="$here/.venv/bin:$PATH"
