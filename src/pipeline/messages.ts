// ROS messages as plain objects, field names as in their .msg definitions (the shape rclnodejs
// and the tests' CDR oracle use), for the pipeline and its transports. Images are
// src/msg's.
import type { CompressedImageMessage, ImageMessage } from '../msg/image';
import type { Header as RosHeader } from '../msg/time';

export type { CompressedImageMessage, ImageMessage, RosHeader };

/** diagnostic_msgs/DiagnosticStatus levels. */
export const DiagnosticLevel = { OK: 0, WARN: 1, ERROR: 2, STALE: 3 } as const;

export interface DiagnosticStatusMessage {
  level: number;
  name: string;
  message: string;
  hardware_id: string;
  values: { key: string; value: string }[];
}

export interface DiagnosticArrayMessage {
  header: RosHeader;
  status: DiagnosticStatusMessage[];
}

/** vision_msgs/LabelInfo (vision_msgs 4, Humble). */
export interface LabelInfoMessage {
  header: RosHeader;
  class_map: { class_id: number; class_name: string }[];
  threshold: number;
}

/** sensor_msgs/CameraInfo. rclnodejs may hand the arrays over as typed arrays. */
export interface CameraInfoMessage {
  header: RosHeader;
  height: number;
  width: number;
  distortion_model: string;
  d: ArrayLike<number>;
  k: ArrayLike<number>;
  r: ArrayLike<number>;
  p: ArrayLike<number>;
  binning_x: number;
  binning_y: number;
  roi: { x_offset: number; y_offset: number; height: number; width: number; do_rectify: boolean };
}
