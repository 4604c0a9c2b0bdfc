export { default } from '@comfyrelay/eslint-config';
