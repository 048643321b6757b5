#!/usr/bin/env bash
# The PyTorch export smoke tests, with an interpreter that has torch and onnx (Debian's
# python3-torch / python3-onnx); skipped with a message when none does.
set -euo pipefail
cd "$(dirname "$0")/../training"
for py in /usr/bin/python3 python3; do
  if command -v "$py" >/dev/null && "$py" -c 'import torch, onnx' 2>/dev/null; then
    exec "$py" -m unittest -v
  fi
done
echo "skipped training tests: no python3 with torch and onnx (apt-get install python3-torch python3-onnx)"
