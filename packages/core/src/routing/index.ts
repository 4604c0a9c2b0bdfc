export {
  capabilitiesOf,
  choicesOf,
  comboChoices,
  type BackendCapabilities,
} from './Capabilities.js';
export { requirementsOf, type ComboValue, type JobRequirements } from './requirements.js';
export { canRun, missingOn } from './missingOn.js';
