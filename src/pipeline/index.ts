// The ROS-free half of the node: usable (and tested) without a ROS installation.
export { SegmentationNode } from './segmentation-node';
export type { SegmentationNodeOptions } from './segmentation-node';
export { CameraChannel } from './camera-channel';
export { cameraTopics, checkCameras, MAX_CAMERAS } from './camera-topics';
export type { CameraTopics } from './camera-topics';
export { FramePipeline } from './frame-pipeline';
export { FrameScheduler } from './frame-scheduler';
export type { FrameSettings, Inbound } from './frame-pipeline';
export { InMemoryTransport } from './memory-transport';
export type { InMemoryTransportOptions, LogEntry } from './memory-transport';
export { PARAMS, checkParam, vetParameters, settingsFrom, paramSpec } from './params';
export type { ParamSpec, ParamAssignment, ParamType, ParamValue, SetResult, Settings } from './params';
export { loadPalette, parsePalette } from './palette';
export * from './transport';
export * from './messages';
export { SegmentationLifecycle } from './segmentation-lifecycle';
export type { LifecycleState, LifecycleTransition, TransitionResult } from './segmentation-lifecycle';
