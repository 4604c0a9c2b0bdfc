import {
  ComfyRelayError,
  type ApiNode,
  type ApiWorkflow,
  type NodeLink,
  type OutputSpec,
  type ParameterBinding,
} from '@comfyrelay/core';

/**
 * How the frames become a file: ComfyUI's own nodes (SaveVideo via CreateVideo, SaveWEBM,
 * SaveAnimatedWEBP) or VideoHelperSuite's VHS_VideoCombine in one of its formats.
 */
export type VideoFormat = 'mp4' | 'webm' | 'webp' | 'vhs-mp4' | 'vhs-webp' | 'vhs-gif';

export const videoFormats: readonly VideoFormat[] = [
  'mp4',
  'webm',
  'webp',
  'vhs-mp4',
  'vhs-webp',
  'vhs-gif',
];

export interface VideoOutput {
  format: VideoFormat;
  /** Shown after the workflow title: "Text to video (WebM)". */
  label: string;
  /** The saving node: its id in the graph and what it yields. */
  output: Required<Pick<OutputSpec, 'node' | 'kind' | 'mime'>>;
  /** Where the frame rate goes. */
  fps: ParameterBinding;
}

/** Ids the output nodes take in every template: CreateVideo and the node that saves. */
export const CREATE_VIDEO_NODE = '60';
export const SAVE_NODE = '61';
const FILENAME_PREFIX = 'comfyrelay/video';

const vhsBase = (format: string, frames: NodeLink): ApiNode['inputs'] => ({
  frame_rate: 16,
  loop_count: 0,
  filename_prefix: FILENAME_PREFIX,
  format,
  pingpong: false,
  save_output: true,
  images: frames,
});

const outputs: Record<VideoFormat, VideoOutput & { nodes(frames: NodeLink): ApiWorkflow }> = {
  mp4: {
    format: 'mp4',
    label: 'MP4',
    output: { node: SAVE_NODE, kind: 'video', mime: 'video/mp4' },
    fps: { node: CREATE_VIDEO_NODE, input: 'fps' },
    nodes: (frames) => ({
      [CREATE_VIDEO_NODE]: {
        class_type: 'CreateVideo',
        inputs: { fps: 16, images: frames },
        _meta: { title: 'Create Video' },
      },
      [SAVE_NODE]: {
        class_type: 'SaveVideo',
        inputs: {
          filename_prefix: FILENAME_PREFIX,
          format: 'mp4',
          codec: 'h264',
          video: [CREATE_VIDEO_NODE, 0],
        },
        _meta: { title: 'Save Video' },
      },
    }),
  },
  webm: {
    format: 'webm',
    label: 'WebM',
    output: { node: SAVE_NODE, kind: 'video', mime: 'video/webm' },
    fps: { node: SAVE_NODE, input: 'fps' },
    nodes: (frames) => ({
      [SAVE_NODE]: {
        class_type: 'SaveWEBM',
        inputs: {
          filename_prefix: FILENAME_PREFIX,
          codec: 'vp9',
          fps: 16,
          crf: 32,
          images: frames,
        },
        _meta: { title: 'SaveWEBM' },
      },
    }),
  },
  webp: {
    format: 'webp',
    label: 'animated WebP',
    output: { node: SAVE_NODE, kind: 'animated-image', mime: 'image/webp' },
    fps: { node: SAVE_NODE, input: 'fps' },
    nodes: (frames) => ({
      [SAVE_NODE]: {
        class_type: 'SaveAnimatedWEBP',
        inputs: {
          filename_prefix: FILENAME_PREFIX,
          fps: 16,
          lossless: false,
          quality: 90,
          method: 'default',
          images: frames,
        },
        _meta: { title: 'Save Animated WEBP' },
      },
    }),
  },
  'vhs-mp4': {
    format: 'vhs-mp4',
    label: 'MP4, Video Combine',
    output: { node: SAVE_NODE, kind: 'video', mime: 'video/mp4' },
    fps: { node: SAVE_NODE, input: 'frame_rate' },
    nodes: (frames) => ({
      [SAVE_NODE]: {
        class_type: 'VHS_VideoCombine',
        inputs: {
          ...vhsBase('video/h264-mp4', frames),
          pix_fmt: 'yuv420p',
          crf: 19,
          save_metadata: true,
          trim_to_audio: false,
        },
        _meta: { title: 'Video Combine 🎥🅥🅗🅢' },
      },
    }),
  },
  'vhs-webp': {
    format: 'vhs-webp',
    label: 'animated WebP, Video Combine',
    output: { node: SAVE_NODE, kind: 'animated-image', mime: 'image/webp' },
    fps: { node: SAVE_NODE, input: 'frame_rate' },
    nodes: (frames) => ({
      [SAVE_NODE]: {
        class_type: 'VHS_VideoCombine',
        inputs: { ...vhsBase('image/webp', frames), lossless: false },
        _meta: { title: 'Video Combine 🎥🅥🅗🅢' },
      },
    }),
  },
  'vhs-gif': {
    format: 'vhs-gif',
    label: 'GIF, Video Combine',
    output: { node: SAVE_NODE, kind: 'animated-image', mime: 'image/gif' },
    fps: { node: SAVE_NODE, input: 'frame_rate' },
    nodes: (frames) => ({
      [SAVE_NODE]: {
        class_type: 'VHS_VideoCombine',
        inputs: vhsBase('image/gif', frames),
        _meta: { title: 'Video Combine 🎥🅥🅗🅢' },
      },
    }),
  },
};

export function videoOutput(format: VideoFormat): VideoOutput {
  const output = outputs[format];
  if (!output)
    throw new ComfyRelayError(
      `Unknown video format "${String(format)}"; use one of ${videoFormats.join(', ')}`,
    );
  const { nodes: _nodes, ...described } = output;
  return described;
}

/**
 * The template with its output nodes (CreateVideo + SaveVideo, as shipped) replaced by the ones
 * of `format`, fed by the decoded frames.
 */
export function withVideoOutput(
  template: ApiWorkflow,
  format: VideoFormat,
  frames: NodeLink,
): ApiWorkflow {
  const output = outputs[format];
  if (!output)
    throw new ComfyRelayError(
      `Unknown video format "${String(format)}"; use one of ${videoFormats.join(', ')}`,
    );
  const graph = structuredClone(template);
  delete graph[CREATE_VIDEO_NODE];
  delete graph[SAVE_NODE];
  return { ...graph, ...output.nodes(frames) };
}
