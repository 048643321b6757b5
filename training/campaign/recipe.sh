# The campaign's recipe (models/README.md, "How it was trained"), sourced by run.sh (CPU) and gpu.sh (a lent
# GPU) so both train the same schedule: `attendseg.train "${RECIPE[@]}" ...`.
# Val is scored every 10 epochs on a train-only run (the recipe's evidence) and every 50 when val is
# training data (a check, not a score): recipe_eval_every SPLITS prints which.
RECIPE=(--epochs 600 --crop 256x192,384x288@0.5,480x360@0.85)
recipe_eval_every() {
  if [[ "$1" == *val* ]]; then echo 50; else echo 10; fi
}
