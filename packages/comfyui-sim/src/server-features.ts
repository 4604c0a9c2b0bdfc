/** What GET /features and the `feature_flags` reply announce (as ComfyUI 0.8.0 with the manager). */
export const SERVER_FEATURES = {
  supports_preview_metadata: true,
  max_upload_size: 104857600,
  extension: { manager: { supports_v4: true } },
};
