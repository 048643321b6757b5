#!/usr/bin/env bash
# The model campaign (models/README.md, "Model v2"): each stage resumes by itself, from
# runs/<stage>/last.pt on the machine that ran it, else from the committed resume point here.
# Rerun this script to continue; it runs at the lowest CPU priority and logs to runs/<stage>.log.
#   bash training/campaign/run.sh            # in the background: nohup bash training/campaign/run.sh &
# Pause for benchmarks with: pkill -STOP -f "[a]ttendseg.train" ; resume with: pkill -CONT -f "[a]ttendseg.train"
# (the brackets keep pkill from matching, and stopping, the shell that runs it)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
. campaign/recipe.sh
mkdir -p runs

# Stage 1: the recipe, trained on train only and scored on val (the recipe's evidence).
nice -n 19 "$PY" -m attendseg.train --out runs/v2-train --arch v2 --splits train "${RECIPE[@]}" \
  --eval-every "$(recipe_eval_every train)" \
  --resume-point campaign/v2-train.resume.pt >> runs/v2-train.log 2>&1

# Stage 2: the final model, the same recipe on train+val, a fixed epoch count and no selection on val
# (val is training data here; its scores are logged only as a training-set check).
nice -n 19 "$PY" -m attendseg.train --out runs/v2-final --arch v2 --splits train,val "${RECIPE[@]}" \
  --eval-every "$(recipe_eval_every train,val)" \
  --resume-point campaign/v2-final.resume.pt >> runs/v2-final.log 2>&1

# Stage 3: the shipped files, once stage 2 has ended (and again only if it trained further): the
# int8 QDQ model and its float twin from the final weights, calibrated as model v2 was, and the
# int8 engine's scores on val (training data for this model: a check, not the recipe's evidence).
# The model card and tests are then updated by hand (models/README.md, "Model v2").
# The resume point holds the final weights exactly (only optimizer moments are rounded), and the
# committed stamp names the resume point the shipped files came from, so a new machine, which has
# no runs/, does not export again.
final=campaign/v2-final.resume.pt
stamp=campaign/v2-final.exported
if [ "$(sha256sum < "$final")" != "$(cat "$stamp" 2>/dev/null)" ]; then
  rm -rf runs/v2-final-cal64  # calibration only: nothing to resume
  nice -n 19 "$PY" -m attendseg.qat --checkpoint "$final" --out runs/v2-final-cal64 --epochs 0 \
    --weight-qmax 64 --full-range-convs stem.0,classifier \
    --export ../models/attendseg_camvid.onnx --float-export ../models/attendseg_camvid_fp32.onnx \
    >> runs/v2-final-cal64.log 2>&1
  (cd .. && nice -n 19 npx attendseg eval --images ../shared/data/camvid/val --labels ../shared/data/camvid/valannot \
    --ignore 11 --json training/runs/v2-final-int8-val.json) >> runs/v2-final-cal64.log 2>&1
  sha256sum < "$final" > "$stamp"
fi

# Stage 4: a candidate topology (model.py ARCHS "v3": wider 1/8 stage and 1/2 detail level, for
# the thin classes), the same recipe on train only, scored on val. It replaces v2 only if it beats
# the v2 recipe run's held-out val (72.53 int8), and then through its own train+val stage.
nice -n 19 "$PY" -m attendseg.train --out runs/v3-train --arch v3 --splits train "${RECIPE[@]}" \
  --eval-every "$(recipe_eval_every train)" \
  --resume-point campaign/v3-train.resume.pt >> runs/v3-train.log 2>&1
