// The ROS-free half of the node: usable (and tested) without a ROS installation.
export { SegmentationNode } from './segmentation_node';
export type { SegmentationNodeOptions } from './segmentation_node';
export { FramePipeline } from './frame_pipeline';
export type { FrameSettings, Inbound } from './frame_pipeline';
export { InMemoryTransport } from './memory_transport';
export type { InMemoryTransportOptions, LogEntry } from './memory_transport';
export { PARAMS, checkParam, vetParameters, settingsFrom, paramSpec } from './params';
export type { ParamSpec, ParamAssignment, ParamType, ParamValue, SetResult, Settings } from './params';
export { loadPalette, parsePalette } from './palette';
export * from './transport';
export * from './messages';
export { SegmentationLifecycle } from './segmentation_lifecycle';
export type { LifecycleState, LifecycleTransition, TransitionResult } from './segmentation_lifecycle';
