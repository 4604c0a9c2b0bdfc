import { imageToVideoDefinition, textToVideoDefinition } from './workflows/videoWorkflows.js';

/** The default text-to-video definition (MP4 through SaveVideo). */
export const textToVideo = textToVideoDefinition();

/** The default image-to-video definition (MP4 through SaveVideo); plugin-image's "animate" targets its id. */
export const imageToVideo = imageToVideoDefinition();
