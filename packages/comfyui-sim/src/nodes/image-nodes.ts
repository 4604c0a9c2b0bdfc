import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodePng, readPngHeader } from '../image/png-decode.js';
import { cappedSize, colourFromSeed, solidImage, type RgbImage } from '../image/rgb-image.js';
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

/** Real pixels for PNGs we can decode; otherwise a stand-in of the right size coloured by the file's hash. */
function imageFromFile(bytes: Buffer): RgbImage {
  const decoded = decodePng(bytes);
  if (decoded) return decoded;
  const header = readPngHeader(bytes);
  const [width, height] = cappedSize(header?.width ?? 64, header?.height ?? 64);
  return solidImage(
    width,
    height,
    colourFromSeed(createHash('sha256').update(bytes).digest('hex')),
  );
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
    const image = imageFromFile(await readFile(file));
    const images: ImageValue = { kind: 'IMAGE', images: [image] };
    const mask: MaskValue = { kind: 'MASK', width: image.width, height: image.height };
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
      ui: { images: await saveImages(ctx, images.images, 'output', prefix, 4) },
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
      ui: { images: await saveImages(ctx, images.images, 'temp', `ComfyUI_temp_${suffix}`, 1) },
    };
  },
};

export const imageNodes: readonly NodeDefinition[] = [loadImage, saveImage, previewImage];
