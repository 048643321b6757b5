#!/usr/bin/env bash
# One stage of the campaign's recipe on a lent GPU machine (the `device` tool: PyTorch 2.x with
# CUDA, no network, ../shared absent, at most 10 minutes a command), as one prepared command:
#   here, once:   (cd training && /usr/bin/python3 -m attendseg.pack_camvid --out camvid-pack)
#   there:        bash training/campaign/gpu.sh v3 train 8        (carry: training/camvid-pack)
# ARCH and SPLITS as `attendseg.train --arch/--splits`; MINUTES bounds the training: the schedule
# (learning rate, crop sizes) follows whichever of epochs and time is further along, so a run cut
# short still ends decayed. Everything lands in $OUT/<arch>-<splits>/ (last.pt, log.csv,
# curve.png, summary.json, train.log), from where it is fetched and continued or exported here.
# Extra arguments go to attendseg.train after the recipe's, so they override it. A CPU check:
#   OUT=/tmp/g bash training/campaign/gpu.sh v3 train 1 \
#     --device cpu --limit 4 --batch 2 --max-steps 2 --epochs 2
set -euo pipefail
cd "$(dirname "$0")/.."
. campaign/recipe.sh
arch=${1:?usage: gpu.sh ARCH SPLITS MINUTES [train args...]}
splits=${2:?splits}
minutes=${3:?minutes}
shift 3
: "${OUT:?OUT must name the folder the results go to}"
[ -d camvid-pack/train ] || { echo "gpu.sh: training/camvid-pack is missing: pack it here and carry it" >&2; exit 1; }
PY=""
for py in python3 /usr/bin/python3; do
  if command -v "$py" >/dev/null && "$py" -c 'import torch' 2>/dev/null; then PY=$py; break; fi
done
[ -n "$PY" ] || { echo "gpu.sh: no python3 with torch" >&2; exit 1; }
"$PY" -c 'import torch; print(f"torch {torch.__version__}, cuda {torch.cuda.is_available()}, " + (torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no GPU"))'
out="$OUT/$arch-${splits//,/+}"
mkdir -p "$out"
"$PY" -m attendseg.train --data camvid-pack --out "$out" --arch "$arch" --splits "$splits" "${RECIPE[@]}" \
  --eval-every "$(recipe_eval_every "$splits")" --time-budget "$minutes" \
  --device cuda --no-resume "$@" 2>&1 | tee "$out/train.log"
