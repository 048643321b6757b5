#!/usr/bin/env bash
# Rebuilds samples/camvid_val_8: 8 CamVid val frames (every 13th of the 101, in file-name order)
# as a rosbag2 MCAP bag, JPEG images on /camera/image_raw/compressed and mono8 ground truth on
# /camera/label_gt, stamped at 15 Hz from 2023-11-14T22:13:20Z. Needs the CamVid folder
# (default ../shared/data/camvid next to the repository).
set -euo pipefail
cd "$(dirname "$0")/.."
camvid="${1:-../shared/data/camvid}"
rm -rf samples/camvid_val_8
npx tsx src/cli/main.ts bag-from-folder "$camvid/val" samples/camvid_val_8 \
  --labels "$camvid/valannot" --encoding jpeg --quality 90 --every 13 --limit 8 \
  --rate 15 --start-time 1700000000 --frame-id camera
