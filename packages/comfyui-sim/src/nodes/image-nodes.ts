import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodePng } from '../image/png-decode.js';
import { readImageSize } from '../image/image-size.js';
import { cappedSize, colourFromSeed, resizeImage, solidImage } from '../image/rgb-image.js';
import { isInside, parseAnnotatedName, type SimDirs } from '../storage/dirs.js';
import { NodeFailure, type NodeDefinition } from './types.js';
import { expectValue, type ImageValue, type MaskValue } from './values.js';
import { stringInput } from './input-values.js';
import { saveImages } from './save-images.js';

/** folder_paths.get_annotated_filepath: "a.png", "sub/a.png" or "a.png [output]"; undefined if it escapes its folder. */
function annotatedFilePath(name: string, dirs: SimDirs): string | undefined {
  const annotated = parseAnnotatedName(name);
  const root = dirs[annotated.type ?? 'input'];
  const file = path.resolve(root, annotated.name);
  return isInside(root, file) ? file : undefined;
}

function isFile(file: string | undefined): file is string {
  return file !== undefined && existsSync(file) && statSync(file).isFile();
}

/**
 * The file's real size, with its real pixels for PNGs we can decode (scaled down to the render cap)
 * and otherwise a stand-in of that size coloured by the file's hash. Sizes come from the PNG, JPEG,
 * GIF or WebP header; 64×64 when there is none.
 */
export function imageFromFile(bytes: Buffer): ImageValue {
  const decoded = decodePng(bytes);
  const size = decoded ?? readImageSize(bytes) ?? { width: 64, height: 64 };
  const [width, height] = cappedSize(size.width, size.height);
  const image = decoded
    ? resizeImage(decoded, width, height)
    : solidImage(width, height, colourFromSeed(createHash('sha256').update(bytes).digest('hex')));
  return { kind: 'IMAGE', images: [image], width: size.width, height: size.height };
}

const loadImage: NodeDefinition = {
  classType: 'LoadImage',
  displayName: 'Load Image',
  description: '',
  category: 'image',
  pythonModule: 'nodes',
  outputNode: false,
  outputs: [
    { type: 'IMAGE', name: 'IMAGE' },
    { type: 'MASK', name: 'MASK' },
  ],
  inputTypes: (catalog) => ({
    required: { image: [catalog.inputFiles(), { image_upload: true }] },
  }),
  customValidation: {
    inputs: ['image'],
    validate(values, catalog) {
      const image = values['image'];
      return typeof image === 'string' && isFile(annotatedFilePath(image, catalog.dirs))
        ? true
        : `Invalid image file: ${String(image)}`;
    },
  },
  fingerprint(inputs, catalog) {
    const file = annotatedFilePath(stringInput(inputs, 'image', ''), catalog.dirs);
    return isFile(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : 'missing';
  },
  async execute(inputs, ctx) {
    const name = stringInput(inputs, 'image', '');
    const file = annotatedFilePath(name, ctx.dirs);
    if (!isFile(file)) {
      throw new NodeFailure(`[Errno 2] No such file or directory: '${name}'`, 'FileNotFoundError');
    }
    const images = imageFromFile(await readFile(file));
    const mask: MaskValue = { kind: 'MASK', width: images.width, height: images.height };
    return { outputs: [images, mask] };
  },
};

const saveImage: NodeDefinition = {
  classType: 'SaveImage',
  displayName: 'Save Image',
  description: 'Saves the input images to your ComfyUI output directory.',
  category: 'image',
  pythonModule: 'nodes',
  outputNode: true,
  outputs: [],
  inputTypes: () => ({
    required: {
      images: ['IMAGE', { tooltip: 'The images to save.' }],
      filename_prefix: [
        'STRING',
        {
          default: 'ComfyUI',
          tooltip:
            'The prefix for the file to save. This may include formatting information such as %date:yyyy-MM-dd% or %Empty Latent Image.width% to include values from nodes.',
        },
      ],
    },
    hidden: { prompt: 'PROMPT', extra_pnginfo: 'EXTRA_PNGINFO' },
  }),
  async execute(inputs, ctx) {
    const images = expectValue(inputs['images'], 'IMAGE', 'images');
    const prefix = stringInput(inputs, 'filename_prefix', 'ComfyUI');
    return {
      outputs: [],
      ui: { images: await saveImages(ctx, images, 'output', prefix, 4) },
    };
  },
};

const TEMP_SUFFIX_LETTERS = 'abcdefghijklmnopqrstupvxyz';

const previewImage: NodeDefinition = {
  classType: 'PreviewImage',
  displayName: 'Preview Image',
  description: 'Saves the input images to your ComfyUI output directory.',
  category: 'image',
  pythonModule: 'nodes',
  outputNode: true,
  outputs: [],
  inputTypes: () => ({
    required: { images: ['IMAGE'] },
    hidden: { prompt: 'PROMPT', extra_pnginfo: 'EXTRA_PNGINFO' },
  }),
  async execute(inputs, ctx) {
    const images = expectValue(inputs['images'], 'IMAGE', 'images');
    const suffix = Array.from(
      { length: 5 },
      () => TEMP_SUFFIX_LETTERS[Math.floor(Math.random() * TEMP_SUFFIX_LETTERS.length)],
    ).join('');
    return {
      outputs: [],
      ui: { images: await saveImages(ctx, images, 'temp', `ComfyUI_temp_${suffix}`, 1) },
    };
  },
};

export const imageNodes: readonly NodeDefinition[] = [loadImage, saveImage, previewImage];
